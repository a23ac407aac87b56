"""``/healthz`` (is this process able to serve: database and evidence store) and ``/metrics`` (Prometheus).

``/healthz`` answers anyone, with no data beyond which check failed. ``/metrics`` carries aggregates only,
but they still describe an investigation in progress: it answers the configured addresses (the socket peer,
never a forwarded header) or a request with the configured bearer token, and nobody else.
"""

from __future__ import annotations

import hmac
import logging
import os
import shutil
from functools import lru_cache

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import CollectorRegistry
from sqlalchemy import text

from core.settings import Settings
from review_ui.metrics import NetralCollector

log = logging.getLogger(__name__)
router = APIRouter()
MIN_FREE_BYTES = 100 * 1024 * 1024


@lru_cache(maxsize=1)
def _heads() -> tuple[str, ...]:
    from core import migrate

    return migrate.heads()


def _checks(request: Request) -> dict[str, str]:
    settings: Settings = request.app.state.settings
    checks: dict[str, str] = {}
    try:
        with request.app.state.sessions() as session:
            revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        checks["database"] = "ok" if revision in _heads() else "migrations not current"
    except Exception as exc:  # any driver error means "not healthy"; the log keeps the detail
        log.warning("health check: database unreachable: %s", exc)
        checks["database"] = "unreachable"
    root = settings.resolved_evidence_dir
    existing = root
    while not existing.exists() and existing != existing.parent:  # a fresh install creates it on first write
        existing = existing.parent
    if not existing.is_dir() or not os.access(existing, os.W_OK):
        checks["evidence"] = "not writable"
    elif shutil.disk_usage(existing).free < MIN_FREE_BYTES:
        checks["evidence"] = "less than 100 MB free"
    else:
        checks["evidence"] = "ok"
    return checks


@router.get("/healthz")
def healthz(request: Request) -> JSONResponse:
    """200 with every check "ok", else 503 naming the failed checks (for a load balancer or systemd)."""
    checks = _checks(request)
    healthy = all(v == "ok" for v in checks.values())
    return JSONResponse({"status": "ok" if healthy else "failing", **checks}, status_code=200 if healthy else 503)


def _allowed(request: Request, settings: Settings) -> bool:
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else ""
    given = request.headers.get("authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    peer = request.client.host if request.client else ""
    return peer in settings.metrics_addresses


@router.get("/metrics")
def metrics(request: Request) -> Response:
    """The Prometheus exposition of :class:`review_ui.metrics.NetralCollector`."""
    settings: Settings = request.app.state.settings
    if not _allowed(request, settings):
        return PlainTextResponse("metrics are open to the configured addresses or token only", status_code=403)
    registry: CollectorRegistry | None = getattr(request.app.state, "metrics_registry", None)
    if registry is None:
        registry = CollectorRegistry(auto_describe=False)
        registry.register(NetralCollector(request.app.state.sessions, settings))
        request.app.state.metrics_registry = registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
