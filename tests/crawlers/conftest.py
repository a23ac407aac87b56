"""Fixtures of the crawler tests: the local Bluesky network (once per session) and crawl helpers."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import tool_missing
from testservers.atproto_network import bluesky as bsky

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def bsky_network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[bsky.Network]:
    """A real PLC + PDS + AppView on loopback, shared by the session's Bluesky tests."""
    if not bsky.installed():
        tool_missing("the local Bluesky network is not installed (scripts/test-setup.d/20-bsky-testnet.sh)")
    if shutil.which("redis-server") is None:
        tool_missing("redis-server is not installed (Debian package redis-server)")
    try:
        pg_url = bsky.local_postgres_url()
    except (OSError, subprocess.CalledProcessError) as exc:
        tool_missing(f"no local PostgreSQL for the AppView: {exc}")
    net = bsky.Network(tmp_path_factory.mktemp("bsky"), pg_url)
    net.start()
    yield net
    net.stop()
