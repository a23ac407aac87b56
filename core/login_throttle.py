"""Login throttling that slows guessing down without letting anyone lock a named user out.

Two limits, both counted in :class:`LoginAttempt` rows:

- **per (username, address)**: after ``login_max_failures`` wrong passwords for one username from one
  address (since the last success there, the last unlock, and within ``login_memory_hours``), each further
  attempt from that address must wait ``login_delay_seconds`` x 2^(failures - max), at most
  ``login_max_delay_minutes``. The same username from any other address is untouched, so an attacker can
  slow down only their own address, never the victim's.
- **per address**: ``login_ip_max_failures`` failures from one address over all usernames within
  ``login_window_minutes`` refuse that address (for everybody) until the window has moved on. This caps
  password spraying from one address; it cannot reach other addresses either.

A refused attempt is stored as ``throttled``, never as a failure (the password is not even checked, so there is
no oracle): a victim's own correct logins during a wait do not extend it. Checks and the recording of the
attempt are serialised per address (PostgreSQL advisory lock; SQLite write lock), so parallel guesses cannot
all slip through one check.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, select, text
from sqlalchemy.orm import Session, aliased

from core.models import LoginAttempt, LoginOutcome
from core.settings import Settings

_PG_LOCK_CLASS = 0x6C6F67  # "log": namespace of the per-address login locks
UNLOCK_CLIENT = "*"


@dataclass(frozen=True)
class Throttle:
    """Why an attempt must wait: ``scope`` is ``"pair"`` or ``"address"``; ``until`` when it may try again."""

    scope: str
    until: datetime
    failures: int

    def retry_after(self, now: datetime) -> int:
        """Whole seconds to wait (at least 1)."""
        return max(1, math.ceil((self.until - now).total_seconds()))


def lock_address(session: Session, client: str) -> None:
    """Serialise login checks for ``client`` until the caller's transaction ends."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        key = zlib.crc32(client.encode("utf-8")) - 2**31  # int4 range
        session.execute(text("SELECT pg_advisory_xact_lock(:c, :k)"), {"c": _PG_LOCK_CLASS, "k": key})
    elif dialect == "sqlite":
        session.execute(text("DELETE FROM login_attempt WHERE 0"))  # takes the database write lock


def delay_after(failures: int, settings: Settings) -> timedelta:
    """The wait imposed after ``failures`` consecutive failures of one (username, address)."""
    if failures < settings.login_max_failures:
        return timedelta(0)
    cap = settings.login_max_delay_minutes * 60
    exponent = min(failures - settings.login_max_failures, 40)  # 2**40 s is far beyond any cap
    return timedelta(seconds=min(cap, settings.login_delay_seconds * 2**exponent))


def _last(session: Session, *conditions: object) -> datetime | None:
    return session.scalar(select(func.max(LoginAttempt.at)).where(*conditions))  # type: ignore[arg-type]


def last_unlock(session: Session, username: str) -> datetime | None:
    """When an administrator last cleared the waits of ``username``."""
    return _last(session, LoginAttempt.username == username, LoginAttempt.outcome == LoginOutcome.UNLOCK)


def pair_failures(session: Session, username: str, client: str, settings: Settings,
                  now: datetime) -> list[datetime]:
    """Times of the failures that count for (username, client), newest first."""
    since = now - timedelta(hours=settings.login_memory_hours)
    resets = [
        _last(session, LoginAttempt.username == username, LoginAttempt.client == client,
              LoginAttempt.outcome == LoginOutcome.SUCCESS),
        last_unlock(session, username),
    ]
    since = max([since, *(r for r in resets if r is not None)])
    return list(session.scalars(
        select(LoginAttempt.at).where(LoginAttempt.username == username, LoginAttempt.client == client,
                                      LoginAttempt.outcome == LoginOutcome.FAILURE, LoginAttempt.at > since)
        .order_by(LoginAttempt.at.desc())))


def address_failures(session: Session, client: str, settings: Settings, now: datetime) -> list[datetime]:
    """Times of the failures from ``client`` inside the window (newest first, at most the ceiling).

    A failure whose username was unlocked afterwards no longer counts here either."""
    unlock = aliased(LoginAttempt)
    later_unlock = exists().where(and_(unlock.username == LoginAttempt.username,
                                       unlock.outcome == LoginOutcome.UNLOCK, unlock.at >= LoginAttempt.at))
    return list(session.scalars(
        select(LoginAttempt.at).where(LoginAttempt.client == client, LoginAttempt.outcome == LoginOutcome.FAILURE,
                                      LoginAttempt.at >= now - timedelta(minutes=settings.login_window_minutes),
                                      ~later_unlock)
        .order_by(LoginAttempt.at.desc()).limit(settings.login_ip_max_failures)))


def check(session: Session, username: str, client: str, settings: Settings, now: datetime) -> Throttle | None:
    """The throttle that applies to an attempt now, or None when the password may be checked."""
    by_address = address_failures(session, client, settings, now)
    if len(by_address) >= settings.login_ip_max_failures:
        until = by_address[-1] + timedelta(minutes=settings.login_window_minutes)
        if until > now:
            return Throttle("address", until, len(by_address))
    failures = pair_failures(session, username, client, settings, now)
    wait = delay_after(len(failures), settings)
    if failures and wait:
        until = failures[0] + wait
        if until > now:
            return Throttle("pair", until, len(failures))
    return None


def refused_since_last_failure(session: Session, client: str, username: str | None) -> bool:
    """Whether this wait already refused an attempt (the audit log records only the first refusal).

    ``username`` None: any username from ``client`` (an address-wide wait)."""
    mine = [LoginAttempt.client == client] + ([LoginAttempt.username == username] if username is not None else [])
    last_failure = _last(session, *mine, LoginAttempt.outcome == LoginOutcome.FAILURE)
    last_refusal = _last(session, *mine, LoginAttempt.outcome == LoginOutcome.THROTTLED)
    return last_refusal is not None and (last_failure is None or last_refusal >= last_failure)
