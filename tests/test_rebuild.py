"""What the build executes, and when (docs/_ext/rebuild.py, math_images.py).

A small book, built for real with Sphinx and myst-nb: two pages in two
languages that call a package of their own. It shows both directions: an
edit that changes what a page computes reaches the page, and an edit that
cannot (a comment, a docstring, another language's caption) executes nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("myst_nb", reason="the book's build needs the docs group")

ROOT = Path(__file__).resolve().parent.parent
EXTENSIONS = ROOT / "docs" / "_ext"
sys.path.insert(0, str(EXTENSIONS))

from rebuild import STACKS_KEPT, prune_stacks, stack_key

CONF = f"""
import os
import sys
from pathlib import Path

BOOK = Path(__file__).resolve().parent
sys.path.insert(0, {str(EXTENSIONS)!r})
extensions = ["myst_nb", "rebuild"]
exclude_patterns = ["_build"]
nb_execution_mode = "cache"
nb_execution_raise_on_error = True
nb_execution_cache_path = str(BOOK / "_build" / ".jupyter_cache" / "0123456789abcdef")
torchprimer_package = str(BOOK / "src" / "fakepkg")
os.environ["PYTHONPATH"] = str(BOOK / "src")
"""

GREET = '''
"""Greetings."""


def greet(name):
    """Greet ``name``."""
    return f"hello {name}"
'''

OTHER = """
def other():
    return "other"
"""

PAGE = """---
file_format: mystnb
kernelspec:
  name: python3
  display_name: Python 3
---

# {title}

```{{code-cell}} python
---
tags: [hide-input]
mystnb:
  code_prompt_show: "{prompt}"
---
{code}
```
"""

CODE = {
    "greet": "from fakepkg.greet import greet\nprint(greet('world'))",
    "other": "import fakepkg.other\nprint(fakepkg.other.other())",
}
#: What each language says on its button, a render-only cell option.
PROMPT = {"en": "Show the code", "fr": "Montrer le code"}


class Book:
    """The small book in ``folder``: its files, and builds of one language."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        package = folder / "src" / "fakepkg"
        package.mkdir(parents=True)
        (package / "__init__.py").write_text(
            "from fakepkg import greet, other\n", encoding="utf-8"
        )
        self.module("greet", GREET)
        self.module("other", OTHER)
        (folder / "conf.py").write_text(CONF, encoding="utf-8")
        for language, prompt in PROMPT.items():
            pages = folder / language
            pages.mkdir()
            (pages / "index.md").write_text(
                "# Book\n\n```{toctree}\ngreet\nother\n```\n", encoding="utf-8"
            )
            for name, code in CODE.items():
                (pages / f"{name}.md").write_text(
                    PAGE.format(title=name, prompt=prompt, code=code),
                    encoding="utf-8",
                )
        self.cache = folder / "_build" / ".jupyter_cache" / "0123456789abcdef"

    def module(self, name: str, text: str) -> None:
        path = self.folder / "src" / "fakepkg" / f"{name}.py"
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")

    def _records(self) -> list[tuple[int, str]]:
        from jupyter_cache.cache.main import JupyterCacheBase

        if not (self.cache / "global.db").exists():
            return []
        records = JupyterCacheBase(self.cache).list_cache_records()
        return [(record.pk, record.uri) for record in records]

    def build(self, language: str = "en") -> tuple[list[str], str]:
        """Build ``language``: the pages it executed, and its log."""
        before = max((pk for pk, _ in self._records()), default=0)
        done = subprocess.run(
            [
                sys.executable, "-m", "sphinx", "-b", "html", "-n", "-W", "-c",
                str(self.folder), str(self.folder / language),
                str(self.folder / "_build" / "html" / language),
            ],
            capture_output=True, text=True, check=False,
            env={**os.environ, "OMP_NUM_THREADS": "1"},
        )  # fmt: skip
        log = done.stdout + done.stderr
        assert done.returncode == 0, log
        executed = sorted(
            "/".join(Path(uri).with_suffix("").parts[-2:])
            for pk, uri in self._records()
            if pk > before
        )
        return executed, log

    def html(self, language: str, page: str) -> str:
        path = self.folder / "_build" / "html" / language / f"{page}.html"
        return path.read_text(encoding="utf-8")


@pytest.fixture
def book(tmp_path):
    return Book(tmp_path)


def test_pages_execute_when_and_only_when_their_code_changes(book):
    # Cold: each page executed once, before Sphinx reads it, all in parallel;
    # myst-nb then finds every page in the cache (it logs when it executes).
    executed, log = book.build("en")
    assert executed == ["en/greet", "en/other"]
    assert "executing 2 notebooks, 2 at a time" in log
    assert "Executing notebook" not in log
    assert "hello world" in book.html("en", "greet")

    # Another language, same code cells, its own cell options: no execution,
    # and the page shows its own options, not those of the cached record.
    executed, _ = book.build("fr")
    assert executed == []
    assert "Montrer le code" in book.html("fr", "greet")
    assert "Show the code" not in book.html("fr", "greet")

    # Comments and docstrings: nothing executes, nothing changes.
    book.module("greet", GREET.replace('"""Greet ``name``."""', '"""Say hi."""'))
    book.module("greet", (book.folder / "src/fakepkg/greet.py").read_text() + "# ok\n")
    executed, _ = book.build("en")
    assert executed == []

    # A behaviour change reaches the page that runs it, and only that page.
    book.module("greet", GREET.replace("hello", "goodbye"))
    executed, log = book.build("en")
    assert executed == ["en/greet"]
    assert "goodbye world" in book.html("en", "greet")
    assert "hello world" not in book.html("en", "greet")

    # ... and its other language, which was not built since.
    executed, _ = book.build("fr")
    assert executed == []  # en's execution serves it
    assert "goodbye world" in book.html("fr", "greet")

    # Back to the first version: its record is still in the cache.
    book.module("greet", GREET)
    executed, _ = book.build("en")
    assert executed == []
    assert "hello world" in book.html("en", "greet")

    # A change to the other module re-executes the other page only.
    book.module("other", OTHER.replace('"other"', '"changed"'))
    executed, _ = book.build("en")
    assert executed == ["en/other"]
    assert "changed" in book.html("en", "other")


