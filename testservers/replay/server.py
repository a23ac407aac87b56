"""The replay HTTP server: YouTube, X and Facebook shaped APIs on 127.0.0.1, in a background thread.

A plain threaded ``http.server`` (no extra dependency, starts in milliseconds): routes are regular
expressions over the path, each platform's module answers from the shared :class:`ReplayWorld`, and
:class:`FaultPlan` can make any route answer 429, 5xx, slowly, with a broken body, or not at all.
Every request is logged (route, path without credentials, status) for tests to inspect.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from testservers.replay import facebook, x, youtube
from testservers.replay.faults import Fault, FaultPlan
from testservers.replay.protocol import Reply, Request, Route
from testservers.replay.world import ReplayWorld

log = logging.getLogger(__name__)
ROUTES: list[Route] = [*youtube.ROUTES, *x.ROUTES, *facebook.ROUTES]
_COMPILED = [(route, re.compile(route.pattern + "$")) for route in ROUTES]
_SECRET_PARAMS = re.compile(r"((?:key|access_token)=)[^&]*")


@dataclass(frozen=True)
class Logged:
    """One served request; ``path`` has ``key``/``access_token`` values masked."""

    route: str
    path: str
    status: int
    at: float


def fault_reply(route: str, fault: Fault) -> Reply:
    """The platform's own error body for an injected 429 or 5xx."""
    platform = route.split(".", 1)[0]
    status = 429 if fault.kind == "429" else fault.status
    if platform == "youtube":
        reason = "rateLimitExceeded" if status == 429 else "backendError"
        reply = youtube.error(status, "Injected fault.", reason)
    elif platform == "x":
        reply = x.problem(status, "Too Many Requests" if status == 429 else "Service Unavailable", "Injected")
    else:
        reply = (facebook.error("(#4) Application request limit reached", "OAuthException", 4, status)
                 if status == 429 else
                 facebook.error("An unexpected error has occurred. Please retry your request later.",
                                "OAuthException", 2, status))
    if fault.kind == "429":
        reply.headers["Retry-After"] = f"{fault.retry_after:g}"
    return reply


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("replay %s", format % args)

    def do_GET(self) -> None:
        self.server.owner.handle(self)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    owner: ReplayServer


class ReplayServer:
    """Serve ``world`` on 127.0.0.1 (a free port unless given); use as a context manager."""

    def __init__(self, world: ReplayWorld | None = None, port: int = 0) -> None:
        self.world = world or ReplayWorld()
        self.faults = FaultPlan()
        self.requests: list[Logged] = []
        self._httpd = _Server(("127.0.0.1", port), _Handler)
        self._httpd.owner = self
        self._thread: threading.Thread | None = None

    @property
    def root(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def youtube_url(self) -> str:
        return self.root + youtube.PREFIX

    @property
    def x_url(self) -> str:
        return self.root + x.PREFIX

    @property
    def facebook_url(self) -> str:
        return self.root + "/graph/v21.0"

    def start(self) -> ReplayServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="replay-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def hits(self, route: str) -> list[Logged]:
        return [r for r in self.requests if r.route == route]

    def _route(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route, regex in _COMPILED:
            if route.method == method and (m := regex.match(path)):
                return route, m.groupdict()
        return None

    def handle(self, h: _Handler) -> None:
        parts = urlsplit(h.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        found = self._route(h.command, parts.path)
        masked = _SECRET_PARAMS.sub(r"\1***", h.path)
        if found is None:
            missing = Reply(404, {"error": {"message": f"no replay route for {parts.path}"}})
            self._send(h, missing, "-", masked)
            return
        route, params = found
        req = Request(h.command, parts.path, query, {k.lower(): v for k, v in h.headers.items()},
                      self.root, params)
        fault = self.faults.take(route.name, {**query, **params}, masked)
        if fault is not None and fault.kind in ("429", "5xx"):
            self._send(h, fault_reply(route.name, fault), route.name, masked)
            return
        if fault is not None and fault.kind == "drop":
            h.close_connection = True
            h.connection.close()
            self.requests.append(Logged(route.name, masked, 0, time.time()))
            return
        with self.world.lock:
            reply = route.handler(self.world, req)
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.delay)
        body = reply.encoded()
        if fault is not None and fault.kind == "malformed":
            reply = Reply(200, body[: len(body) // 2], reply.headers, reply.content_type)
        self._send(h, reply, route.name, masked)

    def _send(self, h: _Handler, reply: Reply, route: str, masked: str) -> None:
        body = reply.encoded()
        self.requests.append(Logged(route, masked, reply.status, time.time()))
        try:
            h.send_response(reply.status)
            h.send_header("Content-Type", reply.content_type)
            h.send_header("Content-Length", str(len(body)))
            for name, value in reply.headers.items():
                h.send_header(name, value)
            h.end_headers()
            h.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            log.debug("replay client went away before %s was answered", masked)
