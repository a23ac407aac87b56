"""Retention purge keeps everything a case needs and removes the rest, files included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.evidence import EvidenceArchive
from core.models import AuditEvent, ContentItem, Evidence, IncidentInteraction, Interaction
from core.retention import purge, remove_files
from tests import factories as f

NOW = datetime(2025, 6, 1, tzinfo=UTC)
OLD = NOW - timedelta(days=200)


def evidence(session: Session, archive: EvidenceArchive, body: bytes) -> Evidence:
    sha, rel = archive.put(body)
    row = Evidence(sha256=sha, media_type="application/json", size=len(body), fetched_at=OLD,
                   source_url="http://127.0.0.1/x", stored_path=rel, headers={})
    session.add(row)
    session.flush()
    return row


def test_purge_keeps_case_material_and_removes_the_rest(session: Session, tmp_path: Path) -> None:
    archive = EvidenceArchive(tmp_path / "evidence")
    acc = f.account(session)
    ev_case, ev_free, ev_new = (evidence(session, archive, b) for b in (b"case", b"free", b"new"))
    case_post = f.content(session, fetched_at=OLD, evidence_id=ev_case.id)
    free_post = f.content(session, fetched_at=OLD, evidence_id=ev_free.id)
    new_post = f.content(session, fetched_at=NOW, evidence_id=ev_new.id)
    ev_new.fetched_at = NOW
    kept_like = f.interaction(session, actor=acc, target=case_post, fetched_at=OLD)
    free_like = f.interaction(session, actor=acc, target=free_post, fetched_at=OLD)
    new_like = f.interaction(session, actor=acc, target=new_post, fetched_at=NOW)
    case = f.case(session, emp=acc.employee, target=case_post)
    session.add(IncidentInteraction(incident_id=case.incidents[0].id, interaction_id=kept_like.id))
    session.flush()

    preview = purge(session, retention_days=180, now=NOW, dry_run=True)
    assert (preview.interactions, preview.content_items, preview.evidence) == (1, 1, 1)
    assert session.get(Interaction, free_like.id) is not None

    report = purge(session, retention_days=180, now=NOW)
    session.commit()
    assert (report.interactions, report.content_items, report.evidence) == (1, 1, 1)
    assert remove_files(archive, report.files) == 1
    session.expire_all()
    assert {i.id for i in session.scalars(select(Interaction))} == {kept_like.id, new_like.id}
    assert {c.id for c in session.scalars(select(ContentItem))} == {case_post.id, new_post.id}
    assert {e.sha256 for e in session.scalars(select(Evidence))} == {ev_case.sha256, ev_new.sha256}
    assert archive.path(ev_case.sha256).exists() and not archive.path(ev_free.sha256).exists()
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.purge")).one()
    assert event.details["content_items"] == 1 and event.details["retention_days"] == 180


def test_nothing_old_means_nothing_removed(session: Session) -> None:
    f.interaction(session, fetched_at=NOW)
    report = purge(session, retention_days=30, now=NOW)
    assert (report.interactions, report.content_items, report.evidence) == (0, 0, 0)
