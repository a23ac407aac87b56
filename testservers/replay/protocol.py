"""The request and reply types every replay route handles, and opaque paging tokens.

Kept free of any server code, so the route modules are plain functions of (world, request) that a
test can call directly as well as through the HTTP server.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from testservers.replay.world import ReplayWorld


@dataclass(frozen=True)
class Request:
    """One incoming request: ``query`` keeps the first value of each parameter, ``headers`` lower-case."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    base_url: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class Reply:
    """What a route answers; a dict or list body is sent as JSON, bytes as they are."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=UTF-8"

    def encoded(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


Handler = Callable[["ReplayWorld", Request], Reply]


@dataclass(frozen=True)
class Route:
    """A named route: the name is what fault injection and the request log refer to."""

    name: str
    method: str
    pattern: str
    handler: Handler


class BadToken(ValueError):
    """A paging token the server never issued."""


def encode_token(offset: int, scope: str) -> str:
    """An opaque token that is only valid for the listing (``scope``) that issued it."""
    raw = json.dumps({"o": offset, "s": hashlib.sha256(scope.encode()).hexdigest()[:8]}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str | None, scope: str) -> int:
    if not token:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if data["s"] != hashlib.sha256(scope.encode()).hexdigest()[:8]:
            raise BadToken(token)
        return int(data["o"])
    except (ValueError, KeyError, TypeError) as exc:
        raise BadToken(token) from exc


def page_size(value: str | None, default: int, maximum: int, minimum: int = 1) -> int:
    """``maxResults``/``max_results``/``limit`` clamped the way the APIs document it."""
    if value is None:
        return default
    try:
        return max(minimum, min(maximum, int(value)))
    except ValueError:
        return default


def etag(obj: Any) -> str:
    return hashlib.md5(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()  # noqa: S324


def rfc3339(at: datetime, millis: bool = False) -> str:
    """UTC time as ``2024-10-01T08:00:00Z`` (YouTube) or with milliseconds (X)."""
    text = at.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}.{at.microsecond // 1000:03d}Z" if millis else f"{text}Z"
