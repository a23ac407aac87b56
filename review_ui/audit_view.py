"""The audit page's data: filtered, paged events, the chain check, action names and object links.

The chain check goes through :func:`chain_status` only, so a change in how :mod:`core.audit` verifies
(e.g. a keyed chain) is absorbed in one place.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from core import audit
from core.models import AuditEvent
from review_ui import messages

PAGE_SIZE = 50
#: Most rows an export holds (an auditor narrows by date for more).
EXPORT_LIMIT = 200_000


@dataclass(frozen=True)
class ChainStatus:
    """How many events were verified, the head hash, and where the chain breaks (empty: intact)."""

    events: int
    head: str | None
    breaks: list[Any] = field(default_factory=list)


def chain_status(db: Session) -> ChainStatus:
    """Verify the whole chain (the one call into :mod:`core.audit`'s verification)."""
    report = audit.walk_chain(db)  # count and head come from the same walk that checked each row
    return ChainStatus(events=report.count, head=report.head_hash if report.count else None, breaks=list(report.breaks))


@dataclass(frozen=True)
class AuditFilters:
    """The page's filters, parsed from the query string (bad values are dropped, not errors)."""

    actor: str = ""
    action: str = ""
    object: str = ""
    since: date | None = None
    until: date | None = None
    page: int = 1

    @classmethod
    def parse(cls, params: dict[str, str]) -> AuditFilters:
        def day(value: str | None) -> date | None:
            try:
                return date.fromisoformat(value) if value else None
            except ValueError:
                return None

        try:
            page = max(1, int(params.get("page") or 1))
        except ValueError:
            page = 1
        return cls(actor=(params.get("actor") or "").strip()[:100], action=(params.get("action") or "").strip()[:64],
                   object=(params.get("object") or "").strip()[:130], since=day(params.get("since")),
                   until=day(params.get("until")), page=page)

    def args(self, **extra: Any) -> dict[str, str]:
        """The filters as query arguments (for paging and export links)."""
        out = {"actor": self.actor, "action": self.action, "object": self.object,
               "since": self.since.isoformat() if self.since else "",
               "until": self.until.isoformat() if self.until else ""}
        out.update({k: str(v) for k, v in extra.items()})
        return {k: v for k, v in out.items() if v}


def query(f: AuditFilters) -> Select[AuditEvent]:
    """Events matching ``f``, newest first. ``object`` is ``type`` or ``type:id`` (e.g. ``case:12``)."""
    q = select(AuditEvent)
    if f.actor:
        q = q.where(AuditEvent.actor == f.actor)
    if f.action:
        q = q.where(AuditEvent.action == f.action)
    if f.object:
        kind, _, ident = f.object.partition(":")
        q = q.where(AuditEvent.object_type == kind.strip())
        if ident.strip():
            q = q.where(AuditEvent.object_id == ident.strip())
    if f.since:
        q = q.where(AuditEvent.at >= datetime.combine(f.since, time.min, UTC))
    if f.until:
        q = q.where(AuditEvent.at < datetime.combine(f.until + timedelta(days=1), time.min, UTC))
    return q.order_by(AuditEvent.id.desc())


@dataclass
class AuditPage:
    """One page of events and the paging numbers."""

    events: list[AuditEvent]
    total: int
    page: int
    pages: int


def page_of(db: Session, f: AuditFilters) -> AuditPage:
    """The requested page (clamped to the last one)."""
    q = query(f)
    total = int(db.scalar(select(func.count()).select_from(q.order_by(None).subquery())) or 0)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(f.page, pages)
    events = list(db.scalars(q.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
    return AuditPage(events, total, page, pages)


def choices(db: Session) -> tuple[list[str], list[str], list[str]]:
    """Actors, actions and object types present in the log (for the filter lists)."""
    def distinct(col: Any) -> list[str]:
        return [str(v) for v in db.scalars(select(col).distinct().order_by(col)) if v]
    return distinct(AuditEvent.actor), distinct(AuditEvent.action), distinct(AuditEvent.object_type)


def object_link(event: AuditEvent) -> str | None:
    """Where the event's object is shown in the app, if anywhere."""
    kind, ident = event.object_type, event.object_id
    details = event.details or {}
    if kind == "case" and ident:
        return f"/cases/{ident}"
    if kind == "evidence" and details.get("case_id"):
        return f"/cases/{int(details['case_id'])}"
    if kind == "user" and ident:
        return f"/admin/users#user-{ident}"
    if kind == "audit_log":
        return "/audit"
    return None


def details_text(event: AuditEvent, _: Any) -> list[tuple[str, str]]:
    """The details as (key, value) pairs for the details column, keys and status values in words."""
    keys = {"from": _("from status"), "to": _("to"), "note": _("note"), "reference": _("letter number"),
            "on": _("date"), "case_id": _("case"), "sha256": "SHA-256", "role": _("role"),
            "identity_shown": _("identity shown"), "reason": _("reason"), "format": _("format")}
    out = []
    for key, value in sorted((event.details or {}).items()):
        if value is None:
            continue
        if isinstance(value, bool):
            text = _("yes") if value else _("no")
        elif isinstance(value, str):
            text = messages.status_label(_, value) if key in ("from", "to") else value
        else:
            text = json.dumps(value, ensure_ascii=False, default=str)
        out.append((keys.get(key, key), text))
    return out


def export_csv(db: Session, f: AuditFilters, label: Any) -> str:
    """The filtered events as CSV (UTF-8 with BOM so spreadsheet programs read it right)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["id", "at_utc", "actor", "action", "action_label", "object_type", "object_id", "details",
                     "prev_hash", "hash"])
    for e in db.scalars(query(f).limit(EXPORT_LIMIT)).yield_per(2000):
        writer.writerow([e.id, e.at.astimezone(UTC).isoformat(), e.actor, e.action, label(e.action),
                         e.object_type or "", e.object_id or "",
                         json.dumps(e.details or {}, ensure_ascii=False, sort_keys=True, default=str),
                         e.prev_hash, e.hash])
    return out.getvalue()
