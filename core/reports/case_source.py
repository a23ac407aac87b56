"""Every read of cases the desk report and the referral dossier make, in one place.

The case model is changing (one case per employee and target today; one case per employee and
Pilkada with several incidents tomorrow). The report and dossier modules never query ``case`` or its
links themselves: they ask this module for :class:`CaseRow` (no person: what aggregates and the desk's
annex may show), :class:`CaseSummary` (with the person: the dossier and the admin's named annex) and
:class:`EvidenceFile`. Adapting to a new case model means changing this file only.

An *incident* is one interaction (like, share, comment...) attached to a case; a case without
attached interactions (a report from a closed platform) counts as one incident.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import NotFound
from core.models import (
    Case,
    CaseEvent,
    Classification,
    ContentItem,
    Election,
    Employee,
    Evidence,
    Incident,
    IncidentInteraction,
    Interaction,
    ReportFile,
    ViolationType,
)
from core.models import Report as IntakeReport
from core.models.cases import NOT_PROVEN, PROVEN
from core.models.enums import CaseStatus as S

LEADS = frozenset({S.DETECTED, S.IN_TRIAGE, S.AWAITING_SECOND})
DUE_PROCESS = frozenset({S.FORWARDED, S.RECOMMENDATION, S.SUMMONED, S.EXAMINATION, S.DECIDED})
#: Statuses a case has once two reviewers confirmed it (and it was not dismissed).
CONFIRMED_OR_LATER = frozenset({S.CONFIRMED}) | DUE_PROCESS | {S.CLOSED}
GROUPS = ("leads", "confirmed", "due_process", "dismissed")
STAGES = ("pre_fixed", "pre_campaign", "campaign", "quiet", "voting", "after_voting", "unknown")

_KIND_ID = {"like": "menyukai", "share": "membagikan", "quote": "mengutip", "comment": "mengomentari",
            "post": "mengunggah", "follow": "mengikuti", "report": "dilaporkan terkait"}


@dataclass(frozen=True)
class CaseRow:
    """One case as the desk may see it: never a name, NIP, handle or link to the person."""

    case_id: int
    number: str
    unit: str
    employee_type: str
    on: date
    platform: str
    codes: tuple[str, ...]
    status: str
    group: str
    stage: str
    incidents: int
    conduct: str
    platforms: tuple[str, ...] = ()
    contests: tuple[str, ...] = ()
    #: (contest slug, incidents of that contest) for each contest the case's incidents name
    contest_incidents: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class TimelineEvent:
    """One step of the decision history, with who took it."""

    at: datetime
    actor: str
    action: str
    to_status: str | None
    note: str | None


@dataclass(frozen=True)
class EvidenceFile:
    """An archived file the case cites, with the name it gets in a dossier."""

    name: str
    evidence_id: int
    sha256: str
    stored_path: str
    media_type: str


@dataclass(frozen=True)
class CaseSummary:
    """Everything a referral needs to say about a case, the person included."""

    row: CaseRow
    employee_name: str
    employee_number: str
    position: str
    election_name: str
    region: str
    codes: list[dict[str, Any]]
    elements: list[str]
    reasons: list[str]
    timeline: list[TimelineEvent]
    target_text: str
    target_url: str | None
    extra: dict[str, Any] = field(default_factory=dict)


def case_number(case_id: int, on: date) -> str:
    """The number a case is cited by in reports and letters (year and id, e.g. ``NTR-2024-00042``)."""
    return f"NTR-{on.year}-{case_id:05d}"


def case_numbers(session: Session, case_ids: list[int], default_timezone: str) -> dict[int, str]:
    """The cited number of each case: the year of its earliest interaction (else of its opening) in its
    Pilkada's time zone. Not-proven incidents count too (as in the desk report's rows), so the number a
    reviewer is shown does not change when the case is dismissed. Only the number, never the person, so the review UI
    may name cases with it while they are blind."""
    if not case_ids:
        return {}
    base = session.execute(
        select(Case.id, Case.created_at, Election.timezone).outerjoin(Election, Election.id == Case.election_id)
        .where(Case.id.in_(case_ids))).all()
    firsts = dict(session.execute(
        select(Incident.case_id, func.min(Interaction.occurred_at))
        .join(IncidentInteraction, IncidentInteraction.incident_id == Incident.id)
        .join(Interaction, Interaction.id == IncidentInteraction.interaction_id)
        .where(Incident.case_id.in_(case_ids)).group_by(Incident.case_id)).tuples().all())
    out: dict[int, str] = {}
    for cid, created, tz_name in base:
        at = firsts.get(cid) or created
        if at.tzinfo is None:  # an aggregate bypasses the UTC column type on SQLite
            at = at.replace(tzinfo=ZoneInfo("UTC"))
        out[cid] = case_number(cid, at.astimezone(ZoneInfo(tz_name or default_timezone)).date())
    return out


def stage_of(election: Election, on: date) -> str:
    """Which stage of ``election``'s calendar a day falls in (domain.md §5)."""
    if election.candidates_fixed and on < election.candidates_fixed:
        return "pre_fixed"
    if election.campaign_start and on < election.campaign_start:
        return "pre_campaign"
    if election.campaign_end and on <= election.campaign_end:
        return "campaign"
    if election.quiet_end and on <= election.quiet_end:
        return "quiet"
    if election.voting_day and on == election.voting_day:
        return "voting"
    if election.voting_day and on > election.voting_day:
        return "after_voting"
    return "unknown"


