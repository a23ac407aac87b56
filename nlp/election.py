"""Read the election YAML file into an :class:`~nlp.types.ElectionSpec`.

``core`` owns the validating loader used by the rest of the system; this one only reads the same file
format so that ``nlp`` stays importable on its own (and so the training corpus can carry its own
election files).  It fails loudly on a missing field rather than guessing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from nlp.errors import NlpError
from nlp.types import Calendar, ElectionSpec, Pair

log = logging.getLogger(__name__)


class ElectionFileError(NlpError, ValueError):
    """The election file cannot be read as an election spec."""


def _date(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise ElectionFileError(f"{where}: not an ISO date: {value!r}") from exc
    raise ElectionFileError(f"{where}: missing or not a date: {value!r}")


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        return tuple(str(v) for v in value)
    raise ElectionFileError(f"{where}: expected a list of strings, got {value!r}")


def _pair(raw: Mapping[str, Any], index: int) -> Pair:
    where = f"pairs[{index}]"
    try:
        number = int(raw["number"])
        candidate = str(raw["candidate"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ElectionFileError(f"{where}: needs 'number' and 'candidate'") from exc
    accounts_raw = raw.get("accounts") or {}
    if not isinstance(accounts_raw, Mapping):
        raise ElectionFileError(f"{where}.accounts: expected a mapping platform -> handles")
    accounts = {str(k): _strings(v, f"{where}.accounts.{k}") for k, v in accounts_raw.items()}
    return Pair(
        number=number,
        candidate=candidate,
        running_mate=str(raw.get("running_mate") or ""),
        aliases=_strings(raw.get("aliases"), f"{where}.aliases"),
        hashtags=_strings(raw.get("hashtags"), f"{where}.hashtags"),
        parties=_strings(raw.get("parties"), f"{where}.parties"),
        accounts=accounts,
    )


def election_from_mapping(data: Mapping[str, Any]) -> ElectionSpec:
    """Build a spec from already-parsed YAML (the ``election:`` + ``pairs:`` document)."""
    election = data.get("election")
    if not isinstance(election, Mapping):
        raise ElectionFileError("missing 'election' section")
    cal = election.get("calendar")
    if not isinstance(cal, Mapping):
        raise ElectionFileError("election.calendar: missing")
    campaign = cal.get("campaign") or {}
    quiet = cal.get("quiet") or {}
    calendar = Calendar(
        candidates_fixed=_date(cal.get("candidates_fixed"), "calendar.candidates_fixed"),
        campaign_start=_date(campaign.get("start"), "calendar.campaign.start"),
        campaign_end=_date(campaign.get("end"), "calendar.campaign.end"),
        quiet_start=_date(quiet.get("start"), "calendar.quiet.start"),
        quiet_end=_date(quiet.get("end"), "calendar.quiet.end"),
        voting=_date(cal.get("voting"), "calendar.voting"),
    )
    pairs_raw = data.get("pairs")
    if not isinstance(pairs_raw, list) or not pairs_raw:
        raise ElectionFileError("'pairs' must be a non-empty list")
    pairs = tuple(_pair(p, i) for i, p in enumerate(pairs_raw))
    numbers = [p.number for p in pairs]
    if len(set(numbers)) != len(numbers):
        raise ElectionFileError(f"duplicate ballot numbers: {numbers}")
    return ElectionSpec(
        id=str(election.get("id") or ""),
        name=str(election.get("name") or ""),
        region=str(election.get("region") or ""),
        timezone=str(election.get("timezone") or "Asia/Jakarta"),
        calendar=calendar,
        pairs=pairs,
    )


def load_election_yaml(path: str | Path) -> ElectionSpec:
    """Read an election file; raises :class:`ElectionFileError` with the offending field."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ElectionFileError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise ElectionFileError(f"{path}: cannot read ({exc.strerror})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise ElectionFileError(f"{path}:{line}: not valid YAML ({getattr(exc, 'problem', None) or exc})") from exc
    except RecursionError as exc:
        raise ElectionFileError(f"{path}: nested too deeply to be an election file") from exc
    if not isinstance(data, Mapping):
        raise ElectionFileError(f"{path}: not a YAML mapping (an election file has 'election:' and 'pairs:')")
    try:
        spec = election_from_mapping(data)
    except ElectionFileError as exc:
        raise ElectionFileError(f"{path}: {exc}") from exc
    except (RecursionError, TypeError, AttributeError) as exc:
        raise ElectionFileError(f"{path}: not an election file ({type(exc).__name__})") from exc
    log.debug("loaded election %s with %d pairs", spec.id, len(spec.pairs))
    return spec
