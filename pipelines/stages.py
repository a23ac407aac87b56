"""The scan's stages as plain functions (each opens its own session; the flow only composes them).

Keeping them free of Prefect makes each stage callable from a test, the CLI or a worker alike, and
keeps the rule "one DB session per task; commit at the use-case boundary".
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update

from core import digest
from core.case_priority import refresh_priorities
from core.db import engine_from_settings, make_session_factory, session_scope
from core.models import Election, ScanRun, utcnow
from core.settings import Settings
from crawlers.runner import run_crawl
from nlp.predict import Classifier
from pipelines.assess import AssessStats, assess_pending
from pipelines.classify import ClassifyStats, classify_pending, make_classifier
from pipelines.models import load_active
from pipelines.plan import ScanPlan, make_plan
from pipelines.report_cases import open_report_cases

log = logging.getLogger(__name__)


@dataclass
class ScanSummary:
    """What one scan did, stored on its ScanRun row and printed."""

    election: str
    platforms: dict[str, dict[str, Any]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    classified: int = 0
    campaign_items: int = 0
    assessed: int = 0
    flagged: int = 0
    new_cases: list[int] = field(default_factory=list)
    updated_cases: list[int] = field(default_factory=list)
    new_incidents: int = 0
    ruled_out: int = 0
    model_version: str = ""
    seconds: dict[str, float] = field(default_factory=dict)
    digest_sent: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Stages:
    """The stages bound to one settings object (one engine per process)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = engine_from_settings(settings)
        self.sessions = make_session_factory(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def plan(self, election: str, platforms: list[str] | None) -> ScanPlan:
        with session_scope(self.sessions) as session:
            return make_plan(session, self.settings, election, platforms)

    def open_run(self, plan: ScanPlan, params: dict[str, Any], flow_run_id: str | None) -> int:
        """A new ScanRun; earlier runs of this election still marked running died (killed, crashed)."""
        with session_scope(self.sessions) as session:
            session.execute(update(ScanRun).where(ScanRun.election_id == plan.election_id,
                                                  ScanRun.status == "running")
                            .values(status="interrupted", finished_at=utcnow()))
            run = ScanRun(election_id=plan.election_id, flow_run_id=flow_run_id, params=params, status="running")
            session.add(run)
            session.flush()
            return run.id

    def crawl(self, platform: str, election: str, since: date | datetime | None, shard: int,
              shards: int, tag: str | None = None) -> dict[str, Any]:
        outcome = run_crawl(platform, election=election, since=since, shard=(shard, shards),
                            settings=self.settings, tag=tag)
        return {**asdict(outcome), "shard": shard, "shards": shards}

    def _classifier(self, election: str) -> tuple[Election, Classifier]:
        with session_scope(self.sessions) as session:
            row = session.scalars(select(Election).where(Election.slug == election)).one()
            return row, make_classifier(row, load_active(self.settings))

    def classify(self, election: str) -> ClassifyStats:
        """Classify in committed batches until nothing is left."""
        _, classifier = self._classifier(election)
        total = ClassifyStats(classifier.version)
        while True:
            with session_scope(self.sessions) as session:
                part = classify_pending(session, classifier, max_batches=1)
            total.classified += part.classified
            total.campaign += part.campaign
            if part.classified == 0:
                return total

    def assess(self, election: str) -> AssessStats:
        """Assess in committed batches until nothing is left."""
        row, classifier = self._classifier(election)
        total = AssessStats()
        while True:
            with session_scope(self.sessions) as session:
                election_row = session.get(Election, row.id)
                assert election_row is not None
                part = assess_pending(session, election_row, classifier.spec, classifier.version, max_batches=1)
            total.assessed += part.assessed
            total.flagged += part.flagged
            total.new_cases += part.new_cases
            known = set(total.new_cases) | set(total.updated_cases)
            total.updated_cases += [c for c in part.updated_cases if c not in known]
            total.new_incidents += part.new_incidents
            total.ruled_out += part.ruled_out
            if part.assessed == 0:
                break
        with session_scope(self.sessions) as session:
            election_row = session.get(Election, row.id)
            assert election_row is not None
            total.new_cases += open_report_cases(session, election_row, classifier.version)
        touched = sorted(set(total.new_cases) | set(total.updated_cases))
        for i in range(0, len(touched), 5000):  # the documented priority with the settings, in short writes
            with session_scope(self.sessions) as session:
                refresh_priorities(session, self.settings, case_ids=touched[i:i + 5000])
        return total

    def finish_run(self, run_id: int, summary: ScanSummary, status: str) -> None:
        with session_scope(self.sessions) as session:
            run = session.get(ScanRun, run_id)
            assert run is not None
            run.status, run.finished_at, run.summary = status, utcnow(), summary.as_dict()

    def send_digest(self, summary: ScanSummary, election_name: str) -> bool:
        if not summary.new_cases or not digest.enabled(self.settings):
            return False
        with session_scope(self.sessions) as session:
            message = digest.compose(session, self.settings, summary.new_cases, election_name)
        digest.send(self.settings, message)
        return True
