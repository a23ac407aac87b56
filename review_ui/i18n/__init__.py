"""Languages of the review UI: Bahasa Indonesia (default) and English.

Message ids are English; ``review_ui/i18n/<lang>/LC_MESSAGES/messages.po`` holds the catalogs and the
compiled ``.mo`` beside them is what runs (``python -m review_ui.i18n.build`` extracts, updates and
compiles; a test fails when a ``.mo`` is stale or a message has no Indonesian translation).
"""

from __future__ import annotations

from functools import lru_cache
from gettext import NullTranslations
from pathlib import Path

from babel.support import Translations

CATALOG_DIR = Path(__file__).resolve().parent
LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
DOMAIN = "messages"


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> NullTranslations:
    """The compiled catalog for ``lang`` (English falls back to the message ids)."""
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    return Translations.load(str(CATALOG_DIR), [lang], DOMAIN)


def pick_language(value: str | None) -> str:
    """A supported language code from a cookie value, else the default."""
    return value if value in LANGUAGES else DEFAULT_LANGUAGE
