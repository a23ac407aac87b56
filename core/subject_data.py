"""Everything netral holds about one employee, gathered for a data-subject access request (UU 27/2022).

:func:`gather` reads, in the caller's transaction, every row that concerns the person: the roster
record, the accounts they declared, what those accounts did (interactions, with both ends of each),
the rule assessments and classifier verdicts of that material, the cases opened about them with their
whole due-process history, the reports sent in about them, the evidence rows all of these cite, and
the audit events about their cases, reports and earlier exports. It returns JSON-ready sections in a
fixed order, so two exports of unchanged data are identical.

Other people's personal data stays out. A case, report or interaction row concerns exactly one
employee (``Case.employee_id``, ``Report.employee_id``, the interaction's actor account), and only
this person's rows are read; a case link to another employee's interaction (which intake never
makes) is dropped all the same. Content the person interacted with can have been written by
*another employee's* declared account: its text stays (it is what the person reacted to), but the
author's handle, id, name, URL and native id are withheld, and evidence cited only by such content is
listed without its file. Staff usernames (reviewers, the reporter of record) stay: they acted in role.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from core.models import (
    Assessment,
    AuditEvent,
    Case,
    CaseReview,
    Classification,
    ContentItem,
    Election,
    Employee,
    Evidence,
    Incident,
    Interaction,
    Report,
    SocialAccount,
)
from core.registry.queries import get_employee

#: Why a value is missing from the export (said once, in the JSON, beside the withheld fields).
WITHHELD_OTHER_EMPLOYEE = "withheld: another employee's declared account"


def iso(value: datetime | date | None) -> str | None:
    """ISO-8601 (times are stored in UTC and keep their ``+00:00`` offset)."""
    return None if value is None else value.isoformat()


def _sorted_json(value: Any) -> Any:
    """Free-form JSON columns with their keys sorted: backends return JSON objects in different orders."""
    if isinstance(value, dict):
        return {str(k): _sorted_json(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, list):
        return [_sorted_json(v) for v in value]
    return value


#: Ids per IN list: an employee with years of activity must not hit a backend's parameter limit.
CHUNK = 1000


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    items = sorted(v for v in set(values) if v is not None)
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def _handle(value: str | None) -> str | None:
    return value.strip().lstrip("@").lower() if value else None


@dataclass
class SubjectData:
    """The gathered sections (JSON-ready, in export order) and the evidence rows they cite.

    ``withheld_evidence`` holds the hashes cited only by another employee's content: listed, not included.
    """

    employee: Employee
    sections: dict[str, Any]
    evidence: list[Evidence] = field(default_factory=list)
    withheld_evidence: set[str] = field(default_factory=set)


class _Accounts:
    """Which (platform, handle / platform id) pairs belong to the subject and which to other employees."""

    def __init__(self, session: Session, employee: Employee, contents: Iterable[ContentItem],
                 follow_targets: Iterable[tuple[str, str]]) -> None:
        self.own = {(a.platform, a.handle) for a in employee.accounts}
        self.own |= {(a.platform, a.platform_id) for a in employee.accounts if a.platform_id}
        handles = {h for c in contents if (h := _handle(c.author_handle))}
        handles |= {h for _, t in follow_targets if (h := _handle(t))}
        ids = {c.author_id for c in contents if c.author_id}
        self.others: set[tuple[str, str]] = set()
        columns = select(SocialAccount.platform, SocialAccount.handle, SocialAccount.platform_id).where(
            SocialAccount.employee_id != employee.id)
        queries = [columns.where(SocialAccount.handle.in_(part)) for part in _chunks(handles)]
        queries += [columns.where(SocialAccount.platform_id.in_(part)) for part in _chunks(ids)]
        for query in queries:
            for platform, handle, platform_id in session.execute(query):
                self.others.add((platform, handle))
                if platform_id:
                    self.others.add((platform, platform_id))

    def is_other(self, platform: str, handle: str | None, platform_id: str | None = None) -> bool:
        """Whether the account is another employee's (never true for the subject's own accounts)."""
        keys = {(platform, h) for h in (_handle(handle), platform_id) if h}
        return bool(keys & self.others) and not keys & self.own

    def is_own(self, platform: str, handle: str | None, platform_id: str | None = None) -> bool:
        return bool({(platform, h) for h in (_handle(handle), platform_id) if h} & self.own)


def gather(session: Session, number: str) -> SubjectData:
    """The sections for the employee with NIP / NI PPPK / staff number ``number`` (``NotFound`` otherwise)."""
    employee = get_employee(session, number)
    account_ids = select(SocialAccount.id).where(SocialAccount.employee_id == employee.id)
    interactions = list(session.scalars(
        select(Interaction).where(Interaction.actor_account_id.in_(account_ids)).order_by(Interaction.id)))
    own_interactions = {i.id for i in interactions}
    cases = list(session.scalars(
        select(Case).where(Case.employee_id == employee.id).order_by(Case.id)
        .options(selectinload(Case.events), selectinload(Case.incidents).selectinload(Incident.links),
                 selectinload(Case.incidents).selectinload(Incident.marks))))
    reports = list(session.scalars(
        select(Report).where(Report.employee_id == employee.id).order_by(Report.id)
        .options(selectinload(Report.files))))
    cited = [i.target_content_id for i in interactions] + [i.own_content_id for i in interactions]
    cited += [i.target_content_id for c in cases for i in c.incidents] + [r.content_id for r in reports]
    content_ids = {cid for cid in cited if cid is not None}
    contents = sorted((c for part in _chunks(content_ids)
                       for c in session.scalars(select(ContentItem).where(ContentItem.id.in_(part)))),
                      key=lambda c: c.id)
    follows = [(i.platform, i.target_account) for i in interactions if i.target_account]
    accounts = _Accounts(session, employee, contents, follows)
    redacted = {c.id for c in contents if accounts.is_other(c.platform, c.author_handle, c.author_id)}

    evidence_ids: dict[int, bool] = {}  # evidence id -> cited by something that is not withheld

    def cite(evidence_id: int | None, withheld: bool = False) -> None:
        if evidence_id is not None:
            evidence_ids[evidence_id] = evidence_ids.get(evidence_id, False) or not withheld

    for c in contents:
        cite(c.evidence_id, c.id in redacted)
    for i in interactions:
        cite(i.evidence_id)
    for r in reports:
        cite(r.page_evidence_id)
        for f in r.files:
            cite(f.evidence_id)
    evidence = sorted((e for part in _chunks(evidence_ids)
                       for e in session.scalars(select(Evidence).where(Evidence.id.in_(part)))),
                      key=lambda e: e.sha256)
    sha = {e.id: e.sha256 for e in evidence}
    withheld = {e.sha256 for e in evidence if not evidence_ids[e.id]}

    sections: dict[str, Any] = {
        "employee": _employee(employee),
        "social_accounts": [_account(a) for a in sorted(employee.accounts, key=lambda a: a.id)],
        "interactions": [_interaction(i, sha, accounts, i.target_content_id in redacted) for i in interactions],
        "content": [_content(c, sha, c.id in redacted, accounts) for c in contents],
        "classifications": _classifications(session, content_ids),
        "assessments": _assessments(session, own_interactions),
        "cases": _cases(session, cases, own_interactions),
        "reports": [_report(r, sha) for r in reports],
        "audit_events": _audit_events(session, employee, cases, reports),
    }
    return SubjectData(employee, sections, evidence, withheld)


def _employee(e: Employee) -> dict[str, Any]:
    return {"id": e.id, "id_number": e.id_number, "employee_type": e.employee_type, "name": e.name,
            "unit": e.unit, "position": e.position, "active": e.active, "birth_date": iso(e.birth_date),
            "appointment": e.appointment, "gender": e.gender, "created_at": iso(e.created_at),
            "updated_at": iso(e.updated_at)}


def _account(a: SocialAccount) -> dict[str, Any]:
    return {"id": a.id, "platform": a.platform, "handle": a.handle, "platform_id": a.platform_id,
            "declared_on": iso(a.declared_on), "active": a.active, "deactivated_at": iso(a.deactivated_at),
            "created_at": iso(a.created_at), "updated_at": iso(a.updated_at)}


def _interaction(i: Interaction, sha: dict[int, str], accounts: _Accounts, target_redacted: bool) -> dict[str, Any]:
    """One interaction; its native id names the target's author on some platforms (a Bluesky like's key
    holds the post URI, hence the author's DID), so it is withheld with the target's author."""
    other = bool(i.target_account) and accounts.is_other(i.platform, i.target_account)
    native_id = WITHHELD_OTHER_EMPLOYEE if target_redacted or other else i.native_id
    return {"id": i.id, "platform": i.platform, "native_id": native_id, "kind": i.kind,
            "account_id": i.actor_account_id, "target_content_id": i.target_content_id,
            "own_content_id": i.own_content_id,
            "target_account": WITHHELD_OTHER_EMPLOYEE if other else i.target_account,
            "occurred_at": iso(i.occurred_at), "fetched_at": iso(i.fetched_at),
            "deleted": i.deleted_at is not None, "deleted_at": iso(i.deleted_at),
            "evidence_sha256": sha.get(i.evidence_id) if i.evidence_id else None}


def _content(c: ContentItem, sha: dict[int, str], redacted: bool, accounts: _Accounts) -> dict[str, Any]:
    hidden = WITHHELD_OTHER_EMPLOYEE if redacted else None
    return {"id": c.id, "platform": c.platform, "kind": c.kind,
            "native_id": hidden or c.native_id, "url": hidden or c.url,
            "author_handle": hidden or c.author_handle, "author_id": hidden or c.author_id,
            "author_name": hidden or c.author_name,
            "author_is_subject": accounts.is_own(c.platform, c.author_handle, c.author_id),
            "text": c.text, "lang": c.lang, "created_at": iso(c.created_at), "fetched_at": iso(c.fetched_at),
            "deleted": c.deleted, "deleted_at": iso(c.deleted_at),
            "parent_native_id": hidden or c.parent_native_id,
            "extra": {} if redacted else _sorted_json(c.extra or {}),
            "evidence_sha256": sha.get(c.evidence_id) if c.evidence_id else None}


def _classifications(session: Session, content_ids: set[int]) -> list[dict[str, Any]]:
    rows = sorted((c for part in _chunks(content_ids)
                   for c in session.scalars(select(Classification).where(Classification.content_id.in_(part)))),
                  key=lambda c: (c.content_id, c.id))
    return [{"id": c.id, "content_id": c.content_id, "model_version": c.model_version, "score": c.score,
             "campaign": c.campaign, "pair_number": c.pair_number, "stance": c.stance,
             "uncertainty": c.uncertainty, "reasons": _sorted_json(c.reasons or []),
             "created_at": iso(c.created_at)} for c in rows]


def _assessments(session: Session, interaction_ids: set[int]) -> list[dict[str, Any]]:
    rows = sorted((a for part in _chunks(interaction_ids)
                   for a in session.scalars(select(Assessment).where(Assessment.interaction_id.in_(part)))),
                  key=lambda a: (a.interaction_id, a.id))
    return [{"id": a.id, "interaction_id": a.interaction_id, "model_version": a.model_version,
             "flagged": a.flagged, "codes": _sorted_json(a.codes or []),
             "elements": _sorted_json(a.elements or []), "priority": a.priority, "quiet_period": a.quiet_period,
             "case_id": a.case_id, "incident_id": a.incident_id, "assessed_at": iso(a.assessed_at)} for a in rows]


def _incident(i: Incident, own_interactions: set[int]) -> dict[str, Any]:
    return {
        "id": i.id, "target_key": i.target_key, "target_content_id": i.target_content_id, "platform": i.platform,
        "contest": i.contest, "pair_number": i.pair_number, "stance": i.stance, "score": i.score,
        "priority": i.priority, "model_version": i.model_version,
        "candidate_codes": _sorted_json(i.candidate_codes or []), "rule_elements": _sorted_json(i.rule_elements or []),
        "details": _sorted_json(i.details or {}), "outcome": i.outcome, "outcome_reason": i.outcome_reason,
        "outcome_source": i.outcome_source, "decided_at": iso(i.decided_at), "supplementary": i.supplementary,
        "addendum": i.addendum, "legacy_case_id": i.legacy_case_id, "created_at": iso(i.created_at),
        "interaction_ids": sorted(link.interaction_id for link in i.links
                                  if link.interaction_id in own_interactions),
        "marks": [{"stage": m.stage, "mark": m.mark, "reason": m.reason, "at": iso(m.at)} for m in i.marks],
    }


def _cases(session: Session, cases: list[Case], own_interactions: set[int]) -> list[dict[str, Any]]:
    if not cases:
        return []
    ids = [c.id for c in cases]
    reviews = {r.case_id: r for r in session.scalars(select(CaseReview).where(CaseReview.case_id.in_(ids)))}
    election_ids = {c.election_id for c in cases if c.election_id is not None}
    elections = {e.id: e for e in session.scalars(select(Election).where(Election.id.in_(election_ids)))}
    out = []
    for c in cases:
        review = reviews.get(c.id)
        election = elections.get(c.election_id) if c.election_id is not None else None
        out.append({
            "id": c.id, "election": None if election is None else {"slug": election.slug, "name": election.name},
            "status": c.status, "sequence": c.sequence, "previous_case_id": c.previous_case_id,
            "score": c.score, "priority": c.priority, "candidate_codes": _sorted_json(c.candidate_codes or []),
            "details": _sorted_json(c.details or {}), "created_at": iso(c.created_at), "updated_at": iso(c.updated_at),
            "incidents": [_incident(i, own_interactions) for i in sorted(c.incidents, key=lambda i: i.id)],
            "review": None if review is None else {
                "escalated": review.escalated, "deadline": iso(review.deadline),
                "deadline_kind": review.deadline_kind},
            "events": [{"id": e.id, "at": iso(e.at), "actor": e.actor, "action": e.action,
                        "incident_id": e.incident_id, "from_status": e.from_status, "to_status": e.to_status,
                        "note": e.note, "data": _sorted_json(e.data or {})}
                       for e in sorted(c.events, key=lambda e: e.id)],
        })
    return out


def _report(r: Report, sha: dict[int, str]) -> dict[str, Any]:
    return {"id": r.id, "platform": r.platform, "content_id": r.content_id, "url": r.url,
            "url_status": r.url_status, "url_error": r.url_error, "note": r.note, "reported_by": r.reported_by,
            "reported_at": iso(r.reported_at),
            "page_evidence_sha256": sha.get(r.page_evidence_id) if r.page_evidence_id else None,
            "files": [{"position": f.position, "filename": f.filename, "evidence_sha256": sha.get(f.evidence_id),
                       "ocr_text": f.ocr_text, "ocr_lang": f.ocr_lang} for f in r.files]}


def _audit_events(session: Session, employee: Employee, cases: list[Case],
                  reports: list[Report]) -> list[dict[str, Any]]:
    """Events about the person: their cases (views, decisions), their reports, exports of their data."""
    conditions = [(AuditEvent.object_type == "employee") & (AuditEvent.object_id == str(employee.id))]
    if cases:
        legacy = [str(i.legacy_case_id) for c in cases for i in c.incidents if i.legacy_case_id is not None]
        conditions.append((AuditEvent.object_type == "case")
                          & AuditEvent.object_id.in_([str(c.id) for c in cases] + legacy))
    if reports:
        conditions.append((AuditEvent.object_type == "report")
                          & AuditEvent.object_id.in_([str(r.id) for r in reports]))
    rows = session.scalars(select(AuditEvent).where(or_(*conditions)).order_by(AuditEvent.id))
    return [{"id": e.id, "at": iso(e.at), "actor": e.actor, "action": e.action, "object_type": e.object_type,
             "object_id": e.object_id, "details": _sorted_json(e.details or {})} for e in rows]
