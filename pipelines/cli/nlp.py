"""``netral nlp …`` and ``netral classify``: thin Typer commands over nlp's plain functions.

Heavy modules (scikit-learn, skops, spaCy) are imported inside the commands, so ``netral --help``
and ``netral classify --help`` stay fast.  Errors of the nlp layer (:class:`nlp.errors.NlpError`)
are rendered by the top-level group as one line, like every NetralError.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from nlp.batch import ClassifyStats
from nlp.paths import CORPUS_DIR, DEFAULT_MODEL_DIR

__all__ = ["ClassifyStats", "app", "classify_cli"]

log = logging.getLogger(__name__)
app = typer.Typer(help="Campaign-content classifier: train, evaluate, reviewer decisions and labels.",
                  no_args_is_help=True)

CorpusOpt = Annotated[Path, typer.Option("--corpus", help="Directory with *.jsonl and elections/*.yaml.")]
DecisionsOpt = Annotated[Path | None, typer.Option("--with-decisions",
                                                   help="Reviewer decisions JSONL to merge into the training data.")]
LabelsOpt = Annotated[Path | None, typer.Option("--with-labels",
                                                help="Annotation labels JSONL (netral nlp export-labels) to merge.")]
SetOpt = Annotated[list[str] | None, typer.Option("--set", help="Model parameter KEY=VALUE (JSON value), "
                                                    "e.g. --set C=2 --set char_features=65536.")]
ElectionDirOpt = Annotated[Path | None, typer.Option("--election-dir",
                                                     help="Extra election YAML files the decisions refer to.")]
PROGRESS_MIN_LINES = 5000


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _params(pairs: list[str] | None) -> dict[str, Any] | None:
    """``["C=2", "word_ngrams=[1,3]"]`` → ``{"C": 2, "word_ngrams": [1, 3]}``; unknown keys refused."""
    if not pairs:
        return None
    from nlp.model import DEFAULT_PARAMS

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
    output: Annotated[Path, typer.Option("--output", help="Artefact directory to write.")] = DEFAULT_MODEL_DIR,
    corpus: CorpusOpt = CORPUS_DIR,
    with_decisions: DecisionsOpt = None,
    with_labels: LabelsOpt = None,
    election_dir: ElectionDirOpt = None,
    skip_evaluation: Annotated[bool, typer.Option("--skip-evaluation",
                                                  help="Do not compute leave-one-election-out metrics.")] = False,
    set_: SetOpt = None,
) -> None:
    """Train on the corpus (plus reviewer decisions and annotation labels) and write model.skops + metadata."""
    from nlp.training import train_model

    result = train_model(output, corpus, decisions=with_decisions, labels=with_labels, election_dir=election_dir,
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
    """Three reports apart: generated corpus (leave one election out), real sentiment test splits
    (stance), the hand-labelled development set.  Writes Markdown and JSON."""
    from nlp.artefacts import load_model
    from nlp.model import DEFAULT_PARAMS
    from nlp.training import evaluate_corpus

    loaded = load_model(model) if model is not None else None
    params = _params(set_)
    if params is None and loaded is not None:  # evaluate the configuration the artefact was trained with
        params = {k: v for k, v in loaded.metadata.get("params", {}).items() if k in DEFAULT_PARAMS}
    report, json_path, md_path = evaluate_corpus(report_dir, corpus, decisions=with_decisions,
                                                 election_dir=election_dir, params=params, model=loaded)
    typer.echo(f"generated corpus, campaign macro-F1 (LOEO): {report['loeo_campaign_macro_f1']}")
    typer.echo(f"generated corpus, stance macro-F1 (LOEO): {report['loeo_stance_macro_f1']}")
    typer.echo(f"brier: {report['calibration']['brier']}")
    if "real_sentiment" in report:
        real = report["real_sentiment"]
        typer.echo(f"real sentiment test splits ({real['n_texts']} texts): stance macro-F1 {real['macro_f1']}")
    if "dev_set" in report:
        dev = report["dev_set"]
        typer.echo(f"hand-labelled dev set ({dev['n_texts']} texts): partisan macro-F1 {dev['campaign_macro_f1']}, "
                   f"support/oppose macro-F1 {dev['stance_macro_f1']}, election-related recall "
                   f"{dev['related_recall']}, neutral organiser/news called campaign {dev['neutral_news_as_campaign']}")
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
    from nlp.decisions import read_decisions

    examples, problems = read_decisions(decisions)
    for problem in problems:
        _err(f"skipped {problem}")
    output.write_text("".join(json.dumps(e.to_json(), ensure_ascii=False) + "\n" for e in examples),
                      encoding="utf-8")
    typer.echo(f"{len(examples)} examples written to {output} ({len(problems)} skipped)")


@app.command()
def info(model: Annotated[Path, typer.Option("--model")] = DEFAULT_MODEL_DIR) -> None:
    """Print a model artefact's metadata."""
    from nlp.artefacts import load_model

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
    from nlp.batch import classify_command

    with _progress_bar(input, progress) as callback:
        stats = classify_command(election, input, output, model_dir=model, progress=callback)
    for bad in stats.bad_lines:
        _err(f"{input}:{bad.line}: {bad.error} (skipped)")
    _err(f"{stats.classified} classified, {stats.campaign} campaign, {len(stats.bad_lines)} bad lines, "
         f"{stats.texts_per_second:.0f} texts/s, model {stats.model_version}")
    if stats.read and not stats.classified:
        _err(f"no line of {input} could be classified; {output} not written")
        raise typer.Exit(code=1)


class _progress_bar:
    """A rich progress bar on stderr fed by nlp's plain progress callback."""

    def __init__(self, path: Path, show: bool | None) -> None:
        self.path, self.show = path, show
        self.bar: Any = None

    def __enter__(self) -> Any:
        if self.show is False:
            return None
        if self.show is None:
            try:
                if self.path.stat().st_size < PROGRESS_MIN_LINES * 80:
                    return None
            except OSError:
                return None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(TextColumn("classify"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            console=Console(file=sys.stderr))
        self.bar.__enter__()
        task = self.bar.add_task("classify", total=None)

        def update(done: int, total: int) -> None:
            self.bar.update(task, completed=done, total=total)

        return update

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


app.command("classify")(classify_cli)
