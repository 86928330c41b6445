"""Turn a page's executed notebook into one that reads well in plain Jupyter.

The notebooks myst-nb executes keep the page's MyST markup in their Markdown
cells (``{output}`` blocks, admonitions, ``{literalinclude}``, figures), which
Jupyter shows as raw text. :func:`for_jupyter` rewrites those cells into
CommonMark: stated outputs go (the cells carry the real ones), admonitions
become quotes, included functions become their source, figures become
attachments, links to other lessons point to their notebooks. Solutions stay
folded (Jupyter's ``source_hidden`` and ``outputs_hidden``).
"""

from __future__ import annotations

import ast
import base64
import copy
import re
from collections.abc import Callable
from pathlib import Path

import nbformat

#: A MyST directive fenced with backticks or colons, e.g. ```` ```{note} ````.
DIRECTIVE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}[ \t]*(?P<argument>[^\n]*)\n"
    r"(?P<body>.*?)^(?P=fence)[ \t]*$\n?",
    re.MULTILINE | re.DOTALL,
)
OPTION = re.compile(r"^:(?P<key>[\w-]+):[ \t]*(?P<value>.*)$")
#: A Markdown link to another page of the book.
PAGE_LINK = re.compile(
    r"\[(?P<text>[^\]]+)\]\((?P<page>[\w-]+)\.md(?P<anchor>#[^)]*)?\)"
)
MIME = {".svg": "image/svg+xml", ".png": "image/png"}


def _options(body: str) -> tuple[dict[str, str], str]:
    """Split a directive's body into its ``:key: value`` options and content."""
    lines = body.split("\n")
    options = {}
    while lines and (match := OPTION.match(lines[0])):
        options[match["key"]] = match["value"].strip()
        lines.pop(0)
    return options, "\n".join(lines).strip("\n")


def _quote(title: str, content: str) -> str:
    lines = [f"**{title}**", "", *content.split("\n")]
    return "\n".join(f"> {line}".rstrip() for line in lines) + "\n"


def _function_source(path: Path, name: str) -> str:
    """The source of a top-level function or class, as ``:pyobject:`` shows it."""
    text = path.read_text(encoding="utf-8")
    for node in ast.parse(text).body:
        if getattr(node, "name", None) == name:
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            return "\n".join(text.split("\n")[first - 1 : node.end_lineno])
    raise ValueError(f"{path} has no top-level {name!r}")


class _Converter:
    """Rewrites the Markdown of one notebook; ``source`` is the page's path."""

    def __init__(self, source: Path, notebooks: set[str], note: str) -> None:
        self.source = source
        self.notebooks = notebooks
        self.note = note
        self.attachments: dict[str, dict[str, str]] = {}

    def markdown(self, text: str) -> str:
        text = DIRECTIVE.sub(self._directive, text)
        text = PAGE_LINK.sub(self._link, text)
        return re.sub(r"\n{3,}", "\n\n", text).strip("\n")

    def _link(self, match: re.Match) -> str:
        if match["page"] not in self.notebooks:
            return match["text"]
        return f"[{match['text']}]({match['page']}.ipynb{match['anchor'] or ''})"

    def _directive(self, match: re.Match) -> str:
        name, argument = match["name"], match["argument"].strip()
        options, content = _options(match["body"])
        handlers: dict[str, Callable[[], str]] = {
            "output": lambda: "",
            "admonition": lambda: _quote(argument, self.markdown(content)),
            "note": lambda: _quote(self.note, self.markdown(content)),
            "code-block": lambda: f"```{argument}\n{content}\n```\n",
            "literalinclude": lambda: self._include(argument, options),
            "figure": lambda: self._figure(argument, options, content),
            # The figure itself is the output of the cell above.
            "glue:figure": lambda: self.markdown(content) + "\n",
        }
        if name not in handlers:
            raise ValueError(f"{self.source}: no Jupyter form for {{{name}}}")
        return "\n" + handlers[name]() + "\n"

    def _include(self, argument: str, options: dict[str, str]) -> str:
        path = (self.source.parent / argument).resolve()
        if "pyobject" in options:
            code = _function_source(path, options["pyobject"])
        else:
            code = path.read_text(encoding="utf-8").rstrip("\n")
        return f"```python\n{code}\n```\n"

    def _figure(self, argument: str, options: dict[str, str], caption: str) -> str:
        path = (self.source.parent / argument).resolve()
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        self.attachments[path.name] = {MIME[path.suffix]: data}
        alt = options.get("alt", "").replace("]", "")
        return f"![{alt}](attachment:{path.name})\n\n{self.markdown(caption)}\n"


def for_jupyter(
    notebook: nbformat.NotebookNode,
    source: Path,
    notebooks: set[str],
    note: str = "Note",
) -> nbformat.NotebookNode:
    """A copy of ``notebook`` (executed from the page ``source``) for Jupyter.

    ``notebooks`` names the other pages that have a notebook, for links;
    ``note`` is the title of a note in the page's language.
    """
    notebook = copy.deepcopy(notebook)
    # myst-nb's own keys, and the book's record of what a translation
    # translates (tests/translations.py), mean nothing to Jupyter.
    for key in ("file_format", "source_map", "translation"):
        notebook.metadata.pop(key, None)
    notebook.metadata.setdefault("language_info", {"name": "python"})
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            converter = _Converter(source, notebooks, note)
            cell.source = converter.markdown(cell.source)
            if converter.attachments:
                cell.attachments = converter.attachments
        elif cell.cell_type == "code" and "hide-cell" in cell.metadata.get("tags", []):
            cell.metadata["jupyter"] = {"source_hidden": True, "outputs_hidden": True}
    notebook.cells = [
        cell
        for cell in notebook.cells
        if cell.cell_type != "markdown" or cell.source.strip()
    ]
    nbformat.validate(notebook)
    return notebook
