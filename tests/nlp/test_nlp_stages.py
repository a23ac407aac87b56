"""The three stages on real-looking posts: recall-tuned mentions, partisan vs neutral, stance per pair."""

from __future__ import annotations

import pytest

from nlp.analysis import Analyzer
from nlp.mojibake import repair, sloppy_cp1252
from nlp.normalize import normalize
from nlp.predict import Classifier
from nlp.types import ElectionSpec


@pytest.fixture(scope="module")
def analyzer(spec_a: ElectionSpec) -> Analyzer:
    return Analyzer(spec_a)


def _pairs(analyzer: Analyzer, text: str) -> list[tuple[str, int | None]]:
    return [(m.kind, m.pair) for m in analyzer.analyze(text).mentions]


@pytest.mark.parametrize("text", ["bagus sekali acaranya", "#bagus", "#Bagus", "#agustusan meriah"])
def test_bagus_never_matches_agus(analyzer: Analyzer, text: str) -> None:
    assert _pairs(analyzer, text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("#rusdifitri2024 mantap", [("HASHTAG", 2)]),
    ("#darmasejahtera", [("HASHTAG", 1)]),
    ("#damaimenang", [("HASHTAG", 1)]),
    ("follow @darma_official ya", [("ACCOUNT", 1)]),
    ("#wiraatmajaforcontoh", [("HASHTAG", 2)]),
])
def test_names_glued_in_hashtags_and_handles(analyzer: Analyzer, text: str, expected: list[tuple[str, int]]) -> None:
    assert _pairs(analyzer, text) == expected


def test_acronym_word_alone_in_hashtag_is_not_glued(analyzer: Analyzer) -> None:
    assert [m for m in analyzer.analyze("#damaiindonesia #salamdamai").mentions] == []


@pytest.mark.parametrize("rounds", [1, 2, 3])
def test_mojibake_repaired_until_stable(rounds: int) -> None:
    text = "Ayo coblos ✌️ “Maju” café 2️⃣"
    broken = text
    for _ in range(rounds):
        broken = sloppy_cp1252(broken.encode("utf-8"))
    assert repair(broken) == text


def test_mojibake_keeps_correct_text() -> None:
    assert repair("Ã  la carte, harga naik") == "Ã  la carte, harga naik"


def test_mojibake_emoji_becomes_ballot_number() -> None:
    broken = sloppy_cp1252("Salam ✌️ jari".encode())
    assert "2" in normalize(broken).words


def test_election_hashtag_alone_is_election_related(analyzer: Analyzer) -> None:
    assert analyzer.analyze("#PilkadaContoh2024 semangat semua").election_related


def test_everyday_text_is_not_election_related(analyzer: Analyzer) -> None:
    assert not analyzer.analyze("makanannya enak banget, aku cinta tempat ini").election_related


@pytest.fixture(scope="module")
def shipped_a(spec_a: ElectionSpec) -> Classifier:
    from nlp.artefacts import load_default_model

    loaded = load_default_model()
    return Classifier(loaded.model, spec_a, loaded.version)


def _stances(clf: Classifier, text: str) -> dict[int, str]:
    return {p.number: p.stance for p in clf.predict(text).pairs}


def test_contrast_supports_one_and_opposes_other(shipped_a: Classifier) -> None:
    assert _stances(shipped_a, "Pilih 02, bukan 01!") == {2: "support", 1: "oppose"}


def test_contrast_main_pair_is_the_supported_one(shipped_a: Classifier) -> None:
    assert shipped_a.predict("Jangan pilih 01, coblos 02 saja").pair == 2


def test_negated_praise_opposes(shipped_a: Classifier) -> None:
    assert _stances(shipped_a, "Bang Rusdi tidak jujur dan mengecewakan") == {2: "oppose"}


def test_attack_word_near_name_opposes(shipped_a: Classifier) -> None:
    assert shipped_a.predict("Pak Darma pembohong, jangan pilih dia").stance == "oppose"


def test_reasons_are_indonesian_sentences(shipped_a: Classifier) -> None:
    texts = [r.text for r in shipped_a.predict("Ayo coblos nomor 2, Bang Rusdi pembohong? bukan!").reasons]
    assert "menyebut nomor urut 2" in texts and not any(t.startswith("ngram") for t in texts)


def test_kpu_news_is_related_but_not_campaign(shipped_a: Classifier) -> None:
    p = shipped_a.predict("KPU umumkan jadwal debat paslon Darmawan Kusumajaya dan Rusdianto Wiraatmaja")
    assert (p.election_related, p.campaign) == (True, False)


def test_output_record_has_contract_fields(shipped_a: Classifier) -> None:
    record = shipped_a.predict("Pilih 02!").to_json("x")
    assert {"election_related", "campaign", "score", "pair", "contest", "pairs", "stance", "reasons"} <= set(record)
