"""Scrapy settings of the netral crawlers (``scrapy.cfg``: ``default = crawlers.settings``).

Values that an operator tunes (timeouts, retries, user agent, per-platform rates) come from
:class:`core.settings.Settings`, read once here at the edge; per-platform concurrency and request rate
are applied by each spider (:meth:`crawlers.spiders.base.NetralSpider.update_settings`).
"""

from __future__ import annotations

from core.settings import get_settings

_netral = get_settings()

#: The settings object itself: Scrapy components read it from ``crawler.settings`` in ``from_crawler``
#: (:func:`crawlers.config.netral_settings`), so a test or a runner can give a crawl its own.
NETRAL_SETTINGS = _netral

BOT_NAME = "netral"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

USER_AGENT = _netral.crawl_user_agent
ROBOTSTXT_OBEY = False  # documented public APIs, not web pages; politeness comes from the limits below
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = _netral.log_level.upper()
LOG_FORMATTER = "crawlers.logredact.RedactingLogFormatter"
EXTENSIONS = {"crawlers.logredact.RedactLogsExtension": 0}

# Politeness: per-host concurrency and rate (spiders override from platform settings), AutoThrottle.
CONCURRENT_REQUESTS = 16
# Items go one at a time through synchronous pipelines: in order (a stream's cursor after its items), and
# without the per-response asyncio tasks Scrapy would create for parallel item processing.
CONCURRENT_ITEMS = 1
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.1
AUTOTHROTTLE_MAX_DELAY = _netral.crawl_backoff_max_seconds
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0
DOWNLOAD_TIMEOUT = _netral.crawl_timeout_seconds

# Retries with exponential backoff and Retry-After / rate-limit-reset (replaces Scrapy's RetryMiddleware).
RETRY_ENABLED = True
RETRY_TIMES = _netral.crawl_retry_times
RETRY_HTTP_CODES = [408, 429, 500, 502, 503, 504, 522, 524]
NETRAL_BACKOFF_SECONDS = _netral.crawl_backoff_seconds
NETRAL_BACKOFF_MAX_SECONDS = _netral.crawl_backoff_max_seconds
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.PoliteRetryMiddleware": 550,
}

# API crawls need no crawl depth (each middleware costs per output) and send no Referer header.
SPIDER_MIDDLEWARES = {
    "crawlers.middlewares.BatchRecordsMiddleware": 1,  # closest to the engine: one item per callback
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
}
REFERRER_POLICY = "no-referrer"

# Spiders only yield records; these validate, deduplicate, archive the evidence and store through core.
ITEM_PIPELINES = {
    "crawlers.pipelines.ValidatePipeline": 100,
    "crawlers.pipelines.DedupPipeline": 200,
    "crawlers.pipelines.EvidencePipeline": 300,
    "crawlers.storing.StorePipeline": 400,
}
NETRAL_BATCH_SIZE = _netral.crawl_batch_size
NETRAL_FLUSH_SECONDS = _netral.crawl_flush_seconds
