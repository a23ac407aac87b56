"""A polarity lexicon learned from real Indonesian sentiment data, and the reading of polarity
in a window of words with negation.

Stance toward a pair behaves like sentiment toward it, but the whole-text sentiment is the wrong
unit: "pilih 02, bukan 01" is positive about one pair and negative about the other.  So the lexicon
is a word → weight table (a logistic regression on SmSA + NusaX ``train``, positive vs negative,
over normalised words with negation marking), and :func:`window_score` sums it over the words near a
mention, flipping a word that follows a negator ("tidak jujur").  The table is a plain TSV in
``nlp/data/polarity_id.tsv`` (derived from CC BY-SA data, so CC BY-SA): loading it costs
milliseconds, and a reviewer can read why a word counted.

Campaign attack and praise words (:mod:`nlp.cue_patterns`) are added with fixed weights: SmSA is
mostly restaurant reviews and rarely says "koruptor".
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path

from nlp.cue_patterns import NEGATIVE_WORDS, PRAISE_WORDS

NEGATORS = frozenset({"tidak", "bukan", "jangan", "belum", "tanpa", "ga", "gk", "g", "bkn", "tak", "kurang"})
LEXICON_FILE = "polarity_id.tsv"
_CAMPAIGN_NEG = 2.0
_CAMPAIGN_POS = 1.5
# Ordinary words the sentiment data made polar that are neutral in election posts.
_NEUTRAL_HERE = frozenset({"pilih", "memilih", "nomor", "calon", "paslon", "kampanye", "debat", "tps", "kpu",
                           "bawaslu", "pilkada", "suara", "partai", "URL", "@USER"})


@cache
def lexicon() -> dict[str, float]:
    """word → weight (positive = support, negative = oppose)."""
    path = resources.files("nlp") / "data" / LEXICON_FILE
    table: dict[str, float] = {}
    for line in path.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            word, _, weight = line.partition("\t")
            table[word] = float(weight)
    for word in NEGATIVE_WORDS:
        table[word] = -_CAMPAIGN_NEG
    for phrase in PRAISE_WORDS:
        if " " not in phrase:
            table[phrase] = max(table.get(phrase, 0.0), _CAMPAIGN_POS)
    for word in _NEUTRAL_HERE:
        table.pop(word, None)
    return table


def window_score(words: Sequence[str], lo: int, hi: int,
                 skip: frozenset[int] = frozenset()) -> tuple[float, int | None]:
    """Summed polarity of ``words[lo:hi]`` and the index of the strongest word (for the reason).

    A word right after a negator (within two words) counts with the opposite sign; the negator
    itself carries no weight."""
    table = lexicon()
    total, best, best_abs = 0.0, None, 0.0
    for i in range(max(0, lo), min(len(words), hi)):
        if i in skip:
            continue
        weight = table.get(words[i])
        if weight is None:
            continue
        if any(words[j] in NEGATORS for j in range(max(lo, i - 2), i)):
            weight = -weight
        total += weight
        if abs(weight) > best_abs:
            best, best_abs = i, abs(weight)
    return total, best


def text_polarity(words: Sequence[str]) -> float:
    """Polarity of a whole text (used to report the lexicon on the real sentiment test splits)."""
    return window_score(words, 0, len(words))[0]


def build_lexicon(rows: Sequence[tuple[str, str]], output: Path, min_count: int = 3, min_weight: float = 0.25,
                  c: float = 0.5) -> int:
    """Fit the lexicon on ``(text, stance)`` rows (support / oppose used) and write the TSV.

    Words are normalised like every other text; a word within two words after a negator is read as
    ``NEG_word`` during fitting so "tidak enak" does not teach that "enak" is negative."""
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    from nlp.normalize import normalize

    docs, labels = [], []
    for text, stance in rows:
        if stance not in ("support", "oppose"):
            continue
        words = normalize(text).words
        marked = [("NEG_" + w if any(words[j] in NEGATORS for j in range(max(0, i - 2), i)) else w)
                  for i, w in enumerate(words) if w not in NEGATORS and any(ch.isalpha() for ch in w)]
        docs.append(" ".join(marked))
        labels.append(stance == "support")
    vec = CountVectorizer(token_pattern=r"\S+", lowercase=False, min_df=min_count, binary=True)  # noqa: S106
    x = vec.fit_transform(docs)
    clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x, np.array(labels))
    kept = [(w, float(v)) for w, v in zip(vec.get_feature_names_out(), clf.coef_[0], strict=True)
            if not w.startswith("NEG_") and abs(v) >= min_weight]
    kept.sort(key=lambda item: item[1])
    header = ("# Polarity lexicon: logistic-regression weights over normalised words, fitted on SmSA + NusaX\n"
              "# train splits (positive vs negative).  Derived from CC BY-SA 4.0 data: CC BY-SA 4.0.\n"
              "# Regenerate: python -m nlp.polarity\n")
    output.write_text(header + "".join(f"{w}\t{v:.3f}\n" for w, v in kept), encoding="utf-8")
    return len(kept)


if __name__ == "__main__":  # pragma: no cover - offline regeneration of the shipped table
    from nlp.polarity_data import sentiment

    target = Path(__file__).parent / "data" / LEXICON_FILE
    print(build_lexicon(sentiment("train"), target), "words written to", target)
