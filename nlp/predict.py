"""Turn texts into :class:`~nlp.types.Prediction` records: rules + model, batched.

Decisions made here (not in the model): a text below the threshold has stance ``none`` unless a vote
or a rejection is aimed at a named pair; stance per pair comes from the words around its mentions
(:mod:`nlp.stance`); the main pair is the supported one, else the attacked one, else the ruler's (for
non-campaign texts only when it was named outright, not just a number, since "rumah nomor 2" names
nobody); reasons are Indonesian sentences pointing into the original text (:mod:`nlp.reasons`).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import cast

from nlp.analysis import Analysis, Analyzer
from nlp.model import CampaignModel, decide, rows
from nlp.reasons import context_reason, cue_reason, evidence_reason, mention_reason
from nlp.stance import Evidence, MentionSpan, pair_stances, stance_of
from nlp.types import ElectionSpec, PairStance, Prediction, Stance

log = logging.getLogger(__name__)

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
        return [self._prediction(a, s, o) for a, s, o in zip(analyses, scores, oppose, strict=True)]

    def _prediction(self, a: Analysis, score: float, oppose: float) -> Prediction:
        campaign, decided = decide(score, oppose, self.model.threshold)
        spans = [MentionSpan(m.pair, m.first, m.last) for m in a.mentions if m.pair and m.kind != "PARTY"]
        per_pair = pair_stances(a.normalized.words, spans) if spans else {}
        # A vote or a rejection aimed at a named pair is partisan whatever the model thinks: the
        # model learned multi-pair comparisons as neutral.
        aimed = any(e.kind in ("vote", "reject") for _, ev in per_pair.values() for e in ev)
        campaign = (campaign or aimed) and a.election_related  # naming nothing electoral is never partisan
        pair = self._main_pair(a, per_pair, campaign)
        stance = cast(Stance, decided if campaign else "none")
        pairs = tuple(PairStance(n, cast(Stance, stance_of(sc) if campaign else "none"), self._contest(a, n),
                                 round(sc, 3)) for n, (sc, _) in per_pair.items())
        if campaign and pair in per_pair and stance_of(per_pair[pair][0]) != "none":
            stance = cast(Stance, stance_of(per_pair[pair][0]))
        if campaign and stance == "none":
            stance = cast(Stance, decided if decided != "none" else "support")
        reasons = [mention_reason(m) for m in a.mentions]
        reasons += [cue_reason(c) for c in a.cues]
        reasons += [evidence_reason(a, n, e) for n, (_, ev) in per_pair.items() for e in ev]
        if not a.mentions:
            reasons += [context_reason(c) for c in a.context[:3]]
        uncertainty = binary_entropy(score)
        if campaign:  # an unsure stance also deserves a second look
            uncertainty = max(uncertainty, binary_entropy(oppose))
        return Prediction(campaign=campaign, score=score, pair=pair, stance=stance, reasons=tuple(reasons),
                          model_version=self.version, uncertainty=uncertainty,
                          contest=contest_of(self.spec, a, pair),
                          election_related=a.election_related or campaign, pairs=pairs)

    def _main_pair(self, a: Analysis, per_pair: dict[int, tuple[float, list[Evidence]]], campaign: bool) -> int | None:
        """The supported pair with the highest score, else the most attacked one, else the ruler's."""
        if campaign and per_pair:
            supported = [(sc, n) for n, (sc, _) in per_pair.items() if stance_of(sc) == "support"]
            if supported:
                return max(supported)[1]
            opposed = [(sc, n) for n, (sc, _) in per_pair.items() if stance_of(sc) == "oppose"]
            if opposed:
                return min(opposed)[1]
        return a.pair if (campaign or a.strong_pair) else None

    def _contest(self, a: Analysis, number: int) -> str:
        return contest_of(self.spec, a, number) or ""


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
