"""``netral cases list`` / ``show``: cases with their incidents, and one JSON object per line."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session
from typer.testing import CliRunner

from pipelines.cli import app
from tests import factories

runner = CliRunner()


def _world(session: Session) -> tuple[int, int]:
    election = factories.election(session)
    factories.add_contest(session, election, "pilgub-uji-2024", "pilgub", 2)
    emp = factories.employee(session, name="Pegawai Dua Pemilihan", unit="Dinas Kesehatan")
    both = factories.case(session, emp, election_id=election.id, contest=election.slug, platform="bluesky")
    factories.incident(session, both, contest="pilgub-uji-2024", platform="mastodon", candidate_codes=["KE-5", "HD-7"],
                       legacy_case_id=7)
    other = factories.case(session, election_id=election.id, contest=election.slug, candidate_codes=["KE-4"])
    session.commit()
    return both.id, other.id


def test_list_as_json_lines_with_incidents_contests_and_filters(db_url: str, session: Session) -> None:
    both, other = _world(session)
    result = runner.invoke(app, ["cases", "list", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in map(json.loads, result.output.splitlines())}
    assert set(rows) == {both, other}
    row = rows[both]
    assert {k: row[k] for k in ("employee_id", "status", "incidents")} == {
        "employee_id": row["employee_id"], "status": "detected", "incidents": 2}
    assert row["election"].startswith("pilkada-uji-") and row["contests"] == sorted(row["contests"])
    assert "pilgub-uji-2024" in row["contests"] and row["platforms"] == ["bluesky", "mastodon"]
    assert "Pegawai Dua Pemilihan" not in result.output  # no names in lists
    only = runner.invoke(app, ["cases", "list", "--format", "json", "--contest", "pilgub-uji-2024"])
    assert [json.loads(line)["id"] for line in only.output.splitlines()] == [both]
    coded = runner.invoke(app, ["cases", "list", "--format", "json", "--code", "KE-5"])
    assert [json.loads(line)["id"] for line in coded.output.splitlines()] == [both]
    table = runner.invoke(app, ["cases", "list"])
    assert table.exit_code == 0 and "2 case(s), 3 incident(s)" in table.output


def test_show_prints_every_incident_and_finds_a_case_by_its_old_number(db_url: str, session: Session) -> None:
    both, _ = _world(session)
    result = runner.invoke(app, ["cases", "show", str(both)])
    assert result.exit_code == 0, result.output
    assert "Pegawai Dua Pemilihan" in result.output and result.output.count("- incident #") == 2
    assert "contest pilgub-uji-2024" in result.output
    legacy = runner.invoke(app, ["cases", "show", "7"])  # a case number from before revision 0500
    assert legacy.exit_code == 0 and f"Case #{both}" in legacy.output
    assert runner.invoke(app, ["cases", "show", "99999"]).exit_code == 2


def test_show_marks_a_withdrawn_like_and_a_missing_platform_time(db_url: str, session: Session) -> None:
    from datetime import UTC, datetime

    acc = factories.account(session)
    target = factories.content(session)
    inter = factories.interaction(session, actor=acc, target=target, kind="like", occurred_at=None,
                                  fetched_at=datetime(2024, 10, 2, tzinfo=UTC),
                                  deleted_at=datetime(2024, 10, 5, tzinfo=UTC))
    case = factories.case(session, acc.employee, target, interaction_ids=[inter.id])
    session.commit()
    out = runner.invoke(app, ["cases", "show", str(case.id)]).output
    assert ("time not given by the platform; first seen 2024-10-02" in out
            and "withdrawn: seen 2024-10-02 00:00:00+00:00, gone by 2024-10-05" in out and "at None" not in out)
