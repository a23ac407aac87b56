"""Labelled examples: reading the corpus, hashing it, and turning texts into model rows.

An example is only meaningful together with the election it was written for, because the ruler
needs that election's names to mask them.  So every example carries an election id and
:func:`load_corpus` returns the election specs alongside the examples.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from nlp.analysis import Analysis, Analyzer
from nlp.election import load_election_yaml
from nlp.paths import CORPUS_DIR as CORPUS_DIR
from nlp.types import STANCES, ElectionSpec, Stance

log = logging.getLogger(__name__)



class ExampleError(ValueError):
    """A labelled line is malformed."""


@dataclass(frozen=True)
class Example:
    id: str
    election: str
    text: str
    campaign: bool
    pair: int | None
    stance: Stance
    source: str = ""

    @classmethod
    def from_json(cls, row: Mapping[str, object]) -> Example:
        try:
            stance = str(row.get("stance") or "none")
            if stance not in STANCES:
                raise ExampleError(f"unknown stance {stance!r}")
            pair = row.get("pair")
            return cls(id=str(row["id"]), election=str(row["election"]), text=str(row["text"]),
                       campaign=bool(row["campaign"]), pair=int(str(pair)) if pair is not None else None,
                       stance=stance,  # narrowed to Stance by the membership check above
                       source=str(row.get("source") or ""))
        except KeyError as exc:
            raise ExampleError(f"missing field {exc}") from exc

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "election": self.election, "text": self.text, "campaign": self.campaign,
                "pair": self.pair, "stance": self.stance, "source": self.source}


def read_examples(path: Path) -> list[Example]:
    """Read one JSONL file of examples; a malformed line raises with its line number."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(Example.from_json(json.loads(line)))
        except (json.JSONDecodeError, ExampleError, TypeError, ValueError) as exc:
            raise ExampleError(f"{path}:{number}: {exc}") from exc
    return out


def load_specs(directory: Path) -> dict[str, ElectionSpec]:
    specs = {}
    for path in sorted(directory.glob("*.yaml")):
        spec = load_election_yaml(path)
        specs[spec.id] = spec
    return specs


def load_corpus(directory: Path = CORPUS_DIR) -> tuple[list[Example], dict[str, ElectionSpec]]:
    """All ``*.jsonl`` examples in ``directory`` and the specs in ``directory/elections``."""
    examples = [e for path in sorted(directory.glob("*.jsonl")) for e in read_examples(path)]
    specs = load_specs(directory / "elections")
    missing = {e.election for e in examples} - specs.keys()
    if missing:
        raise ExampleError(f"examples refer to elections without a spec: {sorted(missing)}")
    return examples, specs


def data_hash(examples: Iterable[Example]) -> str:
    """Order-independent sha256 of the labelled data, recorded in model metadata."""
    lines = sorted(json.dumps(e.to_json(), sort_keys=True, ensure_ascii=False) for e in examples)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def analyze_examples(examples: Sequence[Example], specs: Mapping[str, ElectionSpec]) -> list[Analysis]:
    """Run each example through the rules of its own election (one analyzer per election)."""
    analyzers: dict[str, Analyzer] = {}
    out = []
    for example in examples:
        if example.election not in analyzers:
            analyzers[example.election] = Analyzer(specs[example.election])
        out.append(analyzers[example.election].analyze(example.text))
    return out
