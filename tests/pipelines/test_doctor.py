"""``netral doctor``: each check against the real thing (database, tools, a local SMTP and API server)."""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from core.settings import Settings
from pipelines import doctor
from pipelines.cli import app
from tests import factories
from testservers.replay.server import ReplayServer

runner = CliRunner()
GOOD_SECRET = SecretStr("x" * 48)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Smtp(socketserver.StreamRequestHandler):
    """The smallest SMTP dialogue smtplib needs for connect + NOOP + QUIT (RFC 5321 replies)."""

    def handle(self) -> None:
        self.wfile.write(b"220 localhost ESMTP test\r\n")
        for line in self.rfile:
            verb = line.split(b" ")[0].strip().upper()
            if verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_port() -> Iterator[int]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Smtp)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_a_migrated_database_passes(engine: Engine) -> None:
    assert doctor.check_database(engine).status == "ok"


def test_a_database_behind_the_code_says_to_upgrade(engine: Engine, session: Session) -> None:
    session.execute(text("UPDATE alembic_version SET version_num = '0101'"))
    session.commit()
    assert "run `netral db upgrade`" in doctor.check_database(engine).detail


def test_the_default_secret_key_fails(settings: Settings) -> None:
    assert doctor.check_secret(settings).status == "fail"


def test_a_long_random_secret_key_passes(settings: Settings) -> None:
    assert doctor.check_secret(settings.model_copy(update={"secret_key": GOOD_SECRET})).status == "ok"


def test_accounts_on_a_platform_without_its_credential_fail(settings: Settings, session: Session,
                                                            engine: Engine) -> None:
    factories.account(session, platform="x", handle="pegawai_x")
    session.commit()
    checks = doctor.check_platforms(settings.model_copy(update={"x_bearer_token": None}),
                                    doctor._accounts_by_platform(engine), online=False)
    x = next(c for c in checks if c.name == "platform x")
    assert (x.status, "NETRAL_X_BEARER_TOKEN" in x.detail) == ("fail", True)


def test_online_probe_reaches_a_live_api(settings: Settings) -> None:
    with ReplayServer() as server:
        live = settings.model_copy(update={"x_api_url": server.x_url, "x_bearer_token": SecretStr("t")})
        x = next(c for c in doctor.check_platforms(live, {"x": 3}, online=True) if c.name == "platform x")
    assert x.status == "ok"


def test_online_probe_names_an_unreachable_api(settings: Settings) -> None:
    dead = settings.model_copy(update={"x_api_url": f"http://127.0.0.1:{closed_port()}/2",
                                       "x_bearer_token": SecretStr("t")})
    x = next(c for c in doctor.check_platforms(dead, {"x": 3}, online=True) if c.name == "platform x")
    assert (x.status, "unreachable" in x.detail) == ("fail", True)


def test_smtp_that_answers_passes(settings: Settings, smtp_port: int) -> None:
    configured = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": smtp_port})
    assert doctor.check_smtp(configured).status == "ok"


def test_smtp_that_does_not_answer_fails(settings: Settings) -> None:
    configured = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": closed_port()})
    assert doctor.check_smtp(configured).status == "fail"


def test_no_smtp_is_only_a_warning(settings: Settings) -> None:
    assert doctor.check_smtp(settings.model_copy(update={"smtp_host": ""})).status == "warn"


def test_a_missing_tesseract_fails(settings: Settings) -> None:
    assert doctor.check_tesseract(settings.model_copy(update={"tesseract_cmd": "no-such-tesseract"})).status == "fail"


def test_a_missing_libreoffice_fails(settings: Settings) -> None:
    assert doctor.check_pdf(settings.model_copy(update={"soffice_cmd": "no-such-soffice"})).status == "fail"


def test_an_evidence_path_that_is_a_file_fails(settings: Settings, tmp_path: Path) -> None:
    blocked = tmp_path / "evidence"
    blocked.write_text("x")
    assert doctor.check_evidence(settings.model_copy(update={"evidence_dir": blocked})).status == "fail"


def test_an_unreachable_prefect_api_fails(engine: Engine) -> None:
    assert doctor.check_prefect(engine, f"http://127.0.0.1:{closed_port()}/api").status == "fail"


def test_the_command_exits_1_and_names_what_failed(db_url: str) -> None:
    result = runner.invoke(app, ["doctor"])
    assert (result.exit_code, "check(s) failed: secret key" in result.output) == (1, True)


def test_serve_refuses_a_public_address_with_the_default_secret(db_url: str) -> None:
    result = runner.invoke(app, ["serve", "--host", "0.0.0.0"])
    assert (result.exit_code, "NETRAL_SECRET_KEY is the default" in result.output) == (1, True)


def test_serve_refuses_a_public_address_without_https(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETRAL_SECRET_KEY", "y" * 48)
    from core.settings import reset_settings

    reset_settings()
    result = runner.invoke(app, ["serve", "--host", "0.0.0.0"])
    assert (result.exit_code, "HTTPS is not configured" in result.output) == (1, True)


def _backup_now(settings: Settings, engine: Engine) -> Path:
    from core import backup
    from core.evidence import EvidenceArchive

    out = settings.resolved_backup_dir / backup.default_name()
    backup.create(engine, settings.resolved_database_url, EvidenceArchive(settings.resolved_evidence_dir), out)
    return out


def test_no_backup_yet_is_a_warning_that_says_how(settings: Settings) -> None:
    check = doctor.check_backup(settings)
    assert (check.status, "netral backup" in check.detail) == ("warn", True)


def test_a_fresh_backup_passes(settings: Settings, engine: Engine) -> None:
    made = _backup_now(settings, engine)
    check = doctor.check_backup(settings)
    assert (check.status, made.name in check.detail) == ("ok", True)


def test_a_backup_older_than_a_missed_night_warns(settings: Settings, engine: Engine) -> None:
    from core.models.base import utcnow

    _backup_now(settings, engine)
    later = utcnow() + doctor.BACKUP_WARN_AGE * 2
    assert doctor.check_backup(settings, later).status == "warn"


def test_a_newest_backup_that_is_no_backup_fails(settings: Settings, engine: Engine) -> None:
    _backup_now(settings, engine)
    broken = settings.resolved_backup_dir / "netral-29991231-000000.tar"
    broken.write_bytes(b"not a tar file")
    check = doctor.check_backup(settings)
    assert (check.status, broken.name in check.detail) == ("fail", True)