def group_of(status: str, ever_dismissed: bool) -> str:
    """Which of the four groups a status counts in; a closed case by what closed it."""
    if status in LEADS:
        return "leads"
    if status == S.CONFIRMED:
        return "confirmed"
    if status == S.DISMISSED or (status == S.CLOSED and ever_dismissed):
        return "dismissed"
    return "due_process"


def _rows(session: Session, election: Election, where: Any = None) -> list[CaseRow]:
    """One row per case (a person in the Pilkada) with its incidents summed up; not-proven incidents of a
    judged case do not count (they are not the conduct the case is about)."""
    tz = ZoneInfo(election.timezone)
    query = (select(Case.id, Case.status, Case.candidate_codes, Case.created_at, Employee.unit,
                    Employee.employee_type)
             .join(Employee, Employee.id == Case.employee_id).where(Case.election_id == election.id)
             .order_by(Case.id))
    if where is not None:
        query = query.where(where)
    base = session.execute(query).all()
    ids = [r.id for r in base]
    firsts: dict[int, datetime] = {}
    #: earliest interaction of any incident, not-proven ones included: the case number (as
    #: :func:`case_numbers` computes it) must not change when incidents are judged not proven
    first_any: dict[int, datetime] = {}
    counts: dict[int, int] = defaultdict(int)
    kinds: dict[int, set[str]] = defaultdict(set)
    platforms: dict[int, list[str]] = defaultdict(list)
    contests: dict[int, list[str]] = defaultdict(list)
    per_contest: dict[int, dict[str, int]] = defaultdict(dict)
    pairs: dict[int, list[int]] = defaultdict(list)
    dismissed: set[int] = set()
    counted = Incident.outcome.is_(None) | (Incident.outcome != NOT_PROVEN)
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        for cid, platform, contest, pair in session.execute(
                select(Incident.case_id, Incident.platform, Incident.contest, Incident.pair_number)
                .where(Incident.case_id.in_(part), counted).order_by(Incident.priority.desc(), Incident.id)):
            counts[cid] += 1
            if platform not in platforms[cid]:
                platforms[cid].append(platform)
            if contest and contest not in contests[cid]:
                contests[cid].append(contest)
            if contest:
                per_contest[cid][contest] = per_contest[cid].get(contest, 0) + 1
            if pair is not None and pair not in pairs[cid]:
                pairs[cid].append(pair)
        for cid, kind, occurred, outcome in session.execute(
                select(Incident.case_id, Interaction.kind, Interaction.occurred_at, Incident.outcome)
                .join(IncidentInteraction, IncidentInteraction.incident_id == Incident.id)
                .join(Interaction, Interaction.id == IncidentInteraction.interaction_id)
                .where(Incident.case_id.in_(part))):
            if occurred is not None and (cid not in first_any or occurred < first_any[cid]):
                first_any[cid] = occurred
            if outcome == NOT_PROVEN:
                continue
            kinds[cid].add(kind)
            if occurred is not None and (cid not in firsts or occurred < firsts[cid]):
                firsts[cid] = occurred
        dismissed.update(session.scalars(select(CaseEvent.case_id).where(
            CaseEvent.case_id.in_(part), CaseEvent.to_status == S.DISMISSED)))
    rows = []
    for r in base:
        at = firsts.get(r.id) or r.created_at
        on = at.astimezone(tz).date()
        numbered = (first_any.get(r.id) or r.created_at).astimezone(tz).date()
        verbs = ", ".join(_KIND_ID.get(k, k) for k in sorted(kinds[r.id])) or "dilaporkan terkait"
        numbers = pairs[r.id]
        pair_text = f" pasangan calon nomor urut {', '.join(str(n) for n in numbers)}" if numbers else ""
        where_ = ", ".join(platforms[r.id]) or "–"
        conduct = f"{verbs.capitalize()} konten kampanye{pair_text} di {where_}"
        if counts[r.id] > 1:
            conduct += f" ({counts[r.id]} insiden)"
        rows.append(CaseRow(
            case_id=r.id, number=case_number(r.id, numbered), unit=r.unit, employee_type=r.employee_type, on=on,
            platform=platforms[r.id][0] if platforms[r.id] else "–",
            codes=tuple(str(c) for c in r.candidate_codes or ()), status=r.status,
            group=group_of(r.status, r.id in dismissed), stage=stage_of(election, on),
            incidents=counts[r.id], conduct=conduct, platforms=tuple(platforms[r.id]),
            contests=tuple(contests[r.id]), contest_incidents=tuple(per_contest[r.id].items())))
    return rows


