"""Every page of the Russian (ru) book: the checks of ``test_pages.py``.

Run with ``python3 noxfile.py -s browser``, or ``pytest tests/browser`` with
``TORCHPRIMER_SITE`` set to a built site.
"""

from tests.browser.test_pages import TranslatedPageChecks


class TestRussianPages(TranslatedPageChecks):
    """Every ru page: also no English interface text."""

    language = "ru"
