"""The rule half of the full path: normalise → spaCy Doc → ruler + cues → masked model input.

Names must not be learned: a model trained on one election has to work on the next one, whose
candidates have other names.  So every mention the ruler finds is replaced by a placeholder before
vectorising: the primary pair becomes ``PASLON`` / ``NOMOR`` / ``TAGARPASLON`` / ``AKUNPASLON``, any
other pair gets a ``LAIN`` suffix, parties become ``PARTAI``, remaining handles ``@USER``.  Which pair
a text is about comes from the ruler, never from the model.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc

from nlp.components import CUES_KEY, PASLON_KEY, build_pipeline
from nlp.cue_patterns import ELECTION_WORDS
from nlp.normalize import KIND_MENTION, MENTION_TOKEN, Normalized, normalize
from nlp.types import ElectionSpec

log = logging.getLogger(__name__)

PLACEHOLDERS = {"NAME": "PASLON", "NUMBER": "NOMOR", "HASHTAG": "TAGARPASLON", "ACCOUNT": "AKUNPASLON"}
_STRONG_KINDS = frozenset({"NAME", "HASHTAG", "ACCOUNT"})


@dataclass(frozen=True)
class Match:
    """A ruler mention or a cue, with its span in the original text."""

    label: str
    kind: str
    pair: int | None
    text: str
    start: int
    end: int
    first: int = 0  # word indices into ``Analysis.normalized.words``
    last: int = 0


@dataclass(frozen=True)
class Analysis:
    """Everything the rules know about one text; the model input is ``masked`` + ``cue_tokens``."""

    normalized: Normalized
    mentions: tuple[Match, ...]
    cues: tuple[Match, ...]
    pair: int | None
    strong_pair: bool
    masked: str
    cue_tokens: str
    context: tuple[Match, ...] = ()  # election words (pilkada, paslon, TPS, nyoblos, …)

    @property
    def election_related(self) -> bool:
        """Names a registered pair (not only a party), an official account, or the election itself."""
        if self.context or any(m.pair is not None and m.kind in _STRONG_KINDS for m in self.mentions):
            return True
        # A bare number ("nomor 2 di antrian apotek") needs a campaign cue beside it.
        numbers = any(m.kind == "NUMBER" for m in self.mentions)
        return numbers and any(c.label not in ("NEUTRAL", "PRAISE", "NEGATIVE") for c in self.cues)


def _primary_pair(mentions: list[Match], cue_labels: list[tuple[str, int]]) -> int | None:
    """Most-mentioned pair; a tie goes to the pair a vote or attack verb is aimed at, then the first."""
    counts = Counter(m.pair for m in mentions if m.pair)
    if not counts:
        return None
    best = max(counts.values())
    tied = [p for p, c in counts.items() if c == best]
    if len(tied) == 1:
        return tied[0]
    aimed = [p for label, p in cue_labels if p in tied]
    return aimed[0] if aimed else tied[0]


class Analyzer:
    """Rules for one election: a blank Indonesian spaCy pipeline with the ruler filled from ``spec``."""

    def __init__(self, spec: ElectionSpec) -> None:
        self.spec = spec
        self.nlp = build_pipeline(spec)
        self._components = [proc for _, proc in self.nlp.pipeline]

    def doc(self, norm: Normalized) -> Doc:
        # Built straight from the normalised words (no tokenizer pass); user_data carries what the
        # components need to know about each word: its kind, its span, the original text.
        doc = Doc(self.nlp.vocab, words=list(norm.words))
        doc.user_data["original"] = norm.original
        doc.user_data["spans"] = norm.spans
        doc.user_data["kinds"] = norm.kinds
        doc.user_data["words"] = norm.words
        for proc in self._components:
            doc = proc(doc)
        return doc

    def analyze(self, text: str) -> Analysis:
        return self._analysis(normalize(text, keep_handles=True))

    def analyze_many(self, texts: Iterable[str]) -> Iterator[Analysis]:
        for text in texts:
            yield self._analysis(normalize(text, keep_handles=True))

    def _analysis(self, norm: Normalized) -> Analysis:
        if not norm.words:
            return Analysis(norm, (), (), None, False, "", "EMPTY")
        doc = self.doc(norm)
        mentions: list[Match] = []
        for span in doc.spans[PASLON_KEY]:
            kind, _, number = span.label_.partition(":")
            start, end = norm.char_span(span.start, span.end)
            mentions.append(Match(span.label_, kind, int(number) or None, norm.original[start:end], start, end,
                                  span.start, span.end))
        cue_spans = list(doc.spans[CUES_KEY])
        aimed: list[tuple[str, int]] = []
        for span in cue_spans:
            if span.label_ in ("VOTE_PAIR", "NEG_PAIR"):
                aimed.extend((span.label_, int(m.label_.partition(":")[2])) for m in doc.spans[PASLON_KEY]
                             if span.start <= m.start < span.end)
        pair = _primary_pair(mentions, aimed)
        cues = []
        for span in cue_spans:
            start, end = norm.char_span(span.start, span.end)
            cues.append(Match(span.label_, "CUE", None, norm.original[start:end], start, end))
        masked = self._mask(doc, pair)
        strong = any(m.pair == pair and m.kind in _STRONG_KINDS for m in mentions)
        context = tuple(Match("CONTEXT", "CONTEXT", None, norm.original[norm.spans[i][0]:norm.spans[i][1]],
                              norm.spans[i][0], norm.spans[i][1], i, i + 1)
                        for i, w in enumerate(norm.words) if _election_word(w, norm.kinds[i]))
        return Analysis(norm, tuple(mentions), tuple(cues), pair, strong, masked,
                        _cue_tokens(mentions, cue_spans, pair), context)

    @staticmethod
    def _mask(doc: Doc, pair: int | None) -> str:
        norm_kinds = doc.user_data["kinds"]
        words = [w if k != KIND_MENTION else MENTION_TOKEN for w, k in zip(doc.user_data["words"], norm_kinds,
                                                                        strict=True)]
        for span in sorted(doc.spans[PASLON_KEY], key=lambda s: -s.start):
            kind, _, number = span.label_.partition(":")
            other = "" if int(number) == pair else "LAIN"
            holder = "PARTAI" if kind == "PARTY" else PLACEHOLDERS[kind] + other
            words[span.start: span.end] = [holder]
        return " ".join(words)


def _election_word(word: str, kind: str) -> bool:
    """An election word, or a hashtag that starts with one (``#pilkadacontoh``, ``#PilbupDamai2024``)."""
    if word in ELECTION_WORDS:
        return True
    return kind == "HASHTAG" and word.startswith(_ELECTION_PREFIXES)


_ELECTION_PREFIXES = ("pilkada", "pilbup", "pilgub", "pilwalkot", "pemilu", "pilpres", "debat", "kampanye")


def _cue_tokens(mentions: list[Match], cue_spans: list[object], pair: int | None) -> str:
    """Symbolic features for the model: cue labels plus what kind of mention was seen."""
    labels = [getattr(s, "label_", "") for s in cue_spans]
    labels += ["M_" + m.kind + ("" if m.pair in (pair, None) else "_LAIN") for m in mentions]
    if pair is not None:
        labels.append("HAS_PAIR")
    if len({m.pair for m in mentions if m.pair}) > 1:
        labels.append("MULTI_PAIR")
    return " ".join(labels) or "NONE"
