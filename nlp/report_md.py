"""Render the evaluation report (a dict from :func:`nlp.evaluate.metrics`) as Markdown for people."""

from __future__ import annotations

from typing import Any


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


def _classes(block: dict[str, Any]) -> list[str]:
    rows = [[label, v["precision"], v["recall"], v["f1"], v["support"]] for label, v in block["classes"].items()]
    lines = _table(["class", "precision", "recall", "F1", "n"], rows)
    cm = block["confusion_matrix"]
    lines += ["", "Confusion matrix (rows = true, columns = predicted):", ""]
    lines += _table(["true \\ pred", *cm["labels"]],
                    [[label, *row] for label, row in zip(cm["labels"], cm["rows_true_cols_pred"], strict=True)])
    return lines


def render_markdown(report: dict[str, Any]) -> str:
    meta = report.get("model", {})
    lines = ["# Campaign classifier evaluation", ""]
    if meta:
        lines += [f"Model `{meta.get('version', '?')}`, data hash `{str(meta.get('data_hash', '?'))[:16]}`.", ""]
    lines += [
        "All figures are leave-one-election-out: each election is predicted by a model trained on the others,",
        "so its candidates' names were never seen.  The corpus is generated from templates (see",
        "`nlp/corpus/README.md`); figures on real posts will be lower.", "",
        f"- Texts: {report['n_texts']}",
        f"- Campaign macro-F1 (pooled): **{report['loeo_campaign_macro_f1']}** (target ≥ 0.90)",
        f"- Campaign macro-F1 (mean over elections): {report['loeo_mean_per_election_campaign_macro_f1']}",
        f"- Stance macro-F1 (texts about a pair): **{report['loeo_stance_macro_f1']}** (target ≥ 0.75)",
        f"- Pair accuracy on campaign texts: {report['pair_accuracy_on_campaign_texts']}",
        f"- Brier score: {report['calibration']['brier']}", "",
        "## Campaign / not", "", *_classes(report["campaign"]), "",
        "## Stance", "", *_classes(report["stance"]), "",
        "## Calibration (reliability bins)", "",
        *_table(["score bin", "n", "mean score", "observed campaign rate"],
                [[b["bin"], b["count"], b["mean_score"], b["campaign_rate"]]
                 for b in report["calibration"]["reliability"]]),
        "", "## Per election (held out)", "",
        *_table(["election", "n", "campaign macro-F1", "stance macro-F1"],
                [[k, v["n"], v["campaign_macro_f1"], v["stance_macro_f1"]] for k, v in report["per_election"].items()]),
    ]
    checks = report.get("check_set")
    if checks:
        lines += ["", "## Hand-written check set", "",
                  f"{checks['n_texts']} texts written by hand (no template), scored with the trained model:",
                  f"campaign macro-F1 **{checks['campaign_macro_f1']}**, stance macro-F1 "
                  f"**{checks['stance_macro_f1']}**.", ""]
        lines += _table(["id", "gold (campaign, pair, stance)", "predicted", "score", "text"],
                        [[m["id"], m["gold"], m["predicted"], m["score"], m["text"].replace("|", "/")]
                         for m in checks["mistakes"]])
    if report.get("errors"):
        lines += ["", "## Most confident mistakes", ""]
        lines += _table(["id", "gold campaign", "score", "text"],
                        [[e["id"], e["campaign"], e["score"], e["text"].replace("|", "/")] for e in report["errors"]])
    return "\n".join(lines) + "\n"
