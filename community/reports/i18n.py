"""The reports' own translation catalogue (domain "reports"), used with an explicit locale.

Reports are made by staff in the browser, by `flask report` and by a background job, so the
language is always given, never read from a request.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask_babel import Domain, force_locale

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
LANGUAGES = ("en", "es")

domain = Domain(translation_directories=[str(TRANSLATIONS)], domain="reports")


def gettext(string: str, **variables: object) -> str:
    """The string in the report's language (inside report_locale)."""
    return domain.gettext(string, **variables)


def ngettext(singular: str, plural: str, num: int, **variables: object) -> str:
    """Singular or plural in the report's language (inside report_locale)."""
    return domain.ngettext(singular, plural, num, **variables)


@contextmanager
def report_locale(language: str) -> Iterator[None]:
    """Translate with `language` until the block ends, with or without a request."""
    if language not in LANGUAGES:
        raise ValueError(f"reports are made in {', '.join(LANGUAGES)}, not {language!r}")
    with force_locale(language):
        yield


def current_language() -> str:
    """The language of the page being shown (the UI's choice), as "en" or "es"."""
    from flask_babel import get_locale

    locale = get_locale()
    language = locale.language if locale is not None else "en"
    return language if language in LANGUAGES else "en"
