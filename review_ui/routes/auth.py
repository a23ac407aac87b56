"""Login (throttled), logout and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from core import accounts
from core.models import Role, User
from core.settings import Settings
from review_ui.client_address import client_address
from review_ui.deps import ALL_ROLES, get_db, get_settings, optional_user, require
from review_ui.i18n import LANGUAGES
from review_ui.security import LANG_COOKIE, SESSION_COOKIE, secure_cookies
from review_ui.templating import gettext_for, render

router = APIRouter()


def home_for(user: User) -> str:
    """Where a role lands after login: the desk sees aggregates only."""
    return "/dashboard" if user.role == Role.DESK else "/queue"


def _local(path: str | None, default: str = "/") -> str:
    """Only same-site paths are followed after a form (no open redirect)."""
    if not path:
        return default
    parts = urlsplit(path)
    if parts.scheme or parts.netloc or not path.startswith("/") or path.startswith("//"):
        return default
    return path


def _throttle_message(request: Request, exc: accounts.LoginThrottled) -> str:
    """Say who must wait and for how long (the wait is per address: other addresses are unaffected)."""
    _ = gettext_for(request)
    if exc.retry_after >= 120:
        wait = _("%(n)d minutes") % {"n": -(-exc.retry_after // 60)}
    else:
        wait = _("%(n)d seconds") % {"n": exc.retry_after}
    if exc.scope == "address":
        return str(_("Too many failed logins from this address. Try again in %(wait)s.") % {"wait": wait})
    return str(_("Too many failed logins for this user from this address. Try again in %(wait)s.")
               % {"wait": wait})


@router.get("/login")
def login_page(request: Request, user: User | None = Depends(optional_user)) -> Response:
    """The login form (a logged-in user goes home)."""
    if user is not None:
        return RedirectResponse(home_for(user), status_code=303)
    return render(request, "login.html")


@router.post("/login")
def login(request: Request, username: str = Form(""), password: str = Form(""),
          db: Session = Depends(get_db), settings: Settings = Depends(get_settings)) -> Response:
    """Check the password (throttled), open a session and set its cookie."""
    _ = gettext_for(request)
    client = client_address(request, settings)
    try:
        user = accounts.authenticate(db, username, password, client, settings)
    except accounts.LoginThrottled as exc:
        db.commit()
        return render(request, "login.html", {"error": _throttle_message(request, exc), "username": username},
                      status_code=429, headers={"retry-after": str(exc.retry_after)})
    if user is None:
        db.commit()
        return render(request, "login.html", {"error": _("Wrong username or password."),
                                              "username": username}, status_code=401)
    new = accounts.open_session(db, user, settings)
    db.commit()
    response = RedirectResponse(home_for(user), status_code=303)
    response.set_cookie(SESSION_COOKIE, new.token, httponly=True, samesite="strict", path="/",
                        secure=secure_cookies(request, settings),
                        max_age=int(settings.session_hours * 3600))
    return response


@router.post("/logout")
def logout(request: Request, user: User = Depends(require(*ALL_ROLES)), db: Session = Depends(get_db),
           settings: Settings = Depends(get_settings)) -> Response:
    """End the session on the server (audited) and drop the cookie."""
    accounts.close_session(db, request.cookies.get(SESSION_COOKIE), user, client_address(request, settings))
    db.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict",
                           secure=secure_cookies(request, settings))
    return response


@router.post("/lang")
def set_language(request: Request, lang: str = Form("id"), next: str = Form("/"),
                 settings: Settings = Depends(get_settings)) -> Response:
    """Switch the interface language (a cookie; open to anyone, CSRF-checked like every POST)."""
    response = RedirectResponse(_local(next), status_code=303)
    response.set_cookie(LANG_COOKIE, lang if lang in LANGUAGES else "id", httponly=True, samesite="strict",
                        secure=secure_cookies(request, settings), path="/", max_age=365 * 86400)
    return response
