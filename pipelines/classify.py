"""Classify collected content that the active model has not judged yet (the scan's second stage).

Composition only: texts come out of ``core``'s tables, go through the pure ``nlp`` classifier bound to
the election's rules, and the predictions go back as :class:`core.models.Classification` rows (one per
content item and model version; an insert that loses a race with another worker is ignored).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from core.ingest.upsert import upsert
from core.models import Classification, ContentItem, Election
from nlp.artefacts import LoadedModel, load_default_model
from nlp.election import election_from_mapping
from nlp.predict import Classifier
from nlp.types import ElectionSpec, Prediction

log = logging.getLogger(__name__)
BATCH = 2000
_CLASSIFICATION: Table = Classification.__table__  # type: ignore[assignment]


@dataclass
class ClassifyStats:
    """How much one classification pass did."""

    model_version: str
    classified: int = 0
    campaign: int = 0


def election_spec(election: Election) -> ElectionSpec:
    """The nlp layer's view of a registered Pilkada with all its contests (from the file it was imported
    from), so the classifier sees the candidates of every contest."""
    return election_from_mapping(election.source)


def make_classifier(election: Election, loaded: LoadedModel | None = None) -> Classifier:
    """The active model bound to ``election``'s names, numbers, hashtags and accounts."""
    loaded = loaded or load_default_model()
    return Classifier(loaded.model, election_spec(election), loaded.version)


def prediction_row(content_id: int, p: Prediction) -> dict[str, Any]:
    """A Classification row for one prediction."""
    record = p.to_json()
    return {"content_id": content_id, "model_version": p.model_version, "score": float(p.score),
            "campaign": bool(p.campaign), "pair_number": p.pair, "contest": p.contest, "stance": p.stance,
            "uncertainty": float(p.uncertainty), "reasons": record["reasons"]}


def classify_pending(session: Session, classifier: Classifier, *, content_ids: list[int] | None = None,
                     batch: int = BATCH, max_batches: int | None = None) -> ClassifyStats:
    """Classify content items (or those in ``content_ids``) lacking a verdict of this model version.

    ``max_batches`` bounds one call so the caller can commit between calls.
    """
    stats = ClassifyStats(classifier.version)
    judged = select(Classification.content_id).where(Classification.model_version == classifier.version)
    query = select(ContentItem.id, ContentItem.text).where(ContentItem.id.not_in(judged)).order_by(ContentItem.id)
    if content_ids is not None:
        query = query.where(ContentItem.id.in_(content_ids))
    last_id, batches = 0, 0
    while max_batches is None or batches < max_batches:
        chunk = session.execute(query.where(ContentItem.id > last_id).limit(batch)).all()
        batches += 1
        if not chunk:
            break
        last_id = chunk[-1][0]
        predictions = classifier.predict_many([text or "" for _, text in chunk])
        rows = [prediction_row(cid, p) for (cid, _), p in zip(chunk, predictions, strict=True)]
        upsert(session, _CLASSIFICATION, rows, keys=["content_id", "model_version"])
        stats.classified += len(rows)
        stats.campaign += sum(1 for r in rows if r["campaign"])
        session.flush()
    log.info("classified %d item(s) with %s (%d campaign)", stats.classified, stats.model_version, stats.campaign)
    return stats
