"""The `netral` command: every group has --help; db, roster, election, demo and audit round trips."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from core.settings import reset_settings
from pipelines.cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    "args",
    [[], ["db"], ["roster"], ["election"], ["audit"], ["roster", "import"], ["roster", "list"], ["roster", "show"],
     ["election", "import"], ["election", "show"], ["db", "upgrade"], ["demo"], ["settings"]],
)
def test_every_command_has_help(args: list[str]) -> None:
    result = runner.invoke(app, [*args, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_db_upgrade_on_an_empty_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETRAL_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("NETRAL_DATABASE_URL", raising=False)
    reset_settings()
    try:
        not_ready = runner.invoke(app, ["roster", "list"])
        assert not_ready.exit_code == 1
        assert "run `netral db upgrade`" in not_ready.output
        result = runner.invoke(app, ["db", "upgrade"])
        assert result.exit_code == 0, result.output
        assert (tmp_path / "var" / "netral.db").exists()
        current = runner.invoke(app, ["db", "current"])
        assert "database: (empty)" not in current.output
        assert runner.invoke(app, ["roster", "list"]).exit_code == 0
    finally:
        reset_settings()


def test_demo_imports_the_example_regency_and_is_rerunnable(db_url: str) -> None:
    first = runner.invoke(app, ["demo", "--no-scan"])
    assert first.exit_code == 0, first.output
    assert "active employees" in first.output and "Dinas Pendidikan" in first.output
    assert "Pemilihan Bupati dan Wakil Bupati Sungai Tenang 2024" in first.output
    second = runner.invoke(app, ["demo", "--no-scan"])
    assert second.exit_code == 0
    assert "employees +0 ~0 -0" in second.output


def test_roster_list_show_and_audit_verify(db_url: str) -> None:
    assert runner.invoke(app, ["demo", "--no-scan"]).exit_code == 0
    listing = runner.invoke(app, ["roster", "list", "--unit", "pendidikan", "--type", "PNS"])
    assert listing.exit_code == 0
    assert "employee(s)" in listing.output and "Pendidikan" in listing.output
    show = runner.invoke(app, ["roster", "show", "19780817 201107 2 001"])
    assert show.exit_code == 0, show.output
    assert "Lestari Jatmikora" in show.output and "mastodon" in show.output
    missing = runner.invoke(app, ["roster", "show", "000000000000000000"])
    assert missing.exit_code == 2 and "no employee with number" in missing.output
    verify = runner.invoke(app, ["audit", "verify"])
    assert verify.exit_code == 0 and "audit log intact" in verify.output


def test_settings_listing() -> None:
    result = runner.invoke(app, ["settings"])
    assert result.exit_code == 0 and "NETRAL_DATABASE_URL" in result.output
