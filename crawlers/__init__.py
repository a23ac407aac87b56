"""netral's crawlers: a Scrapy project (``scrapy.cfg`` → :mod:`crawlers.settings`) that writes through ``core``.

How a crawl works, and what a new spider has to do:

- Subclass :class:`crawlers.spiders.base.NetralSpider` (arguments ``since``, ``election``, ``shard``;
  per-platform concurrency / rate from ``<platform>_concurrency`` / ``<platform>_requests_per_second``
  settings). Read the watch list with ``load_watchlist()``; build requests with ``self.request(url,
  callback, stream)`` so each stream's cursor is emitted (``self.streams``) only after all its requests.
- Callbacks only parse and yield items (:mod:`crawlers.items`): content, interactions embedding both
  ends, deletions, account ids, crawl errors (``self.json_body`` / ``self.malformed`` keep a bad body as
  evidence) and cursors; attach ``capture_of(response)`` as evidence.
- :class:`crawlers.middlewares.BatchRecordsMiddleware` turns a callback's records into one item; the
  pipelines (:mod:`crawlers.pipelines`) validate, deduplicate, archive evidence and store a batch per
  transaction (:func:`core.ingest.store.write_batch`); :class:`crawlers.middlewares.PoliteRetryMiddleware`
  retries with backoff and honours ``Retry-After`` / rate-limit-reset headers.
- Run crawls from Python with :func:`crawlers.runner.run_crawl` (one subprocess per crawl).
"""
