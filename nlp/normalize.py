"""Normalise Indonesian social-media text while remembering where every word came from.

Campaign language is written a hundred ways ("no.2", "nomor urut 02", "coblos dua", "✌️"), so the
matchers and the model only ever see one form.  Each output word keeps the character span of the
original text it was made from: reasons shown to a reviewer must point at what the employee actually
wrote, not at our rewriting.  Output words are also what the spaCy ``Doc`` is built from (no tokenizer
run), which keeps the full path cheap.

Rules, in order: tokenise (URL, mention, hashtag, keycap digit, emoji, word, number, punctuation) →
casefold → collapse elongated letters → slang table → number words to digits → ballot-number phrases
("no. 2", "nomor urut 02", a lone "02") to ``nomor N``.  Hashtags are split on case and digit
boundaries (``#ContohMaju2024`` → ``contoh maju 2024``) and each part goes through the same word rules.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from nlp.mojibake import repair

URL_TOKEN = "URL"  # noqa: S105 - a placeholder word, not a secret
MENTION_TOKEN = "@USER"  # noqa: S105

# Kinds become the spaCy TAG of each token, so matchers can ask "was this inside a hashtag?".
KIND_WORD, KIND_NUM, KIND_URL, KIND_MENTION, KIND_HASHTAG, KIND_EMOJI, KIND_PUNCT = (
    "WORD", "NUM", "URL", "MENTION", "HASHTAG", "EMOJI", "PUNCT",
)

_TOKEN_RE = re.compile(
    r"(?P<url>(?:https?://|www\.)\S+)"
    r"|(?P<mention>@[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)"
    r"|(?P<hashtag>#[^\W_][\w]*)"
    r"|(?P<keycap>\d\ufe0f?\u20e3)"
    r"|(?P<word>[^\W\d_]+(?:-[^\W\d_]+)*)"
    r"|(?P<num>\d+(?:[.,]\d+)*)"
    r"|(?P<other>[^\s\w]|_)",
)
_HASHTAG_PART_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+|[^\W\d_]+")
_ELONGATED_RE = re.compile(r"([^\W\d_])\1{2,}")
_SKIP_CHARS = frozenset("\ufe0f\u200d\u20e3") | {chr(c) for c in range(0x1F3FB, 0x1F400)}

# Emoji that carry meaning in campaign posts.  Finger counts are how ballot numbers are shown in
# photos and captions ("salam dua jari"); 👌 is read as three fingers (the 2024 "salam tiga jari").
EMOJI_WORDS: dict[str, str] = {
    "\u261d": "1 jari", "👆": "1 jari", "✌": "2 jari", "🤟": "3 jari", "👌": "3 jari",
    "👍": "jempol", "👎": "buruk", "💪": "semangat", "🔥": "semangat", "🙏": "mohon",
    "❤": "cinta", "♥": "cinta", "😍": "cinta", "🥰": "cinta", "🗳": "kotak suara",
    "😂": "haha", "🤣": "haha", "😡": "marah", "🤬": "marah", "🇮🇩": "indonesia", "🏆": "juara",
}
NUMBER_WORDS: dict[str, str] = {
    "satu": "1", "dua": "2", "tiga": "3", "empat": "4", "lima": "5", "enam": "6", "tujuh": "7",
    "delapan": "8", "sembilan": "9", "sepuluh": "10", "kosong": "0", "nol": "0",
}
_UNIT_WORDS = frozenset({"rt", "rw", "jam", "pukul", "tanggal", "tgl", "kelas", "lantai", "blok", "gang", "lorong",
                         "ruang", "kamar", "bulan", "menit", "detik", "tahun", "nomor"})
_NUMBER_PREFIXES = frozenset({"no", "nomor", "nomer", "nmr", "nr", "num"})
# Real words with a double letter, so "maaaaf" becomes "maaf" and not "maf".
_DOUBLE_OK = frozenset({"maaf", "saat", "taat", "manfaat", "allah", "sunnah", "jannah", "good", "keep",
                        "cool", "all", "boss", "mall", "free", "see", "sukses", "sukkses"})
_EMOJI_RANGES = ((0x2600, 0x27BF), (0x1F000, 0x1FAFF), (0x2B00, 0x2BFF))


@dataclass(frozen=True)
class Normalized:
    """Normalised words, their kinds and their ``(start, end)`` spans in the original text."""

    original: str
    words: tuple[str, ...]
    kinds: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def char_span(self, first: int, last: int) -> tuple[int, int]:
        """Original character span covered by words ``first`` .. ``last - 1``."""
        return self.spans[first][0], self.spans[last - 1][1]


@cache
def slang_table() -> dict[str, tuple[str, ...]]:
    """spaCy's MIT ``id_lexeme_norm`` table overlaid with netral's own social-media slang table."""
    data = resources.files("nlp") / "data"
    table = {k: tuple(v.split()) for k, v in json.loads((data / "slang_spacy_id.json").read_text("utf-8")).items()}
    for line in (data / "slang_netral.csv").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            slang, standard = line.split(",")
            table[slang] = tuple(standard.split())
    return table


def _is_emoji(ch: str) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _EMOJI_RANGES) or ch in EMOJI_WORDS


def collapse_elongation(word: str) -> str:
    """``menaaaang`` → ``menang``; keeps a double letter when that makes a known word (``maaaf``)."""
    if not _ELONGATED_RE.search(word):
        return word
    double = _ELONGATED_RE.sub(r"\1\1", word)
    if double in _DOUBLE_OK or double in slang_table():
        return double
    return _ELONGATED_RE.sub(r"\1", word)


_WORD_CACHE: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}


def _word_parts(word: str, kind: str) -> tuple[tuple[str, str], ...]:
    """Normalised ``(word, kind)`` parts for one raw word; memoised, since social-media vocabulary is
    small and repetitive and this is the hottest loop of the full path."""
    key = (word, kind)
    cached = _WORD_CACHE.get(key)
    if cached is not None:
        return cached
    folded = collapse_elongation(word.casefold())
    parts = tuple(
        (NUMBER_WORDS[p], KIND_NUM if kind == KIND_WORD else kind) if p in NUMBER_WORDS else (p, kind)
        for p in slang_table().get(folded, (folded,))
    )
    if len(_WORD_CACHE) > 200_000:
        _WORD_CACHE.clear()
    _WORD_CACHE[key] = parts
    return parts


def _word(word: str, span: tuple[int, int], kind: str, out: list[tuple[str, str, tuple[int, int]]]) -> None:
    out.extend((part, part_kind, span) for part, part_kind in _word_parts(word, kind))


def _number(raw: str, span: tuple[int, int], kind: str, out: list[tuple[str, str, tuple[int, int]]]) -> None:
    # A lone "01"/"02" is how pairs are named ("02 menang"); other digits are just numbers.
    out_kind = KIND_NUM if kind == KIND_WORD else kind
    after_unit = bool(out) and out[-1][0] in _UNIT_WORDS  # "rt 02", "jam 02": an address or a time
    if len(raw) == 2 and raw[0] == "0" and raw[1] != "0" and not after_unit:
        out.append(("nomor", out_kind, span))
        out.append((raw[1], out_kind, span))
        return
    value = (raw.lstrip("0") or "0") if raw.isdigit() else raw
    out.append((value, out_kind, span))


def _hashtag(raw: str, start: int, out: list[tuple[str, str, tuple[int, int]]]) -> None:
    body_start = start + 1
    for m in _HASHTAG_PART_RE.finditer(raw[1:]):
        span = (body_start + m.start(), body_start + m.end())
        if m.group().isdigit():
            _number(m.group(), span, KIND_HASHTAG, out)
        else:
            _word(m.group(), span, KIND_HASHTAG, out)


def _tokens(text: str, keep_handles: bool) -> list[tuple[str, str, tuple[int, int]]]:
    out: list[tuple[str, str, tuple[int, int]]] = []
    for m in _TOKEN_RE.finditer(text):
        group, raw, span = m.lastgroup, m.group(), m.span()
        if group == "word":  # by far the most frequent: memo lookup inline, no helper call
            parts = _WORD_CACHE.get((raw, KIND_WORD)) or _word_parts(raw, KIND_WORD)
            for part, kind in parts:
                out.append((part, kind, span))
        elif group == "url":
            out.append((URL_TOKEN, KIND_URL, span))
        elif group == "mention":
            out.append(("@" + raw[1:].casefold() if keep_handles else MENTION_TOKEN, KIND_MENTION, span))
        elif group == "hashtag":
            _hashtag(raw, span[0], out)
        elif group == "keycap":  # "2️⃣" reads as "number two"
            out.append(("nomor", KIND_NUM, span))
            out.append((raw[0], KIND_NUM, span))
        elif group == "num":
            _number(raw, span, KIND_WORD, out)
        elif raw in _SKIP_CHARS:
            continue
        elif raw in EMOJI_WORDS:
            out.extend((w, KIND_NUM if w.isdigit() else KIND_EMOJI, span) for w in EMOJI_WORDS[raw].split())
        elif _is_emoji(raw):
            out.append((raw, KIND_EMOJI, span))
        elif out and out[-1][0] == raw and out[-1][1] == KIND_PUNCT:  # "!!!" → "!"
            out[-1] = (raw, KIND_PUNCT, (out[-1][2][0], span[1]))
        else:
            out.append((raw, KIND_PUNCT, span))
    return out


def _ballot_numbers(tokens: list[tuple[str, str, tuple[int, int]]]) -> list[tuple[str, str, tuple[int, int]]]:
    """``no . 2`` / ``nomor urut 02`` / ``no urut dua`` → ``nomor 2`` (the number keeps its own span)."""
    out: list[tuple[str, str, tuple[int, int]]] = []
    i = 0
    while i < len(tokens):
        word, kind, span = tokens[i]
        if word in _NUMBER_PREFIXES:
            j = i + 1
            while j < len(tokens) and tokens[j][0] in {".", ":", "urut", "nomor"} and j - i <= 3:
                j += 1
            if j < len(tokens) and tokens[j][0].isdigit():
                out.append(("nomor", kind, span))
                i = j
                continue
        if word == "nomor" and out and out[-1][0] == "nomor":  # "nomor 02" → "nomor nomor 2"
            i += 1
            continue
        out.append((word, kind, span))
        i += 1
    return out


def normalize(text: str, *, keep_handles: bool = False) -> Normalized:
    """Normalise one text.  ``keep_handles`` keeps ``@handle`` (casefolded) instead of ``@USER`` so
    the candidate ruler can recognise official campaign accounts; masking removes them later.
    Mojibake is repaired first (:mod:`nlp.mojibake`); spans then point into the repaired text,
    which is what ``Normalized.original`` holds."""
    text = repair(text)
    tokens = _ballot_numbers(_tokens(text, keep_handles))
    return Normalized(
        original=text,
        words=tuple(t[0] for t in tokens),
        kinds=tuple(t[1] for t in tokens),
        spans=tuple(t[2] for t in tokens),
    )
