"""Prometheus metrics of an installation, computed from the database at each scrape.

The web process holds no counters of its own (the scan runs in other processes, several server
processes may run): a custom collector reads what the database knows when Prometheus asks. Only
aggregates, never a person: queue size by status, ages of open cases in working days, the last scan of
each Pilkada (duration, items, errors, skipped platforms), failed logins, and the audit chain's state
(its walk reads every row, so its result is cached for ``metrics_audit_cache_seconds``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.case_rules import calendar
from core.models import Case, Election, LoginAttempt, ScanRun
from core.models.base import utcnow
from core.models.users import LoginOutcome
from core.settings import Settings

OPEN = ("detected", "in_triage", "awaiting_second")
AGE_BUCKETS = (1, 2, 3, 5, 10, 20, 40)  # working days


class NetralCollector(Collector):
    """Reads the metrics from the database; one short read-only session per scrape."""

    def __init__(self, sessions: sessionmaker[Session], settings: Settings) -> None:
        self.sessions = sessions
        self.settings = settings
        self._audit: tuple[float, bool, int] | None = None

    def collect(self) -> Iterator[Metric]:
        with self.sessions() as session:
            yield from self._queue(session)
            yield from self._ages(session)
            yield from self._scans(session)
            yield from self._logins(session)
            yield from self._audit_chain(session)

    def _queue(self, session: Session) -> Iterator[Metric]:
        gauge = GaugeMetricFamily("netral_cases", "Cases by status (one case per person and Pilkada).",
                                  labels=["status"])
        for status, count in session.execute(select(Case.status, func.count()).group_by(Case.status)):
            gauge.add_metric([status], count)
        yield gauge

    def _ages(self, session: Session) -> Iterator[Metric]:
        cal = calendar(self.settings)
        today = utcnow().date()
        ages = [cal.between(created.date(), today)
                for created in session.scalars(select(Case.created_at).where(Case.status.in_(OPEN)))]
        buckets = [(str(b), sum(1 for a in ages if a <= b)) for b in AGE_BUCKETS] + [("+Inf", len(ages))]
        yield HistogramMetricFamily("netral_open_case_age_workdays",
                                    "Age of the cases still waiting for review, in working days.",
                                    buckets=buckets, sum_value=float(sum(ages)))

    def _scans(self, session: Session) -> Iterator[Metric]:
        duration = GaugeMetricFamily("netral_scan_last_duration_seconds", "Wall time of the last finished scan.",
                                     labels=["election", "status"])
        finished = GaugeMetricFamily("netral_scan_last_finished_timestamp_seconds",
                                     "When the last scan finished (Unix time).", labels=["election"])
        items = GaugeMetricFamily("netral_scan_last_items", "Records stored by the last scan, per platform.",
                                  labels=["election", "platform"])
        errors = GaugeMetricFamily("netral_scan_last_errors", "Crawl errors of the last scan, per platform.",
                                   labels=["election", "platform"])
        skipped = GaugeMetricFamily("netral_scan_last_skipped", "1 for each platform the last scan skipped.",
                                    labels=["election", "platform"])
        runs = CounterMetricFamily("netral_scan_runs", "Scans recorded, by outcome.", labels=["status"])
        for status, count in session.execute(select(ScanRun.status, func.count()).group_by(ScanRun.status)):
            runs.add_metric([status], count)
        last = (select(ScanRun.election_id, func.max(ScanRun.id).label("id"))
                .where(ScanRun.finished_at.is_not(None)).group_by(ScanRun.election_id).subquery())
        rows = session.execute(select(ScanRun, Election.slug).join(last, last.c.id == ScanRun.id)
                               .outerjoin(Election, Election.id == ScanRun.election_id))
        for run, slug in rows:
            name = slug or "-"
            summary: dict[str, Any] = run.summary or {}
            assert run.finished_at is not None
            duration.add_metric([name, run.status], (run.finished_at - run.started_at).total_seconds())
            finished.add_metric([name], run.finished_at.timestamp())
            for platform, outcome in (summary.get("platforms") or {}).items():
                items.add_metric([name, platform], float(outcome.get("items", 0)))
                errors.add_metric([name, platform], float(outcome.get("errors", 0)))
            for platform in summary.get("skipped") or {}:
                skipped.add_metric([name, platform], 1.0)
        yield from (duration, finished, items, errors, skipped, runs)

    def _logins(self, session: Session) -> Iterator[Metric]:
        since = utcnow() - timedelta(hours=24)
        gauge = GaugeMetricFamily("netral_login_attempts_24h", "Login attempts in the last 24 hours, by outcome "
                                  "(failure: wrong password; throttled: refused before the check).",
                                  labels=["outcome"])
        for outcome, count in session.execute(select(LoginAttempt.outcome, func.count()).where(
                LoginAttempt.at >= since, LoginAttempt.outcome.in_([LoginOutcome.FAILURE, LoginOutcome.THROTTLED]))
                .group_by(LoginAttempt.outcome)):
            gauge.add_metric([str(outcome)], count)
        yield gauge

    def _audit_chain(self, session: Session) -> Iterator[Metric]:
        now = time.monotonic()
        if self._audit is None or now - self._audit[0] > self.settings.metrics_audit_cache_seconds:
            report = audit.walk_chain(session)
            self._audit = (now, report.intact, report.count)
        _, intact, count = self._audit
        state = GaugeMetricFamily("netral_audit_chain_intact",
                                  "1 when every audit event matches its keyed hash and link (cached walk).")
        state.add_metric([], 1.0 if intact else 0.0)
        events = GaugeMetricFamily("netral_audit_events", "Audit events in the chain at the last walk.")
        events.add_metric([], count)
        yield from (state, events)
