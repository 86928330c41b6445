"""Every page of the Chinese (zh_CN) book: the checks of ``test_pages.py``.

Run with ``python3 noxfile.py -s browser``, or ``pytest tests/browser`` with
``TORCHPRIMER_SITE`` set to a built site.
"""

from tests.browser.test_pages import TranslatedPageChecks


class TestChinesePages(TranslatedPageChecks):
    """Every zh_CN page: also no English interface text."""

    language = "zh_CN"
