"""Prefect's environment for netral: local state under the data directory, no analytics, no network.

Called at the edge (CLI, tests) before Prefect is imported, so an embedded run keeps its Prefect
database in ``<data_dir>/prefect`` and never phones home. An explicitly configured Prefect API
(``PREFECT_API_URL``, a server on PostgreSQL for scale-out) is left alone.
"""

from __future__ import annotations

import os
from pathlib import Path

from core.settings import Settings


def configure_prefect(settings: Settings) -> None:
    """Set Prefect's environment variables unless the operator set them already."""
    home = Path(settings.data_dir).resolve() / "prefect"
    defaults = {
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    home.mkdir(parents=True, exist_ok=True)
