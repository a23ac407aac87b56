"""Each normalisation rule, and that every output word still points at the text it came from."""

from __future__ import annotations

import pytest

from nlp.normalize import MENTION_TOKEN, URL_TOKEN, collapse_elongation, normalize


def text(s: str) -> str:
    return normalize(s).text


def test_casefolding() -> None:
    assert text("AYO Pilih SEKARANG") == "ayo pilih sekarang"


def test_url_and_mention_placeholders() -> None:
    n = normalize("lihat https://contoh.id/berita?id=3 kata @Budi_Santoso.")
    assert n.words[1] == URL_TOKEN
    assert MENTION_TOKEN in n.words
    assert "@budi_santoso" not in n.words


def test_keep_handles_for_the_ruler() -> None:
    assert "@rufi.bsky.social" in normalize("mantap @Rufi.bsky.social!", keep_handles=True).words


@pytest.mark.parametrize(("raw", "expected"), [("menaaaang", "menang"), ("mantaaaappp", "mantap"),
                                               ("maaaaf", "maaf"), ("sekolah", "sekolah")])
def test_elongation(raw: str, expected: str) -> None:
    assert collapse_elongation(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("gak", "tidak"), ("yg", "yang"), ("udh", "sudah"), ("nyoblos", "coblos"), ("menangin", "menangkan"),
    ("resiko", "risiko"),  # from spaCy's id_lexeme_norm table
    ("gpp", "tidak apa apa"),  # one slang word, several standard words
])
def test_slang(raw: str, expected: str) -> None:
    assert text(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("nomor dua", "nomor 2"), ("no.2", "nomor 2"), ("No. 2", "nomor 2"), ("nomor urut 02", "nomor 2"),
    ("no urut tiga", "nomor 3"), ("nmr 1", "nomor 1"), ("coblos 2", "coblos 2"), ("coblos dua", "coblos 2"),
    ("dua jari", "2 jari"), ("02 menang", "nomor 2 menang"), ("coblos 3️⃣", "coblos nomor 3"),
])
def test_numbers_in_all_forms(raw: str, expected: str) -> None:
    assert text(raw) == expected


def test_leading_zero_after_address_or_time_is_not_a_ballot_number() -> None:
    assert text("warga RT 02") == "warga rt 2"
    assert text("jam 02 pagi") == "jam 2 pagi"


def test_non_ballot_numbers_stay_numbers() -> None:
    assert text("harga naik 1.000 rupiah") == "harga naik 1.000 rupiah"


@pytest.mark.parametrize(("raw", "expected"), [
    ("#ContohMaju2024", "contoh maju 2024"), ("#DamaiMenang", "damai menang"),
    ("#PKSMenang", "pks menang"), ("#coblos02", "coblos nomor 2"),
])
def test_hashtag_splitting(raw: str, expected: str) -> None:
    n = normalize(raw)
    assert n.text == expected
    assert set(n.kinds) == {"HASHTAG"}


@pytest.mark.parametrize(("raw", "expected"), [
    ("salam ✌️", "salam 2 jari"), ("☝️ pilihanku", "1 jari pilihanku"), ("👌", "3 jari"),
    ("mantap 👍🏽", "mantap jempol"), ("🗳️", "kotak suara"),
])
def test_meaningful_emoji(raw: str, expected: str) -> None:
    assert text(raw) == expected


def test_other_emoji_are_kept_as_tokens_and_repeated_punctuation_collapses() -> None:
    assert text("wah 🌧️ hujan!!!") == "wah 🌧 hujan !"


def test_spans_point_into_the_original_text() -> None:
    original = "Ayo coblos No.2!! #ContohMaju2024 ✌️ menaaang"
    n = normalize(original)
    assert len(n.words) == len(n.spans) == len(n.kinds)
    pieces = {w: original[s:e] for w, (s, e) in zip(n.words, n.spans, strict=True)}
    assert pieces["coblos"] == "coblos"
    assert pieces["maju"] == "Maju"
    assert pieces["menang"] == "menaaang"
    assert pieces["jari"] == "✌"
    first, last = n.words.index("contoh"), n.words.index("2024")
    assert original[slice(*n.char_span(first, last + 1))] == "ContohMaju2024"


def test_empty_text() -> None:
    n = normalize("   ")
    assert n.words == () and n.text == ""
