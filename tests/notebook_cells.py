"""Sybil support for the book's MyST-NB pages: run code cells, check stated outputs.

A page states the output of a code cell in an ``{output}`` block placed right
after the cell (blank lines may separate them)::

    ```{code-cell} python
    torch.tensor([0.5, 2.0]) * 2
    ```

    ```{output}
    tensor([1., 4.])
    ```

The cell runs as Jupyter runs it: its printed text, then the ``repr`` of its
last expression unless that is ``None`` or the cell ends with ``;``. A cell
tagged ``raises-exception`` must raise, and its stated output is the last line
of the traceback (``RuntimeError: ...``). Cells of one page share one
namespace and run in page order. The book build renders ``{output}`` blocks as
nothing: the reader sees the output that the build itself computed.
"""

from __future__ import annotations

import ast
import contextlib
import doctest
import io
import traceback
from dataclasses import dataclass

from sybil import Document, Example, Region
from sybil.evaluators.doctest import DocTestEvaluator
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.parsers.myst.lexers import DirectiveLexer

#: Doctest flags for every stated output of the book and every docstring.
#: Outputs compare exactly, whitespace aside: what a page states is what the
#: reader sees. ``...`` matches anything; a page uses it only where its prose
#: says what it stands for (a memory address, a device's name).
OPTIONFLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def book_doctest_evaluator() -> DocTestEvaluator:
    """Sybil's doctest evaluator with the book's flags."""
    return DocTestEvaluator(OPTIONFLAGS)


def docstring_parser(document: Document):
    """Parse the ``>>>`` examples of a Python module's docstrings."""
    return DocTestStringParser(book_doctest_evaluator())(document.text, document.path)


CELL_LEXER = DirectiveLexer(directive=r"code-cell", arguments=r"python")
OUTPUT_LEXER = DirectiveLexer(directive=r"output", arguments=r"")


@dataclass(frozen=True)
class Cell:
    """A code cell of a page and the output the page states for it, if any."""

    source: str
    tags: tuple[str, ...]
    line: int
    stated: str | None

    @property
    def raises(self) -> bool:
        return "raises-exception" in self.tags


def _tags(options: dict[str, str]) -> tuple[str, ...]:
    raw = options.get("tags", "")
    if isinstance(raw, list):  # YAML options block
        return tuple(raw)
    return tuple(tag.strip() for tag in raw.strip("[]").split(",") if tag.strip())


def run_cell(source: str, namespace: dict, filename: str) -> str:
    """Execute ``source`` like a notebook cell and return what it would display."""
    tree = ast.parse(source, filename)
    display = (
        tree.body
        and isinstance(tree.body[-1], ast.Expr)
        and not source.rstrip().endswith(";")
    )
    body = ast.Module(tree.body[:-1] if display else tree.body, type_ignores=[])
    shown = io.StringIO()
    with contextlib.redirect_stdout(shown):
        exec(compile(body, filename, "exec"), namespace)
        if display:
            last = ast.Expression(tree.body[-1].value)
            value = eval(compile(last, filename, "eval"), namespace)
            if value is not None:
                print(repr(value))
    return shown.getvalue()


class NotebookCellParser:
    """Find the ``{code-cell} python`` blocks of a page with their stated outputs."""

    def __init__(self, optionflags: int = OPTIONFLAGS) -> None:
        self.optionflags = optionflags
        self.checker = doctest.OutputChecker()

    def __call__(self, document: Document):
        outputs = list(OUTPUT_LEXER(document))
        for region in CELL_LEXER(document):
            stated = None
            if outputs and outputs[0].start >= region.end:
                between = document.text[region.end : outputs[0].start]
                if not between.strip():
                    stated = outputs.pop(0)
            line = document.text.count("\n", 0, region.start) + 1
            cell = Cell(
                source=str(region.lexemes["source"]),
                tags=_tags(region.lexemes.get("options", {})),
                line=line,
                stated=None if stated is None else str(stated.lexemes["source"]),
            )
            end = region.end if stated is None else stated.end
            yield Region(region.start, end, cell, self.evaluate)
            while outputs and outputs[0].start < end:
                outputs.pop(0)
        if outputs:
            line = document.text.count("\n", 0, outputs[0].start) + 1
            raise ValueError(
                f"{document.path}, line {line}: an {{output}} block must follow "
                "a {code-cell} python block directly"
            )

    def evaluate(self, example: Example) -> str | None:
        cell: Cell = example.parsed
        filename = f"{example.path}:{cell.line}"
        try:
            got = run_cell(cell.source, example.namespace, filename)
        except Exception as error:
            if not cell.raises:
                raise
            got = traceback.format_exception_only(error)[-1]
        else:
            if cell.raises:
                return f"{filename}: the cell is tagged raises-exception but raised nothing"
        if cell.stated is None:
            return None
        if self.checker.check_output(cell.stated, got, self.optionflags):
            return None
        return (
            f"{filename}: the output stated on the page differs from the output "
            f"of the code.\nStated:\n{cell.stated}\nGot:\n{got}"
        )
