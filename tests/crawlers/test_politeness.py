"""Rate-limit headers and log redaction shared by every spider (``crawlers.middlewares``, ``logredact``)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import format_datetime

import pytest
from scrapy.http import Request, Response

from crawlers.logredact import RedactingFilter, redact_text
from crawlers.middlewares import server_delay

NOW = 1_750_000_000.0


def response(**headers: str) -> Response:
    return Response("https://api.test/x", status=429, headers=headers, request=Request("https://api.test/x"))


@pytest.mark.parametrize(("headers", "expected"), [
    ({"Retry-After": "7"}, 7.0),
    ({"Retry-After": format_datetime(datetime.fromtimestamp(NOW + 30, UTC), usegmt=True)}, 30.0),
    ({"x-rate-limit-reset": str(int(NOW + 90))}, 90.0),  # X: Unix time
    ({"RateLimit-Reset": str(int(NOW + 12))}, 12.0),  # Bluesky: Unix time
    ({"RateLimit-Reset": "5"}, 5.0),  # IETF draft: seconds
    ({"Retry-After": "soon"}, None),
    ({}, None),
])
def test_server_delay(headers: dict[str, str], expected: float | None) -> None:
    delay = server_delay(response(**headers), now=NOW)
    assert delay == pytest.approx(expected, abs=1.0) if expected is not None else delay is None


def test_logs_never_show_keys_or_tokens(caplog: pytest.LogCaptureFixture) -> None:
    assert redact_text("GET https://h.test/v3/videos?key=AIzaSy123&part=id") == \
        "GET https://h.test/v3/videos?key=REDACTED&part=id"
    assert redact_text("Authorization: Bearer abc.def-123") == "Authorization: Bearer REDACTED"
    logger = logging.getLogger("tests.redact")
    handler_filter = RedactingFilter()
    logger.addFilter(handler_filter)
    try:
        with caplog.at_level(logging.INFO, logger="tests.redact"):
            logger.info("Ignoring response <%d %s>", 404, "https://graph.test/p/feed?access_token=EAAB&limit=5")
    finally:
        logger.removeFilter(handler_filter)
    assert "EAAB" not in caplog.text and "access_token=REDACTED&limit=5" in caplog.text
