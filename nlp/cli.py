"""Typer commands for the nlp layer: thin wrappers over plain functions that return data.

The lead mounts these in the ``netral`` CLI::

    from nlp.cli import app as nlp_app, classify_cli
    main.add_typer(nlp_app, name="nlp")            # netral nlp train | evaluate | export-decisions | info
    main.command("classify")(classify_cli)          # netral classify --election --input --output

``classify_command`` (re-exported from :mod:`nlp.batch`) is the same use case as a plain function.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from nlp.artefacts import DEFAULT_DIR, load_model
from nlp.batch import ClassifyStats, classify_command
from nlp.dataset import CORPUS_DIR
from nlp.decisions import read_decisions
from nlp.model import DEFAULT_PARAMS
from nlp.training import evaluate_corpus, train_model

__all__ = ["ClassifyStats", "app", "classify_cli", "classify_command"]

log = logging.getLogger(__name__)
app = typer.Typer(help="Campaign-content classifier: train, evaluate, reviewer decisions.", no_args_is_help=True)

CorpusOpt = Annotated[Path, typer.Option("--corpus", help="Directory with *.jsonl and elections/*.yaml.")]
DecisionsOpt = Annotated[Path | None, typer.Option("--with-decisions",
                                                   help="Reviewer decisions JSONL to merge into the training data.")]
SetOpt = Annotated[list[str] | None, typer.Option("--set", help="Model parameter KEY=VALUE (JSON value), "
                                                    "e.g. --set C=2 --set char_features=65536.")]
ElectionDirOpt = Annotated[Path | None, typer.Option("--election-dir",
                                                     help="Extra election YAML files the decisions refer to.")]


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _params(pairs: list[str] | None) -> dict[str, Any] | None:
    """``["C=2", "word_ngrams=[1,3]"]`` → ``{"C": 2, "word_ngrams": [1, 3]}``; unknown keys refused."""
    if not pairs:
        return None
    out: dict[str, Any] = {}
    for item in pairs:
        key, sep, raw = item.partition("=")
        if not sep or key not in DEFAULT_PARAMS:
            raise typer.BadParameter(f"{item!r}: expected KEY=VALUE with KEY in {sorted(DEFAULT_PARAMS)}")
        try:
            out[key] = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise typer.BadParameter(f"{item!r}: value is not JSON") from exc
    return out


@app.command()
def train(
    output: Annotated[Path, typer.Option("--output", help="Artefact directory to write.")] = DEFAULT_DIR,
    corpus: CorpusOpt = CORPUS_DIR,
    with_decisions: DecisionsOpt = None,
    election_dir: ElectionDirOpt = None,
    skip_evaluation: Annotated[bool, typer.Option("--skip-evaluation",
                                                  help="Do not compute leave-one-election-out metrics.")] = False,
    set_: SetOpt = None,
) -> None:
    """Train on the corpus (plus reviewer decisions) and write model.skops + metadata.json."""
    result = train_model(output, corpus, decisions=with_decisions, election_dir=election_dir,
                         params=_params(set_), evaluate=not skip_evaluation)
    for problem in result.problems:
        _err(f"skipped: {problem}")
    typer.echo(f"model {result.version} written to {result.output}")
    for key, value in result.metadata.get("metrics", {}).items():
        typer.echo(f"  {key}: {value}")


@app.command()
def evaluate(
    report_dir: Annotated[Path, typer.Option("--report-dir", help="Where evaluation.md/.json go.")] = Path("."),
    corpus: CorpusOpt = CORPUS_DIR,
    with_decisions: DecisionsOpt = None,
    election_dir: ElectionDirOpt = None,
    model: Annotated[Path | None, typer.Option("--model", help="Artefact whose metadata heads the report.")] = None,
    set_: SetOpt = None,
) -> None:
    """Leave-one-election-out evaluation; writes a Markdown and a JSON report."""
    loaded = load_model(model) if model is not None else None
    params = _params(set_)
    if params is None and loaded is not None:  # evaluate the configuration the artefact was trained with
        params = {k: v for k, v in loaded.metadata.get("params", {}).items() if k in DEFAULT_PARAMS}
    report, json_path, md_path = evaluate_corpus(report_dir, corpus, decisions=with_decisions,
                                                 election_dir=election_dir, params=params, model=loaded)
    typer.echo(f"campaign macro-F1 (LOEO): {report['loeo_campaign_macro_f1']}")
    typer.echo(f"stance macro-F1 (LOEO): {report['loeo_stance_macro_f1']}")
    typer.echo(f"brier: {report['calibration']['brier']}")
    if "check_set" in report:
        checks = report["check_set"]
        typer.echo(f"hand-written check set ({checks['n_texts']} texts): campaign macro-F1 "
                   f"{checks['campaign_macro_f1']}, stance macro-F1 {checks['stance_macro_f1']}")
    typer.echo(f"reports: {md_path} {json_path}")


@app.command("export-decisions")
def export_decisions(
    decisions: Annotated[Path, typer.Argument(help="Reviewer decisions JSONL.")],
    output: Annotated[Path, typer.Argument(help="Labelled examples JSONL to write.")],
) -> None:
    """Turn reviewer decisions (confirmed / dismissed) into labelled training examples."""
    examples, problems = read_decisions(decisions)
    for problem in problems:
        _err(f"skipped {problem}")
    output.write_text("".join(json.dumps(e.to_json(), ensure_ascii=False) + "\n" for e in examples),
                      encoding="utf-8")
    typer.echo(f"{len(examples)} examples written to {output} ({len(problems)} skipped)")


@app.command()
def info(model: Annotated[Path, typer.Option("--model")] = DEFAULT_DIR) -> None:
    """Print a model artefact's metadata."""
    typer.echo(json.dumps(load_model(model).metadata, indent=2, ensure_ascii=False))


def classify_cli(
    election: Annotated[Path, typer.Option("--election", help="Election YAML file.", exists=True, dir_okay=False)],
    input: Annotated[Path, typer.Option("--input", help="JSONL lines {id, text}.", exists=True, dir_okay=False)],
    output: Annotated[Path, typer.Option("--output", help="JSONL predictions to write.")],
    model: Annotated[Path | None, typer.Option("--model", help="Artefact directory (default: shipped).")] = None,
    progress: Annotated[bool | None, typer.Option("--progress/--no-progress",
                                                  help="Progress bar on stderr (default: long inputs).")] = None,
) -> None:
    """Classify texts: one prediction line per good input line; bad lines reported and skipped."""
    stats = classify_command(election, input, output, model_dir=model, progress=progress)
    for bad in stats.bad_lines:
        _err(f"line {bad.line}: {bad.error} (skipped)")
    _err(f"{stats.classified} classified, {stats.campaign} campaign, {len(stats.bad_lines)} bad lines, "
         f"{stats.texts_per_second:.0f} texts/s, model {stats.model_version}")
    if stats.read and not stats.classified:
        raise typer.Exit(code=1)


app.command("classify")(classify_cli)


def main() -> None:  # pragma: no cover - convenience for `python -m nlp.cli`
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
