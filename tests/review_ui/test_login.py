"""Login over HTTP: the client address (proxy headers only from trusted proxies), the wait message, the
audited logout, and ``netral users unlock`` (issue #11, Login)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from core.models import AuditEvent
from core.settings import Settings
from pipelines.cli import app as cli
from review_ui.client_address import resolve
from review_ui.security import LANG_COOKIE
from tests.review_ui.conftest import PASSWORD, Browser, csrf_of

PROXY = ("10.0.0.5", 40000)


def _net(text: str) -> Settings:
    return Settings(trusted_proxies=text)


def test_headers_from_an_untrusted_peer_are_ignored() -> None:
    assert resolve("203.0.113.9", [("x-forwarded-for", "1.2.3.4")], _net("10.0.0.5").trusted_proxy_networks) \
        == "203.0.113.9"


def test_the_nearest_untrusted_hop_is_the_client() -> None:
    headers = [("x-forwarded-for", "6.6.6.6, 198.51.100.7, 10.0.0.6")]  # 6.6.6.6 was sent by the client
    assert resolve("10.0.0.5", headers, _net("10.0.0.0/24").trusted_proxy_networks) == "198.51.100.7"


def test_forwarded_header_with_ipv6_and_port() -> None:
    headers = [("forwarded", 'for=192.0.2.43, for="[2001:db8:cafe::17]:4711";proto=https')]
    assert resolve("10.0.0.5", headers, _net("10.0.0.5").trusted_proxy_networks) == "2001:db8:cafe::17"


def test_no_proxy_trusted_by_default() -> None:
    assert resolve("127.0.0.1", [("x-forwarded-for", "1.2.3.4")], Settings().trusted_proxy_networks) \
        == "127.0.0.1"


def test_a_wrong_proxy_setting_is_refused() -> None:
    try:
        _net("10.0.0.300")
    except ValueError as exc:
        assert "10.0.0.300" in str(exc)
    else:
        raise AssertionError("an invalid proxy address was accepted")


def _fail_login(client: TestClient, times: int, headers: dict[str, str] | None = None) -> int:
    token = csrf_of(client.get("/login").text)
    status = 0
    for _ in range(times):
        status = client.post("/login", data={"username": "admin", "password": "salah-salah", "csrf_token": token},
                             headers=headers or {}).status_code
    return status


def _login_status(client: TestClient, headers: dict[str, str] | None = None) -> int:
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token},
                       headers=headers or {}, follow_redirects=False).status_code


def test_a_spoofed_header_does_not_escape_the_wait(app: FastAPI, users: dict[str, str],
                                                  settings: Settings) -> None:
    with TestClient(app, base_url="http://127.0.0.1", client=("203.0.113.9", 1)) as attacker:
        _fail_login(attacker, settings.login_max_failures)
        assert _login_status(attacker, {"x-forwarded-for": "198.51.100.1"}) == 429


def test_a_trusted_proxy_names_the_client(app: FastAPI, users: dict[str, str], settings: Settings,
                                          session: Session) -> None:
    settings.trusted_proxies = "10.0.0.5"
    with TestClient(app, base_url="http://127.0.0.1", client=PROXY) as proxy:
        _fail_login(proxy, 1, {"x-forwarded-for": "198.51.100.7"})
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "user.login_failed")).one()
    assert event.details["client"] == "198.51.100.7"


def test_one_client_behind_the_proxy_does_not_lock_out_another(app: FastAPI, users: dict[str, str],
                                                              settings: Settings) -> None:
    settings.trusted_proxies = "10.0.0.5"
    with TestClient(app, base_url="http://127.0.0.1", client=PROXY) as proxy:
        _fail_login(proxy, settings.login_max_failures, {"x-forwarded-for": "198.51.100.7"})
        assert _login_status(proxy, {"x-forwarded-for": "198.51.100.8"}) == 303


def test_the_wait_is_stated_in_indonesian_with_retry_after(app: FastAPI, users: dict[str, str],
                                                          settings: Settings) -> None:
    with TestClient(app, base_url="http://127.0.0.1") as client:
        _fail_login(client, settings.login_max_failures)
        token = csrf_of(client.get("/login").text)
        r = client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token})
    assert (r.headers["retry-after"], "dari alamat ini. Coba lagi dalam 2 detik" in r.text) == ("2", True)


def test_the_wait_is_stated_in_english(app: FastAPI, users: dict[str, str], settings: Settings) -> None:
    with TestClient(app, base_url="http://127.0.0.1", cookies={LANG_COOKIE: "en"}) as client:
        _fail_login(client, settings.login_max_failures)
        token = csrf_of(client.get("/login").text)
        r = client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token})
    assert "from this address. Try again in 2 seconds" in r.text


def test_logout_is_audited(login: Callable[[str], Browser], session: Session) -> None:
    b = login("reviewer")
    assert b.post("/logout").status_code == 303
    assert session.scalars(select(AuditEvent.actor).where(AuditEvent.action == "user.logout")).all() == ["reviewer"]


def test_users_unlock_command(app: FastAPI, users: dict[str, str], settings: Settings, session: Session) -> None:
    with TestClient(app, base_url="http://127.0.0.1") as client:
        _fail_login(client, settings.login_max_failures)
        r = CliRunner().invoke(cli, ["users", "unlock", "admin"])
        assert r.exit_code == 0 and "unlocked (5 failed logins no longer count)" in r.output, r.output
        assert _login_status(client) == 303


def test_users_unlock_of_an_unknown_user(db_url: str) -> None:
    r = CliRunner().invoke(cli, ["users", "unlock", "nobody"])
    assert (r.exit_code != 0, "no user nobody" in r.output) == (True, True)


def test_the_audit_page_names_failed_logins(app: FastAPI, login: Callable[[str], Browser]) -> None:
    with TestClient(app, base_url="http://127.0.0.1") as client:
        _fail_login(client, 1)
    assert "gagal masuk" in login("auditor").client.get("/audit").text
