"""Model artefacts on disk: ``model.skops`` + ``metadata.json`` in one directory.

skops instead of pickle so that loading a model file cannot run arbitrary code: only the types
listed in :data:`TRUSTED_TYPES` (plain scikit-learn / numpy / scipy types) are accepted, anything
else in the file is refused.  The metadata records version, data hash, parameters and metrics so a
prediction's ``model_version`` can be traced back to the data it was trained on.
"""

from __future__ import annotations

import json
import logging
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import skops.io as sio
from skops.io.exceptions import UntrustedTypesFoundException

from nlp.errors import NlpError
from nlp.model import CampaignModel
from nlp.paths import DEFAULT_MODEL_DIR

log = logging.getLogger(__name__)

MODEL_FILE = "model.skops"
METADATA_FILE = "metadata.json"
DEFAULT_DIR = DEFAULT_MODEL_DIR

# Types skops does not trust by default but that our own pipeline is made of.
TRUSTED_TYPES = [
    "numpy.dtype", "numpy.float32", "numpy.float64", "numpy.int64", "numpy.str_",
    "scipy.sparse._csr.csr_matrix", "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration", "sklearn.compose._column_transformer._RemainderColsList",
    "builtins.slice",
]


class ModelFileError(NlpError, RuntimeError):
    """The artefact is missing, incomplete, or contains types we do not trust."""


@dataclass(frozen=True)
class LoadedModel:
    model: CampaignModel
    metadata: dict[str, Any]

    @property
    def version(self) -> str:
        return str(self.metadata["version"])


def save_model(model: CampaignModel, directory: Path, metadata: dict[str, Any]) -> Path:
    """Write the artefact; ``metadata`` must contain at least ``version``."""
    if "version" not in metadata:
        raise ValueError("metadata needs a 'version'")
    directory.mkdir(parents=True, exist_ok=True)
    payload = {"campaign": model.campaign, "stance": model.stance, "threshold": model.threshold}
    # The word vocabulary is stored as verbose JSON by skops; deflate keeps the shipped file small.
    sio.dump(payload, directory / MODEL_FILE, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    meta = dict(metadata, params=_jsonable(model.params), threshold=model.threshold)
    (directory / METADATA_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    log.info("saved model %s to %s", metadata["version"], directory)
    return directory


def load_model(directory: Path) -> LoadedModel:
    """Load an artefact, refusing any type outside the expected scikit-learn building blocks."""
    path = directory / MODEL_FILE
    meta_path = directory / METADATA_FILE
    if not path.exists() or not meta_path.exists():
        raise ModelFileError(f"{directory}: needs {MODEL_FILE} and {METADATA_FILE}")
    try:  # one pass: skops refuses any type outside its defaults and our list
        payload = sio.load(path, trusted=TRUSTED_TYPES)
    except UntrustedTypesFoundException as exc:
        raise ModelFileError(f"{path}: refusing untrusted types ({exc})") from exc
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
        raise ModelFileError(f"{path}: not a readable model artefact ({type(exc).__name__})") from exc
    try:
        metadata = json.loads(meta_path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        raise ModelFileError(f"{meta_path}: not readable JSON metadata") from exc
    if not isinstance(payload, dict) or not {"campaign", "stance", "threshold"} <= set(payload):
        raise ModelFileError(f"{path}: not a netral campaign model")
    model = CampaignModel(campaign=payload["campaign"], stance=payload["stance"],
                          threshold=float(payload["threshold"]), params=dict(metadata.get("params", {})))
    return LoadedModel(model=model, metadata=metadata)


@cache
def load_default_model() -> LoadedModel:
    """The model shipped in the package (trained on ``nlp/corpus``), loaded once per process."""
    return load_model(DEFAULT_DIR)


def _jsonable(params: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}
