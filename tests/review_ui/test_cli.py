"""The review UI's commands: users add/list/deactivate, cases export-decisions, and serve (a real process)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from core import accounts, cases
from core.models import User
from core.settings import Settings
from pipelines.cli import app
from tests import factories

runner = CliRunner()


def test_users_add_list_deactivate(db_url: str, session: Session, settings: Settings) -> None:
    r = runner.invoke(app, ["users", "add", "Rina", "--role", "reviewer", "--name", "Rina W.", "--password-stdin"],
                      input="rahasia-sekali\n")
    assert r.exit_code == 0, r.output
    user = session.scalars(select(User).where(User.username == "rina")).one()
    assert user.password_hash.startswith("$argon2id$") and "rahasia" not in user.password_hash
    assert accounts.authenticate(session, "rina", "rahasia-sekali", "cli-test", settings) is not None
    session.rollback()
    r = runner.invoke(app, ["users", "add", "rina", "--role", "reviewer", "--password-stdin"], input="x" * 10 + "\n")
    assert r.exit_code == 1 and "already exists" in r.output
    r = runner.invoke(app, ["users", "add", "ali", "--role", "boss", "--password-stdin"], input="x" * 10 + "\n")
    assert r.exit_code != 0
    r = runner.invoke(app, ["users", "add", "ali", "--role", "desk", "--password-stdin"], input="pendek\n")
    assert r.exit_code == 1 and "8 characters" in r.output
    assert "rina\treviewer\tactive\tRina W." in runner.invoke(app, ["users", "list"]).output
    assert runner.invoke(app, ["users", "deactivate", "rina"]).exit_code == 0
    assert "rina\treviewer\tinactive" in runner.invoke(app, ["users", "list"]).output
    session.expire_all()
    assert accounts.authenticate(session, "rina", "rahasia-sekali", "cli-test", settings) is None


def test_export_decisions_command(db_url: str, session: Session, settings: Settings, tmp_path: Path) -> None:
    a = accounts.create_user(session, "rina", "reviewer", "kata-sandi-uji")
    case = factories.case(session)
    cases.dismiss(session, case, a, "netral", version=case.version)
    session.commit()
    out = tmp_path / "labels" / "decisions.jsonl"
    r = runner.invoke(app, ["cases", "export-decisions", str(out)])
    assert r.exit_code == 0, r.output
    [line] = out.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["decision"] == "dismissed"


def test_serve_starts_the_app_on_loopback(db_url: str) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-c", "from pipelines.cli import main; main()", "serve", "--port",
                             str(port)], env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
                assert time.monotonic() < deadline, "netral serve did not answer"
                time.sleep(0.2)
        assert r.status_code == 200 and "Masuk" in r.text
        assert r.headers["content-security-policy"].startswith("default-src 'self'")
    finally:
        proc.terminate()
        proc.wait(10)
        if proc.stdout:
            proc.stdout.close()
