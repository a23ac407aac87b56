"""Store a batch of collected records idempotently, in order, in the caller's transaction.

The store is what makes a crawl safe to repeat or to kill: every write is an upsert on a natural key
(evidence by capture key, content and interactions by ``(platform, native_id)``, cursors by
``(platform, subject, stream)``), so a re-delivered record changes nothing, and cursors are written
last in the batch, after the records they cover. The caller commits (one batch, one transaction).

Order inside a batch: evidence rows → account ids → content → interactions → deletions → errors →
cursors. Interactions whose actor is not a registered account are skipped (counted), because only
declared accounts are watched.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Table, case, func, or_, select, update
from sqlalchemy.orm import Session

from core.evidence import Capture, EvidenceArchive, redact_url, safe_headers
from core.ingest.records import (
    AccountIdRecord,
    ContentRecord,
    CrawlErrorRecord,
    CursorRecord,
    DeletionRecord,
    InteractionRecord,
    Record,
)
from core.ingest.upsert import chunks, lookup_ids, upsert
from core.models import CampaignAccount, ContentItem, CrawlCursor, CrawlError, Evidence, Interaction, SocialAccount
from core.models.base import utcnow

log = logging.getLogger(__name__)

_EVIDENCE: Table = Evidence.__table__  # type: ignore[assignment]
_CONTENT: Table = ContentItem.__table__  # type: ignore[assignment]
_INTERACTION: Table = Interaction.__table__  # type: ignore[assignment]
_CURSOR: Table = CrawlCursor.__table__  # type: ignore[assignment]


@dataclass
class BatchResult:
    """What one batch did (records offered, not rows changed: upserts make that distinction moot)."""

    evidence: int = 0
    content: int = 0
    interactions: int = 0
    deletions: int = 0
    errors: int = 0
    cursors: int = 0
    skipped_actors: int = 0
    unmatched: list[str] = field(default_factory=list)
    #: of the content and interactions offered: rows that did not exist, existed and now differ (text,
    #: revived after a deletion or withdrawal, target learnt), or were seen again as stored
    new: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def stored(self) -> int:
        return self.content + self.interactions


def _captures(records: Sequence[Record]) -> dict[str, Capture]:
    found: dict[str, Capture] = {}
    for rec in records:
        nested = [rec.target, rec.own] if isinstance(rec, InteractionRecord) else []
        for holder in (rec, *nested):
            cap = getattr(holder, "capture", None)
            if cap is not None:
                found.setdefault(cap.key, cap)
    return found


def _store_evidence(session: Session, archive: EvidenceArchive, caps: dict[str, Capture]) -> dict[str, int]:
    """One row per capture (request), keyed by :attr:`Capture.key`; rows of identical bodies share a file."""
    rows = [{
        "capture_key": key, "sha256": cap.sha256, "media_type": cap.media_type[:128], "size": len(cap.body),
        "fetched_at": cap.fetched_at, "source_url": redact_url(cap.url) if cap.url else None,
        "http_status": cap.status, "headers": safe_headers(cap.headers),
        "stored_path": archive.relative_path(cap.sha256),
    } for key, cap in caps.items()]
    upsert(session, _EVIDENCE, rows, ["capture_key"])
    return lookup_ids(session, _EVIDENCE, "capture_key", caps)


def _content_row(rec: ContentRecord, evidence_ids: dict[str, int], now: datetime) -> dict[str, Any]:
    return {
        "platform": rec.platform, "native_id": rec.native_id, "kind": rec.kind, "url": rec.url,
        "author_handle": rec.author_handle, "author_id": rec.author_id, "author_name": rec.author_name,
        "text": rec.text or "", "lang": rec.lang, "created_at": rec.created_at, "fetched_at": now,
        "deleted_at": None, "parent_native_id": rec.parent_native_id,
        "evidence_id": evidence_ids.get(rec.capture.key) if rec.capture else None, "extra": rec.extra,
    }


def _keep(col: str) -> Any:
    """On conflict: keep the stored value, fill it in only when it is still empty."""
    return lambda stmt: func.coalesce(_CONTENT.c[col], stmt.excluded[col])


_CONTENT_UPDATE: dict[str, Any] = {
    **{c: _keep(c) for c in ("url", "author_handle", "author_id", "author_name", "lang", "created_at",
                             "parent_native_id", "evidence_id")},
    "text": lambda stmt: case((stmt.excluded.text != "", stmt.excluded.text), else_=_CONTENT.c.text),
    "kind": lambda stmt: stmt.excluded.kind,
    "extra": lambda stmt: stmt.excluded.extra,
    "fetched_at": lambda stmt: stmt.excluded.fetched_at,
    "deleted_at": lambda stmt: None,  # seen again on the platform: not deleted (any more)
}


def _stored_content(session: Session, keys: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[Any, ...]]:
    """``(extra, text, deleted_at)`` of the stored rows among ``keys``."""
    found: dict[tuple[str, str], tuple[Any, ...]] = {}
    by_platform: dict[str, list[str]] = {}
    for platform, native_id in keys:
        by_platform.setdefault(platform, []).append(native_id)
    for platform, native_ids in by_platform.items():
        for part in chunks(native_ids):
            for native_id, extra, text, deleted_at in session.execute(
                    select(ContentItem.native_id, ContentItem.extra, ContentItem.text, ContentItem.deleted_at)
                    .where(ContentItem.platform == platform, ContentItem.native_id.in_(list(part)))):
                found[(platform, native_id)] = (dict(extra or {}), text, deleted_at)
    return found


def _store_content(session: Session, records: Iterable[ContentRecord], evidence_ids: dict[str, int],
                   now: datetime, result: BatchResult) -> dict[tuple[str, str], int]:
    full: dict[tuple[str, str], ContentRecord] = {}
    extras: dict[tuple[str, str], dict[str, Any]] = {}
    stubs: dict[tuple[str, str], ContentRecord] = {}
    for rec in records:
        key = (rec.platform, rec.native_id)
        if rec.stub:
            stubs[key] = rec
        else:
            full[key] = rec
            extras[key] = {**extras.get(key, {}), **rec.extra}
    for key in full:
        stubs.pop(key, None)
    # views of one content differ in what they know (a campaign feed knows the pair): merge ``extra``
    stored = _stored_content(session, list(full))
    for key, (old, text, deleted_at) in stored.items():
        extras[key] = {**old, **extras[key]}
        rec = full[key]
        if deleted_at is not None or (rec.text and rec.text != text) or extras[key] != old:
            result.changed += 1
        else:
            result.unchanged += 1
    result.new += len(full) - len(stored)
    rows = []
    for key, rec in full.items():
        row = _content_row(rec, evidence_ids, now)
        row["extra"] = extras[key]
        rows.append(row)
    upsert(session, _CONTENT, rows, ["platform", "native_id"], _CONTENT_UPDATE)
    upsert(session, _CONTENT, [_content_row(r, evidence_ids, now) for r in stubs.values()],
           ["platform", "native_id"])
    ids: dict[tuple[str, str], int] = {}
    by_platform: dict[str, list[str]] = {}
    for platform, native_id in (*full, *stubs):
        by_platform.setdefault(platform, []).append(native_id)
    for platform, native_ids in by_platform.items():
        for native_id, row_id in lookup_ids(session, _CONTENT, "native_id", native_ids, platform=platform).items():
            ids[(platform, native_id)] = row_id
    return ids


class ActorResolver:
    """Maps an :class:`AccountRef` to a registered, active ``SocialAccount`` id (cached per batch)."""

    def __init__(self, session: Session, refs: Iterable[tuple[str, str | None, str | None]]) -> None:
        self._by_id: dict[tuple[str, str], int] = {}
        self._by_handle: dict[tuple[str, str], int] = {}
        wanted: dict[str, tuple[set[str], set[str]]] = {}
        for platform, pid, handle in refs:
            ids, handles = wanted.setdefault(platform, (set(), set()))
            if pid:
                ids.add(pid)
            if handle:
                handles.add(handle.lower().lstrip("@"))
        for platform, (ids, handles) in wanted.items():
            for part in chunks(sorted(ids | handles)):
                stmt = select(SocialAccount.id, SocialAccount.platform_id, SocialAccount.handle).where(
                    SocialAccount.platform == platform, SocialAccount.active.is_(True),
                    or_(SocialAccount.platform_id.in_(part), SocialAccount.handle.in_(part)))
                for row_id, pid, handle in session.execute(stmt):
                    if pid:
                        self._by_id[(platform, pid)] = row_id
                    self._by_handle[(platform, handle)] = row_id

    def resolve(self, platform: str, pid: str | None, handle: str | None) -> int | None:
        if pid and (platform, pid) in self._by_id:
            return self._by_id[(platform, pid)]
        # an account may be declared by its platform id as handle (case-sensitive YouTube channel ids)
        for key in (handle.lower().lstrip("@") if handle else None, handle, pid):
            if key and (platform, key) in self._by_handle:
                return self._by_handle[(platform, key)]
        return None


def _store_interactions(session: Session, records: list[InteractionRecord], content_ids: dict[tuple[str, str], int],
                        evidence_ids: dict[str, int], now: datetime, result: BatchResult) -> None:
    actors = ActorResolver(session, ((r.platform, r.actor.platform_id, r.actor.handle) for r in records))
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for rec in records:
        actor_id = actors.resolve(rec.platform, rec.actor.platform_id, rec.actor.handle)
        if actor_id is None:
            result.skipped_actors += 1
            continue
        rows[(rec.platform, rec.native_id)] = {
            "platform": rec.platform, "native_id": rec.native_id, "kind": rec.kind,
            "actor_account_id": actor_id,
            "target_content_id": content_ids.get((rec.target.platform, rec.target.native_id)) if rec.target else None,
            "own_content_id": content_ids.get((rec.own.platform, rec.own.native_id)) if rec.own else None,
            "target_account": rec.target_account, "occurred_at": rec.occurred_at, "fetched_at": now,
            "deleted_at": None, "evidence_id": evidence_ids.get(rec.capture.key) if rec.capture else None,
        }
    keep: dict[str, Any] = {
        c: (lambda col: lambda stmt: func.coalesce(_INTERACTION.c[col], stmt.excluded[col]))(c)
        for c in ("target_content_id", "own_content_id", "target_account", "occurred_at", "evidence_id")}
    keep["deleted_at"] = lambda stmt: None  # seen again on the platform: not withdrawn (any more)
    _classify_interactions(session, rows, result)
    upsert(session, _INTERACTION, list(rows.values()), ["platform", "native_id"], keep)
    result.interactions += len(rows)


def _classify_interactions(session: Session, rows: dict[tuple[str, str], dict[str, Any]],
                           result: BatchResult) -> None:
    """Count the interactions about to be stored as new, changed (revived, target learnt) or unchanged."""
    by_platform: dict[str, list[str]] = {}
    for platform, native_id in rows:
        by_platform.setdefault(platform, []).append(native_id)
    seen = 0
    for platform, native_ids in by_platform.items():
        for part in chunks(native_ids):
            for native_id, deleted_at, target in session.execute(
                    select(Interaction.native_id, Interaction.deleted_at, Interaction.target_content_id)
                    .where(Interaction.platform == platform, Interaction.native_id.in_(list(part)))):
                seen += 1
                row = rows[(platform, native_id)]
                if deleted_at is not None or (target is None and row["target_content_id"] is not None):
                    result.changed += 1
                else:
                    result.unchanged += 1
    result.new += len(rows) - seen


def _mark_deleted(session: Session, records: list[DeletionRecord], now: datetime) -> None:
    for what, model in (("content", ContentItem), ("interaction", Interaction)):
        by_platform: dict[str, list[str]] = {}
        for rec in records:
            if rec.what == what:
                by_platform.setdefault(rec.platform, []).append(rec.native_id)
        for platform, native_ids in by_platform.items():
            for part in chunks(native_ids):
                session.execute(update(model).where(
                    model.platform == platform, model.native_id.in_(list(part)), model.deleted_at.is_(None),
                ).values(deleted_at=now))
                if model is ContentItem:  # a deleted reply or quote: the act itself is gone too
                    gone = select(ContentItem.id).where(ContentItem.platform == platform,
                                                        ContentItem.native_id.in_(list(part)))
                    session.execute(update(Interaction).where(
                        Interaction.own_content_id.in_(gone), Interaction.deleted_at.is_(None),
                    ).values(deleted_at=now))


def _store_account_ids(session: Session, records: list[AccountIdRecord]) -> None:
    for rec in records:
        for model in (SocialAccount, CampaignAccount):
            session.execute(update(model).where(
                model.platform == rec.platform, model.handle == rec.handle.lower(),
                or_(model.platform_id.is_(None), model.platform_id != rec.platform_id),
            ).values(platform_id=rec.platform_id))


def write_batch(session: Session, archive: EvidenceArchive, records: Sequence[Record],
                run_id: int | None = None) -> BatchResult:
    """Upsert ``records`` (files must already be in ``archive``); the caller commits."""
    result = BatchResult()
    now = utcnow()
    caps = _captures(records)
    evidence_ids = _store_evidence(session, archive, caps)
    result.evidence = len(caps)
    _store_account_ids(session, [r for r in records if isinstance(r, AccountIdRecord)])
    interactions = [r for r in records if isinstance(r, InteractionRecord)]
    contents: list[ContentRecord] = [r for r in records if isinstance(r, ContentRecord)]
    for inter in interactions:
        contents.extend(c for c in (inter.target, inter.own) if c is not None)
    content_ids = _store_content(session, contents, evidence_ids, now, result)
    result.content = len([r for r in records if isinstance(r, ContentRecord)])
    _store_interactions(session, interactions, content_ids, evidence_ids, now, result)
    deletions = [r for r in records if isinstance(r, DeletionRecord)]
    _mark_deleted(session, deletions, now)
    result.deletions = len(deletions)
    errors = [r for r in records if isinstance(r, CrawlErrorRecord)]
    for err in errors:
        session.add(CrawlError(run_id=run_id, platform=err.platform, kind=err.kind[:32],
                               url=redact_url(err.url) if err.url else None, message=err.message,
                               evidence_id=evidence_ids.get(err.capture.key) if err.capture else None,
                               occurred_at=now))
    result.errors = len(errors)
    cursors = {(c.platform, c.subject, c.stream): c for c in records if isinstance(c, CursorRecord)}
    upsert(session, _CURSOR, [{"platform": c.platform, "subject": c.subject, "stream": c.stream, "value": c.value,
                               "updated_at": now} for c in cursors.values()],
           ["platform", "subject", "stream"],
           {"value": lambda stmt: stmt.excluded.value, "updated_at": lambda stmt: stmt.excluded.updated_at})
    result.cursors = len(cursors)
    session.flush()
    return result
