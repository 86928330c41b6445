"""What this book adds to Sphinx, myst-nb and sphinx-book-theme.

- ``{output}``: the output a page states for a cell (checked by ``pytest``).
- The interface in the page's language: our catalogs in ``docs/_locales``
  amend the themes' and the search page's.
- Chinese search that works on Sphinx 9.0.
- Exercise solutions folded behind a valid, labelled ``<summary>``.
- Each language's executed notebooks, offered for download on its pages, one
  zip of them all, and the ``torchprimer`` wheel the pages were built with.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path
from typing import ClassVar

import nbformat
import sphinx
from docutils.parsers.rst import Directive, directives
from markupsafe import escape
from notebook_export import for_jupyter
from rebuild import book_cache
from sphinx.locale import admonitionlabels
from sphinx.util import logging

DOCS = Path(__file__).resolve().parent.parent
LOCALES = DOCS / "_locales"
#: Where ``nox -s docs`` puts the wheel it builds before the book.
DIST = DOCS / "_build" / "dist"
#: Each language's executed notebooks (myst-nb's ``output_folder``).
#: Under each language's site: the notebooks, their zip and the wheel.
DOWNLOADS = "_downloads"

logger = logging.getLogger(__name__)


class StatedOutput(Directive):
    """``{output}``: the output a page states for the code cell above it.

    ``pytest`` (Sybil) checks it against what the code prints; the HTML shows
    the output computed by the build instead, so this renders as nothing.
    """

    has_content = True
    option_spec: ClassVar = {"class": directives.class_option}

    def run(self):
        return []


def _read_catalog(path: Path) -> dict:
    """The translations of a ``.po`` file, keyed as ``gettext`` keys them.

    A plural message gives one entry per form, ``(singular, index)``.
    """
    from babel.messages.pofile import read_po

    with path.open("rb") as file:
        catalog = read_po(file)
    messages = {}
    for message in catalog:
        if not message.id or not message.string:
            continue
        if message.pluralizable:
            for index, form in enumerate(message.string):
                messages[message.id[0], index] = form
        else:
            messages[message.id] = message.string
    return messages


def _add_translations(app) -> None:
    """Put our catalogs (docs/_locales) in front of Sphinx's and the themes'.

    Some interface strings are left in English by the themes' catalogs, a few
    read unnaturally. Each ``<catalog>.po`` here amends the catalog of that
    name (``sphinx``, ``booktheme``) for the page's language.
    """
    from sphinx.locale import translators

    for path in sorted((LOCALES / app.config.language / "LC_MESSAGES").glob("*.po")):
        translator = translators.get(("general", path.stem))
        if translator is None and path.stem != "sphinx" and app.builder.name != "html":
            continue  # the EPUB has no sphinx-book-theme, so no booktheme catalog
        if translator is None or not hasattr(translator, "_catalog"):
            raise RuntimeError(f"no {path.stem!r} catalog to amend with {path}")
        translator._catalog.update(_read_catalog(path))


def _translate_search_page(app, exception) -> None:
    """Amend ``translations.js``, the strings of the search page, likewise."""
    po = LOCALES / app.config.language / "LC_MESSAGES" / "sphinx.po"
    js = Path(app.outdir) / "_static" / "translations.js"
    if exception is not None or app.builder.format != "html" or not po.is_file():
        return
    text = js.read_text(encoding="utf-8")
    start, end = text.index("{"), text.rindex("}") + 1
    catalog = json.loads(text[start:end])
    for key, value in _read_catalog(po).items():
        if isinstance(key, tuple):
            singular, index = key
            forms = catalog["messages"].get(singular)
            if not isinstance(forms, list):
                forms = catalog["messages"][singular] = []
            forms[index : index + 1] = [value]
        else:
            catalog["messages"][key] = value
    js.write_text(text[:start] + json.dumps(catalog, indent=4) + text[end:], "utf-8")


if sphinx.version_info < (9, 2):
    from sphinx.search.zh import SearchChinese

    class _SearchChinese(SearchChinese):
        """Chinese search with the stemmer it really ships.

        Sphinx 9.0 writes ``window.Stemmer = ChineseStemmer`` into the search
        page, but Chinese search uses the English stemmer, so the page dies
        with a ReferenceError (sphinx-doc/sphinx#14229, fixed in Sphinx 9.2,
        which needs Python 3.12). The class name is made from language_name.
        """

        language_name = "English"


def _hide_cell_summary(self, node) -> None:
    """Open a hidden cell (an exercise's solution) with a valid, labelled summary.

    myst-nb writes ``<p>`` elements inside ``<summary>`` (invalid HTML) and an
    English ``aria-label`` that differs from the visible text. The label shown
    is the accessible name here.
    """
    classes = " ".join(node["classes"])
    show, hide = escape(node["prompt_show"]), escape(node["prompt_hide"])
    self.body.append(
        f'<details class="admonition hide {classes}">\n<summary>'
        f'<span class="collapsed admonition-title">{show}</span>'
        f'<span class="expanded admonition-title">{hide}</span></summary>\n'
    )


def _hide_cell_end(self, node) -> None:
    self.body.append("</details>\n")


def _executed_folder(app) -> Path:
    """Where this language's executed notebooks go: ``<outdir>/../../jupyter_execute/<lang>``.

    For ``docs/_build/html/en`` that is ``docs/_build/jupyter_execute/en``; a
    build into another folder keeps its notebooks beside it.
    """
    return Path(app.outdir).parent.parent / "jupyter_execute" / app.config.language


def _notebooks_per_language(app) -> None:
    """Give each language its own folder of executed notebooks.

    myst-nb writes them to ``<outdir>/../jupyter_execute``, which the three
    language builds (``html/en``, ``html/zh_CN``, ``html/ru``) share: the
    last build would win.
    """
    folder = _executed_folder(app)
    app.env.mystnb_config = app.env.mystnb_config.copy(output_folder=str(folder))


def _lesson_notebook(app, pagename: str) -> Path | None:
    """The notebook myst-nb made of a page, if the page is a lesson (has code)."""
    path = _executed_folder(app) / f"{pagename}.ipynb"
    if not path.is_file():
        return None
    notebook = nbformat.read(path, as_version=4)
    if not any(cell.cell_type == "code" for cell in notebook.cells):
        return None
    return path


def _executed(app, path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path`` with the outputs the build showed.

    myst-nb writes a page's notebook without the outputs it took from the
    execution cache; the cache gives them back (the page would not have built
    without them).
    """
    cache = book_cache(app)
    _, notebook = cache.merge_match_into_notebook(nbformat.read(path, as_version=4))
    return notebook


def _lessons(app) -> set[str]:
    """The pages of this language that have a notebook."""
    if not hasattr(app.builder, "torchprimer_lessons"):
        app.builder.torchprimer_lessons = {
            name for name in app.env.found_docs if _lesson_notebook(app, name)
        }
    return app.builder.torchprimer_lessons


def _offer_notebook(app, pagename, templatename, context, doctree) -> None:
    """The page's download button offers its notebook (``.ipynb``).

    sphinx-book-theme adds the entry when ``ipynb_source`` is set, linking
    ``_sources/<ipynb_source>``, where :func:`_add_downloads` writes it.
    """
    if pagename in _lessons(app):
        context["ipynb_source"] = f"{pagename}.ipynb"


def _add_downloads(app, exception) -> None:
    """Write the notebooks, their zip and the wheel into the site.

    Each lesson's executed notebook, rewritten for plain Jupyter (module
    :mod:`notebook_export`), goes to ``_sources/<page>.ipynb``; all of them to
    ``_downloads/torchprimer-notebooks-<language>.zip``; the wheel and the
    EPUB that ``nox -s docs`` built before, to ``_downloads/``. All are written anew at every
    build, whichever pages Sphinx rewrote.
    """
    if exception is not None or app.builder.name != "html":
        return
    outdir = Path(app.outdir)
    (outdir / DOWNLOADS).mkdir(exist_ok=True)
    archive = outdir / DOWNLOADS / f"torchprimer-notebooks-{app.config.language}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zip_file:
        for name in sorted(_lessons(app)):
            readable = for_jupyter(
                _executed(app, _lesson_notebook(app, name)),
                source=Path(app.env.doc2path(name)),
                notebooks=_lessons(app),
                note=str(admonitionlabels["note"]),
            )
            target = outdir / "_sources" / f"{name}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(readable, target)
            zip_file.write(target, f"torchprimer-notebooks/{name}.ipynb")
    wheels = sorted(DIST.glob("torchprimer-*.whl"))
    if len(wheels) != 1:
        logger.warning(
            "expected one torchprimer wheel in %s (nox -s docs builds it), found %s",
            DIST,
            [wheel.name for wheel in wheels],
        )
    for wheel in wheels:
        shutil.copyfile(wheel, outdir / DOWNLOADS / wheel.name)
    epub = _epub(app)
    if epub.is_file():
        shutil.copyfile(epub, outdir / DOWNLOADS / epub.name)
    else:
        logger.warning("no EPUB at %s (nox -s docs builds it first)", epub)


def _epub(app) -> Path:
    """The EPUB of this language: ``<outdir>/../../epub/<lang>/torchprimer-<lang>.epub``.

    For ``docs/_build/html/en`` that is ``docs/_build/epub/en/torchprimer-en.epub``.
    """
    language = app.config.language
    return (
        Path(app.outdir).parent.parent
        / "epub"
        / language
        / f"torchprimer-{language}.epub"
    )


def _epub_page(app, pagename, templatename, context, doctree) -> None:
    """Each page of the EPUB declares its language and skips myst-nb's stylesheet.

    Sphinx's EPUB pages have no ``lang`` (readers choose fonts by it). myst-nb's
    stylesheet would be missing (it is copied at ``build-finished``, after the
    EPUB is packed), and it uses CSS that EPUB 3 does not allow (``:is()``).
    """
    if app.builder.name == "epub":
        lang = app.config.epub_language
        context["html_tag"] = (
            '<html xmlns="http://www.w3.org/1999/xhtml" '
            f'xmlns:epub="http://www.idpf.org/2007/ops" lang="{lang}" xml:lang="{lang}">'
        )
        context["css_files"] = [
            css for css in context["css_files"] if "mystnb." not in str(css.filename)
        ]


def _epub_without_mystnb_css(app):
    """Keep myst-nb's stylesheet, copied there by the previous build, out of the EPUB."""
    if app.builder.name == "epub":
        for css in (Path(app.outdir) / "_static").glob("mystnb.*.css"):
            css.unlink()
    return []


def setup(app):
    from myst_nb.sphinx_ import HideCodeCellNode

    app.add_directive("output", StatedOutput)
    app.connect("builder-inited", _add_translations)
    app.connect("builder-inited", _notebooks_per_language, priority=900)
    # Before sphinx-book-theme builds its download button (priority 501).
    app.connect("html-page-context", _offer_notebook, priority=400)
    app.connect("build-finished", _translate_search_page)
    app.connect("build-finished", _add_downloads)
    app.connect("html-page-context", _epub_page)
    app.connect("html-collect-pages", _epub_without_mystnb_css)
    app.add_node(
        HideCodeCellNode, override=True, html=(_hide_cell_summary, _hide_cell_end)
    )
    if sphinx.version_info < (9, 2):
        app.add_search_language(_SearchChinese)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
