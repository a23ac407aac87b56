"""Token patterns for the campaign-cue matcher (data, not code).

Patterns run on normalised words (casefolded, slang mapped, numbers as digits, "nomor N"), so one
spelling per cue is enough.  Cues are evidence shown to reviewers and features for the model; none of
them decides anything on its own ("pilih" and "dukung" are everyday words too).
"""

from __future__ import annotations

from typing import Any

Pattern = list[dict[str, Any]]

VOTE_VERBS = frozenset({"pilih", "memilih", "coblos", "dukung", "mendukung", "menangkan", "memenangkan",
                        "lanjutkan", "sukseskan", "kawal", "contreng", "centang", "vote", "support"})
NEGATIVE_WORDS = frozenset({"korupsi", "koruptor", "korup", "pembohong", "bohong", "tolak", "gagal",
                            "pencitraan", "dinasti", "boneka", "antek", "ingkar", "munafik", "bobrok",
                            "curang", "penipu", "busuk", "bodoh", "becus", "mundur", "hancur"})
PRAISE_WORDS = ["terbaik", "amanah", "merakyat", "jujur", "peduli", "hebat", "tegas", "cerdas", "bersih",
                "berpengalaman", "mantap", "juara", "layak", "pantas", "idaman", "sejati", "luar biasa",
                "dekat dengan rakyat", "bukti nyata", "sudah terbukti", "pilihan tepat", "harapan baru",
                "pemimpin masa depan", "paling cocok", "the best", "keren"]
EVENT_WORDS = ["kampanye", "deklarasi", "relawan", "tim sukses", "tim pemenangan", "blusukan", "rapat akbar",
               "konsolidasi", "posko", "orasi", "baliho", "spanduk", "kaos", "atribut", "pendukung",
               "simpatisan", "konvoi", "silaturahmi politik", "jalan sehat bersama", "panggung rakyat"]
PHOTO_WORDS = ["foto bersama", "foto bareng", "foto sama", "selfie", "swafoto", "berfoto", "bersama calon",
               "foto dengan", "pose"]
NEUTRAL_WORDS = ["kpu", "bawaslu", "tps", "hak pilih", "golput", "pemilih pemula", "netral", "netralitas",
                 "hoaks", "dpt", "daftar pemilih", "pantarlih", "surat suara", "sosialisasi", "panwascam",
                 "pps", "kpps", "partisipasi", "jurdil", "luber", "damai", "gunakan hak"]
CAMPAIGN_TAG_WORDS = ["menang", "maju", "lanjutkan", "pilih", "coblos", "juara", "bersatu", "hebat",
                      "satu putaran", "menangkan", "jaya", "bangkit", "pasti"]


def _words(phrases: list[str]) -> list[Pattern]:
    return [[{"LOWER": w} for w in p.split()] for p in phrases]


CUE_PATTERNS: dict[str, list[Pattern]] = {
    "APPEAL": [
        [{"LOWER": {"IN": ["ayo", "silakan", "mohon", "wajib", "harus"]}}, {"LOWER": {"IN": sorted(VOTE_VERBS)}}],
        [{"LOWER": "jangan"}, {"LOWER": "lupa"}, {"LOWER": {"IN": sorted(VOTE_VERBS)}}],
        [{"LOWER": {"IN": ["mari", "ayo"]}}, {"LOWER": "kita"}, {"LOWER": {"IN": sorted(VOTE_VERBS)}}],
        [{"LOWER": "mengajak"}, {"OP": "?"}, {"LOWER": {"IN": sorted(VOTE_VERBS)}}],
    ],
    "VOTE_VERB": [[{"LOWER": {"IN": sorted(VOTE_VERBS)}}]],
    "VOTE_NUMBER": [
        [{"LOWER": {"IN": sorted(VOTE_VERBS)}}, {"LOWER": "nomor", "OP": "?"}, {"TAG": "NUM"}],
        [{"LOWER": "nomor"}, {"TAG": "NUM"}, {"LOWER": {"IN": ["menang", "juara", "pasti", "lanjutkan", "hebat",
                                                             "pilihan", "saja", "aja"]}}],
    ],
    "FINGER": [
        [{"LOWER": "salam"}, {"TAG": "NUM"}, {"LOWER": "jari"}],
        [{"TAG": "NUM"}, {"LOWER": "jari"}],
    ],
    "PRAISE": _words(PRAISE_WORDS),
    "NEGATIVE": [[{"LOWER": {"IN": sorted(NEGATIVE_WORDS)}}], *_words(["jangan pilih", "jangan coblos",
                                                                       "jangan sampai menang", "ingkar janji",
                                                                       "omong doang", "tidak becus"])],
    "EVENT": _words(EVENT_WORDS),
    "PHOTO": _words(PHOTO_WORDS),
    "NEUTRAL": _words(NEUTRAL_WORDS),
    "CAMPAIGN_HASHTAG": [
        [{"TAG": "HASHTAG", "LOWER": {"IN": CAMPAIGN_TAG_WORDS}}],
        [{"TAG": "HASHTAG", "SHAPE": "dddd"}],
    ],
    "PAIR_WORD": _words(["paslon", "calon bupati", "calon gubernur", "calon presiden", "calon wali kota",
                         "pasangan calon", "kandidat"]),
}
