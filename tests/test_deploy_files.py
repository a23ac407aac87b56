"""The production files in deploy/: units systemd accepts, an environment file of real settings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from core.settings import Settings
from tests.conftest import require_tool

DEPLOY = Path("deploy")
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
VENV_ROOT = Path(sys.executable).parents[2]  # <root>/.venv/bin/python -> <root>


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    analyze = require_tool("systemd-analyze")
    copies = []
    for unit in UNITS:  # the installed layout (/opt/netral) pointed at this checkout's .venv; verified together
        copy = tmp_path / unit.name  # so that Requires= between them resolves
        copy.write_text(unit.read_text(encoding="utf-8").replace("/opt/netral", str(VENV_ROOT)), encoding="utf-8")
        copies.append(str(copy))
    result = subprocess.run([analyze, "verify", *copies], capture_output=True, text=True, timeout=60, check=False)
    assert (len(copies), result.returncode, result.stderr.strip()) == (3, 0, ""), result.stderr


def test_every_netral_name_in_the_environment_file_is_a_setting() -> None:
    names = [line.split("=", 1)[0] for line in (DEPLOY / "netral.env.example").read_text(encoding="utf-8").splitlines()
             if line.startswith("NETRAL_")]
    known = {f"NETRAL_{field.upper()}" for field in Settings.model_fields}
    assert [n for n in names if n not in known] == []


def test_the_units_share_one_environment_file() -> None:
    assert all("EnvironmentFile=/etc/netral/netral.env" in u.read_text(encoding="utf-8") for u in UNITS)
