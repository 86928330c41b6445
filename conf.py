"""Sphinx configuration for every language of the torchprimer book.

One file serves all trees: ``sphinx-build -c . -D language=<lang> docs/<lang> ...``
(``noxfile.py`` runs it for each language). What depends on the language, the
titles and the labels of the language switcher, is set from ``language`` once
the configuration is read.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import sys
from pathlib import Path
from typing import ClassVar

from docutils.parsers.rst import Directive, directives

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "src"))

project = "torchprimer"
author = "the torchprimer authors"
copyright = "2026, the torchprimer authors"
language = "en"

#: Every language of the book: its name in itself, the book's title, and the
#: labels of the buttons that show and hide a cell's code (exercise solutions).
LANGUAGES = {
    "en": (
        "English",
        "torchprimer: PyTorch from zero",
        ("Show code cell {type}", "Hide code cell {type}"),
    ),
    "zh_CN": (
        "简体中文",
        "torchprimer：从零开始学 PyTorch",
        ("显示代码", "隐藏代码"),
    ),
    "ru": (
        "Русский",
        "torchprimer: PyTorch с нуля",
        ("Показать код", "Скрыть код"),
    ),
}

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
]

templates_path = [str(ROOT / "docs" / "_templates")]
html_static_path = [str(ROOT / "docs" / "_static")]
html_css_files = ["torchprimer.css"]
exclude_patterns = ["_build", "jupyter_execute", ".jupyter_cache"]

# Strict: a broken reference is an error (``-n -W`` on the command line).
nitpicky = True
# There is no network at build time, so intersphinx cannot fetch the torch and
# NumPy inventories; their types in signatures stay unlinked.
nitpick_ignore_regex = [
    ("py:class", r"(torch|numpy|np)\..*"),
    ("py:class", r"collections\.abc\..*"),
    ("py:class", r"Callable|Sequence|optional"),
]

html_theme = "furo"
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "language-switcher.html",
        "sidebar/search.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/scroll-end.html",
    ]
}
html_context = {"languages": [(code, name) for code, (name, *_) in LANGUAGES.items()]}
html_last_updated_fmt = None
html_show_sourcelink = False

autodoc_member_order = "bysource"
# Do not copy torch's docstrings (e.g. nn.Module.forward) into ours.
autodoc_inherit_docstrings = False
autodoc_typehints = "signature"
napoleon_google_docstring = True
napoleon_numpy_docstring = False

# MathJax is vendored (docs/_static/mathjax) so formulas render offline too.
mathjax_path = "mathjax/tex-svg.js"

myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3

# MyST-NB: every page is a notebook, executed at build time.
nb_execution_mode = "cache"
nb_execution_raise_on_error = True
nb_execution_timeout = 300
nb_execution_show_tb = True
nb_merge_streams = True
# The kernel reads its IPython settings from docs/_ipython: errors are shown
# without a traceback (see the comment there).
IPYTHON_DIR = ROOT / "docs" / "_ipython"
os.environ["IPYTHONDIR"] = str(IPYTHON_DIR)


def _execution_cache_key() -> str:
    """Hash what a cached output depends on besides the code of the cells.

    The lesson code in ``src/torchprimer``, the kernel's IPython settings and
    the version of every installed distribution (the kernel runs in this
    environment): change any of them and the cache starts empty, so it never
    serves an output of another stack.
    """
    digest = hashlib.sha256(sys.version.encode())
    sources = [
        *(ROOT / "src" / "torchprimer").rglob("*.py"),
        *IPYTHON_DIR.rglob("*.py"),
    ]
    for path in sorted(sources):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    installed = sorted(
        f"{dist.metadata['Name']}=={dist.version}"
        for dist in importlib.metadata.distributions()
    )
    digest.update("\n".join(installed).encode())
    return digest.hexdigest()[:16]


# One cache for all languages: the trees have the same code cells, so zh_CN
# and ru reuse what en executed.
nb_execution_cache_path = str(
    ROOT / "docs" / "_build" / ".jupyter_cache" / _execution_cache_key()
)


class StatedOutput(Directive):
    """``{output}``: the output a page states for the code cell above it.

    ``pytest`` (Sybil) checks it against what the code prints; the HTML shows
    the output computed by the build instead, so this renders as nothing.
    """

    has_content = True
    option_spec: ClassVar = {"class": directives.class_option}

    def run(self):
        return []


def _set_language_dependent_values(app, config) -> None:
    if config.language not in LANGUAGES:
        raise ValueError(
            f"language must be one of {sorted(LANGUAGES)}, got {config.language!r}"
        )
    _, title, (show, hide) = LANGUAGES[config.language]
    config.html_title = title
    config.nb_code_prompt_show = show
    config.nb_code_prompt_hide = hide
    config.html_context = {**config.html_context, "current_language": config.language}


def setup(app):
    app.add_directive("output", StatedOutput)
    app.connect("config-inited", _set_language_dependent_values)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
