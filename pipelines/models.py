"""Which classifier model is active: the one shipped in the package, or one the retrain flow promoted.

Promoted models live under ``<data_dir>/models/<version>/`` (skops artefact + metadata); the file
``<data_dir>/models/ACTIVE`` names the active one. Promotion writes the pointer atomically, so a
reader sees the old model or the new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from core.settings import Settings
from nlp.artefacts import DEFAULT_DIR, LoadedModel, load_default_model, load_model

POINTER = "ACTIVE"


def models_dir(settings: Settings) -> Path:
    """Where retrained model versions are kept."""
    return Path(settings.data_dir) / "models"


def active_dir(settings: Settings) -> Path:
    """The directory of the active model (the shipped default when none was promoted)."""
    pointer = models_dir(settings) / POINTER
    if pointer.is_file():
        candidate = models_dir(settings) / pointer.read_text(encoding="utf-8").strip()
        if candidate.is_dir():
            return candidate
    return DEFAULT_DIR


def load_active(settings: Settings) -> LoadedModel:
    """The active model, loaded."""
    directory = active_dir(settings)
    return load_default_model() if directory == DEFAULT_DIR else load_model(directory)


def promote(settings: Settings, version_dir: Path) -> None:
    """Make ``version_dir`` (inside :func:`models_dir`) the active model."""
    root = models_dir(settings)
    root.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=root, prefix=".active-")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(version_dir.name + "\n")
    os.replace(tmp, root / POINTER)
