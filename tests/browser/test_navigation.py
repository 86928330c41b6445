"""Getting around: the landing page and the search.

- The landing page (``/index.html``) has a ``<main>`` and leads to the home
  page of each language.
- In each language, the search for a word of that language finishes within
  60 s, lists the first lesson, and says how many pages it found.

The language switcher of every page is checked with the page's other checks
(``test_pages.py``).

Run with ``python3 noxfile.py -s browser``, or ``pytest tests/browser`` with
``TORCHPRIMER_SITE`` set to a built site.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser import LANGUAGES, LESSON, follow_link, link_targets, open_page

#: A word of each language that the first lesson is about.
SEARCH_TERMS = {"en": "tensor", "zh_CN": "张量", "ru": "тензоры"}

#: Sphinx's searchtools.js has shown every result and its summary.
_SEARCH_DONE = (
    "() => typeof Search !== 'undefined' && !!Search.title"
    " && Search._pulse_status === -1"
)


def _finishes(page, condition: str, timeout: float) -> bool:
    """Whether the JavaScript ``condition`` holds within ``timeout`` ms."""
    try:
        page.wait_for_function(condition, timeout=timeout)
    except PlaywrightTimeoutError:
        return False
    return True


def test_landing_page_leads_to_each_language(context, server):
    page, _ = open_page(context, "index.html")
    problems = []
    if not page.locator("main").count():
        problems.append("there is no <main> element")
    links = link_targets(page)
    for language, html_lang in LANGUAGES.items():
        homes = (f"/{language}/", f"/{language}/index.html")
        hrefs = [href for href, path in links if path in homes]
        if not hrefs:
            problems.append(f"no link to {language}/index.html")
            continue
        if page.url != f"{server}/index.html":
            page.goto("index.html", wait_until="commit")
        link = page.locator(f'a[href="{hrefs[0]}"]').first
        expected = f"{server}/{language}/index.html"
        problems += [
            f"{language}: {p}" for p in follow_link(page, link, expected, html_lang)
        ]
    assert not problems, "the landing page index.html:\n  " + "\n  ".join(problems)


def test_search_finds_the_first_lesson(context, language):
    term = SEARCH_TERMS[language]
    page, log = open_page(context, f"{language}/search.html?q={quote(term)}")
    # Generous: the search fetches every result page for its snippet, and a
    # loaded CI machine has taken over 15 s for the 13 pages of zh_CN.
    if not _finishes(page, _SEARCH_DONE, 60_000):
        errors = "".join(f"\n  {error}" for error in log.errors) or " none"
        pytest.fail(
            f"the {language} search for {term!r} did not finish in 60 s; "
            f"console errors:{errors}"
        )
    found = page.locator("#search-results ul.search li a").evaluate_all(
        "links => links.map(a => a.href)"
    )
    pages = sorted({urlsplit(url).path.lstrip("/") for url in found})
    count = page.locator("#search-results ul.search li").count()
    summary = page.locator("#search-results p.search-summary").inner_text().strip()
    problems = []
    if f"{language}/{LESSON}" not in pages:
        problems.append(f"the results do not list {language}/{LESSON}: {pages}")
    if not re.search(rf"(?<!\d){count}(?!\d)", summary):
        problems.append(
            f"the summary does not say {count} pages were found: {summary!r}"
        )
    assert not problems, f"the {language} search for {term!r}:\n  " + "\n  ".join(
        problems
    )
