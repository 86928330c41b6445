"""The notebooks readers download: MyST markup rewritten for plain Jupyter."""

from __future__ import annotations

import base64
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

from notebook_export import for_jupyter

PAGE = ROOT / "docs" / "en" / "neuron.md"


def _notebook(*cells) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook(
        metadata={
            "file_format": "mystnb",
            "source_map": [1, 2],
            "translation": {"en": "3f2a9c1b7d04"},
        }
    )
    notebook.cells = list(cells)
    return notebook


def _markdown(text: str) -> str:
    converted = for_jupyter(_notebook(nbformat.v4.new_markdown_cell(text)), PAGE, set())
    return converted.cells[0].source


def test_stated_outputs_are_dropped():
    text = "```{output}\ntensor([0.5000])\n```\n\nThe next paragraph."
    assert _markdown(text) == "The next paragraph."


def test_a_markdown_cell_left_empty_is_dropped():
    notebook = _notebook(
        nbformat.v4.new_code_cell("1 + 1"),
        nbformat.v4.new_markdown_cell("```{output}\n2\n```\n"),
    )
    assert [cell.cell_type for cell in for_jupyter(notebook, PAGE, set()).cells] == [
        "code"
    ]


def test_an_admonition_becomes_a_quote_with_its_title():
    text = ":::{admonition} Упражнение\nCompute `y`.\n\nThen `z`.\n:::\n"
    assert _markdown(text) == "> **Упражнение**\n>\n> Compute `y`.\n>\n> Then `z`."


def test_a_note_is_titled_in_the_pages_language():
    notebook = _notebook(nbformat.v4.new_markdown_cell(":::{note}\nText.\n:::"))
    converted = for_jupyter(notebook, PAGE, set(), note="Примечание")
    assert converted.cells[0].source == "> **Примечание**\n>\n> Text."


def test_an_included_function_becomes_its_source():
    text = (
        "```{literalinclude} ../../src/torchprimer/neuron.py\n:pyobject: sigmoid\n```"
    )
    source = _markdown(text)
    assert source.startswith("```python\ndef sigmoid(x: torch.Tensor)")
    assert source.endswith("```")
    assert "def " not in source.split("\n", 2)[2]  # that function only


def test_a_figure_travels_as_an_attachment():
    text = (
        "```{figure} ../_figures/neuron.svg\n:alt: One unit.\n:width: 480px\n\n"
        "The caption, with $x_i$.\n```"
    )
    notebook = _notebook(nbformat.v4.new_markdown_cell(text))
    cell = for_jupyter(notebook, PAGE, set()).cells[0]
    assert (
        cell.source == "![One unit.](attachment:neuron.svg)\n\nThe caption, with $x_i$."
    )
    svg = (ROOT / "docs" / "_figures" / "neuron.svg").read_bytes()
    assert base64.b64decode(cell.attachments["neuron.svg"]["image/svg+xml"]) == svg


def test_links_to_lessons_lead_to_their_notebooks():
    notebook = _notebook(
        nbformat.v4.new_markdown_cell(
            "See [autograd](autograd.md#leaves) and the [API](api.md)."
        )
    )
    converted = for_jupyter(notebook, PAGE, {"autograd", "neuron"})
    assert (
        converted.cells[0].source
        == "See [autograd](autograd.ipynb#leaves) and the API."
    )


def test_solutions_stay_folded_in_jupyter():
    cell = nbformat.v4.new_code_cell("answer = 42", metadata={"tags": ["hide-cell"]})
    converted = for_jupyter(_notebook(cell), PAGE, set()).cells[0]
    assert converted.metadata["jupyter"] == {
        "source_hidden": True,
        "outputs_hidden": True,
    }


def test_myst_nb_metadata_is_dropped_and_the_input_is_untouched():
    notebook = _notebook(nbformat.v4.new_markdown_cell("```{output}\n1\n```"))
    converted = for_jupyter(notebook, PAGE, set())
    assert "file_format" not in converted.metadata
    assert "source_map" not in converted.metadata
    assert "translation" not in converted.metadata
    assert notebook.cells[0].source == "```{output}\n1\n```"


def test_unknown_markup_is_an_error_not_raw_text():
    with pytest.raises(ValueError, match=r"no Jupyter form for \{toctree\}"):
        _markdown("```{toctree}\nneuron\n```")
