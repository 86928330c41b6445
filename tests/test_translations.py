"""Every translated page translates the current English page (tests/translations.py)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests import translations

PAGES = [
    page
    for language in translations.TRANSLATIONS
    for page in sorted((translations.DOCS / language).glob("*.md"))
]


@pytest.mark.parametrize(
    "page", PAGES, ids=lambda page: f"{page.parent.name}/{page.name}"
)
def test_the_translation_is_of_the_current_english_page(page):
    assert translations.recorded_hash(page), (
        f"{page.name} ({page.parent.name}) records no English text: translate it, "
        f"then run: python3 tests/translations.py --mark docs/{page.parent.name}/{page.name}"
    )
    assert not translations.stale(page), (
        f"docs/en/{page.name} has changed since docs/{page.parent.name}/{page.name} "
        "was translated. Update the translation, then run\n"
        f"    python3 tests/translations.py --mark docs/{page.parent.name}/{page.name}\n"
        f"The English changes:\n{translations.changes(page)}"
    )


# The mechanism, on a book of one page in a temporary git repository.

ENGLISH = """---
file_format: mystnb
---

# Tensors

A tensor is an array of numbers.
It has a shape.

```{code-cell} python
---
mystnb:
  figure:
    caption: The loss falls.
---
x = 1
```

```{output}
1
```
"""

RUSSIAN = """---
file_format: mystnb
---

# Тензоры

Тензор — это массив чисел. У него есть форма.
"""


@pytest.fixture
def book(tmp_path, monkeypatch) -> Path:
    for language, text in (("en", ENGLISH), ("ru", RUSSIAN)):
        (tmp_path / "docs" / language).mkdir(parents=True)
        (tmp_path / "docs" / language / "tensors.md").write_text(text, encoding="utf-8")
    monkeypatch.setattr(translations, "ROOT", tmp_path)
    monkeypatch.setattr(translations, "DOCS", tmp_path / "docs")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "."], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "English"], cwd=tmp_path, check=True)
    return tmp_path / "docs"


def test_the_prose_is_the_text_and_the_captions_not_the_code():
    assert translations.prose(ENGLISH).splitlines() == [
        "# Tensors",
        "A tensor is an array of numbers. It has a shape.",
        "The loss falls.",
    ]


def test_rewrapping_english_changes_nothing_a_word_does():
    rewrapped = ENGLISH.replace("numbers.\nIt", "numbers. It")
    changed = ENGLISH.replace("array of numbers", "array of values")
    assert translations.prose_hash(rewrapped) == translations.prose_hash(ENGLISH)
    assert translations.prose_hash(changed) != translations.prose_hash(ENGLISH)


def test_a_page_without_a_record_is_stale(book):
    assert translations.recorded_hash(book / "ru" / "tensors.md") is None
    assert translations.stale(book / "ru" / "tensors.md")


def test_marking_records_the_english_text_and_keeps_the_page(book):
    page = book / "ru" / "tensors.md"
    translations.mark(page)
    translations.mark(page)  # a second mark replaces the record
    text = page.read_text(encoding="utf-8")
    assert text.count("translation:") == 1
    assert text.endswith(RUSSIAN.split("---\n", 2)[2])
    assert not translations.stale(page)


def test_a_changed_english_sentence_names_the_page_and_shows_the_change(book):
    page = book / "ru" / "tensors.md"
    translations.mark(page)
    english = book / "en" / "tensors.md"
    english.write_text(
        ENGLISH.replace("It has a shape.", "It has a shape and a dtype."),
        encoding="utf-8",
    )
    assert translations.stale(page)
    changes = translations.changes(page)
    assert "-A tensor is an array of numbers. It has a shape." in changes
    assert "+A tensor is an array of numbers. It has a shape and a dtype." in changes
    assert translations.main([]) == 1
    translations.mark(page)
    assert translations.main([]) == 0


# One term per concept: docs/GLOSSARY.md's lesson titles and variants not to use.

GLOSSARY = translations.DOCS / "GLOSSARY.md"
LANGUAGE_COLUMNS = {"en": 1, "zh_CN": 2, "ru": 3}


def _table(heading: str) -> list[list[str]]:
    """The rows of the table under ``## heading`` in the glossary, cells unescaped."""
    text = GLOSSARY.read_text(encoding="utf-8")
    section = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("|") or set(line) <= set("|- "):
            continue
        cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
        rows.append([cell.strip().replace("\\|", "|") for cell in cells])
    return rows[1:]  # without the header row


def _variants() -> list[tuple[str, re.Pattern, str]]:
    return [
        (language, re.compile(pattern.strip("`")), instead)
        for language, pattern, instead, _why in _table("Variants not to use")
    ]


#: What the variants check ignores: inline code, formulas, links' targets,
#: HTML tags and the text of raw links (file names).
NOT_PROSE = re.compile(r"`[^`\n]*`|\$[^$]*\$|\]\([^)]*\)|<a [^>]*>.*?</a>|<[^>]+>")


def prose_words(text: str) -> str:
    return NOT_PROSE.sub(" ", translations.prose(text))


@pytest.mark.parametrize(
    "page", PAGES, ids=lambda page: f"{page.parent.name}/{page.name}"
)
def test_no_variant_the_glossary_rules_out(page):
    text = prose_words(page.read_text(encoding="utf-8"))
    found = [
        f"{match[0]!r} (use {instead}) in: …{text[max(0, match.start() - 40) : match.end() + 40]}…"
        for language, pattern, instead in _variants()
        if language == page.parent.name
        for match in pattern.finditer(text)
    ]
    assert not found, "\n".join(found)


def test_the_variants_check_finds_a_variant():
    variants = [p for language, p, _ in _variants() if language == "ru"]
    assert any(p.search(prose_words("Откройте ноутбук с уроком.")) for p in variants)
    assert not any(
        p.search(prose_words("Откройте `notebook.ipynb`.")) for p in variants
    )
    assert not any(
        p.search(prose_words("начальное значение генератора (seed)")) for p in variants
    )


@pytest.mark.parametrize("language", ["en", *translations.TRANSLATIONS])
def test_each_lesson_has_its_glossary_title(language):
    column = LANGUAGE_COLUMNS[language]
    titles = {row[0]: row[column] for row in _table("Lesson titles")}
    pages = sorted(
        page.stem
        for page in (translations.DOCS / language).glob("*.md")
        if page.stem not in {"index", "api"}
    )
    assert sorted(titles) == pages
    for name, title in titles.items():
        text = (translations.DOCS / language / f"{name}.md").read_text(encoding="utf-8")
        heading = re.search(
            r"^# (.+)$", translations.FRONT_MATTER.sub("", text), re.MULTILINE
        )[1]
        assert heading == title, f"{language}/{name}.md is titled {heading!r}"
