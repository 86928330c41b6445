"""Sphinx configuration for every language of the torchprimer book.

One file serves all trees: ``sphinx-build -c . -D language=<lang> docs/<lang> ...``
(``noxfile.py`` runs it for each language). What depends on the language, the
titles and the labels of the language switcher, is set from ``language`` once
the configuration is read.
"""

from __future__ import annotations

import importlib.metadata
import os
import sys
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

from rebuild import stack_key  # docs/_ext, on the path from here

project = "torchprimer"
release = version = importlib.metadata.version("torchprimer")
language = "en"


class Language(NamedTuple):
    """What the book says differently in each language."""

    name: str  #: the language's name in itself, for the switcher
    title: str  #: the book's title
    authors: str  #: who wrote it, in the copyright line
    solution: tuple[str, str]  #: the labels that show and hide a solution


#: Every language of the book. The rest of the interface is translated by the
#: themes' catalogs and by ours in docs/_locales (see docs/_ext/book.py).
LANGUAGES = {
    "en": Language(
        "English",
        "torchprimer: PyTorch from zero",
        "the torchprimer authors",
        ("Show the solution", "Hide the solution"),
    ),
    "zh_CN": Language(
        "简体中文",
        "torchprimer：从零开始学 PyTorch",
        "torchprimer 作者",
        ("显示答案", "隐藏答案"),
    ),
    "ru": Language(
        "Русский",
        "torchprimer: PyTorch с нуля",
        "авторы torchprimer",
        ("Показать решение", "Скрыть решение"),
    ),
}

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    # E-book readers run no JavaScript: the EPUB (``-t epub``) gets its formulas
    # as SVG images made by LaTeX and dvisvgm; the web pages use MathJax.
    "sphinx.ext.imgmath" if tags.has("epub") else "sphinx.ext.mathjax",  # noqa: F821
    "sphinx_copybutton",
    "book",  # docs/_ext/book.py: what this book adds to Sphinx and its themes
    "rebuild",  # docs/_ext/rebuild.py: what the build executes, and when
    "math_images",  # docs/_ext/math_images.py: the EPUB's formulas, in parallel
]

templates_path = [str(ROOT / "docs" / "_templates")]
html_static_path = [str(ROOT / "docs" / "_static")]
html_css_files = ["torchprimer.css"]
html_js_files = ["search-snippets.js"]
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

html_theme = "sphinx_book_theme"
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": True,
    "use_fullscreen_button": True,
    # No Read the Docs ads, no author line: the copyright line names them.
    "primary_sidebar_end": [],
    # Search sits in the sidebar and the article's header: no page-wide bar.
    "navbar_persistent": [],
    "footer_content_items": ["copyright.html"],
    "pygments_light_style": "a11y-high-contrast-light",
    "pygments_dark_style": "a11y-high-contrast-dark",
}
html_favicon = str(ROOT / "docs" / "_static" / "favicon.svg")
html_sidebars = {
    "**": [
        "navbar-logo.html",
        "language-switcher.html",
        "search-button-field.html",
        "sbt-sidebar-nav.html",
    ]
}
html_context = {
    "languages": [(code, language.name) for code, language in LANGUAGES.items()],
    # pydata-sphinx-theme's colour mode until the reader picks one.
    "default_mode": "auto",
}
html_last_updated_fmt = None
html_show_sourcelink = False

autodoc_member_order = "bysource"
# Do not copy torch's docstrings (e.g. nn.Module.forward) into ours.
autodoc_inherit_docstrings = False
autodoc_typehints = "signature"
# Defaults as written in the source (`= sigmoid`, not `= <function sigmoid at 0x...>`,
# which Sphinx cannot parse, and then prints the signature raw).
autodoc_preserve_defaults = True
napoleon_google_docstring = True
napoleon_numpy_docstring = False

# Copy buttons copy the code only: no ``>>>``/``...`` prompts (.gp), no
# doctest output (.go), and output blocks get no button.
# (Double quotes inside: copybutton.js puts the selector in a '...' string.)
copybutton_selector = 'div[class*="highlight-"]:not(.output) pre'
copybutton_exclude = ".linenos, .gp, .go"

# MathJax is vendored (docs/_static/mathjax) so formulas render offline too.
mathjax_path = "mathjax/tex-svg.js"

imgmath_image_format = "svg"
imgmath_use_preview = True  # align inline formulas on the text's baseline
imgmath_font_size = 12

# The EPUB of each language (``nox -s docs``; linked from each index).
epub_show_urls = "no"
epub_use_index = False
epub_exclude_files = ["search.html", ".buildinfo.bak"]
epub_tocdepth = 2
if tags.has("epub"):  # noqa: F821
    # None of the web pages' static files (MathJax would be dead weight): the
    # EPUB theme's CSS and a few rules of ours (docs/_epub).
    html_static_path = [str(ROOT / "docs" / "_epub")]
    html_css_files = ["torchprimer-epub.css"]
    html_js_files = []
    html_domain_indices = False
    # docs/_tex: what imgmath's LaTeX template needs beyond Debian's
    # texlive-latex-base and -recommended (see the file there).
    os.environ["TEXINPUTS"] = f"{ROOT / 'docs' / '_tex'}{os.pathsep}"

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
# ... and imports torchprimer from this tree, whatever the environment has
# installed: the code it runs is the code the cache keys hash.
os.environ["PYTHONPATH"] = os.pathsep.join(
    filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])
)

# What a page's cached outputs depend on (docs/_ext/rebuild.py): the stack
# keys the directory, one cache for all languages (the trees have the same
# code cells, so zh_CN and ru reuse what en executed); each page's code cells
# and the torchprimer code they run key its record.
nb_execution_cache_path = str(
    ROOT / "docs" / "_build" / ".jupyter_cache" / stack_key(IPYTHON_DIR)
)
torchprimer_package = str(ROOT / "src" / "torchprimer")


def _set_language_dependent_values(app, config) -> None:
    if config.language not in LANGUAGES:
        raise ValueError(
            f"language must be one of {sorted(LANGUAGES)}, got {config.language!r}"
        )
    language = LANGUAGES[config.language]
    config.html_title = language.title
    config.author = language.authors
    config.copyright = f"2026, {language.authors}"
    config.nb_code_prompt_show, config.nb_code_prompt_hide = language.solution
    config.epub_basename = f"torchprimer-{config.language}"
    config.epub_title = language.title
    config.epub_author = config.epub_publisher = language.authors
    config.epub_copyright = config.copyright
    # A BCP 47 tag (zh-CN), as EPUB requires, not gettext's zh_CN.
    config.epub_language = config.language.replace("_", "-")
    # The NCX repeats the uid where EPUB wants the identifier: keep them equal.
    config.epub_uid = config.epub_identifier = (
        f"torchprimer-{config.language}-{config.release}"
    )
    config.epub_description = language.title
    config.epub_contributor = language.authors
    config.html_context = {**config.html_context, "current_language": config.language}


def setup(app):
    app.connect("config-inited", _set_language_dependent_values)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
