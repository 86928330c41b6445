"""Check the built files: every page in every language, the switcher, outputs.

Run by ``nox -s docs`` after the build: ``python docs/check_site.py docs/_build/html``.
Exits non-zero, naming each problem, if the site is not what the book promises.
What only a browser can tell (search, the interface's language, hidden
solutions, copy buttons, accessibility) is tested in ``tests/browser``.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

LANGUAGES = ("en", "zh_CN", "ru")
#: Outputs every language must show, executed by the build (page, text).
EXECUTED = [
    ("neuron", "tensor([[0.1595]])"),
    ("neuron", "RuntimeError"),
    ("neuron", "mat1 and mat2 shapes cannot be multiplied (1x5 and 1x5)"),
    ("multilayer", "tensor([[0.3171]])"),
]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.in_switcher = 0
        self.switcher: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "nav" and "language-switcher" in (attributes.get("class") or ""):
            self.in_switcher += 1
        elif tag == "a" and self.in_switcher and attributes.get("href"):
            self.switcher.append(attributes["href"])

    def handle_endtag(self, tag):
        if tag == "nav" and self.in_switcher:
            self.in_switcher -= 1


def check(html: Path) -> list[str]:
    problems = []
    if not (html / "index.html").is_file():
        problems.append("the landing page index.html is missing")
    pages = sorted(p.relative_to(html / "en") for p in (html / "en").glob("*.html"))
    for language in LANGUAGES:
        for page in pages:
            path = html / language / page
            if not path.is_file():
                problems.append(f"{language}/{page} is missing")
                continue
            body = path.read_text(encoding="utf-8")
            parser = _Links()
            parser.feed(body)
            # Errors show their last line only (docs/_ipython): no traceback,
            # no path of the machine that built the book.
            if "Traceback (most recent call last)" in body or "site-packages" in body:
                problems.append(f"{language}/{page} shows a traceback")
            others = [code for code in LANGUAGES if code != language]
            if len(parser.switcher) != len(others):
                problems.append(f"{language}/{page}: switcher has {parser.switcher}")
            for href in parser.switcher:
                target = (path.parent / href).resolve()
                if not target.is_file() or target.name != page.name:
                    problems.append(
                        f"{language}/{page}: switcher link {href} is broken"
                    )
        for page, text in EXECUTED:
            body = (html / language / f"{page}.html").read_text(encoding="utf-8")
            if text not in re.sub(r"<[^>]+>", "", body).replace("&#39;", "'"):
                problems.append(f"{language}/{page}.html does not show {text!r}")
    return problems


if __name__ == "__main__":
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/_build/html")
    found = check(site)
    for problem in found:
        print(f"site check: {problem}", file=sys.stderr)
    print(f"site check: {len(found)} problems in {site}")
    sys.exit(1 if found else 0)
