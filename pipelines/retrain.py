"""Retrain: reviewer decisions + corpus → a new model version, promoted only if it is not worse.

The comparison is on one evaluation set for both models: a fixed 20 % of the examples (corpus and
reviewer decisions, chosen by a hash of their id, so the split is stable between runs) is held out
of training; the candidate and the active model both classify it with their election's rules, and
the candidate becomes active only if its campaign macro-F1 and stance macro-F1 are both at least the
active model's. Either way the outcome is an audit event; the candidate artefact is kept.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from prefect import flow, task
from sklearn.metrics import f1_score
from sqlalchemy import select

from core import audit
from core.db import engine_from_settings, make_session_factory, session_scope
from core.decisions_export import export as export_decisions
from core.models import Election
from core.settings import Settings, get_settings
from nlp.artefacts import LoadedModel, save_model
from nlp.dataset import CORPUS_DIR, Example, analyze_examples, data_hash, load_corpus
from nlp.decisions import merge, read_decisions
from nlp.election import election_from_mapping
from nlp.model import CampaignModel, fit
from nlp.predict import Classifier
from nlp.types import ElectionSpec
from pipelines.models import load_active, models_dir, promote

log = logging.getLogger(__name__)
HOLDOUT_SHARE = 0.2
ACTOR = "system:retrain"


@dataclass
class RetrainOutcome:
    """What a retrain did."""

    candidate: str
    active_before: str
    promoted: bool
    candidate_scores: dict[str, float]
    active_scores: dict[str, float]
    train_examples: int
    holdout_examples: int
    decisions: int
    artefact: str


def in_holdout(example: Example) -> bool:
    """Stable membership of the evaluation set (by the example's id)."""
    digest = hashlib.sha256(f"{example.election}|{example.id}".encode()).digest()
    return digest[0] / 256 < HOLDOUT_SHARE


def scores(model: CampaignModel, version: str, examples: list[Example], specs: dict[str, ElectionSpec]
           ) -> dict[str, float]:
    """Campaign and stance macro-F1 of ``model`` on ``examples`` (each with its election's rules)."""
    by_election: dict[str, list[Example]] = defaultdict(list)
    for e in examples:
        by_election[e.election].append(e)
    truth_c, pred_c, truth_s, pred_s = [], [], [], []
    for election, items in by_election.items():
        predictions = Classifier(model, specs[election], version).predict_many([e.text for e in items])
        for e, p in zip(items, predictions, strict=True):
            truth_c.append(e.campaign)
            pred_c.append(p.campaign)
            truth_s.append(e.stance)
            pred_s.append(p.stance)
    return {"campaign_macro_f1": round(float(f1_score(truth_c, pred_c, average="macro")), 4),
            "stance_macro_f1": round(float(f1_score(truth_s, pred_s, average="macro")), 4)}


def _gather(settings: Settings, workdir: Path, corpus_dir: Path) -> tuple[list[Example], dict[str, ElectionSpec], int]:
    """Corpus + the reviewers' decisions exported from the database (audited), with every election's rules."""
    examples, specs = load_corpus(corpus_dir)
    engine = engine_from_settings(settings)
    decisions_file = workdir / "decisions.jsonl"
    try:
        with session_scope(make_session_factory(engine)) as session:
            for election in session.scalars(select(Election)):
                specs[election.slug] = election_from_mapping(election.source)
                (workdir / f"{election.slug}.yaml").write_text(
                    yaml.safe_dump(election.source, allow_unicode=True), encoding="utf-8")
            with decisions_file.open("w", encoding="utf-8") as out:
                export_decisions(session, out, ACTOR)
    finally:
        engine.dispose()
    extra, problems = read_decisions(decisions_file)
    for problem in problems:
        log.warning("decisions: %s", problem)
    extra = [e for e in extra if e.election in specs]
    return merge(examples, extra), specs, len(extra)


@task
def retrain_task(corpus_dir: str | None = None, force: bool = False) -> dict[str, Any]:
    settings = get_settings()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    workdir = models_dir(settings) / "work" / stamp
    workdir.mkdir(parents=True, exist_ok=True)
    examples, specs, n_decisions = _gather(settings, workdir, Path(corpus_dir) if corpus_dir else CORPUS_DIR)
    holdout = [e for e in examples if in_holdout(e)]
    train = [e for e in examples if not in_holdout(e)]
    model = fit(analyze_examples(train, specs), [e.campaign for e in train], [e.stance for e in train])
    version = f"campaign-{stamp}-{data_hash(train)[:8]}"
    active: LoadedModel = load_active(settings)
    candidate_scores = scores(model, version, holdout, specs)
    active_scores = scores(active.model, active.version, holdout, specs)
    better = all(candidate_scores[k] >= active_scores[k] for k in candidate_scores)
    out = models_dir(settings) / version
    save_model(model, out, {"version": version, "trained_at": stamp, "data_hash": data_hash(train),
                            "n_examples": len(train), "with_decisions": n_decisions,
                            "elections": sorted({e.election for e in train}),
                            "metrics": {"holdout": candidate_scores, "active_on_holdout": active_scores}})
    if better or force:
        promote(settings, out)
    outcome = RetrainOutcome(version, active.version, better or force, candidate_scores, active_scores, len(train),
                             len(holdout), n_decisions, str(out))
    engine = engine_from_settings(settings)
    try:
        with session_scope(make_session_factory(engine)) as session:
            audit.record(session, ACTOR, "model.promoted" if outcome.promoted else "model.rejected",
                         object_type="model", object_id=version, details=json.loads(json.dumps(outcome.__dict__)))
    finally:
        engine.dispose()
    log.info("retrain: %s %s (candidate %s vs active %s)", version,
             "promoted" if outcome.promoted else "kept the active model", candidate_scores, active_scores)
    return dict(outcome.__dict__)


@flow(name="retrain", log_prints=False)
def retrain(corpus_dir: str | None = None, force: bool = False) -> dict[str, Any]:
    """Train a candidate on corpus + reviewer decisions; promote it only if it is not worse."""
    return retrain_task(corpus_dir, force)
