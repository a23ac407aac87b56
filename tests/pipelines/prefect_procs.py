"""A real Prefect server and real process workers on loopback, for the scale-out test."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prefect_env(home: Path, api_url: str | None = None, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_UI_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "INFO", **(extra or {})}
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


class PrefectServer:
    """``prefect server start`` on a free loopback port, with its own database."""

    def __init__(self, home: Path, database_url: str | None = None) -> None:
        self.port = free_port()
        self.home = home
        home.mkdir(parents=True, exist_ok=True)
        extra = {"PREFECT_SERVER_API_HOST": "127.0.0.1", "PREFECT_SERVER_API_PORT": str(self.port)}
        if database_url:
            extra["PREFECT_API_DATABASE_CONNECTION_URL"] = database_url
        self.env = prefect_env(home, extra=extra)
        self.log = (home / "server.log").open("wb")
        self.proc = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1",
                                      "--port", str(self.port)], env=self.env, stdout=self.log,
                                     stderr=subprocess.STDOUT)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def wait(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"prefect server exited: {(self.home / 'server.log').read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.api_url}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise TimeoutError("prefect server did not become healthy")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def start_worker(name: str, pool: str, env: dict[str, str], logdir: Path) -> subprocess.Popen[bytes]:
    log = (logdir / f"{name}.log").open("wb")
    return subprocess.Popen([str(BIN / "prefect"), "worker", "start", "--pool", pool, "--type", "process",
                             "--name", name, "--limit", "4"], env=env, stdout=log, stderr=subprocess.STDOUT)
