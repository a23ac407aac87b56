"""Learning from reviewers: confirmed and dismissed cases become labelled examples.

A reviewer decision record (exported by the review side as JSON lines) looks like::

    {"id": "case-17", "election": "pilkada-contoh-2024", "text": "...", "decision": "confirmed",
     "pair": 2, "stance": "support"}

``confirmed`` means the text is campaign content (stance defaults to ``none`` when the reviewer did
not record one; such rows teach campaign/not but not stance); ``dismissed`` means it is not.  Only the
text and the labels are kept — no reviewer or employee identifiers reach the training data.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path

from nlp.dataset import Example, ExampleError
from nlp.types import STANCES

log = logging.getLogger(__name__)

DECISIONS = {"confirmed": True, "dismissed": False}


def decision_to_example(record: Mapping[str, object]) -> Example:
    """One reviewer decision as a labelled example; raises :class:`ExampleError` if unusable."""
    decision = str(record.get("decision", "")).lower()
    if decision not in DECISIONS:
        raise ExampleError(f"decision must be confirmed or dismissed, got {decision!r}")
    text, election = record.get("text"), record.get("election")
    if not isinstance(text, str) or not text.strip() or not isinstance(election, str):
        raise ExampleError("decision needs 'text' and 'election'")
    campaign = DECISIONS[decision]
    stance = str(record.get("stance") or "none") if campaign else "none"
    if stance not in STANCES:
        raise ExampleError(f"unknown stance {stance!r}")
    pair = record.get("pair")
    return Example.from_json({
        "id": f"decision:{record.get('id', '')}", "election": election, "text": text, "campaign": campaign,
        "pair": pair, "stance": stance, "source": f"reviewer:{decision}",
    })


def decisions_to_examples(records: Iterable[Mapping[str, object]]) -> tuple[list[Example], list[str]]:
    """Convert many records; returns the examples and one message per skipped record."""
    examples, problems = [], []
    for number, record in enumerate(records, start=1):
        try:
            examples.append(decision_to_example(record))
        except (ExampleError, ValueError, TypeError) as exc:
            problems.append(f"record {number}: {exc}")
    return examples, problems


def read_decisions(path: Path) -> tuple[list[Example], list[str]]:
    """Read a decisions JSONL file; bad lines are reported by line number and skipped."""
    examples: list[Example] = []
    problems: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
            if not isinstance(value, dict):
                raise ExampleError("not a JSON object")
            examples.append(decision_to_example(value))
        except json.JSONDecodeError as exc:
            problems.append(f"line {number}: not JSON ({exc.msg})")
        except (ExampleError, ValueError, TypeError) as exc:
            problems.append(f"line {number}: {exc}")
    return examples, problems


def merge(corpus: list[Example], extra: list[Example]) -> list[Example]:
    """Corpus plus reviewer examples; a reviewer label replaces a corpus label for the same text."""
    keyed = {(e.election, e.text): e for e in corpus}
    replaced = sum((e.election, e.text) in keyed for e in extra)
    keyed.update({(e.election, e.text): e for e in extra})
    if replaced:
        log.info("%d reviewer decisions replaced corpus labels", replaced)
    return list(keyed.values())
