"""Reading the election file format (the same YAML the core registry validates)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from nlp.election import ElectionFileError, load_election_yaml
from tests.nlp.helpers import ELECTIONS

MINIMAL = """
election:
  id: x
  name: X
  region: Kabupaten X
  timezone: Asia/Makassar
  calendar:
    candidates_fixed: 2024-09-22
    campaign: {start: 2024-09-25, end: 2024-11-23}
    quiet: {start: 2024-11-24, end: 2024-11-26}
    voting: 2024-11-27
pairs:
  - number: 1
    candidate: Calon Satu
    aliases: [CASA]
    accounts: {x: ["@CalonSatu"]}
"""


def test_reads_the_example_file() -> None:
    spec = load_election_yaml(ELECTIONS / "pilkada-contoh-2024.yaml")
    assert spec.timezone == "Asia/Makassar" and len(spec.pairs) == 3
    assert spec.calendar.quiet_start == date(2024, 11, 24) and spec.calendar.voting == date(2024, 11, 27)
    assert spec.pair(2) is not None and spec.pair(2).hashtags == ("#RufiMaju", "#ContohMaju2024")  # type: ignore[union-attr]
    assert spec.official_handles()["rufi.bsky.social"] == 2


def test_minimal_file(tmp_path: Path) -> None:
    path = tmp_path / "e.yaml"
    path.write_text(MINIMAL)
    spec = load_election_yaml(path)
    assert spec.pairs[0].running_mate == "" and spec.pairs[0].all_handles() == {"calonsatu"}


@pytest.mark.parametrize(("broken", "message"), [
    (MINIMAL.replace("voting: 2024-11-27", "voting: soon"), "calendar.voting"),
    (MINIMAL.replace("  - number: 1\n", "  - numero: 1\n"), "pairs\\[0\\]"),
    (MINIMAL.replace("aliases: [CASA]", "aliases: {a: 1}"), "aliases"),
    (MINIMAL.split("pairs:")[0] + "pairs: []\n", "non-empty"),
    ("just text", "not a YAML mapping"),
])
def test_errors_name_the_field(tmp_path: Path, broken: str, message: str) -> None:
    path = tmp_path / "e.yaml"
    path.write_text(broken)
    with pytest.raises(ElectionFileError, match=message):
        load_election_yaml(path)


def test_duplicate_ballot_numbers(tmp_path: Path) -> None:
    path = tmp_path / "e.yaml"
    path.write_text(MINIMAL + "  - number: 1\n    candidate: Lagi\n")
    with pytest.raises(ElectionFileError, match="duplicate"):
        load_election_yaml(path)


def test_reads_the_projects_example_election_file() -> None:
    """Same file format as core's registry: the repository's example must load here too."""
    example = Path(__file__).resolve().parents[2] / "examples" / "election.yaml"
    if not example.exists():
        pytest.skip("no examples/election.yaml in this checkout")
    spec = load_election_yaml(example)
    assert spec.pairs and all(p.number > 0 for p in spec.pairs)
    assert spec.calendar.campaign_start <= spec.calendar.campaign_end < spec.calendar.voting
