"""spaCy components, registered in this one module.

``candidate_ruler`` finds mentions of the registered pairs (names, aliases, acronyms, ballot
numbers in context, hashtags, official accounts, parties) and writes them to ``doc.spans["paslon"]``
with label ``KIND:PAIR`` (``NAME:2``, ``NUMBER:1``; pair ``0`` for a party shared by several pairs).
``campaign_cues`` writes the campaign cues it sees to ``doc.spans["cues"]``, including cues that
only exist next to a mention (``VOTE_PAIR``: a vote verb right before a pair; ``NEG_PAIR``: an attack
word near one).

Both run on ``spacy.blank("id")`` (raw text, spaCy's tokenizer) and on Docs built straight from
normalised words (:func:`nlp.normalize.normalize`); those carry the original text, word spans and word
kinds (``HASHTAG``, ...) in ``doc.user_data`` so the components can ask "was this inside a hashtag?"
and "was this written in capitals?" without token attributes that would slow every Doc down.
The ruler is built empty by its factory and filled with :meth:`CandidateRuler.add_election`, the same
way spaCy's ``EntityRuler`` gets ``add_patterns``: an election file is not a spaCy config value.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import filter_spans, registry

from nlp.cue_patterns import CUE_PHRASES, NEGATIVE_WORDS, VOTE_VERBS, expand
from nlp.normalize import normalize
from nlp.types import ElectionSpec, Pair

log = logging.getLogger(__name__)

RULER = "candidate_ruler"
CUES = "campaign_cues"
PASLON_KEY = "paslon"
CUES_KEY = "cues"

# Words after which a bare digit is a ballot number ("coblos 2", "nomor 2", "paslon 2", "pilih 2").
_NUMBER_CONTEXT = ["nomor", "paslon", "coblos", "pilih", "memilih", "pasangan", "calon", "dukung",
                   "menangkan", "salam", "urut", "kandidat", "no"]


def derived_aliases(pair: Pair) -> list[str]:
    """Name forms people write that the election file rarely lists: the two first names joined
    ("Marzuki-Siti", "Marzuki & Siti") and distinctive surnames (last word of a multi-word name, at
    least 5 letters: "Wiraatmaja").  First names alone are not used: "Teguh" and "Dewi" are words
    and common names."""
    if not pair.running_mate:
        return []
    first, mate = pair.candidate.split()[0], pair.running_mate.split()[0]
    out = [f"{first}-{mate}", f"{first} - {mate}", f"{first} & {mate}", f"{first} dan {mate}"]
    for name in (pair.candidate, pair.running_mate):
        words = name.split()
        if len(words) >= 2 and len(words[-1]) >= 5:
            out.append(words[-1])
    return out


def _is_acronym(alias: str) -> bool:
    return alias.isalpha() and alias.isupper() and len(alias) <= 8


def _in_hashtag(doc: Doc, i: int) -> bool:
    kinds = doc.user_data.get("kinds")
    return kinds is not None and kinds[i] == "HASHTAG"


def _surface(doc: Doc, start: int, end: int) -> str:
    """The original characters behind tokens ``start:end`` (Docs built by the analyzer carry them)."""
    spans = doc.user_data.get("spans")
    if spans is None:
        return doc[start:end].text
    return str(doc.user_data["original"])[spans[start][0]: spans[end - 1][1]]


def _phrase(nlp: Language, term: str) -> Doc | None:
    words = normalize(term, keep_handles=True).words
    return Doc(nlp.vocab, words=list(words)) if words else None


# Words that may surround a name inside a hashtag or handle (#BaskaraMenang, @baskara_official).
GLUE_WORDS = frozenset({"maju", "menang", "pasti", "lanjut", "lanjutkan", "bersatu", "juara", "hebat", "jaya",
                        "pilih", "coblos", "dukung", "untuk", "for", "official", "resmi", "id", "tim", "team",
                        "relawan", "sahabat", "no", "nomor", "paslon", "bupati", "wakil", "cabup",
                        "cawabup", "cagub", "cawagub", "cawalkot", "gub", "kita", "rakyat", "bang", "pak", "bu",
                        "mas", "kak", "bro", "bareng", "bersama", "setia", "center", "media", "news", "fans",
                        "lovers", "menangkan", "satu", "putaran", "dan", "and", "the", "kab"})
_HANDLE_SPLIT = re.compile(r"[^a-z]+")
MIN_PIECE = 3
_ELECTION_TAG_HEADS = frozenset({"pilkada", "pemilu", "pilbup", "pilgub", "pilwalkot", "pilpres", "indonesia"})


def name_pieces(pair: Pair) -> dict[str, bool]:
    """Lower-case pieces of a pair's names that identify it inside a glued hashtag or handle, each
    with whether it is *strong* (a word of the candidate's or running mate's own name, which may
    stand alone or lead a hashtag) or weak (alias, acronym or hashtag word such as "damai", which
    counts only glued to another piece: "#damaimenang", never "#damai")."""
    words: dict[str, bool] = {}
    names = [pair.candidate, pair.running_mate, *(a for a in pair.aliases if not _is_acronym(a))]
    for name in names:
        words.update((w, True) for w in re.split(r"[^a-z]+", name.casefold()) if len(w) >= MIN_PIECE + 1)
    weak = [a.casefold() for a in pair.aliases if _is_acronym(a)]
    for tag in pair.hashtags:
        weak += [p.casefold() for p in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", tag.lstrip("#"))]
    for w in weak:
        if len(w) >= MIN_PIECE:
            words.setdefault(w, False)
    return {w: strong for w, strong in words.items() if w not in GLUE_WORDS}


def segment(body: str, pieces: dict[str, tuple[int, bool]]) -> list[int] | None:
    """Pairs named by ``body`` when it splits wholly into name pieces and glue words, else None.

    The whole string must be covered, so "bagus" never yields "agus": "b" is no word.  A body that
    starts with a strong name piece of five letters or more also counts whatever follows it
    ("#darmasejahtera"), a variant of the registered hashtags."""
    n = len(body)
    best: list[tuple[list[int], int, bool] | None] = [None] * (n + 1)
    best[0] = ([], 0, False)
    for i in range(n):
        found = best[i]
        if found is None:
            continue
        for j in range(i + 2, min(n, i + 16) + 1):
            piece = body[i:j]
            if piece in pieces:
                pair, strong = pieces[piece]
                candidate = ([*found[0], pair], found[1] + 1, found[2] or strong)
            elif piece in GLUE_WORDS:
                candidate = (found[0], found[1] + 1, found[2])
            else:
                continue
            current = best[j]
            if current is None or len(candidate[0]) > len(current[0]):
                best[j] = candidate
    end = best[n]
    if end is not None and end[0] and (end[2] or end[1] >= 2):
        return end[0]
    for j in range(min(n - MIN_PIECE, 16), 4, -1):  # a strong name leading a longer hashtag
        lead = pieces.get(body[:j])
        if lead is not None and lead[1]:
            return [lead[0]]
    return None


class CandidateRuler:
    """Tag mentions of registered pairs; the pair number is in the span label."""

    def __init__(self, nlp: Language, name: str = RULER) -> None:
        self.nlp = nlp
        self.name = name
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.election_id: str | None = None
        self.pieces: dict[str, tuple[int, bool]] = {}
        self._glued: dict[str, int | None] = {}

    def add_election(self, spec: ElectionSpec) -> None:
        """Build the patterns for every pair of ``spec`` (names, numbers, hashtags, accounts, parties)."""
        party_owners: dict[str, set[int]] = {}
        for pair in spec.pairs:
            for party in pair.parties:
                party_owners.setdefault(party, set()).add(pair.number)
        for pair in spec.pairs:
            n = pair.number
            acronyms = [a for a in pair.aliases if _is_acronym(a)]
            names = [pair.candidate, pair.running_mate, *(a for a in pair.aliases if a not in acronyms),
                     *derived_aliases(pair)]
            self._add_phrases(f"NAME:{n}", names)
            firsts = [w.split()[0] for w in (pair.candidate, pair.running_mate) if w and len(w.split()[0]) >= 5]
            self._add_phrases(f"FIRSTNAME:{n}", firsts)
            self._add_phrases(f"ACRONYM:{n}", acronyms)
            tags = ["#" + t.lstrip("#") for t in pair.hashtags]
            self._add_phrases(f"HASHTAG:{n}", tags + [t.casefold() for t in tags])
            self._add_phrases(f"ACCOUNT:{n}", ["@" + h for h in pair.all_handles()])
            self._add_phrases(f"NUMBER:{n}", [*expand(_NUMBER_CONTEXT, str(n)), f"{n} jari"])
        owners_of: dict[str, set[int]] = {}
        strength: dict[str, bool] = {}
        for pair in spec.pairs:
            for piece, strong in name_pieces(pair).items():
                owners_of.setdefault(piece, set()).add(pair.number)
                strength[piece] = strength.get(piece, False) or strong
        self.pieces = {piece: (next(iter(o)), strength[piece]) for piece, o in owners_of.items() if len(o) == 1}
        self._glued = {}
        for party, owners in party_owners.items():
            owner = next(iter(owners)) if len(owners) == 1 else 0
            self._add_phrases(f"PARTY:{owner}", [party])
        self.election_id = spec.id
        log.debug("candidate ruler for %s: %d phrase patterns", spec.id, len(self.phrases))

    def _add_phrases(self, label: str, terms: Iterable[str]) -> None:
        """Each term both normalised ("Pak Darma" → "bapak darma", what the analyzer's Docs hold) and
        as the pipeline's tokenizer splits it (raw-text Docs)."""
        docs: dict[tuple[str, ...], Doc] = {}
        for term in terms:
            if not term.strip():
                continue
            for doc in (_phrase(self.nlp, term), self.nlp.make_doc(term)):
                if doc is not None and len(doc):
                    docs.setdefault(tuple(t.lower_ for t in doc), doc)
        if docs:
            self.phrases.add(label, list(docs.values()))

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for key, start, end in self.phrases(doc):
            label = self.nlp.vocab.strings[key]
            if label.startswith("NUMBER:"):
                # Only the digit is the mention: "coblos" stays visible to the model as context.
                start = start if doc[start].is_digit else end - 1
                end = start + 1
            elif label.startswith("FIRSTNAME:"):
                # "Rusdianto" alone names the candidate when written as a name (capitalised or in
                # a hashtag); "darmawan" in running lower-case text may be anyone.
                surface = _surface(doc, start, end)
                if not (_in_hashtag(doc, start) or surface[:1].isupper()):
                    continue
                label = "NAME:" + label.partition(":")[2]
            elif label.startswith("ACRONYM:"):
                # "DAMAI" the pair vs "pemilu damai": an acronym that is also a word must be written
                # in capitals (or inside a hashtag) to count as a mention.
                if not (_in_hashtag(doc, start) or _surface(doc, start, end).isupper()):
                    continue
                words = doc.user_data.get("words")
                if _in_hashtag(doc, start) and words is not None and start > 0 and _in_hashtag(doc, start - 1) \
                        and words[start - 1] in _ELECTION_TAG_HEADS:
                    continue  # "#PilkadaDamai", "#PemiluDamai": a wish for the election, not the pair
                label = "NAME:" + label.partition(":")[2]
            spans.append(Span(doc, start, end, label=label))
        spans.extend(self._glued_mentions(doc, {i for s in spans for i in range(s.start, s.end)}))
        doc.spans[PASLON_KEY] = filter_spans(spans)
        return doc

    def _glued_mentions(self, doc: Doc, covered: set[int]) -> list[Span]:
        """Names glued inside a hashtag or handle: ``#baskaralaila``, ``@baskara_official``."""
        kinds = doc.user_data.get("kinds")
        if kinds is None or not self.pieces:
            return []
        words = doc.user_data["words"]
        out = []
        for i, kind in enumerate(kinds):
            if i in covered or kind not in ("HASHTAG", "MENTION"):
                continue
            pair = self._glued_pair(words[i])
            if pair is not None:
                out.append(Span(doc, i, i + 1, label=f"{'HASHTAG' if kind == 'HASHTAG' else 'ACCOUNT'}:{pair}"))
        return out

    def _glued_pair(self, word: str) -> int | None:
        if word in self._glued:
            return self._glued[word]
        found = segment(_HANDLE_SPLIT.sub("", word.casefold()), self.pieces) or []
        counts = Counter(found)
        top = counts.most_common(2)
        pair = top[0][0] if top and (len(top) == 1 or top[0][1] > top[1][1]) else None
        if len(self._glued) < 50_000:
            self._glued[word] = pair
        return pair


class CampaignCues:
    """Mark campaign cues: appeals, vote verbs, praise, finger poses, campaign hashtags, attacks,
    campaign events, photo captions, and the neutral-voter-education counter-cues."""

    def __init__(self, nlp: Language, name: str = CUES) -> None:
        self.name = name
        self.vocab = nlp.vocab
        # Word lists go to the (hash-based, fast) PhraseMatcher; only structure needs the Matcher.
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        for label, phrases in CUE_PHRASES.items():
            self.phrases.add(label, [nlp.make_doc(p) for p in phrases])
        self._hashtag_only = self.vocab.strings["CAMPAIGN_HASHTAG"]

    def __call__(self, doc: Doc) -> Doc:
        # A cue wholly inside a pair mention ("menang" in #DamaiMenang, "damai" the acronym) says
        # something about that pair's name, not about the text: keep it out, or names leak back in.
        named = {i for m in doc.spans.get(PASLON_KEY, []) for i in range(m.start, m.end)}
        spans = [Span(doc, s, e, label=k) for k, s, e in self.phrases(doc)
                 if (k != self._hashtag_only or _in_hashtag(doc, s)) and not named.issuperset(range(s, e))]
        kinds = doc.user_data.get("kinds")
        if kinds is not None:  # a year inside a campaign hashtag: #Maju2024
            words = doc.user_data["words"]
            spans.extend(Span(doc, i, i + 1, label="CAMPAIGN_HASHTAG")
                         for i, (w, k) in enumerate(zip(words, kinds, strict=True))
                         if k == "HASHTAG" and len(w) == 4 and w.isdigit() and i not in named)
        spans.extend(self._pair_cues(doc))
        doc.spans[CUES_KEY] = spans
        return doc

    @staticmethod
    def _pair_cues(doc: Doc) -> list[Span]:
        """Cues that need the ruler's mentions: what is done *to* a pair."""
        out: list[Span] = []
        mentions = doc.spans.get(PASLON_KEY, [])
        words = doc.user_data.get("words") or [t.lower_ for t in doc]
        for mention in mentions:
            if mention.label_.startswith("PARTY"):
                continue
            lo = max(0, mention.start - 3)
            verbs = [i for i in range(lo, mention.start) if words[i] in VOTE_VERBS]
            if verbs:
                attack = any(words[i] in {"jangan", "tolak"} for i in range(lo, mention.start))
                out.append(Span(doc, verbs[0], mention.end, label="NEG_PAIR" if attack else "VOTE_PAIR"))
            negative = [i for i in range(max(0, mention.start - 4), min(len(doc), mention.end + 4))
                        if words[i] in NEGATIVE_WORDS]
            if negative:
                first = min(negative[0], mention.start)
                last = max(negative[-1] + 1, mention.end)
                out.append(Span(doc, first, last, label="NEG_PAIR"))
        return out


@Language.factory(RULER, default_config={})
def make_candidate_ruler(nlp: Language, name: str) -> CandidateRuler:
    return CandidateRuler(nlp, name)


@Language.factory(CUES, default_config={})
def make_campaign_cues(nlp: Language, name: str) -> CampaignCues:
    return CampaignCues(nlp, name)


@registry.tokenizers("netral.whitespace_tokenizer.v1")  # type: ignore[untyped-decorator]
def make_whitespace_tokenizer() -> Callable[[Language], Tokenizer]:
    """A rule-free tokenizer: the analyzer never tokenizes (it builds Docs from normalised words), and
    loading the Indonesian tokenizer's ~16,000 exceptions takes seconds per pipeline."""

    def create(nlp: Language) -> Tokenizer:
        return Tokenizer(nlp.vocab)

    return create


def build_pipeline(spec: ElectionSpec | None = None, *, fast_tokenizer: bool = True) -> Language:
    """``spacy.blank("id")`` with the ruler (filled from ``spec`` if given) and the cue matcher.

    ``fast_tokenizer`` swaps in a whitespace tokenizer (fine for normalised text); pass ``False`` to
    keep spaCy's Indonesian tokenizer for raw text."""
    config = {"nlp": {"tokenizer": {"@tokenizers": "netral.whitespace_tokenizer.v1"}}} if fast_tokenizer else {}
    nlp = spacy.blank("id", config=config)
    ruler = nlp.add_pipe(RULER)
    nlp.add_pipe(CUES)
    if spec is not None:
        assert isinstance(ruler, CandidateRuler)
        ruler.add_election(spec)
    return nlp
