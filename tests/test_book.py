"""Tests of the book itself: every page in every language, and of its checker."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from sybil.example import SybilFailure

import conftest

DOCS = Path(__file__).resolve().parent.parent / "docs"
LANGUAGES = ("en", "zh_CN", "ru")
PAGES = sorted(path.name for path in (DOCS / "en").glob("*.md"))
ALL_PAGES = [DOCS / language / page for language in LANGUAGES for page in PAGES]

FENCE = re.compile(
    r"^(?P<fence>`{3,})(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=fence)\s*$",
    re.MULTILINE | re.DOTALL,
)
#: Fenced blocks that must be the same in every language: the code and what
#: the page states about its output. Figures and admonitions are translated.
CODE_INFO = re.compile(
    r"^(\{code-cell\}.*|\{code-block\}.*|\{output\}|python|\{literalinclude\}.*)$"
)
SKIP = re.compile(r"^% *skip:.*$", re.MULTILINE)


#: A code cell's YAML options, e.g. a figure's translated caption under
#: ``mystnb:``; the rest of them (tags) is code and must match.
OPTIONS = re.compile(r"\A---\n(?P<yaml>.*?)^---\n", re.MULTILINE | re.DOTALL)


def _without_translated_options(body: str) -> str:
    match = OPTIONS.match(body)
    if match is None:
        return body
    options = yaml.safe_load(match["yaml"])
    options.pop("mystnb", None)
    kept = yaml.safe_dump(options, sort_keys=True) if options else ""
    return kept + body[match.end() :]


def _code_blocks(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    blocks = [
        f"{match['info'].strip()}\n{_without_translated_options(match['body'])}"
        for match in FENCE.finditer(text)
        if CODE_INFO.match(match["info"].strip())
    ]
    return blocks + SKIP.findall(text)


def _page_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def test_pages_exist():
    assert {"index.md", "api.md", "tensors.md", "numpy_bridge.md", "neuron.md"} <= set(
        PAGES
    )


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_every_language_has_the_same_pages(language):
    pages = sorted(path.name for path in (DOCS / language).glob("*.md"))
    assert pages == PAGES


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_code_is_identical_across_languages(language, page):
    english = _code_blocks(DOCS / "en" / page)
    translated = _code_blocks(DOCS / language / page)
    assert len(translated) == len(english), "different number of code blocks"
    for number, (ours, theirs) in enumerate(zip(english, translated, strict=True), 1):
        assert theirs == ours, f"code block {number} differs from docs/en/{page}"


#: An exercise: its task in an admonition, then the solution, folded.
EXERCISE = re.compile(
    r"^:::\{admonition\} (?P<title>Exercise|练习|Упражнение)\n.*?^:::\n\n"
    r"(?P<next>```\{code-cell\} python\n(?::tags: \[(?P<tags>[^\]]*)\])?)",
    re.MULTILINE | re.DOTALL,
)
HIDE_TAG = re.compile(r"^:tags: \[.*\bhide-\w+", re.MULTILINE)


def _unfolded_solutions(text: str) -> list[str]:
    """What a page shows of its exercises' answers before the reader asks."""
    exercises = list(EXERCISE.finditer(text))
    problems = [
        f"the solution after '{exercise['title']}' is tagged "
        f"[{exercise['tags'] or ''}], not [hide-cell]"
        for exercise in exercises
        if exercise["tags"] != "hide-cell"
    ]
    if len(HIDE_TAG.findall(text)) != len(exercises):
        problems.append("a cell outside an exercise is folded")
    return problems


@pytest.mark.parametrize("path", ALL_PAGES, ids=_page_id)
def test_every_solution_is_folded_with_its_output(path):
    """The reader sees the task; the solution's code and output stay folded.

    ``hide-cell`` folds the code and its output together (``hide-input`` would
    show the answer under a folded code cell), and only solutions are folded.
    """
    assert _unfolded_solutions(path.read_text(encoding="utf-8")) == []


def test_a_solution_with_its_answer_showing_is_caught():
    text = (DOCS / "en" / "neuron.md").read_text(encoding="utf-8")
    assert len(EXERCISE.findall(text)) == 2
    shown = text.replace(":tags: [hide-cell]", ":tags: [hide-input]", 1)
    assert _unfolded_solutions(shown) == [
        "the solution after 'Exercise' is tagged [hide-input], not [hide-cell]"
    ]


def _expected_examples(path: Path) -> int:
    """Count the examples of a page independently of Sybil's lexers."""
    text = path.read_text(encoding="utf-8")
    count = len(SKIP.findall(text))
    for match in FENCE.finditer(text):
        info = match["info"].strip()
        if info.startswith("{code-cell}"):
            assert info == "{code-cell} python", (
                f"{_page_id(path)}: {info!r} is not run"
            )
            count += 1
        elif info == "python":
            prompts = len(re.findall(r"^>>> ", match["body"], re.MULTILINE))
            count += prompts or 1
    return count


@pytest.mark.parametrize("path", ALL_PAGES, ids=_page_id)
def test_each_page_yields_every_example_it_contains(path):
    document = conftest.book.parse(path)
    assert len(list(document)) == _expected_examples(path)


