"""Helpers shared by the browser tests: the site on disk and what a page did.

The fixtures (server, Chromium, contexts) are in ``conftest.py``; the checks
are in the ``test_*.py`` files next to it.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Error,
    Locator,
    Page,
    Request,
    Response,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parents[2]

#: The languages of the book: directory of the built site -> ``<html lang>``.
LANGUAGES = {"en": "en", "zh_CN": "zh-CN", "ru": "ru"}

#: The first lesson: the search must find it, and the copy and dark-mode
#: checks use it as their example lesson.
LESSON = "tensors.html"

#: The window of a desktop browser, where the primary sidebar is shown.
DESKTOP = {"width": 1280, "height": 900}

#: Every URL that is not served by the test server (data: and blob: are local).
OUTSIDE = re.compile(r"^(?!(?:data|blob|about):|https?://127\.0\.0\.1(?::\d+)?/)")


def site_dir() -> Path:
    """The built site: ``$TORCHPRIMER_SITE``, or ``docs/_build/html``."""
    default = ROOT / "docs" / "_build" / "html"
    return Path(os.environ.get("TORCHPRIMER_SITE") or default).resolve()


def new_context(browser: Browser, server: str, **options) -> BrowserContext:
    """A fresh browser context on the site: desktop window unless ``options`` say.

    Requests that would leave 127.0.0.1 are blocked (and logged by
    :class:`PageLog`), so no test waits on a network that is not there.
    """
    options = {"viewport": DESKTOP, "base_url": f"{server}/", **options}
    context = browser.new_context(**options)
    context.set_default_timeout(15_000)
    context.route(OUTSIDE, lambda route: route.abort("blockedbyclient"))
    return context


def book_pages(site: Path) -> list[str]:
    """Every page of every language, as paths like ``zh_CN/tensors.html``."""
    return [
        f"{language}/{page.name}"
        for language in LANGUAGES
        for page in sorted((site / language).glob("*.html"))
    ]


def is_outside(url: str) -> bool:
    """Whether a request for ``url`` leaves 127.0.0.1."""
    return bool(OUTSIDE.match(url))


def _by(request: Request) -> str:
    """Which file asked for ``request``, when it was not the page itself."""
    if request.is_navigation_request():
        return ""
    referer = request.headers.get("referer")
    try:
        page_url = request.frame.url
    except Error:  # a service worker's request has no frame
        page_url = None
    return f", asked for by {referer}" if referer and referer != page_url else ""


@dataclass
class PageLog:
    """What a page did while it was open: requests, failures, console errors."""

    outside: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: Not logging: a test tool runs in the page (axe-core fetches the
    #: stylesheets again, resolving their @imports against the page's URL).
    paused: bool = False

    def watch(self, page: Page) -> None:
        page.on("request", self._request)
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)
        page.on("console", self._console)
        page.on("pageerror", self._page_error)

    @contextmanager
    def pause(self) -> Iterator[None]:
        """Do not log what happens in the ``with`` block."""
        self.paused = True
        try:
            yield
        finally:
            self.paused = False

    def _request(self, request: Request) -> None:
        if not self.paused and is_outside(request.url):
            self.outside.append(f"{request.url}{_by(request)}")

    def _request_failed(self, request: Request) -> None:
        # requests outside 127.0.0.1 are blocked, and listed already
        if not self.paused and not is_outside(request.url):
            self.failed.append(f"{request.url} ({request.failure}){_by(request)}")

    def _response(self, response: Response) -> None:
        if not self.paused and response.status >= 400:
            failure = f"HTTP {response.status}"
            self.failed.append(f"{response.url} ({failure}){_by(response.request)}")

    def _console(self, message: ConsoleMessage) -> None:
        if not self.paused and message.type == "error":
            where = message.location.get("url") or "?"
            self.errors.append(f"{message.text} [{where}]")

    def _page_error(self, error: Error) -> None:
        if not self.paused:
            frames = [line.strip() for line in (error.stack or "").splitlines()]
            where = next((f" [{f}]" for f in frames if f.startswith("at ")), "")
            self.errors.append(f"uncaught {error.name}: {error.message}{where}")


def open_page(
    context: BrowserContext, path: str, *, math: bool = True
) -> tuple[Page, PageLog]:
    """Open ``path`` of the site in a new tab, with a log of what it does.

    Returns once the page has loaded and MathJax has typeset it, or, without
    ``math``, as soon as the server answers: enough to follow a link, as
    playwright waits for the link to be there.
    """
    page = context.new_page()
    log = PageLog()
    log.watch(page)
    page.goto(path, wait_until="load" if math else "commit")
    if math:
        wait_for_math(page)
    return page, log


def wait_for_math(page: Page) -> None:
    """Wait until MathJax has typeset the page, if the page has math.

    A page whose MathJax never starts is left as it is: the math check then
    reports its formulas as not rendered.
    """
    if not page.locator(".math").count():
        return
    try:
        page.wait_for_function(
            "() => !!(window.MathJax && MathJax.startup && MathJax.startup.promise)",
            timeout=10_000,
        )
    except PlaywrightTimeoutError:
        return
    page.evaluate("() => MathJax.startup.promise.then(() => true)")


def link_targets(scope: Page | Locator) -> list[tuple[str, str]]:
    """The links in ``scope``: (href as written, path it leads to)."""
    links = scope.locator("a[href]").evaluate_all(
        "links => links.map(a => [a.getAttribute('href'), a.href])"
    )
    return [(href, urlsplit(url).path) for href, url in links]


def follow_link(page: Page, link: Locator, expected: str, html_lang: str) -> list[str]:
    """Click ``link``: what is wrong if it does not lead to ``expected``.

    ``expected`` is a URL, whose page must answer and have ``<html lang>``
    ``html_lang``. Returns as soon as that is known, before the page loads.
    """
    try:
        with page.expect_navigation(wait_until="commit") as navigation:
            link.click()
    except Error as error:
        return [f"following the link fails: {error.message.splitlines()[0]}"]
    response = navigation.value
    if page.url != expected:
        return [f"leads to {page.url}, not {expected}"]
    if response is None or not response.ok:
        return [f"{expected} answers HTTP {response and response.status}"]
    lang = page.locator("html").get_attribute("lang")
    if lang != html_lang:
        return [f"{expected} has <html lang={lang!r}>, not {html_lang!r}"]
    return []


#: Wait for the CSS transitions and animations that end (2 s at most).
_ANIMATIONS_DONE = """() => Promise.race([
  Promise.all(document.getAnimations()
    .filter((a) => a.effect && a.effect.getComputedTiming().iterations !== Infinity)
    .map((a) => a.finished.catch(() => null))),
  new Promise((resolve) => setTimeout(resolve, 2000)),
])"""


@functools.cache
def _axe_source() -> str:
    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def axe_problems(page: Page) -> list[str]:
    """What axe-core finds serious or critical on the page, a few elements each.

    axe-core is the ``axe.min.js`` that ``axe-playwright-python`` ships; it runs
    in the page, on the whole document.
    """
    # colours measured halfway through a transition (the theme sets its dark
    # colours after loading) are no colours a reader sees
    page.evaluate(_ANIMATIONS_DONE)
    page.add_script_tag(content=_axe_source())
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']}))"
        ".violations"
    )
    problems = []
    for violation in violations:
        if violation["impact"] not in ("serious", "critical"):
            continue
        nodes = violation["nodes"]
        problems.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}, "
            f"{len(nodes)} element(s), e.g."
        )
        for node in nodes[:3]:
            target = " ".join(map(str, node["target"]))
            summary = node.get("failureSummary", "").splitlines()[1:2]
            problems.append(f"    {target}: {node['html'][:150]}")
            problems.extend(f"      {line.strip()[:150]}" for line in summary)
    return problems
