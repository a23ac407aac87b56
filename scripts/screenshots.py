"""``make screenshots``: run the demo into a scratch data directory, serve the review UI on 127.0.0.1 and take
Chromium screenshots of the queue and of the top case page into docs/img/ (referenced from the README).

Nothing outside the scratch directory is touched; the demo's local servers and the UI server are stopped
at the end. Chromium is Debian's ``/usr/bin/chromium`` driven by Playwright (as the browser tests do).
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "img"
NETRAL = [sys.executable, "-c", "from pipelines.cli import main; main()"]
PASSWORD = secrets.token_urlsafe(16)  # a throwaway account in a throwaway database
SHOTS = {"queue.png": "/queue", "case.png": None}  # None: the top case of the queue
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(args: list[str], env: dict[str, str], stdin: str | None = None) -> None:
    subprocess.run([*NETRAL, *args], env=env, cwd=ROOT, check=True, input=stdin, text=True)


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="netral-screens-") as tmp:
        env = {**os.environ, "NETRAL_DATA_DIR": tmp, "NETRAL_DATABASE_URL": f"sqlite:///{tmp}/netral.db",
               "NETRAL_LOG_LEVEL": "WARNING"}
        _run(["demo"], env)
        _run(["users", "add", "peninjau", "--role", "reviewer", "--name", "Siti Peninjau", "--password-stdin"],
             env, PASSWORD + "\n")
        port = _port()
        server = subprocess.Popen([*NETRAL, "serve", "--port", str(port)], env=env, cwd=ROOT)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    httpx.get(f"{base}/healthz")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            OUT.mkdir(parents=True, exist_ok=True)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                page = browser.new_context(base_url=base, viewport={"width": 1366, "height": 768}).new_page()
                page.goto("/login")
                page.fill("#username", "peninjau")
                page.fill("#password", PASSWORD)
                with page.expect_navigation():
                    page.press("#password", "Enter")
                for name, path in SHOTS.items():
                    if path is None:
                        page.goto("/queue")
                        href = page.get_attribute("tr[data-href]", "data-href")
                        path = href or "/queue"
                    page.goto(path)
                    page.wait_for_load_state("networkidle")
                    clip = {"x": 0, "y": 0, "width": 1366, "height": 768 if name == "queue.png" else 1700}
                    page.screenshot(path=str(OUT / name), full_page=True, clip=clip)
                    print(f"wrote {OUT / name}")
                browser.close()
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
