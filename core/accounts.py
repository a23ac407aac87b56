"""Review-UI accounts: argon2 passwords, login with throttling, and server-side sessions.

Sessions are rows (:class:`UserSession`) holding the SHA-256 of a random cookie token, so logging out or
deactivating an account ends access at once, and a copy of the table grants nothing. Throttling
(:mod:`core.login_throttle`) slows guessing per (username, address) and per address, never per username
alone, so nobody can lock a named user out; while an attempt must wait, the password is not even checked
(no oracle for guessing). Failed logins, waits, unlocks and logouts are audited.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, joinedload

from core import audit, login_throttle
from core.errors import NetralError, NotFound
from core.models import LoginAttempt, LoginOutcome, Role, User, UserSession, utcnow
from core.settings import Settings

log = logging.getLogger(__name__)
_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against when the user is unknown (same time as a wrong password).

    Made on first use, not at import: hashing costs ~0.1 s and every `netral` command imports this module."""
    return _hasher.hash(secrets.token_urlsafe(16))


class AccountError(NetralError):
    """An account could not be created or changed; ``key`` names the rule (the web app words it)."""

    def __init__(self, message: str, key: str = "invalid") -> None:
        super().__init__(message)
        self.key = key


class LoginThrottled(NetralError):
    """Too many failed logins recently for this username from this address, or from this address at all.

    ``scope`` is ``"pair"`` or ``"address"``; ``retry_after`` the seconds to wait."""

    def __init__(self, message: str, scope: str = "pair", retry_after: int = 1) -> None:
        super().__init__(message)
        self.scope = scope
        self.retry_after = retry_after


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    if len(password) < 8:
        raise AccountError("a password needs at least 8 characters", "password")
    return _hasher.hash(password)


def create_user(session: Session, username: str, role: str, password: str, display_name: str | None = None,
                actor: str = "system") -> User:
    """Add an active account (audited)."""
    username = username.strip().lower()
    if not username or len(username) > 64 or not all(c.isalnum() or c in "._-" for c in username):
        raise AccountError("a username is 1-64 letters, digits, '.', '_' or '-'", "username")
    if role not in {r.value for r in Role}:
        raise AccountError(f"role must be one of {', '.join(r.value for r in Role)}", "role")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError(f"user {username} already exists", "exists")
    user = User(username=username, display_name=(display_name or username).strip(), role=role,
                password_hash=hash_password(password), active=True)
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.add", object_type="user", object_id=user.id,
                 details={"username": username, "role": role})
    return user


def get_user(session: Session, username: str) -> User:
    """The account named ``username``."""
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NotFound(f"no user {username}")
    return user


def list_users(session: Session) -> list[User]:
    """Every account, by username."""
    return list(session.scalars(select(User).order_by(User.username)))


def _keep_an_admin(session: Session, user: User) -> None:
    """Refuse to take away the last active administrator (nobody could manage accounts in the UI).

    The active admins' rows are locked (PostgreSQL), so two administrators removing each other at the same
    moment cannot both succeed.
    """
    if user.role != Role.ADMIN or not user.active:
        return
    admins = session.scalars(select(User.id).where(User.role == Role.ADMIN, User.active.is_(True))
                             .with_for_update()).all()
    if set(admins) <= {user.id}:
        raise AccountError("the last active admin cannot be deactivated or lose the admin role", "last_admin")


def deactivate_user(session: Session, username: str, actor: str = "system") -> User:
    """Deactivate an account and end its sessions (audited); the last active admin is kept."""
    user = get_user(session, username)
    _keep_an_admin(session, user)
    user.active = False
    session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    audit.record(session, actor, "user.deactivate", object_type="user", object_id=user.id,
                 details={"username": user.username})
    session.flush()
    return user


def reactivate_user(session: Session, username: str, actor: str = "system") -> User:
    """Let a deactivated account log in again (audited); its old sessions stay ended."""
    user = get_user(session, username)
    user.active = True
    audit.record(session, actor, "user.reactivate", object_type="user", object_id=user.id,
                 details={"username": user.username})
    session.flush()
    return user