def aggregate_rows(session: Session, election: Election) -> list[CaseRow]:
    """Every case of the election, as rows without the person (section 9 counts these)."""
    return _rows(session, election)


def confirmed_cases(session: Session, election: Election) -> list[CaseRow]:
    """Cases two reviewers confirmed (and any later due-process state), never dismissed ones."""
    rows = _rows(session, election, Case.status.in_([str(s) for s in CONFIRMED_OR_LATER]))
    return [r for r in rows if r.group != "dismissed"]


def rows_for(session: Session, election: Election, case_ids: list[int]) -> list[CaseRow]:
    """The rows of the given cases (a report's annex), in id order."""
    if not case_ids:
        return []
    return _rows(session, election, Case.id.in_(case_ids))


def is_confirmed(session: Session, case_id: int) -> tuple[bool, str]:
    """Whether a case may go into an annex or a dossier, and its status (for the refusal message)."""
    status = session.scalar(select(Case.status).where(Case.id == case_id))
    if status is None:
        raise NotFound(f"no case #{case_id}")
    ever_dismissed = bool(session.scalar(select(func.count()).select_from(CaseEvent).where(
        CaseEvent.case_id == case_id, CaseEvent.to_status == S.DISMISSED)))
    return status in CONFIRMED_OR_LATER and not ever_dismissed, status


def election_of_case(session: Session, case_id: int) -> Election:
    """The election a case belongs to."""
    election_id = session.scalar(select(Case.election_id).where(Case.id == case_id))
    election = session.get(Election, election_id) if election_id is not None else None
    if election is None:
        raise NotFound(f"case #{case_id} belongs to no election")
    return election


def named(session: Session, case_ids: list[int]) -> dict[int, tuple[str, str]]:
    """(name, NIP) per case, for the admin's named annex only."""
    if not case_ids:
        return {}
    return {cid: (name, number) for cid, name, number in session.execute(
        select(Case.id, Employee.name, Employee.id_number).join(Employee, Employee.id == Case.employee_id)
        .where(Case.id.in_(case_ids)))}


