"""Use cases behind ``netral nlp train`` and ``netral nlp evaluate`` (plain functions returning data).

``train_model`` fits on the whole corpus (plus reviewer decisions if given), evaluates the same
configuration leave-one-election-out so the metadata carries honest metrics, and writes the skops
artefact.  ``evaluate_corpus`` only evaluates and writes the Markdown + JSON report.
"""

from __future__ import annotations

import logging
import platform
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sklearn
from spacy import about as spacy_about

from nlp.artefacts import LoadedModel, save_model
from nlp.dataset import (
    CORPUS_DIR,
    Example,
    analyze_examples,
    data_hash,
    load_corpus,
    load_specs,
    read_examples,
)
from nlp.decisions import merge, read_decisions
from nlp.devset import evaluate_dev, score_real_sentiment
from nlp.evaluate import check_set, errors, leave_one_election_out, metrics, write_report
from nlp.model import DEFAULT_PARAMS, CampaignModel, fit
from nlp.polarity_data import real_examples
from nlp.predict import Classifier
from nlp.types import ElectionSpec

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainResult:
    output: Path
    version: str
    metadata: dict[str, Any]
    problems: tuple[str, ...]


def _examples(corpus_dir: Path, decisions: Path | None, election_dir: Path | None,
              labels: Path | None = None, real: bool | None = None
              ) -> tuple[list[Example], dict[str, ElectionSpec], list[str]]:
    examples, specs = load_corpus(corpus_dir)
    problems: list[str] = []
    if real is None:  # the shipped corpus carries the real data; a test corpus does not
        real = corpus_dir.resolve() == CORPUS_DIR.resolve()
    if real:
        examples += [Example.from_json(r) for r in real_examples(sorted({e.election for e in examples}))]
    if election_dir is not None:
        specs.update(load_specs(election_dir))
    if labels is not None:
        extra = read_examples(labels)
        unknown = [e for e in extra if e.election not in specs]
        problems += [f"{e.id}: no election file for {e.election!r} (skipped)" for e in unknown]
        examples = merge(examples, [e for e in extra if e.election in specs])
    if decisions is not None:
        extra, problems = read_decisions(decisions)
        unknown = [e for e in extra if e.election not in specs]
        problems += [f"{e.id}: no election file for {e.election!r} (skipped)" for e in unknown]
        extra = [e for e in extra if e.election in specs]
        examples = merge(examples, extra)
        log.info("merged %d reviewer decisions", len(extra))
    return examples, specs, problems


CHECKS_FILE = CORPUS_DIR / "checks" / "handwritten.jsonl"


def evaluate_check_set(model: CampaignModel, specs: dict[str, ElectionSpec], version: str,
                       path: Path = CHECKS_FILE) -> dict[str, Any] | None:
    """The trained model on the hand-written check texts (None if the file or an election is missing)."""
    if not path.exists():
        return None
    examples = read_examples(path)
    if any(e.election not in specs for e in examples):
        log.warning("check set refers to elections without a spec; skipped")
        return None
    classifiers = {eid: Classifier(model, specs[eid], version) for eid in {e.election for e in examples}}
    return check_set(classifiers, examples)


def evaluate_examples(examples: list[Example], specs: dict[str, ElectionSpec],
                      params: dict[str, Any] | None = None) -> dict[str, Any]:
    analyses = analyze_examples(examples, specs)
    results = leave_one_election_out(examples, analyses, params)
    report = metrics(results)
    report["errors"] = errors(results)
    report["data_hash"] = data_hash(examples)
    return report


def train_model(output: Path, corpus_dir: Path = CORPUS_DIR, *, decisions: Path | None = None,
                labels: Path | None = None, election_dir: Path | None = None, params: dict[str, Any] | None = None,
                evaluate: bool = True) -> TrainResult:
    """Fit on everything and write ``output/model.skops`` + ``output/metadata.json``."""
    examples, specs, problems = _examples(corpus_dir, decisions, election_dir, labels)
    analyses = analyze_examples(examples, specs)
    model = fit(analyses, [e.campaign for e in examples], [e.stance for e in examples], params)
    digest = data_hash(examples)
    now = datetime.now(UTC)
    version = f"campaign-{now:%Y%m%d%H%M}-{digest[:8]}"
    metadata: dict[str, Any] = {
        "version": version, "trained_at": now.isoformat(timespec="seconds"), "data_hash": digest,
        "n_examples": len(examples), "elections": sorted({e.election for e in examples}),
        "with_decisions": sum(e.source.startswith("reviewer:") for e in examples),
        "with_labels": sum(e.source.startswith("label:") for e in examples),
        "training_data": {src: sum(e.source.startswith(src) for e in examples) for src in ("real:emot", "real:smsa")}
        | {"generated": sum(not e.source.startswith(("real:", "reviewer:", "label:")) for e in examples),
           "polarity_lexicon": "SmSA train + NusaX train (nlp/data/polarity_id.tsv)"},
        "libraries": {"scikit-learn": sklearn.__version__, "spacy": spacy_about.__version__,
                      "python": platform.python_version()},
    }
    if evaluate:
        report = evaluate_examples(examples, specs, params)
        metadata["metrics"] = {k: report[k] for k in ("loeo_campaign_macro_f1", "loeo_stance_macro_f1",
                                                      "loeo_mean_per_election_campaign_macro_f1",
                                                      "pair_accuracy_on_campaign_texts")}
        metadata["metrics"]["brier"] = report["calibration"]["brier"]
    checks = evaluate_check_set(model, specs, version)
    if checks is not None:
        metadata["check_set"] = {k: checks[k] for k in ("n_texts", "campaign_macro_f1", "stance_macro_f1")}
    dev = evaluate_dev(model, specs, version) if corpus_dir.resolve() == CORPUS_DIR.resolve() else None
    if dev is not None:
        metadata["dev_set"] = {k: v for k, v in dev.items() if k not in ("errors", "neutral_news_as_campaign_ids")}
    save_model(model, output, metadata)
    return TrainResult(output, version, metadata | {"params": dict(DEFAULT_PARAMS, **(params or {}))},
                       tuple(problems))


def evaluate_corpus(report_dir: Path, corpus_dir: Path = CORPUS_DIR, *, decisions: Path | None = None,
                    election_dir: Path | None = None, params: dict[str, Any] | None = None,
                    model: LoadedModel | None = None) -> tuple[dict[str, Any], Path, Path]:
    """Leave-one-election-out evaluation of the training configuration (plus, given a trained
    model, its score on the hand-written check set); writes JSON + Markdown."""
    examples, specs, _ = _examples(corpus_dir, decisions, election_dir)
    report = evaluate_examples(examples, specs, params)
    if model is not None:
        report["model"] = {k: model.metadata.get(k) for k in ("version", "data_hash", "trained_at")}
        checks = evaluate_check_set(model.model, specs, model.version, corpus_dir / "checks" / "handwritten.jsonl")
        if checks is not None:
            report["check_set"] = checks
        dev = evaluate_dev(model.model, specs, model.version)
        if dev is not None:
            report["dev_set"] = dev
        any_spec = next(iter(specs.values()))
        report["real_sentiment"] = score_real_sentiment(Classifier(model.model, any_spec, model.version))
    json_path, md_path = write_report(report, report_dir)
    return report, json_path, md_path
