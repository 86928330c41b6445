"""Which package code a page runs (docs/_ext/page_dependencies.py).

A page is re-executed when its fingerprint changes: these tests check that
every edit that can change what a page computes changes it, and that comments,
docstrings and other modules' function bodies do not.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

from page_dependencies import ALL, page_fingerprint, page_uses, read_package

_PACKAGE = {
    "__init__.py": '''
        """A package like torchprimer: every module imported eagerly."""

        from pkg import greet, lazy, other, shout
        from pkg.printing import setup

        __all__ = ["greet", "lazy", "other", "setup", "shout"]
    ''',
    "printing.py": """
        def setup():
            return None
    """,
    "greet.py": '''
        """Greetings."""

        from pkg._words import WORD


        def greet(name):
            """Greet ``name``.

            >>> greet("you")
            'hello you'
            """
            return f"{WORD} {name}"  # the greeting
    ''',
    "_words.py": """
        WORD = "hello"
    """,
    "shout.py": """
        from pkg.greet import greet


        def shout(name):
            return greet(name).upper()
    """,
    "lazy.py": """
        def lazy():
            from pkg import other

            return other.other()
    """,
    "other.py": """
        LIMIT = 3


        def other():
            return "other"
    """,
}
PACKAGE = {name: textwrap.dedent(text).lstrip() for name, text in _PACKAGE.items()}


def _write(directory: Path, files: dict[str, str]) -> Path:
    package = directory / "pkg"
    package.mkdir(exist_ok=True)
    for name, text in files.items():
        (package / name).write_text(text, encoding="utf-8")
    return package


def _fingerprint(tmp_path, cells, **changes):
    """The fingerprint of a page with ``cells`` after ``changes`` to the package."""
    package = _write(tmp_path, {**PACKAGE, **changes})
    return page_fingerprint(cells, read_package(package))


GREET_PAGE = ["import pkg\npkg.setup()", "from pkg.greet import greet\ngreet('x')"]
OTHER_PAGE = ["import pkg\npkg.setup()", "pkg.other.other()"]


def _edit(name: str, old: str, new: str) -> dict[str, str]:
    text = PACKAGE[name]
    assert old in text, (name, old)
    return {name: text.replace(old, new)}


def test_comments_docstrings_and_formatting_change_nothing(tmp_path):
    before = _fingerprint(tmp_path, GREET_PAGE)
    edited = _edit("greet.py", "# the greeting", "# a new comment\n")
    edited["greet.py"] = (
        edited["greet.py"]
        .replace('"""Greetings."""', '"""Greetings, said differently."""')
        .replace("'hello you'", "'hello you'\n\n    More words.\n")
        .replace('f"{WORD} {name}"', 'f"{WORD} {name}"  ')
    )
    assert _fingerprint(tmp_path, GREET_PAGE, **edited) == before


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("greet.py", 'f"{WORD} {name}"', 'f"{WORD}, {name}"'),  # the module used
        ("_words.py", '"hello"', '"hi"'),  # what it imports
        (
            "__init__.py",
            "from pkg.printing import setup",
            "from pkg.other import other as setup",
        ),
        ("printing.py", "return None", "return 1"),  # via pkg.setup
        ("other.py", "LIMIT = 3", "LIMIT = 4"),  # another module's import-time code
    ],
)
def test_a_behaviour_change_reaches_the_page(tmp_path, name, old, new):
    before = _fingerprint(tmp_path, GREET_PAGE)
    assert _fingerprint(tmp_path, GREET_PAGE, **_edit(name, old, new)) != before


def test_a_function_body_elsewhere_changes_nothing(tmp_path):
    before = _fingerprint(tmp_path, GREET_PAGE)
    edited = _edit("other.py", 'return "other"', 'return "changed"')
    assert _fingerprint(tmp_path, GREET_PAGE, **edited) == before
    # ... but it changes the page that calls it
    assert _fingerprint(tmp_path, OTHER_PAGE, **edited) != _fingerprint(
        tmp_path, OTHER_PAGE
    )


def test_imports_are_followed_into_function_bodies(tmp_path):
    page = ["from pkg.lazy import lazy\nlazy()"]
    before = _fingerprint(tmp_path, page)
    edited = _edit("other.py", 'return "other"', 'return "changed"')
    assert _fingerprint(tmp_path, page, **edited) != before


def test_a_function_called_on_import_counts_whole(tmp_path):
    calls = _edit("other.py", "LIMIT = 3", "LIMIT = len(other())")
    before = _fingerprint(tmp_path, GREET_PAGE, **calls)
    calls["other.py"] = calls["other.py"].replace('return "other"', 'return "o"')
    assert _fingerprint(tmp_path, GREET_PAGE, **calls) != before


def test_a_function_of_another_module_called_on_import_counts_whole(tmp_path):
    # shout.py calls greet() when it is imported: OTHER_PAGE runs greet's body
    calls = _edit("shout.py", "def shout", 'LOUD = greet("x")\n\n\ndef shout')
    before = _fingerprint(tmp_path, OTHER_PAGE, **calls)
    calls |= _edit("greet.py", 'f"{WORD} {name}"', 'f"{WORD}! {name}"')
    assert _fingerprint(tmp_path, OTHER_PAGE, **calls) != before


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["1 + 1"], set()),
        (["import pkg"], {"pkg"}),
        (["import pkg\npkg.setup()"], {"pkg", "pkg.printing"}),
        (["import pkg as p\np.greet.greet('x')"], {"pkg", "pkg.greet"}),
        (["from pkg import shout"], {"pkg", "pkg.shout"}),
        (["import pkg.other as o\no.LIMIT"], {"pkg", "pkg.other"}),
        (["from pkg.greet import greet as g"], {"pkg", "pkg.greet"}),
        (["%time 1 + 1\nimport pkg.lazy"], {"pkg", "pkg.lazy"}),  # IPython syntax
        (["import pkg\ndir(pkg)"], {"pkg", ALL}),  # the package as a value
        (["import pkg\ngetattr(pkg, 'other')"], {"pkg", ALL}),
        (["from pkg import *"], {"pkg", ALL}),
        (["exec('import pkg')"], {ALL}),
    ],
)
def test_page_uses(tmp_path, cells, expected):
    package = read_package(_write(tmp_path, PACKAGE))
    assert set(page_uses(cells, package).modules) == expected


def test_a_page_that_uses_nothing_has_no_fingerprint(tmp_path):
    assert _fingerprint(tmp_path, ["import torch", "print(1)"]) == ""


def test_a_page_that_reads_docstrings_depends_on_them(tmp_path):
    page = ["from pkg.greet import greet\nprint(greet.__doc__)"]
    before = _fingerprint(tmp_path, page)
    edited = _edit("greet.py", "Greet ``name``.", "Say hello to ``name``.")
    assert _fingerprint(tmp_path, page, **edited) != before


def test_package_data_counts(tmp_path):
    package = _write(tmp_path, PACKAGE)
    before = page_fingerprint(GREET_PAGE, read_package(package))
    (package / "table.csv").write_text("1,2\n", encoding="utf-8")
    assert page_fingerprint(GREET_PAGE, read_package(package)) != before


def test_the_book_package_is_read_whole():
    """Every module of torchprimer is found; ``__init__`` is only imports."""
    package = read_package(ROOT / "src" / "torchprimer")
    modules = {path.stem for path in (ROOT / "src" / "torchprimer").glob("*.py")}
    assert {name.rpartition(".")[2] for name in package.modules} == (
        modules - {"__init__"} | {"torchprimer"}
    )
    assert package.modules["torchprimer"].only_imports
    uses = page_uses(["import torchprimer\ntorchprimer.setup_printing()"], package)
    assert set(uses.modules) == {"torchprimer", "torchprimer.printing"}