def case_summary(session: Session, case_id: int) -> CaseSummary:
    """The case with its person, codes (SKB text), elements, classifier reasons and decision timeline."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"no case #{case_id}")
    election = election_of_case(session, case_id)
    row = rows_for(session, election, [case_id])[0]
    employee = session.get(Employee, case.employee_id)
    assert employee is not None
    types = {v.code: v for v in session.scalars(select(ViolationType).where(
        ViolationType.code.in_([str(c) for c in case.candidate_codes or []])))}
    codes = [{"code": c, "conduct": types[c].conduct if c in types else "", "track": types[c].track if c in types
              else "", "level": types[c].level if c in types else ""} for c in case.candidate_codes or []]
    reasons: list[str] = []
    elements: list[str] = []
    targets: list[ContentItem] = []
    for inc in cited_incidents(session, case_id):
        elements += [str(e) for e in inc.rule_elements or [] if str(e) not in elements]
        target = session.get(ContentItem, inc.target_content_id) if inc.target_content_id else None
        if target is None:
            continue
        targets.append(target)
        verdict = session.scalars(select(Classification).where(
            Classification.content_id == target.id, Classification.model_version == inc.model_version)).first() \
            if inc.model_version else None
        for r in (verdict.reasons if verdict else []):
            line = f"{r.get('kind', '')}: {r.get('text', '')}".strip(": ") if isinstance(r, dict) else str(r)
            if line not in reasons:
                reasons.append(line)
    timeline = [TimelineEvent(e.at, e.actor, e.action, e.to_status, e.note) for e in session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id))]
    return CaseSummary(
        row=row, employee_name=employee.name, employee_number=employee.id_number, position=employee.position or "",
        election_name=election.name, region=election.region, codes=codes,
        elements=elements, reasons=reasons, timeline=timeline,
        target_text="\n\n".join(t.text or "" for t in targets),
        target_url=targets[0].url if targets else None)


def cited_incidents(session: Session, case_id: int) -> list[Incident]:
    """The incidents a referral cites: the proven ones once any is proven, else every incident not ruled out."""
    incidents = list(session.scalars(select(Incident).where(Incident.case_id == case_id).order_by(Incident.id)))
    proven = [i for i in incidents if i.outcome == PROVEN]
    return proven or [i for i in incidents if i.outcome != NOT_PROVEN]


def evidence_files(session: Session, case_id: int) -> list[EvidenceFile]:
    """Every archived file the case cites: the target's capture, each interaction's and report files."""
    found: dict[int, str] = {}
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"no case #{case_id}")
    cited = cited_incidents(session, case_id)
    for inc in cited:
        if inc.target_content_id:
            evidence_id = session.scalar(select(ContentItem.evidence_id).where(ContentItem.id == inc.target_content_id))
            if evidence_id:
                found.setdefault(evidence_id, f"incident-{inc.id}-target")
    for inter_id, evidence_id, own in session.execute(
            select(Interaction.id, Interaction.evidence_id, Interaction.own_content_id)
            .join(IncidentInteraction, IncidentInteraction.interaction_id == Interaction.id)
            .where(IncidentInteraction.incident_id.in_([i.id for i in cited]))):
        if evidence_id:
            found.setdefault(evidence_id, f"interaction-{inter_id}")
        if own:
            own_ev = session.scalar(select(ContentItem.evidence_id).where(ContentItem.id == own))
            if own_ev:
                found.setdefault(own_ev, f"interaction-{inter_id}-own")
    report_id = (case.details or {}).get("report_id")
    if isinstance(report_id, int):
        report = session.get(IntakeReport, report_id)
        if report is not None and report.page_evidence_id:
            found.setdefault(report.page_evidence_id, "report-page")
        for f in session.scalars(select(ReportFile).where(ReportFile.report_id == report_id)):
            found.setdefault(f.evidence_id, f"report-{f.position}-{f.filename}")
    files = []
    for ev in session.scalars(select(Evidence).where(Evidence.id.in_(list(found))).order_by(Evidence.id)):
        files.append(EvidenceFile(f"{found[ev.id]}-{ev.sha256[:12]}", ev.id, ev.sha256, ev.stored_path,
                                  ev.media_type))
    return files
