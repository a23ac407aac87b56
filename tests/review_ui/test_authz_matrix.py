"""Authorisation matrix: every route of the app × every role (and anonymous), and CSRF on every POST.

The matrix must name every route; a new route that is not added here fails the test, so nobody can add
a page without deciding who may use it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import Mount

from core.models import Case
from tests.review_ui.conftest import Browser

ANON = "anonymous"
EVERYONE = {ANON, "admin", "reviewer", "desk", "auditor"}
LOGGED_IN = {"admin", "reviewer", "desk", "auditor"}
DECIDE = {"admin", "reviewer"}
READ_CASES = {"admin", "reviewer", "auditor"}
REPORT = {"admin", "reviewer", "desk"}
DESK_READ = {"admin", "desk", "auditor"}
DESK_WRITE = {"admin", "desk"}

MATRIX: dict[tuple[str, str], set[str]] = {
    ("GET", "/static"): EVERYONE,
    ("GET", "/healthz"): EVERYONE,
    ("GET", "/metrics"): set(),  # by address or token, not by role (tests/review_ui/test_health.py)
    ("GET", "/login"): EVERYONE,
    ("POST", "/login"): EVERYONE,
    ("POST", "/lang"): EVERYONE,
    ("POST", "/logout"): LOGGED_IN,
    ("GET", "/"): LOGGED_IN,
    ("GET", "/dashboard"): LOGGED_IN,
    ("GET", "/dashboard.csv"): LOGGED_IN,
    ("GET", "/dashboard.xlsx"): LOGGED_IN,
    ("GET", "/queue"): READ_CASES,
    ("POST", "/queue/next"): DECIDE,
    ("POST", "/queue/bulk-dismiss"): DECIDE,
    ("GET", "/cases/{case_id}"): READ_CASES,
    ("GET", "/cases/{case_id}/evidence/{evidence_id}"): READ_CASES,
    ("POST", "/cases/{case_id}/claim"): DECIDE,
    ("POST", "/cases/{case_id}/release"): DECIDE,
    ("POST", "/cases/{case_id}/confirm"): DECIDE,
    ("POST", "/cases/{case_id}/judge"): DECIDE,
    ("POST", "/cases/{case_id}/verdict"): DECIDE,
    ("POST", "/cases/{case_id}/dismiss"): DECIDE,
    ("POST", "/cases/{case_id}/escalate"): DECIDE,
    ("POST", "/cases/{case_id}/advance"): DECIDE,
    ("POST", "/cases/{case_id}/dossier"): DECIDE,
    ("GET", "/cases/{case_id}/image/{evidence_id}"): READ_CASES,
    ("GET", "/reports/new"): REPORT,
    ("GET", "/reports/employees"): REPORT,
    ("POST", "/reports"): REPORT,
    ("GET", "/notifications"): LOGGED_IN,
    ("GET", "/notifications/count"): LOGGED_IN,
    ("GET", "/audit"): {"admin", "auditor"},
    ("GET", "/audit.csv"): {"admin", "auditor"},
    ("GET", "/admin/subjects"): {"admin"},
    ("POST", "/admin/subjects"): {"admin"},
    ("GET", "/admin/users"): {"admin"},
    ("GET", "/admin/violations"): {"admin"},
    ("POST", "/admin/violations/{code}"): {"admin"},
    ("POST", "/admin/users"): {"admin"},
    ("POST", "/admin/users/{user_id}/deactivate"): {"admin"},
    ("POST", "/admin/users/{user_id}/reactivate"): {"admin"},
    ("POST", "/admin/users/{user_id}/role"): {"admin"},
    ("POST", "/admin/users/{user_id}/password"): {"admin"},
    ("POST", "/admin/users/{user_id}/unlock"): {"admin"},
    ("GET", "/desk/reports"): DESK_READ,
    ("POST", "/desk/reports"): DESK_WRITE,
    ("GET", "/desk/reports/{report_id}"): DESK_READ,
    ("GET", "/desk/reports/{report_id}/preview"): DESK_READ,
    ("POST", "/desk/reports/{report_id}/finalise"): DESK_WRITE,
    ("POST", "/desk/reports/{report_id}/new-version"): DESK_WRITE,
    ("GET", "/desk/reports/{report_id}/export/{fmt}"): DESK_READ,
    ("GET", "/desk/reports/{report_id}/export/{fmt}/named"): {"admin"},
    ("GET", "/desk/reports/{report_id}/cases"): DESK_READ,
    ("POST", "/desk/reports/{report_id}/cases"): DESK_WRITE,
    ("POST", "/desk/reports/{report_id}/cases/{case_id}/remove"): DESK_WRITE,
    ("POST", "/desk/reports/{report_id}/sections/{number}"): DESK_WRITE,
    ("POST", "/desk/reports/{report_id}/sections/{number}/entries"): DESK_WRITE,
    ("POST", "/desk/reports/{report_id}/entries/{entry_id}/delete"): DESK_WRITE,
    ("POST", "/desk/reports/{report_id}/entries/{entry_id}/attachments"): DESK_WRITE,
}


def app_routes(routes: Sequence[object], prefix: str = "") -> list[tuple[str, str]]:
    """(method, path) of every route, static mount and included routers included."""
    found = []
    for route in routes:
        included = getattr(route, "original_router", None)  # FastAPI keeps included routers wrapped
        if included is not None:
            found += app_routes(included.routes, prefix + route.include_context.prefix)  # type: ignore[attr-defined]
        elif isinstance(route, APIRoute):
            found += [(m, prefix + route.path) for m in sorted((route.methods or set()) - {"HEAD"})]
        elif isinstance(route, Mount):
            found.append(("GET", prefix + route.path))
        else:
            found.append(("?", getattr(route, "path", repr(route))))
    return found


def test_matrix_names_every_route(app: FastAPI) -> None:
    routes = set(app_routes(app.routes))
    assert routes - MATRIX.keys() == set(), "routes missing from the authorisation matrix"
    assert MATRIX.keys() - routes == set(), "matrix names routes the app no longer has"


def _denied(response, anonymous: bool) -> bool:  # type: ignore[no-untyped-def]
    if response.status_code == 403:
        return True
    if anonymous and response.status_code == 303 and response.headers["location"] == "/login":
        return True
    return anonymous and response.status_code == 401 and response.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize("role", sorted(EVERYONE))
def test_every_route_checks_the_role(role: str, app: FastAPI, login: Callable[[str], Browser],
                                     seeded: list[Case]) -> None:
    from fastapi.testclient import TestClient

    if role == ANON:
        b = Browser(TestClient(app, base_url="http://127.0.0.1"))
        b.refresh_token()
    else:
        b = login(role)
    case_id = seeded[0].id
    # Log out last: it ends the session the other requests need.
    for method, path in sorted(MATRIX, key=lambda k: k[1] == "/logout"):
        # No evidence or account has id 999999: an allowed role gets 404, a refused one is stopped before.
        url = path.replace("{case_id}", str(case_id)).replace("{evidence_id}", "999999").replace("{user_id}", "999999")
        # No desk report has id 999999 either: a writer or reader gets 404, anyone else 403 first.
        url = url.replace("{report_id}", "999999").replace("{fmt}", "docx").replace("{number}", "1")
        url = url.replace("{entry_id}", "999999")
        if path == "/static":
            url = "/static/app.css"
        if method == "GET":
            r = b.client.get(url, follow_redirects=False)
        else:
            data = {"username": "nobody", "password": "x"} if path == "/login" else {}
            r = b.post(url, data)
        allowed = role in MATRIX[(method, path)]
        assert _denied(r, role == ANON) != allowed, (role, method, path, r.status_code)
    b.client.close()


def test_every_post_needs_the_csrf_token(app: FastAPI, login: Callable[[str], Browser],
                                         seeded: list[Case]) -> None:
    b = login("admin")
    posts = sorted(p for m, p in MATRIX if m == "POST")
    for path in posts:
        url = path.replace("{case_id}", str(seeded[0].id)).replace("{user_id}", "1").replace("{report_id}", "1")
        url = url.replace("{number}", "1").replace("{entry_id}", "1")
        for payload in ({}, {"csrf_token": "0" * 64}):
            r = b.client.post(url, data=payload, follow_redirects=False)
            assert r.status_code == 403, (path, payload, r.status_code)
        r = b.client.post(url, data={}, headers={"X-CSRF-Token": "f" * 64}, follow_redirects=False)
        assert r.status_code == 403, path
    # The session is still valid: refused requests changed nothing.
    assert b.client.get("/queue").status_code == 200
    assert {c.status for c in seeded} == {"detected"}
