"""Login throttling per (username, address) with doubling waits and a per-address ceiling (issue #11, Login).

Each test names the failure it guards against: five failures from one address locked a named user out from
every address, the victim's own correct logins during the lock counted as failures, and there was no unlock.
"""

from __future__ import annotations

import contextlib
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core import accounts, login_throttle
from core.db import make_session_factory
from core.errors import NotFound
from core.models import AuditEvent, LoginAttempt, LoginOutcome, User
from core.settings import Settings

NOW = datetime(2024, 10, 7, 2, 0, tzinfo=UTC)
RIGHT = "kata-sandi-uji"


def _fail(session: Session, settings: Settings, times: int, client: str = "10.0.0.1", username: str = "admin",
          at: datetime = NOW) -> None:
    for _ in range(times):
        assert accounts.authenticate(session, username, "salah-sandi", client, settings, now=at) is None


def _actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


@pytest.fixture
def admin(session: Session) -> User:
    """The only administrator (the issue's worst case)."""
    return accounts.create_user(session, "admin", "admin", RIGHT)


def test_failures_from_one_address_do_not_lock_the_user_out_of_another(
        session: Session, settings: Settings, admin: User) -> None:
    _fail(session, settings, settings.login_max_failures, client="10.6.6.6")
    assert accounts.authenticate(session, "admin", RIGHT, "10.0.0.2", settings, now=NOW) is admin


def test_the_attacking_address_has_to_wait(session: Session, settings: Settings, admin: User) -> None:
    _fail(session, settings, settings.login_max_failures, client="10.6.6.6")
    with pytest.raises(accounts.LoginThrottled) as refused:
        accounts.authenticate(session, "admin", RIGHT, "10.6.6.6", settings, now=NOW)
    assert (refused.value.scope, refused.value.retry_after) == ("pair", 2)


def test_waits_double_with_each_further_failure(session: Session, settings: Settings, admin: User) -> None:
    _fail(session, settings, settings.login_max_failures)
    waits = []
    at = NOW
    for _ in range(4):
        with pytest.raises(accounts.LoginThrottled) as refused:
            accounts.authenticate(session, "admin", "salah-sandi", "10.0.0.1", settings, now=at)
        waits.append(refused.value.retry_after)
        at += timedelta(seconds=refused.value.retry_after)
        _fail(session, settings, 1, at=at)  # allowed once the wait is over, and wrong again
    assert waits == [2, 4, 8, 16]


def test_waits_stop_at_the_ceiling(settings: Settings) -> None:
    assert login_throttle.delay_after(settings.login_max_failures + 30, settings) == timedelta(
        minutes=settings.login_max_delay_minutes)


def test_victims_refused_logins_do_not_count_as_failures(session: Session, settings: Settings,
                                                        admin: User) -> None:
    _fail(session, settings, settings.login_max_failures)
    for second in (0, 1):  # the victim, behind the same address, tries during the wait
        with pytest.raises(accounts.LoginThrottled):
            accounts.authenticate(session, "admin", RIGHT, "10.0.0.1", settings, now=NOW + timedelta(seconds=second))
    later = NOW + timedelta(seconds=settings.login_delay_seconds)
    assert accounts.authenticate(session, "admin", RIGHT, "10.0.0.1", settings, now=later) is admin


def test_refused_attempts_are_stored_as_throttled(session: Session, settings: Settings, admin: User) -> None:
    _fail(session, settings, settings.login_max_failures)
    with pytest.raises(accounts.LoginThrottled):
        accounts.authenticate(session, "admin", RIGHT, "10.0.0.1", settings, now=NOW)
    outcomes = list(session.scalars(select(LoginAttempt.outcome).order_by(LoginAttempt.id)))
    assert outcomes == [LoginOutcome.FAILURE] * settings.login_max_failures + [LoginOutcome.THROTTLED]


def test_a_success_starts_the_count_again(session: Session, settings: Settings, admin: User) -> None:
    _fail(session, settings, settings.login_max_failures - 1)
    assert accounts.authenticate(session, "admin", RIGHT, "10.0.0.1", settings, now=NOW) is admin
    _fail(session, settings, settings.login_max_failures - 1)
    assert accounts.authenticate(session, "admin", RIGHT, "10.0.0.1", settings, now=NOW) is admin


