"""The copy buttons copy what a reader wants to paste.

With the clipboard allowed (as a reader's click allows it):

- the copy button of the first code cell of the first lesson, in each
  language, copies exactly the code of the cell;
- the copy button of the first ``>>>`` example of a page copies the code
  without the prompts and without the output lines.

That code cells have a copy button and outputs none is checked on every page
by ``test_pages.py``.

Run with ``python3 noxfile.py -s browser``, or ``pytest tests/browser`` with
``TORCHPRIMER_SITE`` set to a built site.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Locator, Page

from tests.browser import LESSON, open_page


def _source(lines: list[str]) -> list[str]:
    """The code of a ``>>>`` example: its prompt lines, without the prompts."""
    prompts = (">>> ", "... ")
    return [
        line[4:] for line in lines if line.startswith(prompts) or line in (">>>", "...")
    ]


@pytest.fixture
def clipboard(make_context, server) -> BrowserContext:
    """A desktop context whose pages may write and read the clipboard."""
    context = make_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    return context


def _copy(page: Page, block: Locator) -> str:
    """Click the copy button of a code block: what the clipboard then holds."""
    page.evaluate("navigator.clipboard.writeText('')")
    block.hover()  # the button may show only on hover
    block.locator("button.copybtn").first.click()
    return page.evaluate("navigator.clipboard.readText()")


def test_copy_button_copies_a_code_cell(clipboard, language):
    path = f"{language}/{LESSON}"
    page, _ = open_page(clipboard, path)
    block = page.locator("div.cell_input div.highlight").filter(visible=True).first
    if not block.locator("button.copybtn").count():
        pytest.fail(f"the first code cell of {path} has no copy button")
    code = block.locator("pre").inner_text()
    copied = _copy(page, block)
    assert copied.rstrip("\n") == code.rstrip("\n"), (
        f"the copy button of the first code cell of {path} copies {copied!r}, "
        f"not the code {code!r}"
    )


def test_copy_button_drops_prompts_and_output(clipboard, prompt_page):
    page, _ = open_page(clipboard, prompt_page)
    block = page.locator("div.highlight:has(pre span.gp)").filter(visible=True).first
    if not block.locator("button.copybtn").count():
        pytest.fail(f"the first >>> example of {prompt_page} has no copy button")
    lines = block.locator("pre").inner_text().splitlines()
    code = _source(lines)
    copied = _copy(page, block)
    assert [line for line in copied.splitlines() if line.strip()] == [
        line for line in code if line.strip()
    ], (
        f"the copy button of the first >>> example of {prompt_page} copies "
        f"{copied!r}; without prompts and output, the example is {code!r}"
    )
