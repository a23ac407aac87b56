"""The hand-labelled development set and the real sentiment test splits, scored apart from the
generated corpus (see ``docs/annotation.md`` for how the development set was labelled).

Figures reported here are never used to choose anything: thresholds come from ``valid`` splits and
the generated corpus only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sklearn.metrics import f1_score

from nlp.normalize import normalize
from nlp.paths import DEV_SET
from nlp.polarity import text_polarity
from nlp.polarity_data import emot, sentiment
from nlp.predict import Classifier
from nlp.types import ElectionSpec

NEUTRAL_CATEGORIES = frozenset({"news", "neutral_gov", "hashtag_only"})


def read_dev(path: Path = DEV_SET) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _f1(gold: Sequence[object], pred: Sequence[object], labels: Sequence[object] | None = None) -> float:
    if not gold:
        return 0.0
    return round(float(f1_score(gold, pred, average="macro", zero_division=0, labels=labels)), 4)


def score_dev(classifiers: Mapping[str, Classifier], rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Partisan macro-F1, support/oppose macro-F1, election-related recall, pair accuracy, per-pair
    stance accuracy and every neutral organiser/news post called campaign."""
    preds = [classifiers[r["election"]].predict(r["text"]) for r in rows]
    gold_c = [bool(r["campaign"]) for r in rows]
    pred_c = [p.campaign for p in preds]
    stance_rows = [(r["stance"], p.stance) for r, p in zip(rows, preds, strict=True)
                   if r["campaign"] and r["stance"] in ("support", "oppose")]
    related = [(bool(r["related"]), p.election_related) for r, p in zip(rows, preds, strict=True)]
    pair_rows = [(r["pair"], p.pair) for r, p in zip(rows, preds, strict=True) if r["campaign"] and r["pair"]]
    pair_stance = [(s, {str(x.number): x.stance for x in p.pairs}.get(n, "none"))
                   for r, p in zip(rows, preds, strict=True) if r["campaign"] for n, s in r["pairs"].items()]
    neutral_fp = [r["id"] for r, p in zip(rows, preds, strict=True)
                  if r["category"] in NEUTRAL_CATEGORIES and not r["campaign"] and p.campaign]
    errors = [{"id": r["id"], "category": r["category"], "text": r["text"],
               "gold": [r["related"], r["campaign"], r["pair"], r["stance"]],
               "pred": [p.election_related, p.campaign, p.pair, p.stance]}
              for r, p in zip(rows, preds, strict=True)
              if (r["campaign"], r["related"]) != (p.campaign, p.election_related)
              or (r["campaign"] and (r["pair"], r["stance"]) != (p.pair, p.stance))]
    related_pos = [pr for g, pr in related if g]
    related_pred = [g for g, pr in related if pr]
    return {
        "n_texts": len(rows),
        "campaign_macro_f1": _f1(gold_c, pred_c),
        "stance_macro_f1": _f1([g for g, _ in stance_rows], [p for _, p in stance_rows], ["support", "oppose"]),
        "related_recall": round(sum(related_pos) / len(related_pos), 4) if related_pos else 0.0,
        "related_precision": round(sum(related_pred) / len(related_pred), 4) if related_pred else 0.0,
        "pair_accuracy": round(sum(g == p for g, p in pair_rows) / len(pair_rows), 4) if pair_rows else 0.0,
        "pair_stance_accuracy": round(sum(g == p for g, p in pair_stance) / len(pair_stance), 4)
        if pair_stance else 0.0,
        "neutral_news_as_campaign": len(neutral_fp),
        "neutral_news_as_campaign_ids": neutral_fp,
        "errors": errors,
    }


def score_real_sentiment(classifier: Classifier | None = None) -> dict[str, Any]:
    """The polarity lexicon on SmSA + NusaX ``test`` (support/oppose rows, threshold 0 chosen on
    ``valid``) and, given a classifier, how many EmoT ``test`` tweets it calls campaign."""
    rows = [(t, s) for t, s in sentiment("test") if s != "none"]
    pred = ["support" if text_polarity(normalize(t).words) > 0 else "oppose" for t, _ in rows]
    out: dict[str, Any] = {"n_texts": len(rows), "macro_f1": _f1([s for _, s in rows], pred),
                           "source": "SmSA test + NusaX-Senti (id) test, positive vs negative"}
    if classifier is not None:
        tweets = [t for t, _ in emot("test")]
        flagged = sum(p.campaign for p in classifier.predict_many(tweets))
        out["emot_test_called_campaign"] = f"{flagged}/{len(tweets)}"
    return out


def evaluate_dev(model: Any, specs: Mapping[str, ElectionSpec], version: str,
                 path: Path = DEV_SET) -> dict[str, Any] | None:
    if not path.exists():
        return None
    rows = read_dev(path)
    if any(r["election"] not in specs for r in rows):
        return None
    classifiers = {e: Classifier(model, specs[e], version) for e in {r["election"] for r in rows}}
    return score_dev(classifiers, rows)
