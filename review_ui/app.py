"""The review UI application: FastAPI + Jinja2 + htmx, server-rendered, everything served locally.

:func:`create_app` wires the settings, one database engine, the security middleware, the CSRF check (an
application-wide dependency), the error handlers and the routes. A background task refreshes the queue
priorities (ages grow each working day) every ``PRIORITY_REFRESH_SECONDS``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from core import cases
from core.db import make_engine, make_session_factory, session_scope
from core.errors import NotFound
from core.settings import Settings, get_settings
from review_ui.deps import Forbidden, LoginRequired
from review_ui.routes import (
    audit,
    auth,
    case,
    case_dossier,
    dashboard,
    evidence,
    evidence_image,
    health,
    intake,
    notifications,
    queue,
    report_edit,
    report_pages,
    subjects,
    users,
    violations,
)
from review_ui.security import CsrfRejected, SecurityMiddleware, csrf_protect
from review_ui.templating import gettext_for, render

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).resolve().parent / "static"
PRIORITY_REFRESH_SECONDS = 3600


def create_app(settings: Settings | None = None, *, refresh_priorities: bool = True) -> FastAPI:
    """Build the app for ``settings`` (default: the environment's)."""
    settings = settings or get_settings()
    engine = make_engine(settings.resolved_database_url)
    sessions = make_session_factory(engine)

    def refresh() -> None:
        with session_scope(sessions) as session:
            changes = cases.priority_changes(session, settings)
        for i in range(0, len(changes), 2000):  # short write transactions: reviewers keep working
            with session_scope(sessions) as session:
                cases.apply_priorities(session, changes[i:i + 2000])
        log.info("queue priorities refreshed: %d changed", len(changes))

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = None
        if refresh_priorities:
            async def loop() -> None:
                while True:
                    try:
                        await run_in_threadpool(refresh)
                    except Exception:  # a failed refresh must not stop the server; it retries next hour
                        log.exception("priority refresh failed")
                    await asyncio.sleep(PRIORITY_REFRESH_SECONDS)
            task = asyncio.create_task(loop())
        yield
        if task is not None:
            task.cancel()
        engine.dispose()

    app = FastAPI(title="netral", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan,
                  dependencies=[Depends(csrf_protect)])
    app.state.settings = settings
    app.state.sessions = sessions
    app.state.engine = engine
    app.add_middleware(SecurityMiddleware, settings=settings)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (health, auth, queue, case, evidence, evidence_image, intake, notifications, dashboard, audit,
                   subjects, users, violations, report_pages, report_edit,
                   case_dossier):
        app.include_router(module.router)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if request.method == "GET":
            return RedirectResponse("/login", status_code=303)
        _ = gettext_for(request)
        return PlainTextResponse(_("Please log in."), status_code=401)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        _ = gettext_for(request)
        return render(request, "error.html", {"message": _("Your role may not open this page.")},
                      status_code=403)

    @app.exception_handler(CsrfRejected)
    async def csrf_rejected(request: Request, exc: CsrfRejected) -> Response:
        _ = gettext_for(request)
        return render(request, "error.html", {"message": _("The form expired or did not come from this "
                                                           "site. Reload the page and try again.")},
                      status_code=403)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        _ = gettext_for(request)
        return render(request, "error.html", {"message": _("Not found.")}, status_code=404)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        _ = gettext_for(request)
        return render(request, "error.html", {"message": _("The request was refused.")}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        _ = gettext_for(request)
        message = _("Not found.") if exc.status_code == 404 else _("The request was refused.")
        return render(request, "error.html", {"message": message}, status_code=exc.status_code)

    return app