def test_the_book_has_examples_in_every_page_with_code():
    counts = {page: _expected_examples(DOCS / "en" / page) for page in PAGES}
    assert counts["neuron.md"] >= 10
    assert sum(counts.values()) >= 50


# The checker itself: a page whose stated output is wrong must fail.


def _evaluate(path: Path) -> None:
    document = conftest.book.parse(path)
    conftest._setup(document.namespace)
    try:
        for example in document:
            example.evaluate()
    finally:
        conftest._teardown(document.namespace)


def _copy_with(tmp_path: Path, old: str, new: str) -> Path:
    text = (DOCS / "en" / "neuron.md").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "neuron.md"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_unchanged_page_passes(tmp_path):
    _evaluate(_copy_with(tmp_path, "tensor([[0.1595]])", "tensor([[0.1595]])"))


def test_changing_one_digit_of_a_stated_output_fails(tmp_path):
    path = _copy_with(
        tmp_path, "```{output}\ntensor([[0.1595]])", "```{output}\ntensor([[0.1596]])"
    )
    with pytest.raises(
        SybilFailure,
        match=r"(?s)Stated:\ntensor\(\[\[0.1596\]\]\).*Got:\ntensor\(\[\[0.1595\]\]\)",
    ):
        _evaluate(path)


def test_a_wrong_stated_error_fails(tmp_path):
    path = _copy_with(tmp_path, "(1x5 and 1x5)", "(1x5 and 5x1)")
    with pytest.raises(SybilFailure, match="differs from the output of the code"):
        _evaluate(path)


def test_a_cell_tagged_raises_exception_must_raise(tmp_path):
    path = _copy_with(
        tmp_path, "torch.mm(features, weights)\n", "torch.mm(features, weights.T)\n"
    )
    with pytest.raises(
        SybilFailure, match="tagged raises-exception but raised nothing"
    ):
        _evaluate(path)


def test_an_unexpected_error_fails(tmp_path):
    path = _copy_with(
        tmp_path, "weights.view(5, 1).shape,", "weights.view(4, 1).shape,"
    )
    with pytest.raises(RuntimeError, match=r"shape '\[4, 1\]' is invalid"):
        _evaluate(path)


def test_an_output_block_after_prose_is_an_error(tmp_path):
    path = tmp_path / "orphan.md"
    path.write_text("Some prose.\n\n```{output}\n42\n```\n", encoding="utf-8")
    with pytest.raises(ValueError, match="must follow a {code-cell} python block"):
        list(conftest.book.parse(path))


def test_copies_under_the_build_folder_are_not_collected():
    root = DOCS.parent
    assert conftest.book.should_parse(root / "docs" / "en" / "neuron.md")
    built = root / "docs" / "_build" / "html" / "en" / "_sources" / "neuron.md"
    assert not conftest.book.should_parse(built)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_index_names_the_wheel_this_version_builds(language):
    """ "Run the code yourself" links and installs the wheel of this version."""
    version = tomllib.loads((DOCS.parent / "pyproject.toml").read_text())["project"][
        "version"
    ]
    wheel = f"torchprimer-{version}-py3-none-any.whl"
    text = (DOCS / language / "index.md").read_text(encoding="utf-8")
    assert f'<a href="_downloads/{wheel}">' in text
    assert f'pip install "{wheel}[notebooks]"' in text
    zip_name = f"torchprimer-notebooks-{language}.zip"
    assert f'<a href="_downloads/{zip_name}">' in text
    assert f"unzip {zip_name}" in text


# Formulas: the EPUB sets them with LaTeX (sphinx.ext.imgmath) in Computer
# Modern, which has neither Cyrillic nor CJK. Words go in the prose, or in
# captions; a formula holds symbols.

DISPLAY_MATH = re.compile(r"\$\$(?P<tex>.+?)\$\$", re.DOTALL)
#: Inline math may run over lines of a paragraph, not over an empty line.
INLINE_MATH = re.compile(
    r"(?<![\\$])\$(?!\$)(?P<tex>(?:[^$\n]|\n(?![ \t]*\n))+?)(?<!\\)\$"
)


def _formulas(text: str) -> list[str]:
    prose = FENCE.sub("", text)  # code cells and outputs may hold any "$"
    display = [match["tex"] for match in DISPLAY_MATH.finditer(prose)]
    inline = [
        match["tex"] for match in INLINE_MATH.finditer(DISPLAY_MATH.sub("", prose))
    ]
    return display + inline


@pytest.mark.parametrize("path", ALL_PAGES, ids=_page_id)
def test_formulas_are_ascii(path):
    text = path.read_text(encoding="utf-8")
    foreign = [tex.strip() for tex in _formulas(text) if not tex.isascii()]
    assert not foreign, f"formulas with words that LaTeX cannot set: {foreign}"


def test_the_formula_check_finds_words_in_formulas():
    assert _formulas("Cost $\\text{вес} = 1$ and\n$$\n\\text{权重}\n$$\n") == [
        "\n\\text{权重}\n",
        "\\text{вес} = 1",
    ]
    assert _formulas("$a +\nb$ but not $c\n\nd$") == ["a +\nb"]
    assert _formulas("```python\nprint('$x$')\n```\n") == []
