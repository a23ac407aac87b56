"""Batch classification of a JSONL file: the stable interface behind ``netral classify``.

Input lines ``{"id": ..., "text": ...}``; output lines ``{"id", "campaign", "score", "pair", "stance",
"reasons", "model_version", "uncertainty"}`` in input order.  A bad line (not JSON, not an object, no
``id``, ``text`` not a string) is reported with its line number and skipped; the rest are classified.
Texts are classified in batches so the vectoriser works on many rows at once.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from nlp.artefacts import LoadedModel, load_default_model, load_model
from nlp.election import load_election_yaml
from nlp.predict import Classifier

log = logging.getLogger(__name__)

BATCH_SIZE = 2048
PROGRESS_MIN_LINES = 5000


@dataclass(frozen=True)
class BadLine:
    line: int
    error: str


@dataclass
class ClassifyStats:
    """What a batch run did; ``bad_lines`` lists every skipped input line."""

    read: int = 0
    classified: int = 0
    campaign: int = 0
    bad_lines: list[BadLine] = field(default_factory=list)
    model_version: str = ""
    seconds: float = 0.0

    @property
    def texts_per_second(self) -> float:
        return self.classified / self.seconds if self.seconds else 0.0


def _parse(line: str, number: int) -> tuple[Any, str] | BadLine:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        return BadLine(number, f"not JSON: {exc.msg}")
    if not isinstance(value, dict):
        return BadLine(number, "not a JSON object")
    if "id" not in value or value["id"] is None:
        return BadLine(number, "missing 'id'")
    if not isinstance(value.get("text"), str):
        return BadLine(number, "'text' missing or not a string")
    return value["id"], value["text"]


def _records(handle: IO[str], stats: ClassifyStats) -> Iterator[tuple[Any, str]]:
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        stats.read += 1
        parsed = _parse(line, number)
        if isinstance(parsed, BadLine):
            stats.bad_lines.append(parsed)
            log.warning("line %d skipped: %s", parsed.line, parsed.error)
            continue
        yield parsed


def _progress(total: int, show: bool | None) -> Progress | None:
    if show is False or (show is None and total < PROGRESS_MIN_LINES):
        return None
    return Progress(TextColumn("classify"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=Console(file=sys.stderr), transient=False)


def classify_file(classifier: Classifier, input_path: Path, output_path: Path,
                  progress: bool | None = None) -> ClassifyStats:
    """Classify ``input_path`` into ``output_path`` with an already built classifier."""
    stats = ClassifyStats(model_version=classifier.version)
    started = time.perf_counter()
    with input_path.open(encoding="utf-8") as fh:
        total = sum(1 for line in fh if line.strip())
    bar = _progress(total, progress)
    with input_path.open(encoding="utf-8") as src, output_path.open("w", encoding="utf-8") as dst, \
            (bar or nullcontext()):
        task = bar.add_task("classify", total=total) if bar else None
        batch: list[tuple[Any, str]] = []
        for record in _records(src, stats):
            batch.append(record)
            if len(batch) >= BATCH_SIZE:
                _flush(classifier, batch, dst, stats)
                if bar is not None and task is not None:
                    bar.update(task, completed=stats.read)
                batch = []
        _flush(classifier, batch, dst, stats)
        if bar is not None and task is not None:
            bar.update(task, completed=total)
    stats.seconds = time.perf_counter() - started
    log.info("classified %d texts (%d campaign, %d bad lines) in %.2fs", stats.classified, stats.campaign,
             len(stats.bad_lines), stats.seconds)
    return stats


def _flush(classifier: Classifier, batch: list[tuple[Any, str]], dst: IO[str], stats: ClassifyStats) -> None:
    if not batch:
        return
    predictions = classifier.predict_many([text for _, text in batch], batch_size=BATCH_SIZE)
    for (id_, _), prediction in zip(batch, predictions, strict=True):
        dst.write(json.dumps(prediction.to_json(id_), ensure_ascii=False) + "\n")
        stats.classified += 1
        stats.campaign += prediction.campaign


def classify_command(election: Path, input: Path, output: Path, model_dir: Path | None = None,
                     progress: bool | None = None) -> ClassifyStats:
    """``netral classify --election E.yaml --input IN.jsonl --output OUT.jsonl`` as a plain function.

    Uses the shipped default model unless ``model_dir`` names another artefact directory."""
    spec = load_election_yaml(election)
    loaded: LoadedModel = load_model(model_dir) if model_dir is not None else load_default_model()
    classifier = Classifier(loaded.model, spec, loaded.version)
    return classify_file(classifier, input, output, progress)
