"""Fixtures of the browser tests: the built site, served on 127.0.0.1, and Chromium.

The site is ``$TORCHPRIMER_SITE`` or ``docs/_build/html`` (``python3 noxfile.py
-s docs`` builds it). Chromium is Debian's ``/usr/bin/chromium``, or
``$CHROMIUM``; playwright drives it, and never downloads a browser of its own.

The pages are found on disk when the tests are collected, so a new page is
checked without a change here. A test asks for them by argument name (in a
test class with a ``language`` attribute, only the pages of that language):

``page_path``
    every page of every language and the landing page (``index.html``);
``book_page``
    every page of every language, e.g. ``zh_CN/tensors.html``;
``solution_page``
    every page that hides exercise solutions, in some language;
``prompt_page``
    every page with a ``>>>`` example;
``language``
    each language directory: ``en``, ``zh_CN``, ``ru``.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, sync_playwright

from tests.browser import LANGUAGES, book_pages, new_context, site_dir

CHROMIUM = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
#: Without the networking switches Chromium calls Google, and is refused.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_configure(config: pytest.Config) -> None:
    site = site_dir()
    if not (site / "index.html").is_file():
        raise pytest.UsageError(
            f"no built site at {site} (no index.html): build it with "
            "`python3 noxfile.py -s docs`, or point TORCHPRIMER_SITE at one"
        )
    if not shutil.which(CHROMIUM):
        raise pytest.UsageError(
            f"no Chromium at {CHROMIUM}: install Debian's chromium, or point "
            "CHROMIUM at a Chromium executable (never `playwright install`)"
        )


@functools.cache
def _html(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _pages_where(site: Path, needle: str) -> list[str]:
    """Book pages that contain ``needle`` in some language (all their versions)."""
    pages = book_pages(site)
    names = {p.split("/")[1] for p in pages if needle in _html(site / p)}
    return [p for p in pages if p.split("/")[1] in names]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    site = site_dir()
    pages = {
        "page_path": lambda: ["index.html", *book_pages(site)],
        "book_page": lambda: book_pages(site),
        # myst-nb marks a cell tagged hide-input / hide-cell with tag_hide-...
        "solution_page": lambda: _pages_where(site, "tag_hide-"),
        "prompt_page": lambda: _pages_where(site, '<span class="gp">&gt;&gt;&gt;'),
        "language": lambda: list(LANGUAGES),
    }
    # A test class with a ``language`` checks the pages of that language only
    # (the landing page goes with English).
    language = getattr(metafunc.cls, "language", None)
    for name, values in pages.items():
        if name not in metafunc.fixturenames:
            continue
        found = values()
        if language and name != "language":
            found = [
                page
                for page in found
                if page.startswith(f"{language}/")
                or (language == "en" and "/" not in page)
            ]
        metafunc.parametrize(name, found)


@pytest.fixture(scope="session")
def site() -> Path:
    """The directory of the built site."""
    return site_dir()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Chromium drops the connections it no longer needs: not a problem.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """The site served on 127.0.0.1, at an unused port: its URL, no final ``/``."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    with _Server(("127.0.0.1", 0), handler) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
        httpd.shutdown()
        thread.join()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for all the tests of this worker."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def make_context(browser: Browser, server: str) -> Iterator:
    """Make fresh browser contexts (``viewport=...`` etc.), closed after the test."""
    contexts: list[BrowserContext] = []

    def make(**options) -> BrowserContext:
        contexts.append(new_context(browser, server, **options))
        return contexts[-1]

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def context(make_context) -> BrowserContext:
    """A fresh browser context with a desktop window (1280 x 900)."""
    return make_context()
