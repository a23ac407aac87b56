"""Evaluation: leave-one-election-out predictions and the metrics computed from them.

Every figure in the report comes from out-of-fold predictions where the held-out election's names
were never seen in training — the situation the model is in on the next Pilkada.  Reported: per-class
precision/recall/F1 and confusion matrices (campaign and stance), calibration (Brier score and
reliability bins), per-election results, pair accuracy, and the macro-F1 averages the issue targets.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import brier_score_loss, confusion_matrix, f1_score, precision_recall_fscore_support

from nlp.analysis import Analysis
from nlp.dataset import Example
from nlp.model import decide, fit, rows
from nlp.predict import Classifier
from nlp.report_md import render_markdown

log = logging.getLogger(__name__)

STANCE_LABELS = ["support", "oppose", "none"]
TARGETS = {"campaign_macro_f1": 0.90, "stance_macro_f1": 0.75}


@dataclass(frozen=True)
class OutOfFold:
    """One held-out prediction."""

    example: Example
    score: float
    campaign: bool
    stance: str
    pair: int | None


def leave_one_election_out(examples: Sequence[Example], analyses: Sequence[Analysis],
                           params: dict[str, Any] | None = None) -> list[OutOfFold]:
    """Train on all elections but one, predict that one; repeat for every election."""
    out: list[OutOfFold] = []
    elections = sorted({e.election for e in examples})
    if len(elections) < 2:
        raise ValueError("leave-one-election-out needs at least two elections")
    for held_out in elections:
        train = [i for i, e in enumerate(examples) if e.election != held_out]
        test = [i for i, e in enumerate(examples) if e.election == held_out]
        model = fit([analyses[i] for i in train], [examples[i].campaign for i in train],
                    [examples[i].stance for i in train], params)
        feats = model.features(rows([analyses[i] for i in test]))
        scores, oppose = model.campaign_proba(feats), model.oppose_proba(feats)
        for j, i in enumerate(test):
            campaign, stance = decide(float(scores[j]), float(oppose[j]), model.threshold)
            a = analyses[i]
            pair = a.pair if (campaign or a.strong_pair) else None
            out.append(OutOfFold(examples[i], float(scores[j]), campaign, stance, pair))
        log.info("held out %s: %d texts", held_out, len(test))
    return out


def _per_class(y_true: list[Any], y_pred: list[Any], labels: list[Any]) -> dict[str, Any]:
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    return {
        "classes": {str(lbl): {"precision": round(float(p[k]), 4), "recall": round(float(r[k]), 4),
                               "f1": round(float(f[k]), 4), "support": int(s[k])} for k, lbl in enumerate(labels)},
        "macro_f1": round(float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)), 4),
        "confusion_matrix": {"labels": [str(x) for x in labels],
                             "rows_true_cols_pred": confusion_matrix(y_true, y_pred, labels=labels).tolist()},
    }


def reliability(y_true: list[bool], scores: list[float], bins: int = 10) -> list[dict[str, Any]]:
    """Per score bin: how many texts, mean predicted probability, observed campaign rate."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    y, s = np.array(y_true, dtype=float), np.array(scores)
    out = []
    for k in range(bins):
        in_bin = (s >= edges[k]) & ((s < edges[k + 1]) if k < bins - 1 else (s <= 1.0))
        if in_bin.any():
            out.append({"bin": f"{edges[k]:.1f}-{edges[k + 1]:.1f}", "count": int(in_bin.sum()),
                        "mean_score": round(float(s[in_bin].mean()), 4),
                        "campaign_rate": round(float(y[in_bin].mean()), 4)})
    return out


