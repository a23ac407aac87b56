"""Reviewer decisions as labelled data for the classifier (JSON Lines).

One line per target content that a human decision covered::

    {"id": "<platform>:<native id>", "election": "<slug>", "contest": "<slug>"|null, "text": ...,
     "campaign": bool, "pair": int|null, "stance": "support"|"oppose"|"none",
     "decision": "confirmed"|"dismissed", "source": "review"|"verdict",
     "case_id": int|null, "incident_id": int|null}

The label is the *human* decision about the target:

- a reviewer's verdict on the target (:mod:`core.target_verdicts`, ``source`` "verdict") is a ruling on
  the text itself, so it wins: "not campaign content" is a negative (``campaign`` false, no pair, stance
  ``none``), "campaign content" a positive with the pair, contest and stance its incidents carried; the
  newest verdict wins;
- otherwise the newest judged incident on the target: proven by two reviewers makes the text campaign
  content with the incident's contest, pair and stance; closed as not proven (a review or a dismissal)
  makes it a negative. Such a "not proven" can have reasons unrelated to the text (a wrong account),
  which is why the ``decision`` is kept beside the label.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.models import NOT_PROVEN, PROVEN, Case, ContentItem, Election, Incident, TargetVerdict

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LabelledText:
    """One exported example."""

    id: str
    election: str | None
    contest: str | None
    text: str
    campaign: bool
    pair: int | None
    stance: str
    decision: str
    source: str
    case_id: int | None
    incident_id: int | None


def _incident_labels(session: Session) -> dict[int, LabelledText]:
    rows = session.execute(
        select(Incident.id, Incident.case_id, Incident.outcome, Incident.outcome_source, Incident.pair_number,
               Incident.contest, Incident.stance, ContentItem.id, ContentItem.platform, ContentItem.native_id,
               ContentItem.text, Election.slug)
        .join(Case, Case.id == Incident.case_id)
        .outerjoin(Election, Election.id == Case.election_id)
        .join(ContentItem, ContentItem.id == Incident.target_content_id)
        .where(Incident.outcome.in_((PROVEN, NOT_PROVEN)), Incident.outcome_source != "verdict")
        .order_by(Incident.decided_at, Incident.id)).all()
    latest: dict[int, LabelledText] = {}
    for iid, cid, outcome, _source, pair, contest, stance, content_id, platform, native_id, text, slug in rows:
        proven = outcome == PROVEN
        latest[content_id] = LabelledText(
            id=f"{platform}:{native_id}", election=slug, contest=contest if proven else None, text=text or "",
            campaign=proven, pair=pair if proven else None, stance=(stance or "none") if proven else "none",
            decision="confirmed" if proven else "dismissed", source="review", case_id=cid, incident_id=iid)
    return latest


def _verdict_labels(session: Session) -> dict[int, LabelledText]:
    verdicts = session.execute(
        select(TargetVerdict.target_key, TargetVerdict.verdict, ContentItem.id, ContentItem.platform,
               ContentItem.native_id, ContentItem.text)
        .join(ContentItem, ContentItem.id == TargetVerdict.target_content_id)
        .order_by(TargetVerdict.id)).all()
    latest: dict[int, LabelledText] = {}
    for key, verdict, content_id, platform, native_id, text in verdicts:
        found = session.execute(select(Incident.contest, Incident.pair_number, Incident.stance, Election.slug)
                                .join(Case, Case.id == Incident.case_id)
                                .outerjoin(Election, Election.id == Case.election_id)
                                .where(Incident.target_key == key)).all()
        slug = found[0][3] if found else None
        campaign = verdict == "campaign"
        common = Counter((c, p, s) for c, p, s, _ in found if p is not None).most_common(1)
        contest, pair, stance = common[0][0] if (campaign and common) else (None, None, None)
        latest[content_id] = LabelledText(
            id=f"{platform}:{native_id}", election=slug, contest=contest, text=text or "", campaign=campaign,
            pair=pair, stance=(stance or "none") if campaign else "none",
            decision="confirmed" if campaign else "dismissed", source="verdict", case_id=None, incident_id=None)
    return latest


def decisions(session: Session) -> Iterator[LabelledText]:
    """One label per target content (module docstring), oldest content first."""
    labels = _incident_labels(session)
    labels.update(_verdict_labels(session))
    for content_id in sorted(labels):
        yield labels[content_id]


def export(session: Session, out: TextIO, actor: str) -> int:
    """Write the decisions as JSON Lines to ``out``; the export is audited. Returns the line count."""
    count = 0
    for item in decisions(session):
        out.write(json.dumps(asdict(item), ensure_ascii=False) + "\n")
        count += 1
    audit.record(session, actor, "decisions.export", object_type="case", details={"lines": count})
    log.info("exported %d labelled decisions", count)
    return count
