"""Run a crawl from Python (flows, the CLI, tests): one ``python -m scrapy crawl`` subprocess per crawl.

A subprocess per crawl is the robust way to run Scrapy repeatedly from a long-lived process: Twisted's
reactor cannot be restarted in-process (``ReactorNotRestartable``), and a crashed or killed crawl
cannot take the caller down. The crawl reads its settings from the environment (``NETRAL_*``), like
every netral process; the outcome is read back from the ``crawl_run`` table.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from core.db import engine_from_settings, make_session_factory, session_scope
from core.errors import NetralError
from core.ingest import runs
from core.models import CrawlError, CrawlRun
from core.settings import Settings, get_settings
from crawlers.spiders.base import run_label

log = logging.getLogger(__name__)

SPIDERS = ("bluesky", "mastodon", "youtube", "x", "facebook")


class CrawlFailed(NetralError):
    """The crawl process could not run (bad arguments, crash before it opened its run)."""


@dataclass(frozen=True)
class CrawlOutcome:
    """What one crawl did, as recorded in its ``crawl_run`` row."""

    platform: str
    returncode: int
    run_id: int | None
    status: str
    items_stored: int
    errors: int
    seconds: float
    new: int = 0  # content and interactions that did not exist before the run
    changed: int = 0  # ... that existed and now differ (text, revived, target learnt)
    unchanged: int = 0  # ... seen again as stored


def crawl_command(platform: str, since: date | datetime | None = None, election: str | None = None,
                  shard: tuple[int, int] | None = None, tag: str | None = None) -> list[str]:
    """The command line of one crawl (``shard=(i, n)``: only the i-th of n slices of the accounts)."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", platform]
    if shard is not None and shard[1] > 1:
        cmd += ["-a", f"shard={shard[0]}/{shard[1]}"]
    if since is not None:
        cmd += ["-a", f"since={since.isoformat()}"]
    if election:
        cmd += ["-a", f"election={election}"]
    if tag:
        cmd += ["-a", f"tag={tag}"]
    return cmd


def crawl_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The crawl's environment: this process's, with Scrapy pointed at :mod:`crawlers.settings`."""
    return {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawlers.settings", **(extra or {})}


def start_crawl(platform: str, *, since: date | datetime | None = None, election: str | None = None,
                env: Mapping[str, str] | None = None, shard: tuple[int, int] | None = None,
                tag: str | None = None) -> subprocess.Popen[bytes]:
    """Start a crawl and return at once (the caller waits, or kills it)."""
    if platform not in SPIDERS:
        raise CrawlFailed(f"unknown platform {platform!r} (known: {', '.join(SPIDERS)})")
    return subprocess.Popen(crawl_command(platform, since, election, shard, tag), env=crawl_env(env),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def run_crawl(platform: str, *, since: date | datetime | None = None, election: str | None = None,
              env: Mapping[str, str] | None = None, timeout: float | None = None,
              settings: Settings | None = None, shard: tuple[int, int] | None = None,
              tag: str | None = None) -> CrawlOutcome:
    """Run one crawl to its end and return its outcome; the crawl's log goes to this process's log.

    The run is found again by ``tag`` (a fresh token unless the caller brings one, as a flow on another
    machine does), not as "the newest run": two crawls of one label may overlap."""
    started = time.monotonic()
    label = run_label(platform, shard if shard and shard[1] > 1 else None)
    tag = tag or uuid.uuid4().hex
    proc = start_crawl(platform, since=since, election=election, env=env, shard=shard, tag=tag)
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        output, _ = proc.communicate()
        raise CrawlFailed(f"{platform} crawl exceeded {timeout}s and was stopped") from None
    text = output.decode("utf-8", "replace")
    for line in text.splitlines():
        if " ERROR" in line or " WARNING" in line or "Traceback" in line:
            log.warning("%s crawl: %s", platform, line)
    outcome = read_outcome(platform, proc.returncode, time.monotonic() - started, settings, spider=label, tag=tag)
    if outcome.run_id is None:
        raise CrawlFailed(f"{platform} crawl did not start (exit {proc.returncode}):\n{text[-2000:]}")
    return outcome


def read_outcome(platform: str, returncode: int, seconds: float, settings: Settings | None = None,
                 spider: str | None = None, tag: str | None = None) -> CrawlOutcome:
    """The newest run of ``platform`` (of that spider label, for a shard); with ``tag``, the run started
    with that token (``missing`` when there is none).

    A run left ``running`` by a process that exited with an error is closed as ``failed``.
    """
    engine = engine_from_settings(settings or get_settings())
    try:
        with session_scope(make_session_factory(engine)) as session:
            query = select(CrawlRun).where(CrawlRun.platform == platform)
            if spider is not None:
                query = query.where(CrawlRun.spider == spider)
            newest = session.scalars(query.order_by(CrawlRun.id.desc()).limit(1 if tag is None else 50))
            run = next((r for r in newest if tag is None or (r.stats or {}).get(runs.TAG_STAT) == tag), None)
            if run is None:
                return CrawlOutcome(platform, returncode, None, "missing", 0, 0, seconds)
            if returncode != 0 and run.status == "running":
                runs.finish_run(session, run.id, "failed", {})
            errors = session.scalar(select(func.count()).select_from(CrawlError).where(CrawlError.run_id == run.id))
            stats = run.stats or {}
            return CrawlOutcome(platform, returncode, run.id, run.status, run.items_stored, int(errors or 0), seconds,
                                int(stats.get("netral/new", 0)), int(stats.get("netral/changed", 0)),
                                int(stats.get("netral/unchanged", 0)))
    finally:
        engine.dispose()