def metrics(results: Sequence[OutOfFold]) -> dict[str, Any]:
    """All report figures from out-of-fold results."""
    y_true = [r.example.campaign for r in results]
    y_pred = [r.campaign for r in results]
    scores = [r.score for r in results]
    with_pair = [r for r in results if r.example.pair is not None]
    campaign_pair = [r for r in with_pair if r.example.campaign]
    report: dict[str, Any] = {
        "n_texts": len(results),
        "campaign": _per_class(y_true, y_pred, [True, False]),
        "stance": _per_class([r.example.stance for r in with_pair], [r.stance for r in with_pair], STANCE_LABELS),
        "calibration": {"brier": round(float(brier_score_loss(y_true, scores)), 4),
                        "reliability": reliability(y_true, scores)},
        "pair_accuracy_on_campaign_texts": round(
            float(np.mean([r.pair == r.example.pair for r in campaign_pair])) if campaign_pair else 0.0, 4),
        "per_election": {},
    }
    for election in sorted({r.example.election for r in results}):
        sub = [r for r in results if r.example.election == election]
        sub_pair = [r for r in sub if r.example.pair is not None]
        report["per_election"][election] = {
            "n": len(sub),
            "campaign_macro_f1": round(float(f1_score([r.example.campaign for r in sub], [r.campaign for r in sub],
                                                      average="macro", zero_division=0)), 4),
            "stance_macro_f1": round(float(f1_score([r.example.stance for r in sub_pair], [r.stance for r in sub_pair],
                                                    labels=STANCE_LABELS, average="macro", zero_division=0)), 4),
        }
    report["loeo_campaign_macro_f1"] = report["campaign"]["macro_f1"]
    report["loeo_stance_macro_f1"] = report["stance"]["macro_f1"]
    report["loeo_mean_per_election_campaign_macro_f1"] = round(
        float(np.mean([v["campaign_macro_f1"] for v in report["per_election"].values()])), 4)
    report["targets"] = {k: {"target": v, "met": report["loeo_" + k] >= v} for k, v in TARGETS.items()}
    return report


def check_set(classifiers: Mapping[str, Classifier], examples: Sequence[Example]) -> dict[str, Any]:
    """Score a trained model on hand-written texts that no template produced (``corpus/checks``).

    The leave-one-election-out figures share phrasing across folds; this small set is the check on
    how much of that is template regularity."""
    results = []
    for e in examples:
        p = classifiers[e.election].predict(e.text)
        results.append(OutOfFold(e, p.score, p.campaign, p.stance, p.pair))
    with_pair = [r for r in results if r.example.pair is not None]
    return {
        "n_texts": len(results),
        "campaign_macro_f1": round(float(f1_score([r.example.campaign for r in results],
                                                  [r.campaign for r in results], average="macro")), 4),
        "stance_macro_f1": round(float(f1_score([r.example.stance for r in with_pair], [r.stance for r in with_pair],
                                                labels=STANCE_LABELS, average="macro", zero_division=0)), 4),
        "mistakes": [{"id": r.example.id, "text": r.example.text, "gold": [r.example.campaign, r.example.pair,
                                                                          r.example.stance],
                      "predicted": [r.campaign, r.pair, r.stance], "score": round(r.score, 4)}
                     for r in results if (r.campaign, r.stance) != (r.example.campaign, r.example.stance)],
    }


def errors(results: Sequence[OutOfFold], limit: int = 15) -> list[dict[str, Any]]:
    """The most confident mistakes, for the report (what to fix in rules or corpus next)."""
    wrong = [r for r in results if r.campaign != r.example.campaign]
    wrong.sort(key=lambda r: -abs(r.score - 0.5))
    return [{"id": r.example.id, "text": r.example.text, "campaign": r.example.campaign,
             "score": round(r.score, 4)} for r in wrong[:limit]]


def write_report(report: dict[str, Any], directory: Path, name: str = "evaluation") -> tuple[Path, Path]:
    """Write ``name.json`` and ``name.md``; returns both paths."""
    directory.mkdir(parents=True, exist_ok=True)
    json_path, md_path = directory / f"{name}.json", directory / f"{name}.md"
    json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text(render_markdown(report), encoding="utf-8")
    return json_path, md_path