def set_role(session: Session, username: str, role: str, actor: str = "system") -> User:
    """Change an account's role (audited with the old and new role); the last active admin is kept.

    Sessions continue: every request reads the role afresh, so the change applies at the next click.
    """
    if role not in {r.value for r in Role}:
        raise AccountError(f"role must be one of {', '.join(r.value for r in Role)}", "role")
    user = get_user(session, username)
    if user.role == role:
        return user
    if role != Role.ADMIN:
        _keep_an_admin(session, user)
    old, user.role = user.role, role
    audit.record(session, actor, "user.role", object_type="user", object_id=user.id,
                 details={"username": user.username, "from": old, "to": role})
    session.flush()
    return user


def set_unit(session: Session, username: str, unit: str | None, actor: str = "system") -> User:
    """Record the roster unit a reviewer works in (empty: none); recusal keeps that unit's cases from them."""
    user = get_user(session, username)
    value = (unit or "").strip() or None
    if value is not None and len(value) > 200:
        raise AccountError("unit: at most 200 characters", "unit")
    old, user.unit = user.unit, value
    audit.record(session, actor, "user.unit", object_type="user", object_id=user.id,
                 details={"username": user.username, "from": old, "to": value})
    session.flush()
    return user


def reset_password(session: Session, username: str, password: str, actor: str = "system",
                   keep_token: str | None = None) -> User:
    """Set a new password (same rules and hash as :func:`create_user`) and end the account's sessions.

    A reset usually follows a forgotten or leaked password, so whoever holds an old session is logged out;
    ``keep_token`` spares the caller's own session when administrators reset their own password.
    """
    user = get_user(session, username)
    user.password_hash = hash_password(password)
    ended = delete(UserSession).where(UserSession.user_id == user.id)
    if keep_token:
        ended = ended.where(UserSession.token_hash != _token_hash(keep_token))
    session.execute(ended)
    audit.record(session, actor, "user.password_reset", object_type="user", object_id=user.id,
                 details={"username": user.username})
    session.flush()
    return user


def _throttled(session: Session, username: str, client: str, settings: Settings,
               now: datetime) -> login_throttle.Throttle | None:
    """The wait that applies to this attempt (see :mod:`core.login_throttle`), or None."""
    return login_throttle.check(session, username, client, settings, now)


def _refuse(session: Session, username: str, client: str, throttle: login_throttle.Throttle,
            now: datetime) -> LoginThrottled:
    """Record a refused attempt (never a failure) and audit the first refusal of each wait."""
    scope_user = username if throttle.scope == "pair" else None
    if not login_throttle.refused_since_last_failure(session, client, scope_user):
        audit.record(session, "anonymous", "user.login_refused", object_type="user",
                     details={"username": username, "client": client, "scope": throttle.scope,
                              "failures": throttle.failures, "until": throttle.until.isoformat()})
    session.add(LoginAttempt(at=now, username=username, client=client, outcome=LoginOutcome.THROTTLED))
    log.warning("login throttled (%s) for %r from %s until %s", throttle.scope, username, client,
                throttle.until.isoformat(timespec="seconds"))
    return LoginThrottled("too many failed logins; try again later", throttle.scope,
                          throttle.retry_after(now))


def _record_failure(session: Session, username: str, client: str, user: User | None, settings: Settings,
                    now: datetime) -> None:
    """Store and audit a wrong password; audit the start of a wait when this failure causes one."""
    session.add(LoginAttempt(at=now, username=username, client=client, outcome=LoginOutcome.FAILURE))
    session.flush()
    audit.record(session, "anonymous", "user.login_failed", object_type="user",
                 object_id=user.id if user else None,
                 details={"username": username, "client": client, "known_user": user is not None})
    throttle = login_throttle.check(session, username, client, settings, now)
    if throttle is not None:
        audit.record(session, "anonymous", "user.login_throttled", object_type="user",
                     object_id=user.id if user else None,
                     details={"username": username, "client": client, "scope": throttle.scope,
                              "failures": throttle.failures, "until": throttle.until.isoformat()})


