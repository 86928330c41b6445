"""The EPUB of each language, opened as an e-book reader opens it.

A reader unzips the EPUB, follows ``META-INF/container.xml`` to the package
document and shows the documents of its spine, in order, with a web engine
that runs no script. Here Chromium does that, from the files of the EPUB each
index links (``_downloads/torchprimer-<lang>.epub``), with JavaScript off:

- the index of the web edition links the EPUB, and the server gives it;
- the spine lists every lesson of the web edition, in the same order;
- each document declares the book's language and loads without a failed
  request; every image (figures, and the formulas, which are SVG images in
  the EPUB) is drawn, with a size; no raw TeX is left in the text;
- each document that has formulas on the web page has them as images.

``nox -s docs`` validates the EPUBs with epubcheck; this checks what a reader
sees in them.
"""

from __future__ import annotations

import re
import urllib.request
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from playwright.sync_api import Browser

from tests.browser import LANGUAGES

NAMESPACES = {
    "container": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
}

#: TeX that MathJax or imgmath should have turned into a formula.
RAW_TEX = re.compile(r"\\(?:frac|partial|sum|mathbf|text|begin)\b|\$\$")


def _spine(book: Path) -> list[Path]:
    """The documents of the EPUB unpacked at ``book``, in reading order."""
    container = ElementTree.parse(book / "META-INF" / "container.xml")
    rootfile = container.find(".//container:rootfile", NAMESPACES)
    opf = book / rootfile.get("full-path")
    package = ElementTree.parse(opf)
    manifest = {
        item.get("id"): item.get("href")
        for item in package.iterfind(".//opf:manifest/opf:item", NAMESPACES)
    }
    return [
        opf.parent / manifest[itemref.get("idref")]
        for itemref in package.iterfind(".//opf:spine/opf:itemref", NAMESPACES)
    ]


@pytest.fixture
def unpacked(language: str, server: str, site: Path, tmp_path: Path) -> Path:
    """The EPUB that the index of ``language`` links, downloaded and unzipped."""
    name = f"torchprimer-{language}.epub"
    index = (site / language / "index.html").read_text(encoding="utf-8")
    assert f'href="_downloads/{name}"' in index, (
        f"{language}/index.html links no {name}"
    )
    with urllib.request.urlopen(f"{server}/{language}/_downloads/{name}") as response:
        (tmp_path / name).write_bytes(response.read())
    with zipfile.ZipFile(tmp_path / name) as epub:
        assert epub.namelist()[0] == "mimetype"
        assert epub.read("mimetype") == b"application/epub+zip"
        epub.extractall(tmp_path / "book")
    return tmp_path / "book"


def test_the_epub_reads_like_the_web_edition(
    language: str, unpacked: Path, site: Path, browser: Browser
):
    documents = _spine(unpacked)
    names = [document.stem for document in documents]
    lessons = [
        path.stem
        for path in sorted((site / language).glob("*.html"))
        if path.stem not in {"genindex", "search", "py-modindex"}
    ]
    assert sorted(names) == sorted(lessons)
    assert names[0] == "index"

    context = browser.new_context(java_script_enabled=False)
    problems: list[str] = []
    try:
        for document in documents:
            page = context.new_page()
            failed: list[str] = []
            page.on(
                "requestfailed",
                lambda request, failed=failed: failed.append(request.url),
            )
            page.goto(document.as_uri())
            page.wait_for_load_state("load")
            lang = page.locator("html").get_attribute("lang")
            if lang != LANGUAGES[language]:
                problems.append(f"{document.name}: lang={lang!r}")
            problems += [f"{document.name}: failed {url}" for url in failed]
            broken = page.eval_on_selector_all(
                "img",
                "images => images.filter(i => !i.complete || i.naturalWidth === 0)"
                ".map(i => i.getAttribute('src'))",
            )
            problems += [f"{document.name}: image not drawn: {src}" for src in broken]
            text = page.evaluate(
                """() => {
                    const body = document.body.cloneNode(true);
                    body.querySelectorAll("pre, code").forEach(e => e.remove());
                    return body.textContent;
                }"""
            )  # the prose: code may hold TeX (a plot's label)
            if RAW_TEX.search(text):
                problems.append(f"{document.name}: raw TeX: {RAW_TEX.search(text)[0]}")
            web = (site / language / f"{document.stem}.html").read_text(
                encoding="utf-8"
            )
            formulas = page.locator("img.math").count()
            if 'class="math' in web and formulas == 0:
                problems.append(f"{document.name}: formulas on the web page, none here")
            page.close()
    finally:
        context.close()
    assert not problems, "\n".join(problems)
