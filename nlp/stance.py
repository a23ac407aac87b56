"""Stance toward each mentioned pair, read from the words around that pair's mentions.

Why per pair: a post that names several pairs is usually a comparison ("pilih 02, bukan 01") and a
whole-text stance says nothing about either.  For every mention the window runs from the previous
clause break (punctuation, "tapi", "namun", another pair's mention) to the next one, at most
:data:`WINDOW` words each side.  In it:

- a vote verb before the mention supports it, unless negated ("jangan pilih 01" opposes);
- "bukan"/"jangan"/"tolak" directly before the mention opposes it ("bukan 01");
- polar words (:mod:`nlp.polarity`, learned from SmSA + NusaX) add up, flipped after a negator.

The per-pair scores are summed over mentions; ``|score| < NONE_BAND`` is stance ``none``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nlp.cue_patterns import NEGATIVE_WORDS, VOTE_VERBS
from nlp.polarity import NEGATORS, lexicon

WINDOW = 6
NONE_BAND = 0.35
VOTE_WEIGHT = 2.5
REJECT_WEIGHT = 3.0
BREAKS = frozenset({".", "!", "?", ";", "tapi", "tetapi", "namun", "sedangkan", "padahal", "sementara", "|", "vs"})
# Markers that turn praise into mockery ("katanya merakyat", "🙃", "🤡", "kok bangga").
SARCASM = frozenset({"🙃", "🤡", "🙄", "😏", "😒", "katanya", "kok", "ngeles", "pencitraan", "kubangan", "wkwk",
                     "wkwkwk", "halah", "preet", "prett"})
_FILLER = frozenset({"nomor", "paslon", "pasangan", "calon", "urut", "no", "bapak", "ibu", "bang", "mas", "kak",
                     "pak", "bu", "si", "sang", "kandidat", "cabup", "cagub", "cawalkot"})
_REJECT = frozenset({"bukan", "jangan", "tolak", "tidak", "anti", "lawan"})


@dataclass(frozen=True)
class Evidence:
    """Why one mention got its score: word index and whether it was a vote, reject or polar word."""

    index: int
    kind: str  # "vote" | "reject" | "polar"
    weight: float


@dataclass(frozen=True)
class MentionSpan:
    """A pair mention as word indices ``first:last`` into the normalised words."""

    pair: int
    first: int
    last: int


def _bounds(words: Sequence[str], mention: MentionSpan, others: Sequence[MentionSpan]) -> tuple[int, int]:
    lo = max(0, mention.first - WINDOW)
    hi = min(len(words), mention.last + WINDOW)
    for i in range(mention.first - 1, lo - 1, -1):
        if words[i] in BREAKS or any(o.first <= i < o.last and o.pair != mention.pair for o in others):
            lo = i + 1
            break
    for i in range(mention.last, hi):
        if words[i] in BREAKS or any(o.first <= i < o.last and o.pair != mention.pair for o in others):
            hi = i
            break
    return lo, hi


def mention_score(words: Sequence[str], mention: MentionSpan,
                  others: Sequence[MentionSpan]) -> tuple[float, list[Evidence]]:
    """Score of one mention (positive = support) and the evidence behind it."""
    lo, hi = _bounds(words, mention, others)
    evidence: list[Evidence] = []
    before = list(range(lo, mention.first))
    # A comma just before the mention starts its own clause: "pilih 02, bukan 01" — the 01 clause
    # is "bukan 01", the vote verb belongs to 02.
    commas = [i for i in before if words[i] == ","]
    if commas:
        before = [i for i in before if i > commas[-1]]
        lo = commas[-1] + 1
    after_commas = [i for i in range(mention.last, hi) if words[i] == ","]
    if after_commas:
        hi = after_commas[0]
    near = [i for i in before if words[i] not in _FILLER][-3:]
    sarcastic = any(w in SARCASM for w in words)
    if near and words[near[-1]] in _REJECT:
        evidence.append(Evidence(near[-1], "reject", -REJECT_WEIGHT))
    else:
        verbs = [i for i in near if words[i] in VOTE_VERBS]
        if verbs:
            negated = any((words[j] in NEGATORS or words[j] in _REJECT) and words[j + 1] != "lupa"
                          for j in range(max(lo, verbs[0] - 2), verbs[0]))
            evidence.append(Evidence(verbs[0], "vote", -REJECT_WEIGHT if negated else VOTE_WEIGHT))
    used = {e.index for e in evidence} | set(range(mention.first, mention.last))
    table = lexicon()
    for i in range(lo, hi):
        if i in used or words[i] in NEGATORS:
            continue
        weight = table.get(words[i])
        if weight is None:
            continue
        if words[i] not in NEGATIVE_WORDS and any(words[j] in NEGATORS for j in range(max(lo, i - 2), i)):
            weight = -weight  # "tidak jujur"; but "tidak becus" is already an attack word
        if sarcastic and weight > 0:
            weight = -weight  # "wah hebat ya … 🙃": praise in a sarcastic post is an attack
        evidence.append(Evidence(i, "polar", weight))
    return sum(e.weight for e in evidence), evidence


def pair_stances(words: Sequence[str], mentions: Sequence[MentionSpan]) -> dict[int, tuple[float, list[Evidence]]]:
    """Summed score and evidence for every pair mentioned, in order of first mention.

    A mention joined to the previous one by "dan"/"atau"/"&" ("jangan pilih 01 dan 03") shares its
    vote or rejection."""
    out: dict[int, tuple[float, list[Evidence]]] = {}
    previous: tuple[MentionSpan, list[Evidence]] | None = None
    for mention in sorted(mentions, key=lambda m: m.first):
        score, evidence = mention_score(words, mention, mentions)
        if previous is not None and not any(e.kind in ("vote", "reject") for e in evidence):
            gap = [w for w in words[previous[0].last: mention.first] if w not in _FILLER]
            if gap in (["dan"], ["atau"], ["&"], ["maupun"]):
                shared = [e for e in previous[1] if e.kind in ("vote", "reject")]
                evidence = shared + evidence
                score += sum(e.weight for e in shared)
        previous = (mention, evidence)
        total, ev = out.get(mention.pair, (0.0, []))
        out[mention.pair] = (total + score, ev + evidence)
    return out


def stance_of(score: float) -> str:
    if score >= NONE_BAND:
        return "support"
    if score <= -NONE_BAND:
        return "oppose"
    return "none"
