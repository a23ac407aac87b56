"""The account page: administrators add, deactivate, reactivate, re-role and reset accounts (all audited)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import accounts
from core.models import AuditEvent, User, UserSession
from core.settings import Settings
from tests.review_ui.conftest import PASSWORD, Browser, csrf_of

NEW_PASSWORD = "sandi-baru-panjang"


def _user(session: Session, username: str) -> User:
    session.expire_all()
    return session.scalars(select(User).where(User.username == username)).one()


def _events(session: Session, action: str) -> list[AuditEvent]:
    session.expire_all()
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def _sessions(session: Session, username: str) -> int:
    return len(session.scalars(select(UserSession).where(UserSession.user_id == _user(session, username).id)).all())


def test_admin_sees_every_account_and_the_menu_link(login: Callable[[str], Browser], session: Session) -> None:
    b = login("admin")
    page = b.client.get("/admin/users")
    assert page.status_code == 200 and "Tambah akun" in page.text and 'href="/admin/users"' in page.text
    for name in ("admin", "reviewer", "reviewer2", "desk", "auditor"):
        assert f"<td>{name}</td>" in page.text
    assert f'action="/admin/users/{_user(session, "admin").id}/deactivate"' not in page.text  # not oneself
    b.client.cookies.set("netral_lang", "en")
    assert "Add an account" in b.client.get("/admin/users").text


def test_add_user_with_the_clis_rules(login: Callable[[str], Browser], session: Session, settings: Settings) -> None:
    b = login("admin")
    form = {"username": "Rina", "display_name": "Rina W.", "role": "reviewer", "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD}
    r = b.post("/admin/users", form)
    assert r.status_code == 303 and r.headers["location"] == "/admin/users?done=added"
    assert "Akun ditambahkan." in b.client.get(r.headers["location"]).text
    rina = _user(session, "rina")
    assert (rina.display_name, rina.role, rina.active) == ("Rina W.", "reviewer", True)
    assert rina.password_hash.startswith("$argon2id$")
    assert accounts.authenticate(session, "rina", NEW_PASSWORD, "test", settings) is not None
    session.rollback()
    [event] = _events(session, "user.add")
    assert (event.actor, event.object_id, event.details["role"]) == ("admin", str(rina.id), "reviewer")
    refusals = [({**form, "username": "rina"}, 409, "Nama pengguna ini sudah dipakai."),
                ({**form, "username": "x y"}, 422, "Nama pengguna terdiri dari"),
                ({**form, "username": "ali", "role": "boss"}, 422, "Pilih salah satu peran."),
                ({**form, "username": "ali", "password": "pendek", "password_confirm": "pendek"}, 422,
                 "paling sedikit 8 karakter"),
                ({**form, "username": "ali", "password_confirm": "lain-sekali-x"}, 422, "tidak sama")]
    for data, status, message in refusals:
        r = b.post("/admin/users", data)
        assert r.status_code == status and message in r.text, data
    assert len(_events(session, "user.add")) == 1
    assert 'value="ali"' in r.text  # the form keeps what was typed (never the password)
    assert NEW_PASSWORD not in r.text


def test_deactivate_ends_sessions_and_reactivate(login: Callable[[str], Browser], session: Session) -> None:
    reviewer = login("reviewer")
    assert reviewer.client.get("/queue").status_code == 200
    admin = login("admin")
    target = _user(session, "reviewer")
    assert _sessions(session, "reviewer") == 1
    r = admin.post(f"/admin/users/{target.id}/deactivate")
    assert r.status_code == 303 and r.headers["location"] == "/admin/users?done=deactivated"
    assert _user(session, "reviewer").active is False and _sessions(session, "reviewer") == 0
    assert reviewer.client.get("/queue", follow_redirects=False).headers["location"] == "/login"
    [event] = _events(session, "user.deactivate")
    assert (event.actor, event.object_id) == ("admin", str(target.id))
    r = admin.post(f"/admin/users/{target.id}/reactivate")
    assert r.status_code == 303 and _user(session, "reviewer").active is True
    assert [e.actor for e in _events(session, "user.reactivate")] == ["admin"]
    assert login("reviewer").client.get("/queue").status_code == 200


def test_admin_cannot_deactivate_or_demote_themself(login: Callable[[str], Browser], session: Session) -> None:
    admin = login("admin")
    me = _user(session, "admin")
    for path, data in ((f"/admin/users/{me.id}/deactivate", {}), (f"/admin/users/{me.id}/role", {"role": "desk"})):
        r = admin.post(path, data)
        assert r.status_code == 409 and "Anda tidak dapat menonaktifkan diri sendiri" in r.text
    me = _user(session, "admin")
    assert (me.active, me.role) == (True, "admin")
    assert admin.client.get("/admin/users").status_code == 200  # still logged in
    assert _events(session, "user.deactivate") == [] and _events(session, "user.role") == []


def test_demoting_another_admin_is_audited(login: Callable[[str], Browser], session: Session) -> None:
    session.add(User(username="kepala", display_name="Kepala", role="admin", active=True,
                     password_hash=accounts.hash_password(PASSWORD)))
    session.commit()
    admin = login("admin")
    kepala = _user(session, "kepala")
    r = admin.post(f"/admin/users/{kepala.id}/role", {"role": "reviewer"})
    assert r.status_code == 303 and r.headers["location"] == "/admin/users?done=role"
    assert _user(session, "kepala").role == "reviewer"
    assert admin.post(f"/admin/users/{kepala.id}/role", {"role": "boss"}).status_code == 422
    [event] = _events(session, "user.role")
    assert (event.actor, event.object_id, event.details["from"], event.details["to"]) == (
        "admin", str(kepala.id), "admin", "reviewer")


def test_the_last_active_admin_is_kept(session: Session, users: dict[str, str]) -> None:
    """Through the page, the acting admin always remains (self is refused); the core rule also guards the CLI
    and two admins removing each other at the same moment."""
    session.add(User(username="kepala", display_name="Kepala", role="admin", active=False,
                     password_hash=accounts.hash_password(PASSWORD)))
    session.commit()
    changes: list[Callable[[], object]] = [lambda: accounts.deactivate_user(session, "admin"),
                                            lambda: accounts.set_role(session, "admin", "auditor")]
    for change in changes:
        with pytest.raises(accounts.AccountError) as exc:
            change()
        assert exc.value.key == "last_admin"
        session.rollback()
    accounts.reactivate_user(session, "kepala")
    accounts.deactivate_user(session, "admin")  # another active admin remains
    assert _events(session, "user.deactivate")[0].object_id == str(_user(session, "admin").id)


def test_last_admin_refusal_is_explained(login: Callable[[str], Browser], session: Session,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """What the page says when the core keeps the last admin (e.g. the other admin removed this one meanwhile)."""
    admin = login("admin")
    auditor = _user(session, "auditor")

    def refuse(*args: object, **kw: object) -> None:
        raise accounts.AccountError("last admin", "last_admin")

    monkeypatch.setattr(accounts, "deactivate_user", refuse)
    r = admin.post(f"/admin/users/{auditor.id}/deactivate")
    assert r.status_code == 409 and "Administrator aktif terakhir tidak dapat dinonaktifkan" in r.text
    assert _user(session, "auditor").active is True


def test_reset_password_ends_the_accounts_sessions(login: Callable[[str], Browser], session: Session,
                                                  settings: Settings) -> None:
    reviewer = login("reviewer")
    admin = login("admin")
    target = _user(session, "reviewer")
    r = admin.post(f"/admin/users/{target.id}/password", {"password": "pendek"})
    assert r.status_code == 422 and "paling sedikit 8 karakter" in r.text
    r = admin.post(f"/admin/users/{target.id}/password", {"password": NEW_PASSWORD})
    assert r.status_code == 303 and _sessions(session, "reviewer") == 0
    assert reviewer.client.get("/queue", follow_redirects=False).status_code == 303
    assert accounts.authenticate(session, "reviewer", PASSWORD, "test", settings) is None
    assert accounts.authenticate(session, "reviewer", NEW_PASSWORD, "test", settings) is not None
    session.rollback()
    [event] = _events(session, "user.password_reset")
    assert (event.actor, event.object_id) == ("admin", str(target.id)) and NEW_PASSWORD not in str(event.details)
    me = _user(session, "admin")  # one's own reset keeps one's own session
    assert admin.post(f"/admin/users/{me.id}/password", {"password": NEW_PASSWORD}).status_code == 303
    assert admin.client.get("/admin/users").status_code == 200


def test_unknown_account_is_404(login: Callable[[str], Browser]) -> None:
    assert login("admin").post("/admin/users/999999/deactivate").status_code == 404


@pytest.mark.parametrize("role", ["reviewer", "desk", "auditor"])
def test_other_roles_are_refused(role: str, login: Callable[[str], Browser], session: Session) -> None:
    b = login(role)
    assert b.client.get("/admin/users").status_code == 403
    assert 'href="/admin/users"' not in b.client.get("/dashboard").text
    desk = _user(session, "desk")
    r = b.post(f"/admin/users/{desk.id}/role", {"role": "admin"})
    assert r.status_code == 403 and _user(session, "desk").role == "desk"
    assert _events(session, "user.role") == []


def test_anonymous_is_sent_to_login(app: FastAPI, users: dict[str, str], session: Session) -> None:
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert client.get("/admin/users", follow_redirects=False).headers["location"] == "/login"
        token = csrf_of(client.get("/login").text)
        desk = _user(session, "desk")
        r = client.post(f"/admin/users/{desk.id}/deactivate", data={"csrf_token": token}, follow_redirects=False)
        assert r.status_code == 401
    assert _user(session, "desk").active is True


def test_csrf_token_is_required(login: Callable[[str], Browser], session: Session) -> None:
    b = login("admin")
    desk = _user(session, "desk")
    posts = [("/admin/users", {"username": "ali", "role": "desk", "password": NEW_PASSWORD,
                               "password_confirm": NEW_PASSWORD}),
             (f"/admin/users/{desk.id}/deactivate", {}), (f"/admin/users/{desk.id}/role", {"role": "admin"}),
             (f"/admin/users/{desk.id}/password", {"password": NEW_PASSWORD})]
    for path, data in posts:
        for token in ({}, {"csrf_token": "0" * 64}):
            r = b.client.post(path, data={**data, **token}, follow_redirects=False)
            assert r.status_code == 403, (path, token)
    desk = _user(session, "desk")
    assert (desk.active, desk.role, desk.password_hash) == (True, "desk", desk.password_hash)
    assert session.scalars(select(User).where(User.username == "ali")).first() is None
    assert _events(session, "user.add") == [] and _events(session, "user.deactivate") == []


def test_admin_clears_a_login_throttle(login: Callable[[str], Browser], app: FastAPI, session: Session,
                                       settings: Settings) -> None:
    admin = login("admin")
    with TestClient(app, base_url="http://127.0.0.1") as client:
        token = csrf_of(client.get("/login").text)
        for _ in range(settings.login_max_failures):
            client.post("/login", data={"username": "reviewer", "password": "salah-salah", "csrf_token": token})
        r = admin.post(f"/admin/users/{_user(session, 'reviewer').id}/unlock")
        page = admin.client.get(r.headers["location"]).text
        ok = client.post("/login", data={"username": "reviewer", "password": PASSWORD, "csrf_token": token},
                         follow_redirects=False)
    assert ("Perlambatan masuk dihapus" in page, ok.status_code, len(_events(session, "user.unlock"))) == (
        True, 303, 1)
