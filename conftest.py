"""Sybil: ``pytest`` runs every example of the book and of the package docstrings.

- ``docs/<lang>/*.md``: every ``{code-cell} python`` in page order, compared
  with the ``{output}`` stated after it (see ``tests/notebook_cells.py``), and
  every ``>>>`` example in a ``python`` code block of the prose.
- ``src/torchprimer/*.py``: every ``>>>`` example in a docstring.

Both use the same doctest flags and the book's print options.
"""

import os
import sys

os.environ.setdefault("MPLBACKEND", "Agg")  # figures are drawn, never shown
# pytest-xdist already runs one worker per core: one thread each is fastest,
# and it is what the book build uses (noxfile.py).
os.environ.setdefault("OMP_NUM_THREADS", "1")

from sybil import Sybil
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.parsers.markdown import PythonCodeBlockParser
from sybil.parsers.myst import SkipParser

from tests.notebook_cells import (
    NotebookCellParser,
    book_doctest_evaluator,
    docstring_parser,
)


def _setup(namespace):
    import torchprimer

    torchprimer.setup_printing()


def _teardown(namespace):
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


prose_parser = PythonCodeBlockParser()
prose_parser.doctest_parser = DocTestStringParser(book_doctest_evaluator())

book = Sybil(
    parsers=[
        NotebookCellParser(),
        prose_parser,
        SkipParser(),
    ],
    patterns=["docs/*/*.md"],
    excludes=["docs/_build/**"],
    setup=_setup,
    teardown=_teardown,
    name="book",
)

source = Sybil(
    parsers=[docstring_parser],
    patterns=["src/torchprimer/*.py"],
    setup=_setup,
    name="docstrings",
)

pytest_collect_file = (book + source).pytest()
