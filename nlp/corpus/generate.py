"""Generate the labelled training corpus from templates and the election files (deterministic).

Run ``python -m nlp.corpus.generate`` to rewrite ``nlp/corpus/*.jsonl``.  Variety comes from: a random
subset of templates per election, many surface forms for each pair mention and ballot number, slang
and typos, elongated letters, random casing, emoji, prefixes and filler sentences that lengthen posts.
The seed is fixed so the shipped corpus (and its hash in the model metadata) can be reproduced.
"""

from __future__ import annotations

import json
import logging
import random
import re
from collections.abc import Callable
from pathlib import Path

from nlp.corpus import templates as T
from nlp.election import load_election_yaml
from nlp.types import ElectionSpec, Pair

log = logging.getLogger(__name__)

CORPUS_DIR = Path(__file__).parent
SEED = 20241127
PER_ELECTION = {"support": 115, "oppose": 65, "neutral_pair": 50, "neutral_multi": 14, "negative": 130}
NUMBER_WORDS = {1: "satu", 2: "dua", 3: "tiga", 4: "empat", 5: "lima"}
OFFICES = {"pilkada": "bupati", "pilbup": "bupati", "pilgub": "gubernur", "pilpres": "presiden",
           "pilwalkot": "wali kota"}
# Standard word -> social-media spellings (the reverse of what normalisation undoes).
SLANG = {"yang": ["yg", "yng"], "tidak": ["gak", "ga", "nggak", "tdk", "ndak"], "saja": ["aja", "aj"],
         "sudah": ["udah", "udh", "sdh"], "dengan": ["dgn", "dg"], "untuk": ["utk", "untk"],
         "karena": ["krn", "karna"], "kalau": ["kalo", "klo"], "ayo": ["yuk", "ayok", "yok", "ayoo"],
         "sekali": ["bgt", "banget"], "bapak": ["bpk", "pak"], "jangan": ["jgn", "ojo"], "lagi": ["lg"],
         "terima kasih": ["makasih", "mksh", "thx"], "orang": ["org"], "sama": ["sm", "ama"],
         "mantap": ["mantul", "mantab", "mantep", "josss"], "coblos": ["nyoblos", "coblos"],
         "pilih": ["pilih", "milih", "pilihlah"], "semua": ["smua", "semua"], "belum": ["blm"],
         "bisa": ["bs", "bisa"], "harus": ["hrs", "kudu"]}
CODE_MIX = {"mantap": ["keren abis", "the best", "top markotop"], "semangat": ["spirit", "semangat"],
            "hari ini": ["today", "hari ini"], "pemimpin": ["leader", "pemimpin"]}


def _mention(rng: random.Random, pair: Pair, tags: bool = True) -> str:
    n = pair.number
    acronyms = [a for a in pair.aliases if a.isupper()]
    names = [a for a in pair.aliases if not a.isupper()]
    forms = [pair.candidate] * 3 + [pair.running_mate] + names * 2 + acronyms * 2
    forms += [f"paslon {n}", f"paslon nomor urut {n}", f"nomor {n}", f"no.{n}", f"0{n}", f"nomor {NUMBER_WORDS[n]}",
              f"{pair.candidate.split()[0]} - {pair.running_mate.split()[0]}"]
    if tags:
        forms += list(pair.hashtags) + ["@" + h for h in sorted(pair.all_handles())][:2]
    if rng.random() < 0.05:  # an unregistered short form the ruler cannot know
        return pair.candidate.split()[0]
    return rng.choice(forms)


def _number(rng: random.Random, n: int) -> str:
    return rng.choice([f"nomor {n}", f"no. {n}", f"no.{n}", f"nomor urut 0{n}", f"0{n}", f"nomor {NUMBER_WORDS[n]}",
                       f"{n}", f"no urut {n}", f"nmr {n}", f"nomer {n}", f"{n}\ufe0f\u20e3", f"paslon {n}"])


def _chooser(rng: random.Random, variants: list[str]) -> Callable[[re.Match[str]], str]:
    return lambda _m: rng.choice(variants)


def _perturb(rng: random.Random, text: str) -> str:
    for standard, variants in SLANG.items():
        if rng.random() < 0.5:
            text = re.sub(rf"\b{standard}\b", _chooser(rng, variants), text, flags=re.I)
    for standard, variants in CODE_MIX.items():
        if rng.random() < 0.2:
            text = re.sub(rf"\b{standard}\b", rng.choice(variants), text, flags=re.I)
    words = text.split(" ")
    for i, w in enumerate(words):
        r = rng.random()
        if r < 0.03 and len(w) > 3 and w.isalpha():  # elongation: menaaang
            k = max(j for j, c in enumerate(w) if c in "aiueo") if any(c in "aiueo" for c in w) else len(w) - 1
            words[i] = w[:k] + w[k] * rng.randint(3, 6) + w[k + 1:]
        elif r < 0.06 and len(w) > 4 and w.isalpha():  # typo: swap or drop
            k = rng.randrange(1, len(w) - 2)
            words[i] = w[:k] + w[k + 1] + w[k] + w[k + 2:] if rng.random() < 0.5 else w[:k] + w[k + 1:]
    text = " ".join(words)
    style = rng.random()
    if style < 0.45:
        text = text.lower()
    elif style < 0.52:
        text = text.upper()
    if rng.random() < 0.25:
        text = text.rstrip(".!") + rng.choice(["!!!", "!!", "..", " 🙏", "?", ""])
    return re.sub(r"\s+", " ", text).strip()


