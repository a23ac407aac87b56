"""``netral serve``: run the review UI with uvicorn (127.0.0.1:8000 by default)."""

from __future__ import annotations

import logging

import typer

from core.errors import NetralError
from core.settings import Settings
from pipelines.cli.runtime import runtime
from pipelines.doctor import KEY_ADVICE, check_secret

log = logging.getLogger(__name__)
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class UnsafeListen(NetralError):
    """``netral serve`` was asked to listen beyond loopback without a secret key or HTTPS."""


def refuse_public_without_protection(settings: Settings, host: str) -> None:
    """Listening beyond loopback needs a real secret key and HTTPS (Secure cookies, https public URL).

    Sessions, CSRF tokens and passwords would otherwise cross the network in clear text or be forgeable
    with the published default key; behind a reverse proxy on the same machine, keep the loopback default.
    """
    problems = []
    if check_secret(settings).status != "ok":
        problems.append(KEY_ADVICE)
    if not settings.cookie_secure or not settings.public_base_url.startswith("https://"):
        problems.append("HTTPS is not configured: set NETRAL_COOKIE_SECURE=true and NETRAL_PUBLIC_BASE_URL=https://…"
                        " (TLS ends at the reverse proxy, see docs/operations.md)")
    if problems:
        raise UnsafeListen(f"refusing to listen on {host}: " + "; ".join(problems))


def serve(host: str = typer.Option("127.0.0.1", help="Address to listen on (loopback by default)."),
          port: int = typer.Option(8000, help="TCP port."),
          workers: int = typer.Option(1, min=1, help="Worker processes (each refreshes priorities hourly)."),
          proxy_headers: bool = typer.Option(
              False, help="Trust X-Forwarded-Proto (https → Secure cookies) from the proxies in "
                          "NETRAL_TRUSTED_PROXIES (127.0.0.1 when empty). The client address is taken from "
                          "X-Forwarded-For / Forwarded only for requests from those proxies, either way.")) -> None:
    """Serve the review UI for BKPSDM reviewers."""
    import uvicorn

    from review_ui.app import create_app

    rt = runtime()
    rt.require_current_schema()
    if host not in LOOPBACK:
        refuse_public_without_protection(rt.settings, host)
    # uvicorn's own rewriting uses the same trusted list (the app then sees the client as the peer and,
    # since the client is not a trusted proxy, does not read the headers a second time).
    trusted = ",".join(str(net) for net in rt.settings.trusted_proxy_networks) or "127.0.0.1"
    options = {"host": host, "port": port, "proxy_headers": proxy_headers, "forwarded_allow_ips": trusted,
               "log_level": rt.settings.log_level.lower()}
    if workers > 1:  # worker processes import the app themselves (they read the same environment)
        uvicorn.run("review_ui.app:create_app", factory=True, workers=workers, **options)  # type: ignore[arg-type]
    else:
        uvicorn.run(create_app(rt.settings), **options)  # type: ignore[arg-type]
