"""Shared pieces of the review UI's Chromium tests: logging in by form and catching requests off 127.0.0.1."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.review_ui.conftest import PASSWORD


def login(page: object, username: str) -> None:
    """Log in through the form (any role; the landing page differs per role)."""
    page.goto("/login")  # type: ignore[attr-defined]
    page.fill("#username", username)  # type: ignore[attr-defined]
    page.fill("#password", PASSWORD)  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.press("#password", "Enter")  # type: ignore[attr-defined]


def watch_requests(page: object) -> list[str]:
    """Every URL the page requests that is not on 127.0.0.1 (the list fills while the test runs)."""
    outside: list[str] = []

    def seen(request: object) -> None:
        url = request.url  # type: ignore[attr-defined]
        if urlsplit(url).hostname not in ("127.0.0.1", None) and not url.startswith("data:"):
            outside.append(url)

    page.on("request", seen)  # type: ignore[attr-defined]
    return outside
