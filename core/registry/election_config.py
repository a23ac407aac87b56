"""The election file (YAML): schema, validation with key paths, and import into the registry.

Other tools read the same file, so the schema is stable: ``election`` (id, name, region, timezone,
calendar) and ``pairs`` (number, candidate, running_mate, aliases, hashtags, parties, accounts per
platform). Extra keys are allowed and kept in ``Election.source``. Errors name the key path, e.g.
``pairs[1].number: duplicate ballot number 2``.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.errors import InputFileError, Problem
from core.models.enums import Platform
from core.registry.handles import HandleError, normalise_handle, parse_platform


class Period(BaseModel):
    """A stage with a first and last day (inclusive)."""

    model_config = ConfigDict(extra="allow")
    start: date
    end: date


class Calendar(BaseModel):
    """The stage calendar (PKPU 2/2024 for Pilkada 2024); extra stages are kept as given."""

    model_config = ConfigDict(extra="allow")
    candidates_fixed: date | None = None
    campaign: Period
    quiet: Period
    voting: date


class ElectionHeader(BaseModel):
    """The ``election:`` block."""

    model_config = ConfigDict(extra="allow")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,98}[a-z0-9]$")
    name: str = Field(min_length=3)
    region: str = Field(min_length=2)
    timezone: str = "Asia/Makassar"
    calendar: Calendar

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class PairSpec(BaseModel):
    """One candidate pair of the ``pairs:`` list."""

    model_config = ConfigDict(extra="allow")
    number: int = Field(ge=1, le=99)
    candidate: str = Field(min_length=2)
    running_mate: str | None = None
    aliases: list[str] = []
    hashtags: list[str] = []
    parties: list[str] = []
    accounts: dict[str, list[str]] = {}

    @field_validator("hashtags")
    @classmethod
    def _hash_prefixed(cls, values: list[str]) -> list[str]:
        out = []
        for tag in values:
            tag = tag.strip()
            if not tag.startswith("#") or len(tag) < 2 or " " in tag:
                raise ValueError(f"hashtag {tag!r} must look like #Word")
            out.append(tag)
        return out


class ElectionFile(BaseModel):
    """The whole file."""

    model_config = ConfigDict(extra="allow")
    election: ElectionHeader
    pairs: list[PairSpec] = Field(min_length=1)


def _loc(parts: tuple[int | str, ...]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _semantic_checks(doc: ElectionFile) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    cal = doc.election.calendar
    order = [("calendar.candidates_fixed", cal.candidates_fixed), ("calendar.campaign.start", cal.campaign.start),
             ("calendar.campaign.end", cal.campaign.end), ("calendar.quiet.start", cal.quiet.start),
             ("calendar.quiet.end", cal.quiet.end), ("calendar.voting", cal.voting)]
    known = [(k, v) for k, v in order if v is not None]
    for (k1, v1), (k2, v2) in pairwise(known):
        if v2 < v1:
            problems.append((f"election.{k2}", f"{v2} is before {k1.split('.', 1)[1]} {v1}"))
    numbers: dict[int, int] = {}
    claimed: dict[tuple[str, str], int] = {}
    for i, pair in enumerate(doc.pairs):
        if pair.number in numbers:
            problems.append((f"pairs[{i}].number", f"duplicate ballot number {pair.number}"))
        numbers[pair.number] = i
        for platform_name, handles in pair.accounts.items():
            try:
                platform = parse_platform(platform_name)
            except ValueError as exc:
                problems.append((f"pairs[{i}].accounts.{platform_name}", str(exc)))
                continue
            for j, handle in enumerate(handles):
                path = f"pairs[{i}].accounts.{platform_name}[{j}]"
                try:
                    canonical = normalise_handle(platform, str(handle))
                except HandleError as exc:
                    problems.append((path, str(exc)))
                    continue
                owner = claimed.get((platform.value, canonical))
                if owner is not None:
                    problems.append((path, f"account {canonical} also belongs to pairs[{owner}]"))
                claimed[(platform.value, canonical)] = i
            if len(handles) > 20:
                problems.append((f"pairs[{i}].accounts.{platform_name}", "more than 20 accounts on one platform"))
    return problems


def load_election_file(path: Path) -> ElectionFile:
    """Read and validate ``path``; raise :class:`InputFileError` with every problem and its key path."""
    name = str(path)
    if not path.is_file():
        raise InputFileError([Problem(name, None, None, "no such file")])
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise InputFileError([Problem(name, None if line is None else line + 1, None,
                                      f"not valid YAML: {exc}")]) from exc
    if not isinstance(raw, dict):
        raise InputFileError([Problem(name, None, None, "the file must be a mapping with election: and pairs:")])
    try:
        doc = ElectionFile.model_validate(raw)
    except ValidationError as exc:
        raise InputFileError([Problem(name, None, _loc(e["loc"]), e["msg"]) for e in exc.errors()]) from exc
    problems = _semantic_checks(doc)
    if problems:
        raise InputFileError([Problem(name, None, loc, msg) for loc, msg in problems])
    return doc


def canonical_accounts(pair: PairSpec) -> list[tuple[Platform, str]]:
    """The pair's official accounts as (platform, canonical handle)."""
    return [(parse_platform(p), normalise_handle(parse_platform(p), str(h)))
            for p, handles in pair.accounts.items() for h in handles]
