"""Every page of every language, and the landing page, as a reader's browser shows it.

Each page is loaded once, in a fresh context at 1280 x 900, and looked at
until the network has been idle for half a second; the tests of
:class:`PageChecks` then judge what was seen, page by page:

- no request leaves 127.0.0.1 (data: and blob: URLs are fine);
- no request fails, and no response is an HTTP error;
- the console shows no error, and no script throws;
- the page declares a ``<link rel="icon">`` that loads;
- MathJax has typeset every formula, and no raw TeX is left in the text;
- code cells have a copy button, and their outputs have none;
- axe-core finds nothing serious or critical (light mode; dark mode is in
  ``test_accessibility.py``);
- the language switcher (the sidebar shows at 1280 px) leads to the same page
  in each other language, whose ``<html lang>`` is that language;
- exercise solutions (cells tagged ``hide-input``/``hide-cell``, which myst-nb
  marks ``div.cell.tag_hide-...``) show neither code nor output until their
  toggle is clicked, and both after; each page has as many as in English;
- the zh_CN and ru pages show no English interface text.

This file checks the English pages and the landing page;
``test_pages_zh.py`` and ``test_pages_ru.py`` check the translations.

Run them with ``python3 noxfile.py -s browser``, or ``pytest tests/browser``
with ``TORCHPRIMER_SITE`` set to a built site.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from tests.browser import (
    LANGUAGES,
    PageLog,
    axe_problems,
    follow_link,
    is_outside,
    link_targets,
    new_context,
    open_page,
)

#: Latin words that stay Latin in Chinese and Russian technical writing: only
#: names. An ordinary English word is never one: translate it instead.
LATIN_NAMES = frozenset(
    {
        # software, by its name ("Torch" and "torch" for PyTorch's tensors)
        "torchprimer", "PyTorch", "Torch", "torch", "NumPy", "Python",
        "Jupyter", "Sphinx", "MathJax",
        # abbreviations, and the key Ctrl
        "API", "CPU", "GPU", "CUDA", "PDF", "Ctrl",
        # PyTorch's automatic differentiation, by its name
        "Autograd", "autograd",
        # a game, a network, an activation and optimizers (torch.optim), by name
        "FizzBuzz", "LeNet", "ReLU", "SGD", "Adam", "AdamW",
        # terms kept in Latin letters (docs/GLOSSARY.md: softmax everywhere,
        # logits in Chinese)
        "softmax", "logits",
    }
)  # fmt: skip

#: A word, an identifier or a file name: identifiers and file names have
#: digits, dots or underscores, and are not interface text.
_TOKEN = re.compile(r"\.?[A-Za-z0-9_]+(?:['’.\-][A-Za-z0-9_]+)*")


def english_words(text: str, identifiers: frozenset[str] = frozenset()) -> list[str]:
    """The Latin words of ``text`` that are neither names nor ``identifiers``."""
    words = []
    for token in _TOKEN.findall(text):
        if re.search(r"[\d_.]", token) or len(token) < 2:
            continue
        if token in LATIN_NAMES or token in identifiers:
            continue
        # the indexed variable of "x1 ... xn" is not a word
        if len(token) == 2 and re.search(rf"(?<![A-Za-z]){token[0]}\d", text):
            continue
        words.append(token)
    return words


#: The text a reader sees as the interface, with where it is. Outside the
#: article: all text, shown or not yet shown (menus, dialogs, the back-to-top
#: button), except print-only copies of the content. Inside the article: the
#: toggles of hidden cells and the copy buttons. Everywhere: the labels,
#: tooltips, placeholders and image descriptions. Code, math, and text marked
#: as another language (the switcher's "English") are not interface text.
#: Also returns the page's inline code, whose words are identifiers.
_INTERFACE_TEXT = """(pageLang) => {
  const SKIP = "code, pre, kbd, samp, var, .math, mjx-container, script, style,"
    + " noscript, template, .onlyprint";
  const ATTRIBUTES = ["aria-label", "title", "placeholder", "alt", "data-tooltip",
    "data-bs-title", "data-bs-original-title"];
  const lang = pageLang.toLowerCase();
  const article = document.querySelector("article.bd-article") || document.querySelector("article");
  const foreign = (el) => {
    const marked = el.closest("[lang]");
    return !!marked && marked.lang.toLowerCase() !== lang;
  };
  const where = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.documentElement && parts.length < 3; e = e.parentElement) {
      let part = e.tagName.toLowerCase();
      if (e.id) { parts.unshift(part + "#" + e.id); break; }
      if (e.classList.length) part += "." + [...e.classList].slice(0, 2).join(".");
      parts.unshift(part);
    }
    return parts.join(" > ");
  };
  const found = [[document.title, "<title>"]];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode()); ) {
    const el = node.parentElement, text = node.data.trim();
    if (!el || !/[A-Za-z]/.test(text) || el.closest(SKIP) || foreign(el)) continue;
    if (article && article.contains(el) && !el.closest("summary, .copybtn")) continue;
    found.push([text, where(el)]);
  }
  for (const el of document.querySelectorAll("*")) {
    if (el.closest(".math, mjx-container") || foreign(el)) continue;
    for (const name of ATTRIBUTES) {
      const value = el.getAttribute(name);
      if (value && /[A-Za-z]/.test(value)) found.push([value, where(el) + " @" + name]);
    }
  }
  // What the page shows as inline code (`nn`) is an identifier wherever it
  // appears, e.g. in the plain text of a title.
  const identifiers = [...document.querySelectorAll("code")]
    .filter((code) => !code.closest("pre")).map((code) => code.textContent.trim());
  return [found, identifiers];
}"""

#: Formulas MathJax has not typeset, and TeX left in the text outside code.
_MATH_PROBLEMS = r"""() => {
  // MathJax marks a TeX error, and shows an undefined macro in red
  const TEX_ERROR = "mjx-merror, [data-mjx-error], [data-mml-node=merror],"
    + " [data-mml-node=mtext][fill=red]";
  const problems = [];
  for (const el of document.querySelectorAll(".math")) {
    const next = el.nextElementSibling;
    const rendered = el.querySelector("mjx-container")
      || (next && next.tagName === "MJX-CONTAINER" ? next : null);
    const tex = el.textContent.trim().slice(0, 80);
    if (!rendered) problems.push("not typeset: " + tex);
    else if (rendered.querySelector(TEX_ERROR)) {
      const error = rendered.querySelector("[data-mjx-error]");
      problems.push("TeX error: " + (error ? error.getAttribute("data-mjx-error")
        : "an undefined macro") + " in " + tex);
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode()); ) {
    const el = node.parentElement;
    // formulas MathJax did not typeset are reported above
    if (!el || el.closest("pre, code, script, style, textarea, mjx-container, .math"))
      continue;
    const raw = node.data.match(/\\\(|\\\[|\\begin\{|\$\$/);
    if (raw) problems.push("raw TeX: " + node.data.trim().slice(0, 80));
  }
  return problems;
}"""

#: Code cells without a copy button, and outputs with one.
_COPY_BUTTON_PROBLEMS = """() => {
  const firstLine = (el) => el.textContent.trim().split("\\n")[0].slice(0, 60);
  const problems = [];
  const cells = [...document.querySelectorAll(".cell_input pre")];
  const bare = cells.filter((pre) => !pre.parentElement.querySelector("button.copybtn"));
  if (bare.length)
    problems.push(`${bare.length} of ${cells.length} code cells have no copy button,`
      + ` the first: ${JSON.stringify(firstLine(bare[0]))}`);
  const outputs = [...document.querySelectorAll(".cell_output")];
  const copied = outputs.filter((output) => output.querySelector("button.copybtn"));
  if (copied.length)
    problems.push(`${copied.length} of ${outputs.length} outputs have a copy button,`
      + ` the first: ${JSON.stringify(firstLine(copied[0]))}`);
  return problems;
}"""


@dataclass
class PageReport:
    """What one page did and showed, for the tests of this file to judge."""

    log: PageLog
    favicon: list[str]
    math: list[str]
    copy_buttons: list[str]
    #: English words of the interface: (word, where, the text it is in).
    english: list[tuple[str, str, str]]
    axe: list[str]
    solutions: list[str]
    switcher: list[str]


def _favicon_problems(page: Page) -> list[str]:
    icons = page.eval_on_selector_all(
        'link[rel~="icon"]', "links => links.map(link => link.href)"
    )
    if not icons:
        return ['the page declares no <link rel="icon">']
    problems = []
    for url in icons:
        if is_outside(url):
            problems.append(f"the icon {url} is not on the site")
            continue
        response = page.request.get(url)
        kind = response.headers.get("content-type", "")
        if not response.ok:
            problems.append(f"the icon {url} does not load: HTTP {response.status}")
        elif not kind.startswith("image/"):
            problems.append(f"the icon {url} is not an image: {kind}")
    return problems


def _solution_problems(page: Page, expected: int) -> list[str]:
    """Solutions whose code or output shows before a click, or not after."""
    cells = page.locator('div.cell[class*="tag_hide-"]')
    problems = []
    if cells.count() != expected:
        problems.append(
            f"{cells.count()} hidden cells; the English page has {expected}"
        )
    for number, cell in enumerate(cells.all(), 1):
        code = (cell.locator(".cell_input").first.text_content() or "").strip()
        label = (
            f"solution {number} ({code.splitlines()[0][:50] if code else 'no code'})"
        )
        parts = {
            part: found.first
            for part, found in (
                ("code", cell.locator(".cell_input")),
                ("output", cell.locator(".cell_output")),
            )
            if found.count()
        }
        shown = [part for part, found in parts.items() if found.is_visible()]
        if shown:
            verb = "show" if len(shown) > 1 else "shows"
            problems.append(f"{label}: its {' and '.join(shown)} {verb} before a click")
        toggle = cell.locator("summary")
        if not toggle.count():
            problems.append(f"{label}: there is no <summary> to click")
            continue
        try:
            toggle.first.click(timeout=5_000)
        except PlaywrightError as error:
            problems.append(f"{label}: its toggle cannot be clicked: {error.message}")
            continue
        hidden = [part for part, found in parts.items() if not found.is_visible()]
        if hidden:
            verb = "stay" if len(hidden) > 1 else "stays"
            problems.append(f"{label}: its {' and '.join(hidden)} {verb} hidden")
    return problems


#: What following a link does not need: formulas, icons, pictures and fonts.
_NOT_NEEDED = re.compile(r"/mathjax/|/fontawesome|\.(png|jpe?g|svg|woff2?)(\?|$)")


def _switcher_problems(page: Page, server: str, path: str) -> list[str]:
    """Where the language switcher does not lead to this page in a language."""
    if "/" not in path:  # the landing page has none
        return []
    language, name = path.split("/")
    switcher = page.locator("nav.language-switcher")
    if not switcher.is_visible():
        return ["no <nav class='language-switcher'> is shown at 1280 px"]
    links = link_targets(switcher)
    page.route(_NOT_NEEDED, lambda route: route.abort())  # the pages it leads to
    problems = []
    for other, html_lang in LANGUAGES.items():
        if other == language:
            continue
        hrefs = [href for href, target in links if target.startswith(f"/{other}/")]
        if len(hrefs) != 1:
            problems.append(f"{other}: {len(hrefs)} links, not 1: {hrefs}")
            continue
        if page.url != f"{server}/{path}":
            page.go_back(wait_until="commit")
        link = page.locator(f'nav.language-switcher a[href="{hrefs[0]}"]')
        expected = f"{server}/{other}/{name}"
        problems += [
            f"{other}: {p}" for p in follow_link(page, link, expected, html_lang)
        ]
    return problems


def _hidden_cells(html: Path) -> int:
    """How many cells of a page myst-nb hides (tagged hide-input, hide-cell...)."""
    if not html.is_file():
        return 0
    return len(re.findall(r'class="cell [^"]*\btag_hide-', html.read_text("utf-8")))


def _inspect(browser: Browser, server: str, site: Path, path: str) -> PageReport:
    context = new_context(browser, server)
    try:
        page, log = open_page(context, path)
        lang = page.evaluate("document.documentElement.lang")
        texts, identifiers = page.evaluate(_INTERFACE_TEXT, lang)
        english = [
            (word, where, text)
            for text, where in texts
            for word in english_words(text, frozenset(identifiers))
        ]
        math = page.evaluate(_MATH_PROBLEMS)
        copy_buttons = page.evaluate(_COPY_BUTTON_PROBLEMS)
        page.wait_for_load_state("networkidle")  # late requests and errors
        favicon = _favicon_problems(page)
        with log.pause():
            axe = axe_problems(page)
        # last, as they change the page: open the solutions, follow the switcher
        name = path.rsplit("/", 1)[-1]
        solutions = _solution_problems(page, _hidden_cells(site / "en" / name))
        # what this page did: not the pages the switcher leads to
        seen = PageLog([*log.outside], [*log.failed], [*log.errors])
        switcher = _switcher_problems(page, server, path)
        return PageReport(
            seen, favicon, math, copy_buttons, english, axe, solutions, switcher
        )
    finally:
        context.close()


def _listed(items) -> str:
    return "".join(f"\n  {item}" for item in items)


class PageChecks:
    """The checks of every page of one language: a subclass sets ``language``.

    One test class per language, each in its own file, so that pytest-xdist
    (``--dist loadfile``) spreads the languages over the workers, while each
    page is still loaded only once for all its checks.
    """

    #: The language directory whose pages the class checks (``page_path``,
    #: ``solution_page``; see conftest.py).
    language = "en"

    @pytest.fixture(scope="class")
    @classmethod
    def report(
        cls, browser: Browser, server: str, site: Path
    ) -> Callable[[str], PageReport]:
        """``report(path)``: the page, loaded once for all the tests of the class."""
        reports: dict[str, PageReport | str] = {}

        def report(path: str) -> PageReport:
            if path not in reports:
                try:
                    reports[path] = _inspect(browser, server, site, path)
                except PlaywrightError as error:
                    reports[path] = str(error).splitlines()[0]
                    raise
            found = reports[path]
            if isinstance(found, str):  # the page's first test has the traceback
                pytest.fail(f"{path} could not be looked at: {found}", pytrace=False)
            return found

        return report

    def test_requests_stay_on_127_0_0_1(self, report, page_path):
        outside = report(page_path).log.outside
        assert not outside, f"{page_path} requests outside 127.0.0.1:" + _listed(
            outside
        )

    def test_no_failed_request(self, report, page_path):
        failed = report(page_path).log.failed
        assert not failed, f"{page_path} has failed requests:{_listed(failed)}"

    def test_no_console_error(self, report, page_path):
        errors = report(page_path).log.errors
        assert not errors, f"{page_path} logs errors in the console:" + _listed(errors)

    def test_favicon_loads(self, report, page_path):
        problems = report(page_path).favicon
        assert not problems, f"{page_path}:{_listed(problems)}"

    def test_math_is_rendered(self, report, page_path):
        problems = report(page_path).math
        assert not problems, f"{page_path} has math MathJax did not render:" + (
            _listed(problems)
        )

    def test_copy_buttons_on_code_not_on_outputs(self, report, page_path):
        problems = report(page_path).copy_buttons
        assert not problems, f"{page_path}:{_listed(problems)}"

    def test_axe_finds_nothing_serious(self, report, page_path):
        problems = report(page_path).axe
        assert not problems, f"{page_path}, light mode:\n" + "\n".join(problems)

    def test_language_switcher_leads_to_the_same_page(self, report, book_page):
        problems = report(book_page).switcher
        assert not problems, f"the switcher of {book_page}:{_listed(problems)}"

    def test_solutions_hidden_until_clicked(self, report, solution_page):
        problems = report(solution_page).solutions
        assert not problems, f"{solution_page}:{_listed(problems)}"


class TranslatedPageChecks(PageChecks):
    """The checks of every page of a translation: also no English interface."""

    def test_no_english_interface_text(self, report, page_path):
        found: dict[str, list[str]] = {}
        for word, where, text in report(page_path).english:
            found.setdefault(word, []).append(f"{where}: {text[:70]!r}")
        assert not found, (
            f"{page_path} shows English interface text; translate it, or, if it "
            "is a name that stays Latin, add it to LATIN_NAMES:"
            + _listed(
                f"{word!r} in {'; '.join(list(dict.fromkeys(places))[:3])}"
                for word, places in sorted(found.items())
            )
        )


class TestEnglishPages(PageChecks):
    """Every English page, and the landing page."""

    language = "en"