def test_the_address_ceiling_covers_every_username(session: Session, settings: Settings, admin: User) -> None:
    settings.login_ip_max_failures = 3
    for name in ("a1", "a2", "a3"):
        _fail(session, settings, 1, client="10.9.9.9", username=name)
    with pytest.raises(accounts.LoginThrottled) as refused:
        accounts.authenticate(session, "admin", RIGHT, "10.9.9.9", settings, now=NOW)
    assert refused.value.scope == "address"


def test_the_address_ceiling_does_not_reach_other_addresses(session: Session, settings: Settings,
                                                           admin: User) -> None:
    settings.login_ip_max_failures = 3
    _fail(session, settings, 3, client="10.9.9.9")
    assert accounts.authenticate(session, "admin", RIGHT, "10.0.0.2", settings, now=NOW) is admin


def test_the_address_ceiling_passes_with_its_window(session: Session, settings: Settings, admin: User) -> None:
    settings.login_ip_max_failures = 3
    for name in ("a1", "a2", "a3"):
        _fail(session, settings, 1, client="10.9.9.9", username=name)
    later = NOW + timedelta(minutes=settings.login_window_minutes, seconds=1)
    assert accounts.authenticate(session, "admin", RIGHT, "10.9.9.9", settings, now=later) is admin


def test_unlock_clears_the_wait_on_every_address(session: Session, settings: Settings, admin: User) -> None:
    _fail(session, settings, settings.login_max_failures)
    _fail(session, settings, settings.login_max_failures, client="10.0.0.3")
    assert accounts.unlock(session, "admin", actor="root", now=NOW) == 2 * settings.login_max_failures
    assert accounts.authenticate(session, "admin", RIGHT, "10.0.0.3", settings, now=NOW) is admin
    assert accounts.authenticate(session, "admin", RIGHT, "10.0.0.1", settings, now=NOW) is admin


def test_unlock_is_audited(session: Session, settings: Settings, admin: User) -> None:
    accounts.unlock(session, "admin", actor="root", now=NOW)
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "user.unlock")).one()
    assert (event.actor, event.details["username"]) == ("root", "admin")


def test_unlock_of_an_unknown_user_is_refused(session: Session) -> None:
    with pytest.raises(NotFound):
        accounts.unlock(session, "nobody")


def test_failures_throttling_and_refusals_are_audited_once(session: Session, settings: Settings,
                                                          admin: User) -> None:
    _fail(session, settings, settings.login_max_failures)
    for _ in range(3):
        with pytest.raises(accounts.LoginThrottled):
            accounts.authenticate(session, "admin", RIGHT, "10.0.0.1", settings, now=NOW)
    assert _actions(session) == (["user.add"] + ["user.login_failed"] * settings.login_max_failures
                                 + ["user.login_throttled", "user.login_refused"])


def test_a_failed_login_names_the_address_in_the_audit_log(session: Session, settings: Settings,
                                                          admin: User) -> None:
    _fail(session, settings, 1, client="10.0.0.7")
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "user.login_failed")).one()
    assert event.details == {"username": "admin", "client": "10.0.0.7", "known_user": True}


def test_logout_is_audited(session: Session, settings: Settings, admin: User) -> None:
    new = accounts.open_session(session, admin, settings)
    accounts.close_session(session, new.token, admin, "10.0.0.1")
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "user.logout")).one()
    assert (event.actor, event.details) == ("admin", {"client": "10.0.0.1"})


def test_parallel_guesses_cannot_slip_past_the_count(engine: Engine, settings: Settings) -> None:
    """Twelve wrong passwords sent at once from one address: only ``login_max_failures`` are checked."""
    factory = make_session_factory(engine)
    with factory() as s:
        accounts.create_user(s, "admin", "admin", RIGHT)
        s.commit()
    settings.login_delay_seconds = 600.0  # the wait cannot run out while the threads queue
    start = threading.Barrier(12)
    errors: list[BaseException] = []

    def guess() -> None:
        with factory() as s:
            start.wait()
            try:
                with contextlib.suppress(accounts.LoginThrottled):
                    accounts.authenticate(s, "admin", "salah-sandi", "10.6.6.6", settings)
                s.commit()
            except BaseException as exc:  # surfaced below: a thread's error must fail the test
                errors.append(exc)

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with factory() as s:
        failures = s.scalars(select(LoginAttempt.outcome).where(LoginAttempt.outcome == LoginOutcome.FAILURE)).all()
    assert len(failures) == settings.login_max_failures
