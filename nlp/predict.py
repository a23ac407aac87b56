"""Turn texts into :class:`~nlp.types.Prediction` records: rules + model, batched.

Decisions made here (not in the model): a text below the threshold has stance ``none``; the pair is
whatever the ruler found (for non-campaign texts only when it was named outright, not just a number,
since "rumah nomor 2" names nobody); reasons point into the original text.
"""

from __future__ import annotations

import heapq
import logging
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import cast

from nlp.analysis import Analysis, Analyzer
from nlp.model import CampaignModel, decide, rows
from nlp.types import ElectionSpec, Prediction, Reason, Stance

log = logging.getLogger(__name__)

TOP_NGRAMS = 5


def binary_entropy(p: float) -> float:
    """Uncertainty in bits: 1.0 at p = 0.5, 0.0 at p ∈ {0, 1}; used to order the review queue."""
    if p <= 0.0 or p >= 1.0:
        return 0.0
    return -(p * math.log2(p) + (1 - p) * math.log2(1 - p))


class Classifier:
    """A trained model bound to an election's rules."""

    def __init__(self, model: CampaignModel, spec: ElectionSpec, version: str) -> None:
        self.model = model
        self.spec = spec
        self.version = version
        self.analyzer = Analyzer(spec)
        self._coef, names, self._n_word = model.word_weights()
        self._names: list[str] = [str(n) for n in names]

    def predict(self, text: str) -> Prediction:
        return self.predict_many([text])[0]

    def predict_many(self, texts: Iterable[str], batch_size: int = 2048) -> list[Prediction]:
        out: list[Prediction] = []
        batch: list[str] = []
        for text in texts:
            batch.append(text)
            if len(batch) >= batch_size:
                out.extend(self._batch(batch))
                batch = []
        if batch:
            out.extend(self._batch(batch))
        return out

    def _batch(self, texts: Sequence[str]) -> list[Prediction]:
        analyses = list(self.analyzer.analyze_many(texts))
        feats = self.model.features(rows(analyses))
        scores = self.model.campaign_proba(feats).tolist()
        oppose = self.model.oppose_proba(feats).tolist()
        # Per-feature contribution to the campaign logit, for the word block, in one vector op.
        words = feats.tocsr()[:, : self._n_word]
        contrib = (words.data * self._coef[words.indices]).tolist()
        indices, indptr = words.indices.tolist(), words.indptr.tolist()
        out = []
        for i, (a, s, o) in enumerate(zip(analyses, scores, oppose, strict=True)):
            lo, hi = indptr[i], indptr[i + 1]
            out.append(self._prediction(a, s, o, zip(contrib[lo:hi], indices[lo:hi], strict=True)))
        return out

    def _prediction(self, a: Analysis, score: float, oppose: float,
                    contributions: Iterable[tuple[float, int]]) -> Prediction:
        campaign, decided = decide(score, oppose, self.model.threshold)
        stance = cast(Stance, decided)
        pair = a.pair if (campaign or a.strong_pair) else None
        reasons = [Reason("mention", m.kind, m.text, m.start, m.end, pair=m.pair) for m in a.mentions]
        reasons += [Reason("cue", c.label, c.text, c.start, c.end) for c in a.cues]
        if campaign:  # the word n-grams of this text that pushed the score up most
            reasons += [Reason("ngram", "ngram", self._names[j], weight=round(w, 4))
                        for w, j in heapq.nlargest(TOP_NGRAMS, contributions) if w > 0]
        uncertainty = binary_entropy(score)
        if campaign:  # an unsure stance also deserves a second look
            uncertainty = max(uncertainty, binary_entropy(oppose))
        return Prediction(campaign=campaign, score=score, pair=pair, stance=stance, reasons=tuple(reasons),
                          model_version=self.version, uncertainty=uncertainty,
                          contest=contest_of(self.spec, a, pair))


def contest_of(spec: ElectionSpec, a: Analysis, pair: int | None) -> str | None:
    """The contest of ``pair`` as the text names it: the one contest of the file, else the contest whose
    pair the text named by a name, hashtag or account; a bare ballot number only when one contest has it."""
    if pair is None:
        return None
    if len(spec.contests) == 1:
        return spec.contests[0].slug
    for m in a.mentions:
        if m.pair == pair and m.kind != "NUMBER":
            found = spec.contest_of_mention(pair, m.text)
            if found:
                return found
    return spec.contest_of_number(pair)


def classifier_for(spec: ElectionSpec, model_dir: Path | None = None) -> Classifier:
    """A classifier for ``spec`` using the shipped default model (or the artefact in ``model_dir``)."""
    from nlp.artefacts import load_default_model, load_model

    loaded = load_model(model_dir) if model_dir is not None else load_default_model()
    return Classifier(loaded.model, spec, loaded.version)
