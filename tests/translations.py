"""Which English text each translated page translates, and what has changed since.

Each page of ``docs/zh_CN`` and ``docs/ru`` records, in its front matter, a
hash of the prose of the English page it was translated from::

    translation:
      en: 3f2a9c1b7d04  # tests/translations.py: hash of docs/en/<page>'s prose

The prose is what a translator translates: the text outside code cells and
stated outputs, plus the captions and alt texts of figure cells, with the
whitespace normalised (re-wrapping a paragraph changes nothing).
``tests/test_translations.py`` fails for every page whose English prose has
changed since, and shows the English changes, taken from the last commit
whose English page had the recorded hash.

After updating a translation, record it::

    python3 tests/translations.py --mark docs/ru/tensors.md

and, to list what is out of date with the English changes::

    python3 tests/translations.py
"""

from __future__ import annotations

import difflib
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
TRANSLATIONS = ("zh_CN", "ru")

FRONT_MATTER = re.compile(r"\A---\n(?P<yaml>.*?)^---\n", re.MULTILINE | re.DOTALL)
FENCE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=fence)\s*$",
    re.MULTILINE | re.DOTALL,
)
#: Fenced blocks that hold code or outputs, not prose (checked elsewhere: the
#: code is identical in every language, tests/test_book.py).
CODE = re.compile(r"^(\{code-cell\}|\{output\}|python|bash|text|\{literalinclude\})")
CELL_OPTIONS = re.compile(r"\A---\n(?P<yaml>.*?)^---\n", re.MULTILINE | re.DOTALL)
RECORD = re.compile(r"^translation:\n(?:[ \t]+.*\n)+", re.MULTILINE)


def _figure_texts(body: str) -> list[str]:
    """The translated texts of a code cell: its figure's caption and alt text."""
    match = CELL_OPTIONS.match(body)
    if match is None:
        return []
    options = (yaml.safe_load(match["yaml"]) or {}).get("mystnb", {})
    return [
        str(options.get(part, {}).get(key, ""))
        for part, key in (("figure", "caption"), ("image", "alt"))
    ]


def prose(text: str) -> str:
    """The translatable text of a page, one paragraph per line."""
    text = FRONT_MATTER.sub("", text, count=1)

    def replace(match: re.Match) -> str:
        info = match["info"].strip()
        if CODE.match(info):
            return "\n".join(_figure_texts(match["body"])) + "\n"
        return f"{info}\n{match['body']}"  # admonitions, figures: prose inside

    text = FENCE.sub(replace, text)
    paragraphs = re.split(r"\n[ \t]*\n", text)
    return "\n".join(
        " ".join(paragraph.split()) for paragraph in paragraphs if paragraph.strip()
    )


def prose_hash(text: str) -> str:
    return hashlib.sha256(prose(text).encode()).hexdigest()[:12]


def recorded_hash(page: Path) -> str | None:
    """The hash of English prose that a translated page records, if any."""
    match = FRONT_MATTER.match(page.read_text(encoding="utf-8"))
    if match is None:
        return None
    record = (yaml.safe_load(match["yaml"]) or {}).get("translation") or {}
    return record.get("en")


def english(page: Path) -> Path:
    return DOCS / "en" / page.name


def _git(*args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return result.stdout


def translated_text(page: Path) -> tuple[str, str] | None:
    """The English page as it was when ``page`` was translated: (commit, text).

    Found in the history of the English page (the last commit whose prose has
    the recorded hash); ``None`` where git or that commit is not available.
    """
    wanted = recorded_hash(page)
    path = english(page).relative_to(ROOT).as_posix()
    commits = _git("log", "--format=%H", "--", path)
    for commit in (commits or "").split():
        text = _git("show", f"{commit}:{path}")
        if text is not None and prose_hash(text) == wanted:
            return commit, text
    return None


def changes(page: Path) -> str:
    """What changed in the English prose since ``page`` was translated."""
    now = prose(english(page).read_text(encoding="utf-8"))
    then = translated_text(page)
    if then is None:
        return (
            f"(no commit of {english(page).name} has prose hash "
            f"{recorded_hash(page)}: compare the pages by hand)"
        )
    commit, text = then
    diff = difflib.unified_diff(
        prose(text).splitlines(),
        now.splitlines(),
        f"docs/en/{page.name} at {commit[:10]} (translated)",
        f"docs/en/{page.name} now",
        lineterm="",
    )
    return "\n".join(diff)


def stale(page: Path) -> bool:
    return recorded_hash(page) != prose_hash(english(page).read_text(encoding="utf-8"))


def mark(page: Path) -> None:
    """Record that ``page`` now translates the current English page."""
    text = page.read_text(encoding="utf-8")
    digest = prose_hash(english(page).read_text(encoding="utf-8"))
    record = (
        "translation:\n"
        f"  en: {digest}  # tests/translations.py: hash of docs/en/{page.name}'s prose\n"
    )
    match = FRONT_MATTER.match(text)
    if match is None:
        raise ValueError(f"{page} has no front matter")
    front = match["yaml"]
    front = RECORD.sub(record, front) if RECORD.search(front) else front + record
    page.write_text(f"---\n{front}---\n{text[match.end() :]}", encoding="utf-8")


def main(arguments: list[str]) -> int:
    if arguments[:1] == ["--mark"]:
        for name in arguments[1:]:
            mark(Path(name).resolve())
        return 0
    out_of_date = [
        page
        for language in TRANSLATIONS
        for page in sorted((DOCS / language).glob("*.md"))
        if stale(page)
    ]
    for page in out_of_date:
        print(f"== {page.relative_to(ROOT)} translates an older English page:")
        print(changes(page))
    return 1 if out_of_date else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
