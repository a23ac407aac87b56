"""Store a validated election file in the registry (upsert by slug; pairs by ballot number)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.models import CampaignAccount, CandidatePair, Election
from core.registry.election_config import ElectionFile, canonical_accounts, load_election_file


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
        "source": doc.model_dump(mode="json"),
    }
    for key, value in values.items():
        if getattr(election, key) != value:
            if key not in {"source", "calendar"}:
                report.changes.append(f"~ election.{key}: {getattr(election, key)!r} → {value!r}")
            setattr(election, key, value)


def import_election(session: Session, path: Path, *, actor: str = "system") -> ElectionImportReport:
    """Validate ``path`` and upsert the election, its pairs and campaign accounts; never commits."""
    doc = load_election_file(path)
    report = ElectionImportReport(doc.election.id)
    election = session.scalars(select(Election).where(Election.slug == doc.election.id)).one_or_none()
    if election is None:
        election = Election(slug=doc.election.id, calendar={}, source={})
        session.add(election)
        report.created = True
        report.changes.append(f"+ election {doc.election.id}")
    _apply_header(election, doc, report)
    existing = {p.number: p for p in election.pairs}
    for spec in doc.pairs:
        pair = existing.pop(spec.number, None)
        if pair is None:
            pair = CandidatePair(number=spec.number, candidate=spec.candidate)
            election.pairs.append(pair)
            report.changes.append(f"+ pair {spec.number} {spec.candidate}")
        for key in ("candidate", "running_mate", "aliases", "hashtags", "parties"):
            if getattr(pair, key) != getattr(spec, key):
                setattr(pair, key, getattr(spec, key))
                if pair.id is not None:
                    report.changes.append(f"~ pair {spec.number} {key}")
        wanted = {(p.value, h) for p, h in canonical_accounts(spec)}
        for account in list(pair.accounts):
            if (account.platform, account.handle) not in wanted:
                pair.accounts.remove(account)
                report.changes.append(f"- pair {spec.number} account {account.platform}:{account.handle}")
        have = {(a.platform, a.handle) for a in pair.accounts}
        for platform, handle in sorted(wanted - have):
            pair.accounts.append(CampaignAccount(platform=platform, handle=handle))
            report.changes.append(f"+ pair {spec.number} account {platform}:{handle}")
    for number, pair in existing.items():
        election.pairs.remove(pair)
        report.changes.append(f"- pair {number} (absent from file)")
    session.flush()
    if report.changes:
        audit.record(session, actor, "election.import", object_type="election", object_id=election.slug,
                     details={"changes": len(report.changes)})
    return report
