"""Election file: validation errors name the key path; import upserts contests, pairs and accounts.

``example()`` is the example Pilkada written the way today's files of one contest are (``pairs:`` at
the top); ``two_contests()`` is the example file itself (the governor and the regent contest)."""

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


def two_contests() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return data


def example() -> dict[str, Any]:
    """The regent contest of the example as a file of one contest (the format before contests)."""
    data = two_contests()
    regent = data.pop("contests")[1]
    data["election"]["name"] = regent["name"]
    data["pairs"] = regent["pairs"]
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
    assert [(c.id, c.kind, [p.number for p in c.pairs]) for c in doc.all_contests()] == [
        ("pilgub-teluk-permata-2024", "pilgub", [1, 2]), ("pilbup-sungai-tenang-2024", "pilbup", [1, 2, 3])]
    assert str(doc.election.calendar.voting) == "2024-11-27"


def test_a_file_of_one_contest_is_a_pilkada_of_one_contest(tmp_path: Path) -> None:
    doc = load_election_file(write(tmp_path, example()))
    assert [(c.id, c.kind, len(c.pairs)) for c in doc.all_contests()] == [
        ("pilkada-sungai-tenang-2024", "pilbup", 3)]


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
    assert load_election_file(write(tmp_path, data)).all_pairs()[0].number == 1


def test_not_yaml_and_not_a_mapping(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("election: [unclosed\n", encoding="utf-8")
    assert any("not valid YAML" in e for e in errors_of(bad))
    assert any("must be a mapping" in e for e in errors_of(write(tmp_path, ["a"], "list.yaml")))


def test_import_and_reimport_upserts(db_url: str, session: Session, tmp_path: Path) -> None:
    one = write(tmp_path, example(), "one.yaml")
    result = runner.invoke(app, ["election", "import", str(one)])
    assert result.exit_code == 0, result.output
    assert "created" in result.output
    again = runner.invoke(app, ["election", "import", str(one)])
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


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["contests"][1]["pairs"][0]["aliases"].append("GURO"),
         "contests[1].pairs[0].aliases[5]: alias GURO also belongs to contests[0].pairs[0] "
         "(pilgub-teluk-permata-2024, pair 1 Gunawan Tirtakusuma)"),
        (lambda d: d["contests"][1]["pairs"][2]["hashtags"].append("#ilmajuara"),
         "contests[1].pairs[2].hashtags[2]: hashtag #ilmajuara also belongs to contests[0].pairs[1] "
         "(pilgub-teluk-permata-2024, pair 2 Ilham Pranajaya)"),
        (lambda d: d["contests"][0]["pairs"][1]["accounts"]["x"].append("basla_berkah"),
         "contests[1].pairs[1].accounts.x[0]: account basla_berkah also belongs to contests[0].pairs[1] "
         "(pilgub-teluk-permata-2024, pair 2 Ilham Pranajaya)"),
        (lambda d: d["contests"][1].update(id="pilgub-teluk-permata-2024"), "contests[1].id: duplicate contest"),
        (lambda d: d["contests"][0].update(kind="pilpres"), "contests[0].kind: Input should be"),
        (lambda d: d.update(pairs=d["contests"][0]["pairs"]), ": Value error, give either pairs:"),
    ],
)
def test_clashes_across_contests_name_both_pairs(tmp_path: Path, mutate: Any, expected: str) -> None:
    data = two_contests()
    mutate(data)
    found = errors_of(write(tmp_path, data))
    assert any(e.startswith(expected) or expected in e for e in found), found


def test_a_party_may_back_pairs_in_both_contests_and_a_contest_may_have_one_pair(tmp_path: Path) -> None:
    data = two_contests()
    assert "Partai Cahaya Nusantara" in data["contests"][0]["pairs"][0]["parties"]
    assert "Partai Cahaya Nusantara" in data["contests"][1]["pairs"][0]["parties"]
    data["contests"][0]["pairs"] = data["contests"][0]["pairs"][:1]  # one pair against the empty box
    doc = load_election_file(write(tmp_path, data))
    assert [len(c.pairs) for c in doc.all_contests()] == [1, 3]


def test_import_two_contests_and_a_clash_refuses_the_whole_file(db_url: str, session: Session,
                                                                tmp_path: Path) -> None:
    from core.models import Contest

    result = runner.invoke(app, ["election", "import", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    session.expire_all()
    contests = list(session.scalars(select(Contest).order_by(Contest.position)))
    assert [(c.slug, [p.number for p in c.pairs]) for c in contests] == [
        ("pilgub-teluk-permata-2024", [1, 2]), ("pilbup-sungai-tenang-2024", [1, 2, 3])]
    assert session.scalar(select(func.count()).select_from(CampaignAccount)) == 26
    data = two_contests()
    data["contests"][0]["pairs"][0]["candidate"] = "Nama Baru"
    data["contests"][1]["pairs"][0]["aliases"].append("Bang Ilham")
    bad = runner.invoke(app, ["election", "import", str(write(tmp_path, data))])
    assert bad.exit_code == 1 and "also belongs to contests[0].pairs[1]" in bad.output
    session.expire_all()
    assert session.scalar(select(CandidatePair.candidate).where(CandidatePair.number == 1, CandidatePair.contest_id
                                                                == contests[0].id)) == "Gunawan Tirtakusuma"


def test_a_migrated_one_contest_pilkada_gains_the_governor_contest(db_url: str, session: Session,
                                                                   tmp_path: Path) -> None:
    """The one contest (slug = the election id) becomes the file's regent contest: pairs and incidents stay."""
    from core.models import Contest, Incident
    from tests import factories

    assert runner.invoke(app, ["election", "import", str(write(tmp_path, example()))]).exit_code == 0
    session.expire_all()
    election = session.scalars(select(Election)).one()
    pair_ids = sorted(p.id for p in election.pairs)
    case = factories.case(session, election_id=election.id, contest=election.slug)
    session.commit()
    result = runner.invoke(app, ["election", "import", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "~ contest pilkada-sungai-tenang-2024 renamed pilbup-sungai-tenang-2024" in result.output
    session.expire_all()
    regent = session.scalars(select(Contest).where(Contest.slug == "pilbup-sungai-tenang-2024")).one()
    assert sorted(p.id for p in regent.pairs) == pair_ids
    assert session.scalar(select(Incident.contest).where(Incident.case_id == case.id)) == regent.slug
