"""`netral --help` must stay fast: the CLI module may not pull in the heavy packages at import time.

Checked in a fresh interpreter (not timed: timings flake on a shared machine); the heavy packages are
loaded only inside the command that needs them.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("spacy", "sklearn", "skops", "prefect", "scrapy", "openpyxl")


def _loaded_after_import(module: str) -> list[str]:
    code = (
        "import json, sys\n"
        f"import {module}\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=120)
    loaded: list[str] = json.loads(out.stdout.strip().splitlines()[-1])
    return loaded


def test_cli_module_imports_no_heavy_package() -> None:
    assert _loaded_after_import("pipelines.cli") == []


def test_cli_platform_list_matches_the_spiders() -> None:
    from crawlers.runner import SPIDERS
    from pipelines.cli.crawl import PLATFORMS

    assert PLATFORMS == SPIDERS
