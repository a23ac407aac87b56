"""Reviewer decisions as labelled data for the classifier (JSON Lines).

One line per target content that a triage decision covered::

    {"id": "<platform>:<native id>", "election": "<slug>", "text": ..., "campaign": bool, "pair": int|null,
     "stance": "support"|"oppose"|"none", "decision": "confirmed"|"dismissed", "case_id": int}

The label is the *human* decision: a case confirmed by two reviewers makes its target text campaign
content with the case's pair and stance; a dismissal makes it a negative (``campaign`` false, no pair,
stance ``none``). A dismissal can have reasons unrelated to the text (a wrong account), which is why the
``decision`` is kept beside the label. When several cases share one content, the latest decision wins.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.models import Case, CaseEvent, ContentItem, Election

log = logging.getLogger(__name__)
DECISIONS = {"confirm_second": "confirmed", "dismiss": "dismissed"}


@dataclass(frozen=True)
class LabelledText:
    """One exported example."""

    id: str
    election: str | None
    text: str
    campaign: bool
    pair: int | None
    stance: str
    decision: str
    case_id: int


def decisions(session: Session) -> Iterator[LabelledText]:
    """The latest triage decision per target content, oldest content first."""
    rows = session.execute(
        select(CaseEvent.case_id, CaseEvent.action, CaseEvent.id, Case.pair_number, Case.stance,
               ContentItem.id, ContentItem.platform, ContentItem.native_id, ContentItem.text, Election.slug)
        .join(Case, Case.id == CaseEvent.case_id)
        .outerjoin(Election, Election.id == Case.election_id)
        .join(ContentItem, ContentItem.id == Case.target_content_id)
        .where(CaseEvent.action.in_(DECISIONS))
        .order_by(CaseEvent.id)
    ).all()
    latest: dict[int, LabelledText] = {}
    for case_id, action, _eid, pair, stance, content_id, platform, native_id, text, slug in rows:
        confirmed = DECISIONS[action] == "confirmed"
        latest[content_id] = LabelledText(
            id=f"{platform}:{native_id}", election=slug, text=text or "", campaign=confirmed,
            pair=pair if confirmed else None, stance=(stance or "none") if confirmed else "none",
            decision=DECISIONS[action], case_id=case_id)
    for content_id in sorted(latest):
        yield latest[content_id]


def export(session: Session, out: TextIO, actor: str) -> int:
    """Write the decisions as JSON Lines to ``out``; the export is audited. Returns the line count."""
    count = 0
    for item in decisions(session):
        out.write(json.dumps(asdict(item), ensure_ascii=False) + "\n")
        count += 1
    audit.record(session, actor, "decisions.export", object_type="case", details={"lines": count})
    log.info("exported %d labelled decisions", count)
    return count
