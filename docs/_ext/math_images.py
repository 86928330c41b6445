"""The EPUB's formulas, rendered on every core, once for all languages.

A Sphinx extension, for builds with ``sphinx.ext.imgmath``. imgmath runs LaTeX
and dvisvgm once per formula, one after the other, while it writes the pages,
and again for each language, though the formulas are the same (they are
ASCII). Before the pages are written, this renders every formula the
builder's output lacks, several at a time, with imgmath's own
``render_math``; a formula that another language's build rendered is copied
from the store they share, ``<outdir>/../../.imgmath``. imgmath then finds
every image in place. An image is named by the hash of the whole LaTeX
document imgmath writes for it, so a shared image is the one imgmath would
have made. A formula that fails is left to imgmath, which reports it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from hashlib import sha1
from pathlib import Path
from types import SimpleNamespace

from docutils import nodes
from rebuild import exclusive


def _store(app) -> Path:
    return Path(app.outdir).parent.parent / ".imgmath"


def _formulas(env) -> set[str]:
    """The LaTeX that imgmath's visitors render, for every formula of the book."""
    from sphinx.util.math import wrap_displaymath

    formulas = set()
    for docname in env.found_docs:
        doctree = env.get_doctree(docname)
        for node in doctree.findall(nodes.math):
            formulas.add("$" + node.astext() + "$")  # as html_visit_math
        for node in doctree.findall(nodes.math_block):  # as html_visit_displaymath
            if node.get("no-wrap", node.get("nowrap", False)):
                formulas.add(node.astext())
            else:
                formulas.add(wrap_displaymath(node.astext(), None, False))
    return formulas


def _copy(source: Path, target: Path) -> None:
    """Copy atomically: a build reading ``target`` never sees half a file."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
    os.close(handle)
    shutil.copyfile(source, temporary)
    os.replace(temporary, target)


def render_ahead(app, env) -> None:
    """Render the formulas the output lacks, in parallel, before imgmath writes."""
    if "sphinx.ext.imgmath" not in app.extensions or app.builder.format != "html":
        return
    image_format = app.config.imgmath_image_format.lower()
    output = Path(app.outdir) / app.builder.imagedir / "math"
    store = _store(app)
    output.mkdir(parents=True, exist_ok=True)
    store.mkdir(parents=True, exist_ok=True)
    # One build renders at a time; one that waited copies what it rendered.
    with exclusive(store / ".lock"):
        _render_missing(app, image_format, output, store)


def _render_missing(app, image_format: str, output: Path, store: Path) -> None:
    from sphinx.ext.imgmath import MathExtError, generate_latex_macro, render_math

    missing = []
    for latex in _formulas(app.env):
        document = generate_latex_macro(
            image_format, latex, app.config, app.builder.confdir
        )
        name = f"{sha1(document.encode(), usedforsecurity=False).hexdigest()}"
        name += f".{image_format}"
        if (output / name).is_file():
            continue
        if (store / name).is_file():
            _copy(store / name, output / name)
        else:
            missing.append((latex, name))
    translator = SimpleNamespace(builder=app.builder)

    def render(latex: str, name: str) -> None:
        try:
            path, _ = render_math(translator, latex, config=app.config)
        except MathExtError:
            return  # imgmath renders it again when it writes, and reports it
        if path is not None:
            _copy(Path(path), store / name)

    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        for _ in pool.map(lambda job: render(*job), missing):
            pass


def setup(app):
    app.connect("env-updated", render_ahead)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
