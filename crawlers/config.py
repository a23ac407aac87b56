"""How Scrapy components find netral's settings: on the crawler, not in a global.

``crawlers/settings.py`` puts the :class:`~core.settings.Settings` object under ``NETRAL_SETTINGS``;
a crawler built with other Scrapy settings (a test's ``CrawlerRunner``) may carry its own. Only a crawler
without one falls back to the process's settings.
"""

from __future__ import annotations

from typing import Any

from core.settings import Settings, get_settings


def netral_settings(scrapy_settings: Any) -> Settings:
    """The netral settings a crawler carries (``NETRAL_SETTINGS``), else the process's."""
    found = scrapy_settings.get("NETRAL_SETTINGS") if scrapy_settings is not None else None
    return found if isinstance(found, Settings) else get_settings()
