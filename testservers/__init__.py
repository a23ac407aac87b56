"""Local stand-ins for the platforms' servers: used only by the demo, the tests and the benchmarks.

The product (core, crawlers, nlp, pipelines apart from :mod:`pipelines.demo`, review_ui) never imports this
package; ``tests/test_import_rules.py`` enforces that. It holds:

- :mod:`testservers.replay`: one HTTP server answering in the documented shapes of the YouTube Data API v3,
  X API v2 and the Facebook Graph API (paging tokens, quota and rate-limit errors, deleted items);
- :mod:`testservers.atproto_network`: the driver of a real local AT Protocol network (``@atproto/dev-env``);
- :mod:`testservers.synthetic_mastodon`: a Mastodon-API server generated from a few numbers, for scale runs.
"""
