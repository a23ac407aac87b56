"""``netral serve``: run the review UI with uvicorn (127.0.0.1:8000 by default)."""

from __future__ import annotations

import logging

import typer

from pipelines.cli.runtime import runtime

log = logging.getLogger(__name__)


def serve(host: str = typer.Option("127.0.0.1", help="Address to listen on (loopback by default)."),
          port: int = typer.Option(8000, help="TCP port."),
          workers: int = typer.Option(1, min=1, help="Worker processes (each refreshes priorities hourly)."),
          proxy_headers: bool = typer.Option(
              False, help="Trust X-Forwarded-Proto/For from a reverse proxy on 127.0.0.1 (https → Secure "
                          "cookies).")) -> None:
    """Serve the review UI for BKPSDM reviewers."""
    import uvicorn

    from review_ui.app import create_app

    rt = runtime()
    rt.require_current_schema()
    if rt.settings.secret_key.get_secret_value() == "change-me-in-production" and host not in (
            "127.0.0.1", "localhost", "::1"):
        log.warning("NETRAL_SECRET_KEY is the default while listening on %s: set a secret", host)
    options = {"host": host, "port": port, "proxy_headers": proxy_headers, "forwarded_allow_ips": "127.0.0.1",
               "log_level": rt.settings.log_level.lower()}
    if workers > 1:  # worker processes import the app themselves (they read the same environment)
        uvicorn.run("review_ui.app:create_app", factory=True, workers=workers, **options)  # type: ignore[arg-type]
    else:
        uvicorn.run(create_app(rt.settings), **options)  # type: ignore[arg-type]
