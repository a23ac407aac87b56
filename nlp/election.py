"""Read the election YAML file into an :class:`~nlp.types.ElectionSpec`.

``core`` owns the validating loader used by the rest of the system; this one only reads the same file
format so that ``nlp`` stays importable on its own (and so the training corpus can carry its own
election files).  It fails loudly on a missing field rather than guessing.

A file describes one Pilkada: either one contest with a top-level ``pairs:`` list (the contest's
slug is the election id, its kind ``election.kind`` or read from the name), or several under
``contests:`` (each with ``id``, ``kind``, ``name`` and ``pairs``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from nlp.errors import NlpError
from nlp.types import Calendar, Contest, ElectionSpec, Pair

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


KINDS = ("pilgub", "pilbup", "pilwalkot")


def kind_from_name(name: str) -> str:
    """The contest kind a one-contest file's election name suggests (regent when it says nothing)."""
    lowered = name.casefold()
    if "gubernur" in lowered or "governor" in lowered:
        return "pilgub"
    if "wali kota" in lowered or "walikota" in lowered or "mayor" in lowered:
        return "pilwalkot"
    return "pilbup"


def _pair(raw: Mapping[str, Any], index: int, contest: str = "", prefix: str = "") -> Pair:
    where = f"{prefix}pairs[{index}]"
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
        contest=contest,
    )


def _pairs(raw: Any, contest: str, prefix: str) -> tuple[Pair, ...]:
    if not isinstance(raw, list) or not raw:
        raise ElectionFileError(f"{prefix}pairs: must be a non-empty list")
    pairs = tuple(_pair(p, i, contest, prefix) for i, p in enumerate(raw))
    numbers = [p.number for p in pairs]
    if len(set(numbers)) != len(numbers):
        raise ElectionFileError(f"{prefix}pairs: duplicate ballot numbers: {numbers}")
    return pairs


def _contests(data: Mapping[str, Any], election: Mapping[str, Any]) -> tuple[tuple[Contest, ...], tuple[Pair, ...]]:
    raw = data.get("contests")
    if raw is None:
        slug = str(election.get("id") or "")
        name = str(election.get("name") or "")
        kind = str(election.get("kind") or kind_from_name(name))
        return (Contest(slug, kind, name),), _pairs(data.get("pairs"), slug, "")
    if data.get("pairs") is not None:
        raise ElectionFileError("give either 'pairs' (one contest) or 'contests', not both")
    if not isinstance(raw, list) or not raw:
        raise ElectionFileError("'contests' must be a non-empty list")
    contests: list[Contest] = []
    pairs: list[Pair] = []
    for i, item in enumerate(raw):
        where = f"contests[{i}]"
        if not isinstance(item, Mapping) or not item.get("id"):
            raise ElectionFileError(f"{where}: needs 'id', 'kind', 'name' and 'pairs'")
        kind = str(item.get("kind") or "")
        if kind not in KINDS:
            raise ElectionFileError(f"{where}.kind: one of {', '.join(KINDS)}, got {kind!r}")
        contest = Contest(str(item["id"]), kind, str(item.get("name") or item["id"]))
        if any(c.slug == contest.slug for c in contests):
            raise ElectionFileError(f"{where}.id: duplicate contest {contest.slug!r}")
        contests.append(contest)
        pairs.extend(_pairs(item.get("pairs"), contest.slug, f"{where}."))
    return tuple(contests), tuple(pairs)


def election_from_mapping(data: Mapping[str, Any]) -> ElectionSpec:
    """Build a spec from already-parsed YAML (``election:`` + ``pairs:`` or ``contests:``)."""
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
    contests, pairs = _contests(data, election)
    return ElectionSpec(
        id=str(election.get("id") or ""),
        name=str(election.get("name") or ""),
        region=str(election.get("region") or ""),
        timezone=str(election.get("timezone") or "Asia/Jakarta"),
        calendar=calendar,
        pairs=pairs,
        contests=contests,
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
    log.debug("loaded election %s: %d contest(s), %d pairs", spec.id, len(spec.contests), len(spec.pairs))
    return spec
