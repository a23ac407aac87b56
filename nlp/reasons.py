"""Reasons a reviewer reads, in Indonesian, each pointing at the words of the post behind it.

No model feature name ever reaches a reviewer: a reason is built from a ruler mention, a campaign
cue, a stance word near a pair, or an election word, and says in plain words what was seen
("menyebut nomor urut 2", "ajakan memilih: 'ayo coblos'", "kata menyerang dekat nama paslon 1:
'pembohong'").
"""

from __future__ import annotations

from nlp.analysis import Analysis, Match
from nlp.stance import Evidence
from nlp.types import Reason

_MENTION = {
    "NAME": "menyebut nama paslon {n}: '{q}'",
    "NUMBER": "menyebut nomor urut {n}",
    "HASHTAG": "memakai tagar paslon {n}: '{q}'",
    "ACCOUNT": "menyebut akun paslon {n}: '{q}'",
    "PARTY": "menyebut partai pengusung: '{q}'",
}
_CUE = {
    "APPEAL": "ajakan memilih: '{q}'",
    "VOTE_VERB": "kata memilih: '{q}'",
    "VOTE_NUMBER": "ajakan memilih nomor: '{q}'",
    "FINGER": "salam jari nomor: '{q}'",
    "PRAISE": "kata pujian: '{q}'",
    "NEGATIVE": "kata menyerang: '{q}'",
    "EVENT": "kegiatan kampanye: '{q}'",
    "PHOTO": "foto bersama: '{q}'",
    "NEUTRAL": "kata penyelenggaraan pemilu (netral): '{q}'",
    "PAIR_WORD": "menyebut pasangan calon: '{q}'",
    "CAMPAIGN_HASHTAG": "tagar kampanye: '{q}'",
    "VOTE_PAIR": "ajakan memilih paslon: '{q}'",
    "NEG_PAIR": "kata menyerang dekat paslon: '{q}'",
}
_EVIDENCE = {
    ("vote", True): "ajakan memilih paslon {n}: '{q}'",
    ("vote", False): "ajakan tidak memilih paslon {n}: '{q}'",
    ("reject", False): "penolakan paslon {n}: '{q}'",
    ("polar", True): "kata mendukung dekat nama paslon {n}: '{q}'",
    ("polar", False): "kata menyerang dekat nama paslon {n}: '{q}'",
}


def mention_reason(m: Match) -> Reason:
    text = _MENTION.get(m.kind, "menyebut paslon {n}: '{q}'").format(n=m.pair or "-", q=m.text)
    return Reason("mention", m.kind, text, m.start, m.end, pair=m.pair, quote=m.text)


def cue_reason(c: Match) -> Reason:
    return Reason("cue", c.label, _CUE.get(c.label, "petunjuk kampanye: '{q}'").format(q=c.text), c.start, c.end,
                  quote=c.text)


def context_reason(c: Match) -> Reason:
    return Reason("context", "ELECTION_WORD", f"kata pemilu: '{c.text}'", c.start, c.end, quote=c.text)


def evidence_reason(a: Analysis, pair: int, e: Evidence) -> Reason:
    start, end = a.normalized.spans[e.index]
    quote = a.normalized.original[start:end]
    template = _EVIDENCE.get((e.kind, e.weight > 0), "kata dekat paslon {n}: '{q}'")
    return Reason("stance", e.kind.upper(), template.format(n=pair, q=quote), start, end, pair=pair,
                  weight=round(e.weight, 3), quote=quote)
