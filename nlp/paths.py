"""Where the shipped artefacts and data live: constants without heavy imports, so the CLI can show
them as option defaults without loading scikit-learn, skops or spaCy."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).parent
DEFAULT_MODEL_DIR = PACKAGE_DIR / "models" / "default"
CORPUS_DIR = PACKAGE_DIR / "corpus"
DEV_SET = CORPUS_DIR / "dev" / "dev.jsonl"
