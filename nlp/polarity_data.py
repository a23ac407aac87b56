"""Readers for the real polarity data under ``nlp/corpus/real`` (SmSA, NusaX, EmoT).

They feed the polarity lexicon (:mod:`nlp.polarity`) and the "real sentiment" block of
``netral nlp evaluate``.  Labels are mapped to stance words: positive → support, negative → oppose,
neutral → none.  ``test`` splits are only ever read for reporting.
"""

from __future__ import annotations

import csv
from pathlib import Path

REAL_DIR = Path(__file__).parent / "corpus" / "real"
_STANCE = {"positive": "support", "negative": "oppose", "neutral": "none"}


def smsa(split: str, root: Path = REAL_DIR) -> list[tuple[str, str]]:
    """``(text, stance)`` rows of SmSA ``train`` / ``valid`` / ``test``."""
    path = root / "indonlu-smsa" / f"{split}_preprocess.tsv"
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text, _, label = line.rpartition("\t")
        if text and label in _STANCE:
            out.append((text, _STANCE[label]))
    return out


def nusax(split: str, root: Path = REAL_DIR) -> list[tuple[str, str]]:
    path = root / "nusax-senti-id" / f"{split}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return [(r["text"], _STANCE[r["label"]]) for r in csv.DictReader(fh) if r["label"] in _STANCE]


def emot(split: str, root: Path = REAL_DIR) -> list[tuple[str, str]]:
    """``(tweet, emotion)`` rows of EmoT."""
    path = root / "indonlu-emot" / f"{split}_preprocess.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return [(r["tweet"], r["label"]) for r in csv.DictReader(fh)]


def sentiment(split: str, root: Path = REAL_DIR) -> list[tuple[str, str]]:
    """SmSA + NusaX rows of one split."""
    return smsa(split, root) + nusax(split, root)


REAL_TRAIN_LIMIT = {"emot": 3493, "smsa": 2500}


def real_examples(election_ids: list[str], seed: int = 13) -> list[dict[str, object]]:
    """Real everyday texts as non-campaign training rows (``train`` splits only).

    EmoT tweets are everyday chatter full of emotion and insults, SmSA rows reviews and complaints:
    both name no pair, so they teach the model that strong words alone are not partisan.  They are
    spread round-robin over the corpus elections so every leave-one-election-out fold holds some."""
    import random

    rng = random.Random(seed)  # noqa: S311 - a reproducible sample, not a secret
    texts = [t for t, _ in emot("train")][: REAL_TRAIN_LIMIT["emot"]]
    smsa_rows = smsa("train")
    rng.shuffle(smsa_rows)
    texts += [t for t, _ in smsa_rows[: REAL_TRAIN_LIMIT["smsa"]]]
    return [{"id": f"real-{i}", "election": election_ids[i % len(election_ids)], "text": t, "campaign": False,
             "pair": None, "stance": "none", "source": "real:emot" if i < REAL_TRAIN_LIMIT["emot"] else "real:smsa"}
            for i, t in enumerate(texts)]
