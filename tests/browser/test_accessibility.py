"""axe-core finds nothing serious or critical in dark mode either.

Light mode is checked on every page by ``test_pages.py``; here the home page
and the first lesson of each language are loaded in a browser that prefers
dark colours, with pydata-sphinx-theme's dark theme on, and axe-core (see
:func:`tests.browser.axe_problems`) must find nothing serious or critical.

Run with ``python3 noxfile.py -s browser``, or ``pytest tests/browser`` with
``TORCHPRIMER_SITE`` set to a built site.
"""

from __future__ import annotations

import pytest

from tests.browser import LANGUAGES, LESSON, axe_problems, open_page


@pytest.mark.parametrize(
    "path",
    [f"{language}/{page}" for language in LANGUAGES for page in ("index.html", LESSON)],
)
def test_axe_finds_nothing_serious_in_dark_mode(make_context, path):
    page, _ = open_page(make_context(color_scheme="dark"), path)
    theme = page.evaluate("document.documentElement.dataset.theme")
    # pydata-sphinx-theme follows the system's colours; if it did not, switch
    # it the way its theme button does.
    if theme != "dark":
        page.evaluate("document.documentElement.dataset.theme = 'dark'")
        page.evaluate("() => new Promise(requestAnimationFrame)")
    problems = axe_problems(page)
    assert not problems, f"{path}, dark mode:\n" + "\n".join(problems)