def authenticate(session: Session, username: str, password: str, client: str, settings: Settings,
                 now: datetime | None = None) -> User | None:
    """The active user with this password, or None; raises :class:`LoginThrottled` when it must wait.

    Every attempt is recorded and failures are audited (the caller commits, also on failure, so throttling
    sees it). The check and the record are serialised per address, so parallel guesses queue up.
    """
    username = username.strip().lower()[:64]
    client = client[:64]
    login_throttle.lock_address(session, client)
    now = now or utcnow()  # read after the lock: attempts are then recorded in the order they were checked
    throttle = _throttled(session, username, client, settings, now)
    if throttle is not None:
        raise _refuse(session, username, client, throttle, now)
    user = session.scalar(select(User).where(User.username == username))
    try:
        ok: bool = _hasher.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        ok = False
    ok = ok and user is not None and user.active
    if not ok or user is None:
        _record_failure(session, username, client, user, settings, now)
        return None
    session.add(LoginAttempt(at=now, username=username, client=client, outcome=LoginOutcome.SUCCESS))
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = now
    audit.record(session, user.username, "user.login", object_type="user", object_id=user.id,
                 details={"client": client})
    return user


def unlock(session: Session, username: str, actor: str = "system", now: datetime | None = None) -> int:
    """Clear the login waits of ``username`` on every address (audited); the number of failures forgiven.

    Nothing is deleted: an unlock marker makes earlier failures stop counting (the attempts stay as a record).
    """
    now = now or utcnow()
    name = username.strip().lower()[:64]
    user = session.scalar(select(User).where(User.username == name))
    if user is None:
        raise NotFound(f"no user {username}")
    counted = [LoginAttempt.username == name, LoginAttempt.outcome == LoginOutcome.FAILURE]
    previous = login_throttle.last_unlock(session, name)
    if previous is not None:
        counted.append(LoginAttempt.at > previous)
    forgiven = session.scalar(select(func.count()).select_from(LoginAttempt).where(*counted)) or 0
    session.add(LoginAttempt(at=now, username=name, client=login_throttle.UNLOCK_CLIENT,
                             outcome=LoginOutcome.UNLOCK))
    audit.record(session, actor, "user.unlock", object_type="user", object_id=user.id,
                 details={"username": name, "failures_forgiven": forgiven})
    session.flush()
    return forgiven


@dataclass(frozen=True)
class NewSession:
    """The cookie token (shown once, never stored) and its row."""

    token: str
    row: UserSession


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(session: Session, user: User, settings: Settings, now: datetime | None = None) -> NewSession:
    """Start a login session for ``user`` (and drop expired sessions and year-old login attempts)."""
    now = now or utcnow()
    session.execute(delete(UserSession).where(UserSession.expires_at <= now))
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - timedelta(days=365)))
    token = secrets.token_urlsafe(32)
    row = UserSession(token_hash=_token_hash(token), user_id=user.id, created_at=now,
                      expires_at=now + timedelta(hours=settings.session_hours))
    session.add(row)
    session.flush()
    return NewSession(token, row)


def session_user(session: Session, token: str | None, now: datetime | None = None) -> User | None:
    """The active user of a valid, unexpired session token, or None."""
    if not token:
        return None
    row = session.scalar(select(UserSession).where(UserSession.token_hash == _token_hash(token))
                         .options(joinedload(UserSession.user)))
    if row is None or row.expires_at <= (now or utcnow()) or not row.user.active:
        return None
    return row.user


def close_session(session: Session, token: str | None, user: User | None = None, client: str = "") -> None:
    """Log out: delete the session row (the cookie becomes worthless); audited when ``user`` is given."""
    if token:
        session.execute(delete(UserSession).where(UserSession.token_hash == _token_hash(token)))
    if user is not None:
        audit.record(session, user.username, "user.logout", object_type="user", object_id=user.id,
                     details={"client": client})
