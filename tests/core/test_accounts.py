"""Review-UI accounts: argon2 hashes, throttled login, sessions that expire and are purged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import accounts
from core.models import AuditEvent, UserSession
from core.settings import Settings

NOW = datetime(2024, 10, 7, 2, 0, tzinfo=UTC)


def test_password_is_stored_as_argon2_and_checked(session: Session, settings: Settings) -> None:
    user = accounts.create_user(session, "Sari", "reviewer", "kata-sandi-uji", "Sari P.")
    assert user.username == "sari" and user.password_hash.startswith("$argon2id$")
    assert accounts.authenticate(session, "SARI", "kata-sandi-uji", "10.0.0.1", settings) is user
    assert accounts.authenticate(session, "sari", "salah-sandi", "10.0.0.1", settings) is None
    assert accounts.authenticate(session, "nobody", "kata-sandi-uji", "10.0.0.1", settings) is None
    actions = list(session.scalars(select(AuditEvent.action)))
    assert actions == ["user.add", "user.login", "user.login_failed", "user.login_failed"]
    with pytest.raises(accounts.AccountError):
        accounts.create_user(session, "x y", "reviewer", "kata-sandi-uji")
    with pytest.raises(accounts.AccountError):
        accounts.create_user(session, "budi", "superuser", "kata-sandi-uji")


def test_throttle_per_username_and_address_then_per_address(session: Session, settings: Settings) -> None:
    """Details in tests/core/test_login_throttle.py; here the two limits side by side."""
    accounts.create_user(session, "sari", "reviewer", "kata-sandi-uji")
    for _ in range(settings.login_max_failures):
        assert accounts.authenticate(session, "sari", "salah", "10.0.0.1", settings, now=NOW) is None
    with pytest.raises(accounts.LoginThrottled):
        accounts.authenticate(session, "sari", "kata-sandi-uji", "10.0.0.1", settings, now=NOW)
    assert accounts.authenticate(session, "sari", "kata-sandi-uji", "10.0.0.2", settings, now=NOW) is not None
    later = NOW + timedelta(minutes=settings.login_window_minutes + 1)
    settings.login_ip_max_failures = 3
    for name in ("a1", "a2", "a3"):
        accounts.authenticate(session, name, "salah", "10.9.9.9", settings, now=later)
    with pytest.raises(accounts.LoginThrottled):
        accounts.authenticate(session, "sari", "kata-sandi-uji", "10.9.9.9", settings, now=later)


def test_sessions_expire_and_are_purged(session: Session, settings: Settings) -> None:
    user = accounts.create_user(session, "sari", "reviewer", "kata-sandi-uji")
    old = accounts.open_session(session, user, settings, now=NOW)
    assert accounts.session_user(session, old.token, now=NOW + timedelta(hours=1)) is user
    later = NOW + timedelta(hours=settings.session_hours + 1)
    assert accounts.session_user(session, old.token, now=later) is None
    fresh = accounts.open_session(session, user, settings, now=later)
    assert [r.token_hash for r in session.scalars(select(UserSession))] == [fresh.row.token_hash]
    assert fresh.token not in fresh.row.token_hash  # only the hash is stored
    accounts.close_session(session, fresh.token, user, "10.0.0.1")
    assert accounts.session_user(session, fresh.token, now=later) is None


def test_deactivated_user_loses_sessions(session: Session, settings: Settings) -> None:
    user = accounts.create_user(session, "sari", "reviewer", "kata-sandi-uji")
    new = accounts.open_session(session, user, settings)
    accounts.deactivate_user(session, "sari")
    assert accounts.session_user(session, new.token) is None
    assert accounts.authenticate(session, "sari", "kata-sandi-uji", "10.0.0.1", settings) is None