def _page(caption: str, source: str = "print(1)"):
    import nbformat

    cell = nbformat.v4.new_code_cell(
        source,
        metadata={"tags": ["hide-input"], "mystnb": {"figure": {"caption": caption}}},
    )
    return nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell(caption), cell],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )


def test_a_record_serves_every_language_with_its_own_options(tmp_path):
    """Translated cell options do not key the record, and stay the page's own."""
    import nbformat
    from jupyter_cache.base import CacheBundleIn
    from rebuild import BookCache

    cache = BookCache(tmp_path / "cache", package_dir=None)
    executed = _page("A caption")
    executed.cells[1].execution_count = 1
    executed.cells[1].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="1\n")
    ]
    cache.cache_notebook_bundle(
        CacheBundleIn(executed, "en/page.md"), check_validity=False
    )

    _, merged = cache.merge_match_into_notebook(_page("Une légende"))
    assert merged.cells[1].outputs[0]["text"] == "1\n"
    assert merged.cells[1].metadata["mystnb"]["figure"]["caption"] == "Une légende"
    assert merged.cells[1].metadata["tags"] == ["hide-input"]
    with pytest.raises(KeyError):  # the code keys it
        cache.match_cache_notebook(_page("A caption", source="print(2)"))


def test_stack_key_follows_the_kernel_settings(tmp_path):
    (tmp_path / "profile_default").mkdir()
    config = tmp_path / "profile_default" / "ipython_kernel_config.py"
    config.write_text("c = get_config()\n", encoding="utf-8")
    before = stack_key(tmp_path)
    assert stack_key(tmp_path) == before
    config.write_text("c = get_config()\nc.InteractiveShell.xmode = 'Plain'\n")
    assert stack_key(tmp_path) != before


def test_stack_key_follows_installed_distributions_but_the_book(tmp_path, monkeypatch):
    ipython = tmp_path / "ipython"
    ipython.mkdir()
    before = stack_key(ipython)

    def install(name: str) -> None:
        info = tmp_path / "site" / f"{name}-9.9.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(f"Name: {name}\nVersion: 9.9\n")

    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    install("torchprimer")  # e.g. src/torchprimer.egg-info, made by a wheel build
    assert stack_key(ipython) == before
    install("another")
    assert stack_key(ipython) != before


def test_caches_of_other_stacks_are_pruned(tmp_path):
    old = [tmp_path / f"{index:016x}" for index in range(4)]
    for age, path in enumerate(reversed(old)):
        path.mkdir()
        (path / "last-used").touch()
        os.utime(path / "last-used", (1000 + age, 1000 + age))
    current = tmp_path / "ffffffffffffffff"
    removed = prune_stacks(current)
    kept = sorted(path.name for path in tmp_path.iterdir())
    assert len(kept) == STACKS_KEPT
    assert current.name in kept
    assert old[0].name in kept  # the one used last, before this one
    assert sorted(removed) == sorted(old[1:])


MATH_CONF = f"""
import os
import sys

sys.path.insert(0, {str(EXTENSIONS)!r})
# what imgmath's LaTeX template needs beyond Debian's texlive (see conf.py)
os.environ["TEXINPUTS"] = {str(ROOT / "docs" / "_tex") + os.pathsep!r}
extensions = ["myst_parser", "sphinx.ext.imgmath"]
myst_enable_extensions = ["dollarmath"]
imgmath_image_format = "svg"
imgmath_use_preview = True
"""
MATH_PAGE = """# Formulas

Inline $x^2 + y^2$ and $\\\\sum_i w_i x_i$, and displayed:

$$
\\\\sigma(z) = \\\\frac{1}{1 + e^{-z}}
$$
"""


@pytest.mark.skipif(
    not (shutil.which("latex") and shutil.which("dvisvgm")),
    reason="the EPUB's formulas need LaTeX and dvisvgm",
)
def test_formulas_are_rendered_once_for_every_language(tmp_path):
    (tmp_path / "conf.py").write_text(MATH_CONF, encoding="utf-8")
    for language in ("en", "fr", "plain"):
        (tmp_path / language).mkdir()
        (tmp_path / language / "index.md").write_text(MATH_PAGE, encoding="utf-8")

    def build(language: str, *options: str) -> Path:
        output = tmp_path / "_build" / "html" / language
        done = subprocess.run(
            [sys.executable, "-m", "sphinx", "-b", "html", "-W", "-c", str(tmp_path),
             *options, str(tmp_path / language), str(output)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        return output / "_images" / "math"

    extensions = ["-D", "extensions=myst_parser,sphinx.ext.imgmath,math_images"]
    rendered = sorted(path.name for path in build("en", *extensions).iterdir())
    # imgmath alone renders the same images, under the same names ...
    assert sorted(path.name for path in build("plain").iterdir()) == rendered
    assert len(rendered) == 3
    # ... and a second language renders none: a LaTeX that fails is never run
    copied = build("fr", *extensions, "-D", "imgmath_latex=false")
    assert sorted(path.name for path in copied.iterdir()) == rendered
