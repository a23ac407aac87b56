"""Store a validated election file in the registry (upsert by slug; contests by slug; pairs by number).

A Pilkada of several contests keeps one ``Election`` row (calendar, time zone) with one ``Contest`` per
contest; re-importing updates in place: contests are matched by slug and pairs by ballot number within
their contest, accounts are added and removed to match the file, contests and pairs absent from the file
are removed. The file was checked whole first (:func:`load_election_file`): nothing is written when any
of it is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core import audit
from core.models import CampaignAccount, CandidatePair, Classification, Contest, Election, Incident
from core.registry.election_config import ContestSpec, ElectionFile, PairSpec, canonical_accounts, load_election_file


@dataclass
class ElectionImportReport:
    """What an election import changed."""

    slug: str
    created: bool = False
    changes: list[str] = field(default_factory=list)


def _apply_header(election: Election, doc: ElectionFile, report: ElectionImportReport) -> None:
    head, cal = doc.election, doc.election.calendar
    values = {
        "name": head.name, "region": head.region, "timezone": head.timezone,
        "candidates_fixed": cal.candidates_fixed, "campaign_start": cal.campaign.start,
        "campaign_end": cal.campaign.end, "quiet_start": cal.quiet.start, "quiet_end": cal.quiet.end,
        "voting_day": cal.voting, "calendar": cal.model_dump(mode="json"),
        "source": doc.model_dump(mode="json", exclude_none=True), "active": head.active,
    }
    for key, value in values.items():
        if getattr(election, key) != value:
            if key not in {"source", "calendar"}:
                report.changes.append(f"~ election.{key}: {getattr(election, key)!r} → {value!r}")
            setattr(election, key, value)


def _apply_pair(election: Election, contest: Contest, pair: CandidatePair | None, spec: PairSpec,
                report: ElectionImportReport, prefix: str) -> None:
    label = f"{prefix}pair {spec.number}"
    if pair is None:
        pair = CandidatePair(number=spec.number, candidate=spec.candidate, election_id=election.id)
        contest.pairs.append(pair)
        report.changes.append(f"+ {label} {spec.candidate}")
    for key in ("candidate", "running_mate", "aliases", "hashtags", "parties"):
        if getattr(pair, key) != getattr(spec, key):
            setattr(pair, key, getattr(spec, key))
            if pair.id is not None:
                report.changes.append(f"~ {label} {key}")
    wanted = {(p.value, h) for p, h in canonical_accounts(spec)}
    for account in list(pair.accounts):
        if (account.platform, account.handle) not in wanted:
            pair.accounts.remove(account)
            report.changes.append(f"- {label} account {account.platform}:{account.handle}")
    have = {(a.platform, a.handle) for a in pair.accounts}
    for platform, handle in sorted(wanted - have):
        pair.accounts.append(CampaignAccount(platform=platform, handle=handle))
        report.changes.append(f"+ {label} account {platform}:{handle}")


def _apply_contest(election: Election, contest: Contest | None, spec: ContestSpec, position: int,
                   report: ElectionImportReport, single: bool) -> None:
    prefix = "" if single else f"{spec.id} "
    if contest is None:
        contest = Contest(slug=spec.id, kind=spec.kind, name=spec.name, position=position)
        election.contests.append(contest)
        report.changes.append(f"+ contest {spec.id} ({spec.kind})")
    for key, value in (("kind", spec.kind), ("name", spec.name), ("position", position)):
        if getattr(contest, key) != value:
            if contest.id is not None and key != "position":
                report.changes.append(f"~ contest {spec.id} {key}")
            setattr(contest, key, value)
    existing = {p.number: p for p in contest.pairs}
    for pair_spec in spec.pairs:
        _apply_pair(election, contest, existing.pop(pair_spec.number, None), pair_spec, report, prefix)
    for number, pair in existing.items():
        contest.pairs.remove(pair)
        report.changes.append(f"- {prefix}pair {number} (absent from file)")


def _rename_contests(session: Session, election: Election, specs: list[ContestSpec],
                     report: ElectionImportReport) -> None:
    """A contest the file no longer names, of the same kind as exactly one new contest of the file, is that
    contest renamed (a Pilkada of one contest, migrated with its election's id as contest slug, gaining
    the governor contest): its pairs stay, and incidents and verdicts follow the new slug."""
    wanted = {s.id for s in specs}
    have = {c.slug for c in election.contests}
    for contest in election.contests:
        if contest.slug in wanted:
            continue
        same_kind = [s for s in specs if s.kind == contest.kind and s.id not in have]
        if len(same_kind) != 1:
            continue
        old, new = contest.slug, same_kind[0].id
        contest.slug = new
        have = (have - {old}) | {new}
        for model in (Incident, Classification):
            session.execute(update(model).where(model.contest == old).values(contest=new))
        report.changes.append(f"~ contest {old} renamed {new}")


def import_election(session: Session, path: Path, *, actor: str = "system") -> ElectionImportReport:
    """Validate ``path`` and upsert the Pilkada, its contests, pairs and campaign accounts; never commits."""
    doc = load_election_file(path)
    report = ElectionImportReport(doc.election.id)
    election = session.scalars(select(Election).where(Election.slug == doc.election.id)).one_or_none()
    if election is None:
        election = Election(slug=doc.election.id, calendar={}, source={})
        session.add(election)
        report.created = True
        report.changes.append(f"+ election {doc.election.id}")
    _apply_header(election, doc, report)
    session.flush()  # the election's id, for its pairs
    contests = doc.all_contests()
    _rename_contests(session, election, contests, report)
    existing = {c.slug: c for c in election.contests}
    for position, spec in enumerate(contests):
        _apply_contest(election, existing.pop(spec.id, None), spec, position, report, len(contests) == 1)
    for slug, contest in existing.items():
        election.contests.remove(contest)
        report.changes.append(f"- contest {slug} (absent from file)")
    session.flush()
    session.expire(election, ["pairs"])
    if report.changes:
        audit.record(session, actor, "election.import", object_type="election", object_id=election.slug,
                     details={"changes": len(report.changes)})
    return report
