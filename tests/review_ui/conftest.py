"""Fixtures for the review UI: the app on the test database, one account per role, logged-in clients."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core import accounts
from core.db import make_session_factory
from core.models import Case, User
from core.settings import Settings
from review_ui.app import create_app
from tests import factories

PASSWORD = "kata-sandi-rahasia"
ROLES = ("admin", "reviewer", "desk", "auditor")
TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')
VERSION = re.compile(r'name="version" value="(\d+)"')


def csrf_of(html: str) -> str:
    """The CSRF token a page embeds in its forms."""
    match = TOKEN.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    application = create_app(settings, refresh_priorities=False)
    yield application
    application.state.engine.dispose()


@pytest.fixture(scope="session")
def password_hash() -> str:
    """One real argon2 hash of PASSWORD, computed once (hashing is deliberately slow)."""
    return accounts.hash_password(PASSWORD)


@pytest.fixture
def users(engine: Engine, password_hash: str) -> dict[str, str]:
    """username per role (plus a second reviewer, ``reviewer2``), committed."""
    factory = make_session_factory(engine)
    with factory() as s:
        for name, role in [(r, r) for r in ROLES] + [("reviewer2", "reviewer")]:
            s.add(User(username=name, display_name=f"Uji {name}", role=role, password_hash=password_hash,
                       active=True))
        s.commit()
    return {r: r for r in ROLES} | {"reviewer2": "reviewer2"}


@dataclass
class Browser:
    """A TestClient with its current CSRF token."""

    client: TestClient
    token: str = ""

    def refresh_token(self, path: str = "/login") -> str:
        self.token = csrf_of(self.client.get(path).text)
        return self.token

    def post(self, path: str, data: Mapping[str, object] | None = None, **kw: object):  # type: ignore[no-untyped-def]
        payload = {"csrf_token": self.token, **(data or {})}
        return self.client.post(path, data=payload, follow_redirects=False, **kw)  # type: ignore[arg-type]

    def version(self, case_id: int) -> str:
        """The case version the case page's decision forms carry (what a browser would send)."""
        match = VERSION.search(self.client.get(f"/cases/{case_id}").text)
        assert match, "the case page offers no decision form"
        return match.group(1)

    def decide(self, case_id: int, action: str, data: dict[str, object] | None = None):  # type: ignore[no-untyped-def]
        """POST a decision on the case with the version its page shows now."""
        return self.post(f"/cases/{case_id}/{action}", {"version": self.version(case_id), **(data or {})})


@pytest.fixture
def login(app: FastAPI, users: dict[str, str]) -> Iterator[Callable[[str], Browser]]:
    clients: list[TestClient] = []

    def _login(username: str) -> Browser:
        client = TestClient(app, base_url="http://127.0.0.1")
        clients.append(client)
        b = Browser(client)
        b.refresh_token()
        r = b.post("/login", {"username": username, "password": PASSWORD})
        assert r.status_code == 303, r.text
        b.refresh_token("/dashboard")
        return b

    yield _login
    for c in clients:
        c.close()


@pytest.fixture
def seeded(session: Session) -> list[Case]:
    """Three open cases (three persons, one incident each) with different priorities, committed."""
    el = factories.election(session)
    made = []
    for i, (score, prio) in enumerate(((0.9, 3.0), (0.6, 2.0), (0.3, 1.0))):
        emp = factories.employee(session, name=f"Pegawai Rahasia {i}", unit=f"Dinas {i}")
        acc = factories.account(session, emp)
        target = factories.content(session, text=f"Ayo coblos nomor 1 #{i}")
        inter = factories.interaction(session, actor=acc, target=target)
        case = factories.case(session, emp, target, election_id=el.id, score=score, priority=prio,
                              contest=el.slug, interaction_ids=[inter.id])
        made.append(case)
    session.commit()
    return made
