"""Election file: validation errors name the key path; import upserts pairs and accounts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from core.errors import InputFileError
from core.models import CampaignAccount, CandidatePair, Election
from core.registry.election_config import load_election_file
from pipelines.cli import app

runner = CliRunner()
EXAMPLE = Path("examples/election.yaml")


def example() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return data


def write(tmp_path: Path, data: Any, name: str = "e.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def errors_of(path: Path) -> list[str]:
    with pytest.raises(InputFileError) as info:
        load_election_file(path)
    return [f"{p.column}: {p.message}" for p in info.value.problems]


def test_example_file_is_valid() -> None:
    doc = load_election_file(EXAMPLE)
    assert doc.election.timezone == "Asia/Makassar"
    assert [p.number for p in doc.pairs] == [1, 2, 3]
    assert str(doc.election.calendar.voting) == "2024-11-27"


def test_duplicate_ballot_number_names_the_key_path(tmp_path: Path) -> None:
    data = example()
    data["pairs"][1]["number"] = 1
    assert "pairs[1].number: duplicate ballot number 1" in errors_of(write(tmp_path, data))


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["election"].pop("name"), "election.name: Field required"),
        (lambda d: d["election"].update(timezone="Mars/Olympus"), "election.timezone: Value error, unknown time zone"),
        (lambda d: d["election"].update(id="Bad Slug!"), "election.id: String should match pattern"),
        (lambda d: d["election"]["calendar"].update(voting="2024-13-45"), "election.calendar.voting:"),
        (lambda d: d["election"]["calendar"]["quiet"].update(start="2024-11-01"),
         "election.calendar.quiet.start: 2024-11-01 is before campaign.end 2024-11-23"),
        (lambda d: d["pairs"][2].update(number="tiga"), "pairs[2].number: Input should be a valid integer"),
        (lambda d: d["pairs"][0].update(hashtags=["HADE"]), "pairs[0].hashtags: Value error, hashtag 'HADE'"),
        (lambda d: d["pairs"][0]["accounts"].update(friendster=["x"]),
         "pairs[0].accounts.friendster: unknown platform"),
        (lambda d: d["pairs"][1]["accounts"]["x"].append("not valid!"), "pairs[1].accounts.x[1]: malformed x handle"),
        (lambda d: d["pairs"][1]["accounts"]["x"].append("hade_menang"),
         "pairs[1].accounts.x[1]: account hade_menang also belongs to pairs[0]"),
        (lambda d: d.update(pairs=[]), "pairs: List should have at least 1 item"),
    ],
)
def test_validation_errors_name_the_key_path(tmp_path: Path, mutate: Any, expected: str) -> None:
    data = example()
    mutate(data)
    found = errors_of(write(tmp_path, data))
    assert any(e.startswith(expected) for e in found), found


def test_extra_keys_are_allowed(tmp_path: Path) -> None:
    data = example()
    data["election"]["kpu_decision"] = "123/PL.02.3-Kpt/2024"
    data["pairs"][0]["website"] = "https://hade.example"
    assert load_election_file(write(tmp_path, data)).pairs[0].number == 1


def test_not_yaml_and_not_a_mapping(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("election: [unclosed\n", encoding="utf-8")
    assert any("not valid YAML" in e for e in errors_of(bad))
    assert any("must be a mapping" in e for e in errors_of(write(tmp_path, ["a"], "list.yaml")))


def test_import_and_reimport_upserts(db_url: str, session: Session, tmp_path: Path) -> None:
    result = runner.invoke(app, ["election", "import", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "created" in result.output
    again = runner.invoke(app, ["election", "import", str(EXAMPLE)])
    assert again.exit_code == 0 and "0 change(s)" in again.output
    assert session.scalar(select(func.count()).select_from(CandidatePair)) == 3
    assert session.scalar(select(func.count()).select_from(CampaignAccount)) == 16
    data = example()
    data["pairs"][0]["accounts"]["x"] = ["hade_baru"]
    data["pairs"] = data["pairs"][:2]
    changed = runner.invoke(app, ["election", "import", str(write(tmp_path, data))])
    assert changed.exit_code == 0, changed.output
    assert "- pair 3 (absent from file)" in changed.output
    assert "+ pair 1 account x:hade_baru" in changed.output
    session.expire_all()
    election = session.scalars(select(Election)).one()
    assert [p.number for p in election.pairs] == [1, 2]
    handles = set(session.scalars(select(CampaignAccount.handle).where(CampaignAccount.platform == "x")))
    assert handles == {"hade_baru", "basla_berkah"}
    show = runner.invoke(app, ["election", "show"])
    assert show.exit_code == 0 and "Sasmitaloka" in show.output


def test_invalid_file_via_cli_writes_nothing(db_url: str, session: Session, tmp_path: Path) -> None:
    data = example()
    data["pairs"][1]["number"] = 1
    result = runner.invoke(app, ["election", "import", str(write(tmp_path, data))])
    assert result.exit_code == 1
    assert "e.yaml:pairs[1].number: duplicate ballot number 1" in result.output
    assert session.scalar(select(func.count()).select_from(Election)) == 0
