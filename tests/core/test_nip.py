from datetime import date

import pytest

from core.registry.nip import NipFormatError, format_nip, mask_nip, parse_ni_pppk, parse_nip

TODAY = date(2026, 11, 28)


def test_valid_nip_is_parsed_into_its_fields_without_warnings() -> None:
    parsed = parse_nip("19860926 201505 1 001", today=TODAY)
    assert parsed.number == "198609262015051001"
    assert parsed.birth_date == date(1986, 9, 26)
    assert parsed.appointment == "201505"
    assert parsed.gender == "M"
    assert parsed.serial == "001"
    assert parsed.warnings == []


def test_valid_ni_pppk_is_parsed() -> None:
    parsed = parse_ni_pppk("199001012022212002", today=TODAY)
    assert parsed.kind == "NI PPPK"
    assert parsed.birth_date == date(1990, 1, 1)
    assert parsed.gender == "F"
    assert parsed.warnings == []


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("198602306015051001", "not a real date"),  # 30 February
        ("193001012015051001", "implausibly early"),
        ("198609262015131001", "not a month"),
        ("198609262031051001", "in the future"),
        ("198609262000051001", "younger than 18"),
        ("195001012015051001", "older than 60"),
        ("198609262015053001", "gender digit 3"),
        ("198609262015051000", "serial number 000"),
    ],
)
def test_each_implausible_nip_value_is_a_warning_not_an_error(number: str, fragment: str) -> None:
    parsed = parse_nip(number, today=TODAY)
    assert any(fragment in w for w in parsed.warnings), parsed.warnings


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("199001012017211002", "before the first PPPK intake"),
        ("199001012022111002", "below 21"),
        ("199001012030211002", "in the future"),
        ("199001012022219002", "gender digit 9"),
    ],
)
def test_ni_pppk_warnings(number: str, fragment: str) -> None:
    assert any(fragment in w for w in parse_ni_pppk(number, today=TODAY).warnings)


@pytest.mark.parametrize("bad", ["", "12345", "19860926201505100", "1986092620150510011", "19860926A015051001"])
def test_numbers_that_are_not_18_digits_are_errors(bad: str) -> None:
    with pytest.raises(NipFormatError, match="18 digits"):
        parse_nip(bad)
    with pytest.raises(NipFormatError, match="18 digits"):
        parse_ni_pppk(bad)


def test_format_and_mask() -> None:
    assert format_nip("198609262015051001") == "19860926 201505 1 001"
    assert mask_nip("198609262015051001").endswith("1001")
    assert "2015" not in mask_nip("198609262015051001")