def _fill(rng: random.Random, template: str, spec: ElectionSpec, target: Pair | None, mood: str) -> str:
    others = [p for p in spec.pairs if target is None or p.number != target.number]
    other = rng.choice(others)
    p1, p2 = rng.sample(list(spec.pairs), 2)
    slots = {
        "N": str(target.number) if target else "1", "NW": NUMBER_WORDS[target.number] if target else "satu",
        "PF": target.candidate if target else "", "REG": spec.region, "K": str(len(spec.pairs)),
        "OFF": OFFICES[spec.id.split("-")[0]],
        "VD": f"{spec.calendar.voting.day} {_MONTHS[spec.calendar.voting.month]}",
        "P1": _mention(rng, p1, tags=False), "P2": _mention(rng, p2, tags=False), "O": _mention(rng, other),
        "N1": str(p1.number), "N2": str(p2.number),
    }

    def slot(m: re.Match[str]) -> str:
        key = m.group(1)
        if key == "P" and target:
            return _mention(rng, target, tags=mood != "neutral")
        if key == "PN" and target:
            return _number(rng, target.number)
        if key == "PT" and target:
            return rng.choice(list(target.hashtags) or [target.candidate])
        if key == "PL":
            return rng.choice(T.PLACES)
        if key == "ADDR":
            return rng.choice(T.ADDRESSES)
        if key == "E":
            return rng.choice(T.EMOJI[mood])
        return slots[key]

    text = re.sub(r"\{(\w+)\}", slot, template)
    prefix = re.sub(r"\{ADDR\}", lambda _m: rng.choice(T.ADDRESSES), rng.choice(T.PREFIXES))
    if prefix:
        text = prefix + (text[0].lower() + text[1:] if text[1:2].islower() else text)
    if rng.random() < 0.2:
        filler = rng.choice(T.FILLERS)
        text = f"{filler} {text}" if rng.random() < 0.5 else f"{text} {filler}"
    return _perturb(rng, text)


_MONTHS = {1: "Januari", 2: "Februari", 3: "Maret", 4: "April", 5: "Mei", 6: "Juni", 7: "Juli", 8: "Agustus",
           9: "September", 10: "Oktober", 11: "November", 12: "Desember"}
_CATEGORIES = {  # name -> (templates, campaign, stance, has_pair, emoji mood)
    "support": (T.SUPPORT, True, "support", True, "support"),
    "oppose": (T.OPPOSE, True, "oppose", True, "oppose"),
    "neutral_pair": (T.NEUTRAL_PAIR, False, "none", True, "neutral"),
    "neutral_multi": (T.NEUTRAL_MULTI, False, "none", False, "neutral"),
    "negative": (T.NEGATIVE, False, "none", False, "everyday"),
}


def _template_subset(rng: random.Random, count: int, election: str, elections: list[str]) -> list[int]:
    """Every third template belongs to exactly one election (round robin); of the rest each election
    draws 75%.  So a held-out election always brings phrasings no other election was trained on."""
    home = elections.index(election) if election in elections else -1
    exclusive = [i for i in range(0, count, 3) if (i // 3) % len(elections) == home] if elections else []
    shared = [i for i in range(count) if i % 3 != 0]
    picked = rng.sample(shared, k=max(2, round(len(shared) * 0.75)))
    return sorted(exclusive + picked)


def generate_election(spec: ElectionSpec, elections: list[str] | None = None, seed: int = SEED,
                      sizes: dict[str, int] | None = None) -> list[dict[str, object]]:
    """Labelled examples for one election, drawn from a per-election subset of the templates.
    ``sizes`` overrides :data:`PER_ELECTION` (tests build small corpora this way)."""
    elections = sorted(elections or [spec.id])
    wanted = sizes or PER_ELECTION
    rng = random.Random(f"{seed}:{spec.id}")  # noqa: S311 - reproducible data, not security
    rows: list[dict[str, object]] = []
    seen: set[str] = set()
    for category, (templates, campaign, stance, has_pair, mood) in _CATEGORIES.items():
        chosen = _template_subset(rng, len(templates), spec.id, elections)
        attempts = 0
        count = 0
        while count < wanted[category] and attempts < wanted[category] * 10:
            attempts += 1
            index = rng.choice(chosen)
            target = rng.choice(spec.pairs) if has_pair else None
            text = _fill(rng, templates[index], spec, target, mood)
            if text in seen:
                continue
            seen.add(text)
            count += 1
            rows.append({"id": f"{spec.id}-{len(rows):04d}", "election": spec.id, "text": text,
                         "campaign": campaign, "pair": target.number if target else None, "stance": stance,
                         "source": f"generated:v1:{category}:{index}"})
    rng.shuffle(rows)
    return rows


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    total = 0
    specs = [load_election_yaml(p) for p in sorted((CORPUS_DIR / "elections").glob("*.yaml"))]
    for spec in specs:
        rows = generate_election(spec, [s.id for s in specs])
        out = CORPUS_DIR / f"{spec.id}.jsonl"
        out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        total += len(rows)
        log.info("%s: %d examples", out.name, len(rows))
    log.info("total %d examples", total)


if __name__ == "__main__":
    main()
