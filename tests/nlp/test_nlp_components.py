"""The spaCy components on spacy.blank("id"), and the analyzer's masking on top of them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import spacy
from spacy.language import Language

from nlp.analysis import Analyzer
from nlp.components import CUES, CUES_KEY, PASLON_KEY, RULER, CandidateRuler, build_pipeline
from nlp.types import ElectionSpec


@pytest.fixture(scope="module")
def blank_id(spec_a: ElectionSpec) -> Iterator[Language]:
    nlp = spacy.blank("id")  # the real Indonesian tokenizer, raw text
    ruler = nlp.add_pipe(RULER)
    assert isinstance(ruler, CandidateRuler)
    ruler.add_election(spec_a)
    nlp.add_pipe(CUES)
    yield nlp


def labels(doc: spacy.tokens.Doc, key: str) -> list[tuple[str, str]]:
    return [(s.label_, s.text) for s in doc.spans[key]]


def test_factories_are_registered() -> None:
    assert Language.has_factory(RULER) and Language.has_factory(CUES)


def test_ruler_tags_names_aliases_and_numbers_with_the_pair(blank_id: Language) -> None:
    doc = blank_id("Ayo coblos 2, Bang Rusdi pasti menang lawan Darmawan Kusumajaya")
    found = labels(doc, PASLON_KEY)
    assert ("NUMBER:2", "2") in found
    assert ("NAME:2", "Bang Rusdi") in found
    assert ("NAME:1", "Darmawan Kusumajaya") in found


def test_a_bare_number_without_ballot_context_is_not_a_mention(blank_id: Language) -> None:
    assert labels(blank_id("anak saya umur 2 tahun"), PASLON_KEY) == []


def test_acronym_that_is_a_word_counts_only_in_capitals(blank_id: Language) -> None:
    assert labels(blank_id("dukung DAMAI"), PASLON_KEY) == [("NAME:1", "DAMAI")]
    assert labels(blank_id("mari wujudkan pemilu damai"), PASLON_KEY) == []


def test_party_shared_by_one_pair_points_to_it(blank_id: Language) -> None:
    assert labels(blank_id("Partai Suara Rakyat solid"), PASLON_KEY) == [("PARTY:2", "Partai Suara Rakyat")]


def test_campaign_cues(blank_id: Language) -> None:
    doc = blank_id("ayo pilih nomor 3 , pemimpin amanah ! salam 3 jari , hadir di kampanye akbar")
    found = {label for label, _ in labels(doc, CUES_KEY)}
    assert {"APPEAL", "VOTE_NUMBER", "PRAISE", "FINGER", "EVENT", "VOTE_PAIR"} <= found


def test_attack_near_a_pair_is_a_negative_pair_cue(blank_id: Language) -> None:
    found = labels(blank_id("Pak Darma itu pembohong"), CUES_KEY)
    assert ("NEG_PAIR", "Pak Darma itu pembohong") in found


def test_neutral_voter_education_cues(blank_id: Language) -> None:
    found = {label for label, _ in labels(blank_id("ayo ke tps , gunakan hak pilih , jangan golput"), CUES_KEY)}
    assert "NEUTRAL" in found and "APPEAL" not in found


def test_hashtags_and_accounts_through_the_analyzer(spec_a: ElectionSpec) -> None:
    a = Analyzer(spec_a).analyze("mantap @RufiContoh #ContohMaju2024 #Menang2024")
    kinds = {(m.kind, m.pair) for m in a.mentions}
    assert ("ACCOUNT", 2) in kinds and ("HASHTAG", 2) in kinds
    assert "CAMPAIGN_HASHTAG" in {c.label for c in a.cues}


def test_campaign_words_outside_hashtags_are_not_campaign_hashtags(spec_a: ElectionSpec) -> None:
    a = Analyzer(spec_a).analyze("menang arisan 2024")
    assert "CAMPAIGN_HASHTAG" not in {c.label for c in a.cues}


def test_masking_replaces_every_registered_mention(spec_a: ElectionSpec) -> None:
    a = Analyzer(spec_a).analyze("Jangan pilih Pak Darma, coblos no.2 Rusdianto Wiraatmaja! @budi")
    assert a.pair == 2  # two mentions of pair 2 against one of pair 1
    assert a.masked == "jangan pilih PASLONLAIN , coblos nomor NOMOR PASLON ! @USER"
    assert "darma" not in a.masked.lower() and "rusdianto" not in a.masked.lower()


def test_mention_spans_are_in_the_original_text(spec_a: ElectionSpec) -> None:
    original = "Salam 👌 utk PAK AGUS LAMAWURAN!!"
    a = Analyzer(spec_a).analyze(original)
    for m in a.mentions + a.cues:
        assert original[m.start:m.end] == m.text
    assert {m.text for m in a.mentions} == {"👌", "PAK AGUS LAMAWURAN"}


def test_build_pipeline_uses_blank_indonesian(spec_a: ElectionSpec) -> None:
    nlp = build_pipeline(spec_a)
    assert nlp.lang == "id" and nlp.pipe_names == [RULER, CUES]


def test_hyphenated_bluesky_handle_is_an_official_account(spec_b: ElectionSpec) -> None:
    a = Analyzer(spec_b).analyze("cek @mars-rindang.bsky.social sekarang")
    assert [(m.kind, m.pair, m.text) for m in a.mentions] == [("ACCOUNT", 1, "@mars-rindang.bsky.social")]


def test_official_account_lookup(spec_a: ElectionSpec) -> None:
    assert spec_a.official_account_pair("@RufiContoh") == 2
    assert spec_a.official_account_pair("rufitv", platform="youtube") == 2
    assert spec_a.official_account_pair("RufiTV", platform="x") is None
    assert spec_a.official_account_pair("someone") is None


def test_derived_name_forms(spec_a: ElectionSpec) -> None:
    a = Analyzer(spec_a).analyze("Rusdianto & Fitriyana pasti menang, Wiraatmaja hebat; darmawan-mailani juga")
    assert [(m.text, m.pair) for m in a.mentions] == [
        ("Rusdianto & Fitriyana", 2), ("Wiraatmaja", 2), ("darmawan-mailani", 1)]
