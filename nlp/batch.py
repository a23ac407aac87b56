"""Batch classification of a JSONL file: the stable interface behind ``netral classify``.

Input lines ``{"id": ..., "text": ...}``; output lines are :meth:`nlp.types.Prediction.to_json`
records in input order.  A bad line (not UTF-8, not JSON, nested too deeply, not an object, no
``id``, ``text`` not a string) is reported with its line number and skipped; the rest are classified.
The output is written to a temporary file beside the target and moved into place at the end, so a
failed run never leaves a half-written or empty output file.  Texts are classified in batches so the
vectoriser works on many rows at once.  Progress goes to an optional callback (no UI code here).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from nlp.errors import InputError

if TYPE_CHECKING:
    from nlp.predict import Classifier

log = logging.getLogger(__name__)

BATCH_SIZE = 2048
MAX_LINE_BYTES = 1_000_000
Progress = Callable[[int, int], None]  # (lines done, lines total)


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


def _parse(raw: bytes, number: int) -> tuple[Any, str] | BadLine:
    if len(raw) > MAX_LINE_BYTES:
        return BadLine(number, f"line longer than {MAX_LINE_BYTES} bytes")
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return BadLine(number, f"not UTF-8 (byte {exc.start})")
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        return BadLine(number, f"not JSON: {exc.msg} (column {exc.colno})")
    except RecursionError:
        return BadLine(number, "JSON nested too deeply")
    if not isinstance(value, dict):
        return BadLine(number, "not a JSON object")
    if "id" not in value or value["id"] is None:
        return BadLine(number, "missing 'id'")
    if not isinstance(value["id"], str | int | float):
        return BadLine(number, "'id' must be a string or a number")
    if not isinstance(value.get("text"), str):
        return BadLine(number, "'text' missing or not a string")
    return value["id"], value["text"]


def _records(handle: IO[bytes], stats: ClassifyStats) -> Iterator[tuple[Any, str]]:
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        stats.read += 1
        parsed = _parse(line.rstrip(b"\r\n"), number)
        if isinstance(parsed, BadLine):
            stats.bad_lines.append(parsed)
            log.warning("line %d skipped: %s", parsed.line, parsed.error)
            continue
        yield parsed


def _count_lines(path: Path) -> int:
    try:
        with path.open("rb") as fh:
            return sum(1 for line in fh if line.strip())
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc


def classify_file(classifier: Classifier, input_path: Path, output_path: Path,
                  progress: Progress | None = None) -> ClassifyStats:
    """Classify ``input_path`` into ``output_path`` with an already built classifier.

    ``output_path`` is only created when at least one line was classified."""
    stats = ClassifyStats(model_version=classifier.version)
    started = time.perf_counter()
    total = _count_lines(input_path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{output_path.name}.", dir=output_path.parent or Path("."))
    tmp = Path(tmp_name)
    try:
        with input_path.open("rb") as src, os.fdopen(fd, "w", encoding="utf-8") as dst:
            batch: list[tuple[Any, str]] = []
            for record in _records(src, stats):
                batch.append(record)
                if len(batch) >= BATCH_SIZE:
                    _flush(classifier, batch, dst, stats)
                    batch = []
                    if progress is not None:
                        progress(stats.read, total)
            _flush(classifier, batch, dst, stats)
        if progress is not None:
            progress(total, total)
        if stats.classified:
            tmp.replace(output_path)
    finally:
        tmp.unlink(missing_ok=True)
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
                     progress: Progress | None = None) -> ClassifyStats:
    """``netral classify --election E.yaml --input IN.jsonl --output OUT.jsonl`` as a plain function.

    Uses the shipped default model unless ``model_dir`` names another artefact directory."""
    from nlp.artefacts import load_default_model, load_model
    from nlp.election import load_election_yaml
    from nlp.predict import Classifier

    if not input.is_file():
        raise InputError(f"{input}: no such input file")
    spec = load_election_yaml(election)
    loaded = load_model(model_dir) if model_dir is not None else load_default_model()
    classifier = Classifier(loaded.model, spec, loaded.version)
    return classify_file(classifier, input, output, progress)
