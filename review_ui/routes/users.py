"""Account management for administrators: list, add, deactivate/reactivate, change role, reset password,
clear a login throttle.

The same :mod:`core.accounts` functions as ``netral users`` do the work, so the password rules, the argon2
hash and the audit actions (``user.add``, ``user.deactivate``, ``user.reactivate``, ``user.role``,
``user.password_reset``) are one and the same whichever way an account is changed. Deactivating ends the
account's sessions at once (the rows are deleted); the core keeps the last active administrator, and this
page also refuses an administrator deactivating or demoting themself, so nobody locks themself out by a
slip of the mouse. Each POST is one use case: change, commit, redirect with a banner; a refusal re-renders
the list with the reason in the user's language.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from core import accounts
from core.errors import NotFound
from core.models import Role, User
from review_ui.deps import get_db, require
from review_ui.messages import Gettext
from review_ui.security import SESSION_COOKIE
from review_ui.templating import gettext_for, render

router = APIRouter()
ADMIN_ONLY = require(Role.ADMIN)


def _message(_: Gettext, key: str) -> str:
    """Why an account change was refused, said for an administrator."""
    return {
        "username": _("A username is 1 to 64 letters, digits, '.', '_' or '-'."),
        "role": _("Choose one of the roles."),
        "exists": _("This username is already taken."),
        "password": _("A password needs at least 8 characters."),
        "mismatch": _("The two passwords differ."),
        "last_admin": _("The last active administrator cannot be deactivated or lose the administrator role."),
        "self": _("You cannot deactivate yourself or change your own role; ask another administrator."),
    }.get(key, _("The change was refused."))


def _done(_: Gettext, done: str | None) -> str | None:
    """The banner after a saved change."""
    if not done:
        return None
    return {
        "added": _("Account added."),
        "deactivated": _("Account deactivated; its sessions were ended."),
        "reactivated": _("Account reactivated."),
        "role": _("Role changed."),
        "password": _("Password reset; the account's other sessions were ended."),
        "unlocked": _("Login throttle cleared: earlier failed logins of this account no longer count."),
    }.get(done, _("Saved."))


def _page(request: Request, db: Session, error: str | None = None, form: dict[str, str] | None = None,
          status_code: int = 200) -> Response:
    _ = gettext_for(request)
    return render(request, "users.html", {
        "accounts": accounts.list_users(db), "roles": [r.value for r in Role], "error": error,
        "done": _done(_, request.query_params.get("done")), "form": form or {}}, status_code=status_code)


def _refused(request: Request, db: Session, key: str, form: dict[str, str] | None = None) -> Response:
    """Roll the change back and show the list with the reason (409 for a rule, 422 for bad input)."""
    db.rollback()
    status = 409 if key in ("last_admin", "self", "exists") else 422
    return _page(request, db, _message(gettext_for(request), key), form, status)


def _saved(db: Session, done: str) -> Response:
    db.commit()
    return RedirectResponse(f"/admin/users?done={done}", status_code=303)


def _target(db: Session, user_id: int) -> User:
    target = db.get(User, user_id)
    if target is None:
        raise NotFound(f"user {user_id}")
    return target


@router.get("/admin/users")
def users_page(request: Request, user: User = Depends(ADMIN_ONLY), db: Session = Depends(get_db)) -> Response:
    """Every account with its role, state and last login, and the form to add one."""
    return _page(request, db)


@router.post("/admin/users")
def add_user(request: Request, username: str = Form(""), display_name: str = Form(""), role: str = Form(""),
             password: str = Form(""), password_confirm: str = Form(""), user: User = Depends(ADMIN_ONLY),
             db: Session = Depends(get_db)) -> Response:
    """Add an active account with an initial password (the CLI's rules; audited as ``user.add``)."""
    form = {"username": username, "display_name": display_name, "role": role}
    if password != password_confirm:
        return _refused(request, db, "mismatch", form)
    try:
        accounts.create_user(db, username, role, password, display_name.strip() or None, actor=user.username)
    except accounts.AccountError as exc:
        return _refused(request, db, exc.key, form)
    return _saved(db, "added")


@router.post("/admin/users/{user_id}/deactivate")
def deactivate(request: Request, user_id: int, user: User = Depends(ADMIN_ONLY),
               db: Session = Depends(get_db)) -> Response:
    """Deactivate the account and end its sessions (never one's own, never the last admin)."""
    target = _target(db, user_id)
    if target.id == user.id:
        return _refused(request, db, "self")
    try:
        accounts.deactivate_user(db, target.username, actor=user.username)
    except accounts.AccountError as exc:
        return _refused(request, db, exc.key)
    return _saved(db, "deactivated")


@router.post("/admin/users/{user_id}/reactivate")
def reactivate(request: Request, user_id: int, user: User = Depends(ADMIN_ONLY),
               db: Session = Depends(get_db)) -> Response:
    """Let a deactivated account log in again."""
    accounts.reactivate_user(db, _target(db, user_id).username, actor=user.username)
    return _saved(db, "reactivated")


@router.post("/admin/users/{user_id}/unlock")
def unlock(request: Request, user_id: int, user: User = Depends(ADMIN_ONLY), db: Session = Depends(get_db)) -> Response:
    """Clear the account's login waits on every address (``netral users unlock``; audited as ``user.unlock``)."""
    accounts.unlock(db, _target(db, user_id).username, actor=user.username)
    return _saved(db, "unlocked")


@router.post("/admin/users/{user_id}/role")
def change_role(request: Request, user_id: int, role: str = Form(""), user: User = Depends(ADMIN_ONLY),
                db: Session = Depends(get_db)) -> Response:
    """Give the account another role (not one's own; the last active admin stays admin)."""
    target = _target(db, user_id)
    if target.id == user.id:
        return _refused(request, db, "self")
    try:
        accounts.set_role(db, target.username, role, actor=user.username)
    except accounts.AccountError as exc:
        return _refused(request, db, exc.key)
    return _saved(db, "role")


@router.post("/admin/users/{user_id}/password")
def reset_password(request: Request, user_id: int, password: str = Form(""), user: User = Depends(ADMIN_ONLY),
                   db: Session = Depends(get_db)) -> Response:
    """Set a new password and end the account's sessions (the administrator's own session survives)."""
    target = _target(db, user_id)
    keep = request.cookies.get(SESSION_COOKIE) if target.id == user.id else None
    try:
        accounts.reset_password(db, target.username, password, actor=user.username, keep_token=keep)
    except accounts.AccountError as exc:
        return _refused(request, db, exc.key)
    return _saved(db, "password")
