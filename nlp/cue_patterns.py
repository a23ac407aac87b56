"""Token patterns for the campaign-cue matcher (data, not code).

Phrases run on normalised words (casefolded, slang mapped, numbers as digits, "nomor N"), so one
spelling per cue is enough.  Cues are evidence shown to reviewers and features for the model; none of
them decides anything on its own ("pilih" and "dukung" are everyday words too).
"""

from __future__ import annotations

from itertools import product

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

# Words that make a text election-related by themselves (neutral news included).
ELECTION_WORDS = frozenset({"pilkada", "pilbup", "pilgub", "pilwalkot", "pemilu", "pilpres", "pileg", "paslon",
                            "tps", "nyoblos", "mencoblos", "pencoblosan", "kpu", "kpud", "bawaslu", "panwaslu",
                            "debat", "kampanye", "cabup", "cawabup", "cagub", "cawagub", "cawalkot", "cawawalkot",
                            "capres", "cawapres", "caleg", "golput", "pemungutan", "rekapitulasi", "kpps",
                            "pantarlih", "dpt", "timses", "petahana", "elektabilitas", "quickcount", "pilkades"})


def expand(*slots: list[str] | str) -> list[str]:
    """Every phrase from one choice per slot: ``expand(["ayo", "mari"], "pilih")``.  Structural cues
    are spelled out this way so that everything runs on spaCy's hash-based PhraseMatcher, several
    times faster than token-predicate patterns on the hot path."""
    choices = [[s] if isinstance(s, str) else s for s in slots]
    return [" ".join(p).strip() for p in product(*choices)]


_VERBS = sorted(VOTE_VERBS)
_DIGITS = [str(d) for d in range(1, 10)]
CUE_PHRASES: dict[str, list[str]] = {
    "APPEAL": expand(["ayo", "silakan", "mohon", "wajib", "harus", "jangan lupa", "ayo kita", "mengajak",
                      "mengajak warga", "mengajak masyarakat"], _VERBS),
    "VOTE_VERB": _VERBS,
    "VOTE_NUMBER": expand(_VERBS, ["", "nomor"], _DIGITS)
    + expand("nomor", _DIGITS, ["menang", "juara", "pasti", "lanjutkan", "hebat", "pilihan", "saja"]),
    "FINGER": expand(["", "salam"], _DIGITS, "jari"),
    "PRAISE": PRAISE_WORDS,
    "NEGATIVE": [*sorted(NEGATIVE_WORDS), "jangan pilih", "jangan coblos", "jangan sampai menang",
                 "ingkar janji", "omong doang", "tidak becus"],
    "EVENT": EVENT_WORDS,
    "PHOTO": PHOTO_WORDS,
    "NEUTRAL": NEUTRAL_WORDS,
    "PAIR_WORD": ["paslon", "calon bupati", "calon gubernur", "calon presiden", "calon wali kota",
                  "pasangan calon", "kandidat"],
    # Only counted inside a hashtag (checked by the component): "#DamaiMenang", not "menang arisan".
    "CAMPAIGN_HASHTAG": CAMPAIGN_TAG_WORDS,
}
