"""A synthetic Mastodon-API server: deterministic accounts and statuses at any volume, on loopback.

For the crawl benchmark (``bench/crawl``), crash-safety and politeness tests: it serves the documented
entity shapes (Account, Status with ``reblog`` / ``quote`` / ``in_reply_to_id``, Context) and
``Link``-header paging, generated on the fly from a few numbers instead of stored, and can delay every
response or answer chosen paths with queued faults (429 + ``Retry-After``, 5xx, malformed bodies).

World: employees ``emp<e>`` (S statuses each: post, boost, reply, quote of campaign statuses in turn)
and campaign accounts ``camp<c>`` (K statuses each, favourited / boosted / replied to by a fixed subset
of employees). Run ``python -m testservers.synthetic_mastodon --port 8099`` to serve one by hand.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

EMP_BASE, CAMP_BASE = 1000, 5000
EMP_STATUS, CAMP_STATUS = 20_000_000, 10_000_000


@dataclass
class World:
    """The generated data; ``deleted`` status ids answer 404."""

    employees: int = 3
    statuses: int = 8
    campaigns: int = 2
    campaign_statuses: int = 3
    domain: str = "mastodon.test"
    start: datetime = field(default_factory=lambda: datetime.now(UTC) - timedelta(hours=6))
    deleted: set[int] = field(default_factory=set)
    replies: dict[int, list[int]] = field(default_factory=dict)
    # deviations seen on real servers (docs/platforms.md):
    batch_lookup: bool = True  # False: GET /api/v1/statuses?id[]= answers 405 (Mastodon < 4.3, others)
    accounts_page: int = 80  # page size of favourited_by / reblogged_by (Link-header paging)
    paging_skips: int = 0  # the Link next of those lists uses a max_id this many accounts too far
    token: str | None = None  # set: every request without "Authorization: Bearer <token>" answers 401

    def __post_init__(self) -> None:
        for e in range(self.employees):
            for j in range(self.statuses):
                sid = self.emp_status(e, j)
                if self.kind(sid) == "reply":
                    self.replies.setdefault(self.target(sid), []).append(sid)

    # ids and who is who
    def emp_status(self, e: int, j: int) -> int:
        return EMP_STATUS + e * 100_000 + j

    def camp_status(self, c: int, k: int) -> int:
        return CAMP_STATUS + c * 10_000 + k

    def owner(self, sid: int) -> tuple[str, int] | None:
        if sid >= EMP_STATUS:
            e, j = divmod(sid - EMP_STATUS, 100_000)
            return ("emp", e) if e < self.employees and j < self.statuses else None
        c, k = divmod(sid - CAMP_STATUS, 10_000)
        return ("camp", c) if 0 <= c < self.campaigns and 0 <= k < self.campaign_statuses else None

    def kind(self, sid: int) -> str:
        if sid < EMP_STATUS:
            return "post"
        j = (sid - EMP_STATUS) % 100_000
        kind = ("post", "boost", "reply", "quote")[j % 4]
        # a status can be boosted once per account: boosts go to distinct campaign statuses while any are left
        return "post" if kind == "boost" and j // 4 >= self.campaigns * self.campaign_statuses else kind

    def target(self, sid: int) -> int:
        j = (sid - EMP_STATUS) % 100_000
        if j % 4 == 1:
            return self.camp_status(j // 4 % self.campaigns, j // 4 // self.campaigns)
        return self.camp_status(j % self.campaigns, j % self.campaign_statuses)

    def engaged(self, sid: int, modulo: int) -> list[int]:
        """Employees who favourited (modulo 2) or boosted (modulo 3) a campaign status."""
        k = sid - CAMP_STATUS
        return [e for e in range(self.employees) if (e + k) % modulo == 0]

    # entities
    def account(self, who: tuple[str, int]) -> dict[str, Any]:
        prefix, n = who
        user = f"{prefix}{n}"
        return {"id": str((EMP_BASE if prefix == "emp" else CAMP_BASE) + n), "username": user, "acct": user,
                "display_name": f"{'Pegawai' if prefix == 'emp' else 'Paslon'} {n}",
                "url": f"https://{self.domain}/@{user}", "uri": f"https://{self.domain}/users/{user}"}

    def status(self, sid: int, depth: int = 0) -> dict[str, Any] | None:
        who = self.owner(sid)
        if who is None or sid in self.deleted:
            return None
        user = f"{who[0]}{who[1]}"
        kind = self.kind(sid)
        created = self.start + timedelta(seconds=(sid % 100_000) + (sid // 100_000) % 100)
        text = f"Status {sid} dari {user}: ayo dukung nomor urut {sid % 3 + 1}" if kind != "boost" else ""
        body: dict[str, Any] = {
            "id": str(sid), "uri": f"https://{self.domain}/users/{user}/statuses/{sid}",
            "url": f"https://{self.domain}/@{user}/{sid}", "created_at": created.isoformat().replace("+00:00", "Z"),
            "account": self.account(who), "content": f"<p>{text}</p>" if text else "", "language": "id",
            "visibility": "public", "in_reply_to_id": None, "reblog": None, "quote": None,
            "favourites_count": len(self.engaged(sid, 2)) if sid < EMP_STATUS else 0,
            "reblogs_count": len(self.engaged(sid, 3)) if sid < EMP_STATUS else 0,
            "replies_count": len(self.replies.get(sid, [])),
        }
        if kind == "boost" and depth == 0:
            body["reblog"] = self.status(self.target(sid), depth + 1)
        elif kind == "reply":
            body["in_reply_to_id"] = str(self.target(sid))
        elif kind == "quote" and depth == 0:
            body["quote"] = {"state": "accepted", "quoted_status": self.status(self.target(sid), depth + 1)}
        return body


class Faults:
    """Queued answers for paths containing a marker: ``(status, headers, body)``, used once each."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.queued: dict[str, deque[tuple[int, dict[str, str], bytes]]] = {}

    def add(self, marker: str, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        with self.lock:
            self.queued.setdefault(marker, deque()).append((status, headers or {}, body))

    def take(self, path: str) -> tuple[int, dict[str, str], bytes] | None:
        with self.lock:
            for marker, queue in self.queued.items():
                if marker in path and queue:
                    return queue.popleft()
        return None


class _QuietServer(ThreadingHTTPServer):
    """A client that goes away mid-response (a killed crawl) is normal here, not worth a traceback."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class SyntheticMastodon:
    """The server: ``start()`` on a free loopback port, ``base_url``, ``stop()``; ``log`` lists requests."""

    def __init__(self, world: World | None = None, delay: float = 0.0) -> None:
        self.world = world or World()
        self.delay = delay
        self.faults = Faults()
        self.log: list[tuple[float, str]] = []
        self.httpd = _QuietServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self) -> SyntheticMastodon:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out in two writes

            def log_message(self, format: str, *args: Any) -> None:
                return None

            def do_GET(self) -> None:
                server.log.append((time.monotonic(), self.path))
                if server.delay:
                    time.sleep(server.delay)
                fault = server.faults.take(self.path)
                token = server.world.token
                if token is not None and self.headers.get("Authorization") != f"Bearer {token}":
                    fault = (401, {}, b'{"error":"The access token is invalid"}')
                status, headers, body = fault if fault else server.route(self.path)
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        return Handler

    def route(self, raw: str) -> tuple[int, dict[str, str], bytes]:
        """Answer one GET of the Mastodon API."""
        url = urlsplit(raw)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        parts = url.path.strip("/").split("/")
        w = self.world
        if parts[:4] == ["api", "v1", "accounts", "lookup"]:
            match = re.fullmatch(r"(emp|camp)(\d+)", query.get("acct", ""))
            if not match or int(match[2]) >= (w.employees if match[1] == "emp" else w.campaigns):
                return 404, {}, b'{"error":"Record not found"}'
            return 200, {}, _json(w.account((match[1], int(match[2]))))
        if len(parts) == 5 and parts[:3] == ["api", "v1", "accounts"] and parts[4] == "statuses":
            return self.timeline(url.path, int(parts[3]), query)
        if parts == ["api", "v1", "statuses"]:  # GET /api/v1/statuses?id[]=…: the ones that exist
            if not w.batch_lookup:
                return 405, {}, b'{"error":"Method Not Allowed"}'
            ids = [int(v) for v in parse_qs(url.query).get("id[]", []) if v.isdigit()]
            return 200, {}, _json([st for st in (w.status(i) for i in ids[:20]) if st is not None])
        if len(parts) >= 4 and parts[:3] == ["api", "v1", "statuses"]:
            sid = int(parts[3])
            status = w.status(sid)
            if status is None:
                return 404, {}, b'{"error":"Record not found"}'
            tail = parts[4] if len(parts) > 4 else ""
            if tail == "":
                return 200, {}, _json(status)
            if tail in {"favourited_by", "reblogged_by"}:
                emps = w.engaged(sid, 2 if tail == "favourited_by" else 3) if sid < EMP_STATUS else []
                return self.accounts_list(url.path, emps, query)
            if tail == "context":
                replies = [w.status(r) for r in w.replies.get(sid, [])]
                return 200, {}, _json({"ancestors": [], "descendants": [r for r in replies if r]})
        return 404, {}, b'{"error":"Record not found"}'

    def accounts_list(self, path: str, emps: list[int], query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """One page of a favourited_by / reblogged_by list, newest (highest id) first, Link-header paging."""
        w = self.world
        ordered = sorted(emps, reverse=True)
        if "max_id" in query:
            ordered = [e for e in ordered if EMP_BASE + e < int(query["max_id"])]
        limit = min(int(query.get("limit", 40)), w.accounts_page)
        page, rest = ordered[:limit], ordered[limit:]
        headers = {}
        if rest:
            # a correct server points max_id at the last account shown; a deviating one skips some
            last = rest[w.paging_skips - 1] if w.paging_skips and len(rest) >= w.paging_skips else page[-1]
            headers["Link"] = f'<{self.base_url}{path}?max_id={EMP_BASE + last}&limit={limit}>; rel="next"'
        return 200, headers, _json([w.account(("emp", e)) for e in page])

    def timeline(self, path: str, account_id: int, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        w = self.world
        if EMP_BASE <= account_id < EMP_BASE + w.employees:
            ids = [w.emp_status(account_id - EMP_BASE, j) for j in range(w.statuses)]
        elif CAMP_BASE <= account_id < CAMP_BASE + w.campaigns:
            ids = [w.camp_status(account_id - CAMP_BASE, k) for k in range(w.campaign_statuses)]
        else:
            return 404, {}, b'{"error":"Record not found"}'
        limit = min(int(query.get("limit", 20)), 40)
        newest_first = sorted((i for i in ids if i not in w.deleted), reverse=True)
        if "max_id" in query:
            newest_first = [i for i in newest_first if i < int(query["max_id"])]
        page = newest_first[:limit]
        headers = {}
        if len(newest_first) > limit:
            headers["Link"] = f'<{self.base_url}{path}?max_id={page[-1]}&limit={limit}>; rel="next"'
        return 200, headers, _json([w.status(i) for i in page])


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def main() -> None:
    """Serve a synthetic instance until interrupted (``--employees``, ``--statuses`` ...)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--employees", type=int, default=3)
    parser.add_argument("--statuses", type=int, default=8)
    parser.add_argument("--campaigns", type=int, default=2)
    parser.add_argument("--campaign-statuses", type=int, default=3)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
    server = SyntheticMastodon(World(args.employees, args.statuses, args.campaigns, args.campaign_statuses),
                               args.delay).start()
    print(server.base_url, flush=True)
    try:
        server.thread.join()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
