"""Helpers shared by the nlp tests: the corpus election files and tiny generated corpora."""

from __future__ import annotations

import json
from pathlib import Path

from nlp.corpus.generate import generate_election
from nlp.types import ElectionSpec

ELECTIONS = Path(__file__).resolve().parents[2] / "nlp" / "corpus" / "elections"
SMALL = {"support": 24, "oppose": 12, "neutral_pair": 8, "neutral_multi": 3, "negative": 30}


def write_small_corpus(directory: Path, specs: list[ElectionSpec], seed: int = 7) -> Path:
    """A corpus directory (jsonl + elections/) generated small enough to train in about a second."""
    (directory / "elections").mkdir(parents=True, exist_ok=True)
    ids = [s.id for s in specs]
    for spec in specs:
        rows = generate_election(spec, ids, seed=seed, sizes=SMALL)
        (directory / f"{spec.id}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        (directory / "elections" / f"{spec.id}.yaml").write_text(
            (ELECTIONS / f"{spec.id}.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return directory
