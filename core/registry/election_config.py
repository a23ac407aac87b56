"""The election file (YAML): schema, validation with key paths, and import into the registry.

Other tools read the same file, so the schema is stable: ``election`` (the Pilkada: id, name, region,
timezone, the shared calendar) and either ``pairs`` (one contest: number, candidate, running_mate,
aliases, hashtags, parties, accounts per platform) or ``contests`` (several contests on the same day,
each with ``id``, ``kind`` — pilgub, pilbup or pilwalkot —, ``name`` and its ``pairs``). A file of one
contest is a Pilkada of one contest whose slug is the election id. A contest may have a single pair
(against the empty box, kotak kosong) or many. Extra keys are allowed and kept in ``Election.source``.

Errors name the key path, e.g. ``pairs[1].number: duplicate ballot number 2`` or
``contests[1].pairs[0].aliases[0]: alias 'Harun' also belongs to contests[0].pairs[0] (...)``: a name,
alias, hashtag or official account claimed by two pairs (of one contest or of two) is refused, naming
both, because a mention of it could not be told apart; a party backing pairs in both contests is normal.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

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
    kind: Literal["pilgub", "pilbup", "pilwalkot"] | None = None  # for a file of one contest
    active: bool = True  # watched by the nightly scan

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


ContestKind = Literal["pilgub", "pilbup", "pilwalkot"]


class ContestSpec(BaseModel):
    """One contest of the ``contests:`` list: the governor, regent or mayor race and its pairs."""

    model_config = ConfigDict(extra="allow")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,98}[a-z0-9]$")
    kind: ContestKind
    name: str = Field(min_length=3)
    pairs: list[PairSpec] = Field(min_length=1)


class ElectionFile(BaseModel):
    """The whole file: the Pilkada and its contests (``pairs`` for one contest, or ``contests``)."""

    model_config = ConfigDict(extra="allow")
    election: ElectionHeader
    pairs: list[PairSpec] | None = Field(default=None, min_length=1)
    contests: list[ContestSpec] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one_form(self) -> ElectionFile:
        if (self.pairs is None) == (self.contests is None):
            raise ValueError("give either pairs: (a Pilkada of one contest) or contests:, not both")
        return self

    def all_contests(self) -> list[ContestSpec]:
        """The contests, a one-contest file read as a Pilkada of one contest named like the election."""
        if self.contests is not None:
            return list(self.contests)
        head = self.election
        kind: ContestKind = head.kind or kind_from_name(head.name)
        return [ContestSpec(id=head.id, kind=kind, name=head.name, pairs=list(self.pairs or []))]

    def paths(self) -> list[tuple[str, ContestSpec]]:
        """Each contest with the key path of its ``pairs`` list (``""`` or ``contests[i].``)."""
        if self.contests is None:
            return [("", c) for c in self.all_contests()]
        return [(f"contests[{i}].", c) for i, c in enumerate(self.contests)]

    def all_pairs(self) -> list[PairSpec]:
        """The pairs of every contest."""
        return [p for c in self.all_contests() for p in c.pairs]


def kind_from_name(name: str) -> ContestKind:
    """The contest kind a one-contest file's election name suggests (regent when it says nothing)."""
    lowered = name.casefold()
    if "gubernur" in lowered or "governor" in lowered:
        return "pilgub"
    if "wali kota" in lowered or "walikota" in lowered or "mayor" in lowered:
        return "pilwalkot"
    return "pilbup"


def _loc(parts: tuple[int | str, ...]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _calendar_checks(doc: ElectionFile) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    cal = doc.election.calendar
    order = [("calendar.candidates_fixed", cal.candidates_fixed), ("calendar.campaign.start", cal.campaign.start),
             ("calendar.campaign.end", cal.campaign.end), ("calendar.quiet.start", cal.quiet.start),
             ("calendar.quiet.end", cal.quiet.end), ("calendar.voting", cal.voting)]
    known = [(k, v) for k, v in order if v is not None]
    for (k1, v1), (k2, v2) in pairwise(known):
        if v2 < v1:
            problems.append((f"election.{k2}", f"{v2} is before {k1.split('.', 1)[1]} {v1}"))
    return problems


def _who(where: str, contest: ContestSpec, pair: PairSpec) -> str:
    return f"{where} ({contest.id}, pair {pair.number} {pair.candidate})"


class _Claims:
    """Words and accounts already claimed by a pair, to name both pairs of a clash."""

    def __init__(self) -> None:
        self.owner: dict[tuple[str, str], tuple[str, str]] = {}  # (kind, key) → (path of the pair, who)
        self.problems: list[tuple[str, str]] = []

    def claim(self, kind: str, key: str, path: str, pair_path: str, who: str, shown: str) -> None:
        owner = self.owner.get((kind, key))
        if owner is not None and owner[0] != pair_path:
            self.problems.append((path, f"{kind} {shown} also belongs to {owner[1]}; a mention of it "
                                        f"could not be told apart (claimed by {who})"))
        self.owner.setdefault((kind, key), (pair_path, who))


def _semantic_checks(doc: ElectionFile) -> list[tuple[str, str]]:
    problems = _calendar_checks(doc)
    claims = _Claims()
    contest_ids: dict[str, str] = {}
    for prefix, contest in doc.paths():
        if contest.id in contest_ids:
            problems.append((f"{prefix}id", f"duplicate contest {contest.id} (also {contest_ids[contest.id]}id)"))
        contest_ids.setdefault(contest.id, prefix)
        numbers: dict[int, int] = {}
        for i, pair in enumerate(contest.pairs):
            pair_path = f"{prefix}pairs[{i}]"
            who = _who(pair_path, contest, pair)
            if pair.number in numbers:
                problems.append((f"{pair_path}.number", f"duplicate ballot number {pair.number}"))
            numbers[pair.number] = i
            for j, alias in enumerate(pair.aliases):
                claims.claim("alias", alias.strip().casefold(), f"{pair_path}.aliases[{j}]", pair_path, who, alias)
            for j, tag in enumerate(pair.hashtags):
                claims.claim("hashtag", tag.casefold(), f"{pair_path}.hashtags[{j}]", pair_path, who, tag)
            problems += _account_checks(claims, pair, pair_path, who)
    return problems + claims.problems


def _account_checks(claims: _Claims, pair: PairSpec, pair_path: str, who: str) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for platform_name, handles in pair.accounts.items():
        try:
            platform = parse_platform(platform_name)
        except ValueError as exc:
            problems.append((f"{pair_path}.accounts.{platform_name}", str(exc)))
            continue
        for j, handle in enumerate(handles):
            path = f"{pair_path}.accounts.{platform_name}[{j}]"
            try:
                canonical = normalise_handle(platform, str(handle))
            except HandleError as exc:
                problems.append((path, str(exc)))
                continue
            claims.claim("account", f"{platform.value}:{canonical}", path, pair_path, who, canonical)
        if len(handles) > 20:
            problems.append((f"{pair_path}.accounts.{platform_name}", "more than 20 accounts on one platform"))
    return problems


MAX_FILE_BYTES = 5_000_000
MAX_DEPTH = 12  # election → contests → pair → accounts → platform → handle is six; room for kept extra keys


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether ``value`` nests deeper than ``limit`` (iterative, so a hostile file cannot overflow the stack).

    Aliases may point back at shared nodes; each (node, depth) is visited once per path, which the depth
    limit bounds.
    """
    stack: list[tuple[Any, int]] = [(value, 0)]
    seen: set[tuple[int, int]] = set()
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(node, dict | list):
            key = (id(node), depth)
            if key in seen:
                continue
            seen.add(key)
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return False


def load_election_file(path: Path) -> ElectionFile:
    """Read and validate ``path``; raise :class:`InputFileError` with every problem and its key path."""
    name = str(path)
    if not path.is_file():
        raise InputFileError([Problem(name, None, None, "no such file")])
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InputFileError([Problem(name, None, None, f"file is larger than {MAX_FILE_BYTES // 1_000_000} MB: "
                                                        "an election file is a few kilobytes")])
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except RecursionError as exc:
        raise InputFileError([Problem(name, None, None, "not valid for an election file: YAML nested too deeply "
                                                        "(an election file is at most a few levels deep)")]) from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise InputFileError([Problem(name, None if line is None else line + 1, None,
                                      f"not valid YAML: {exc}")]) from exc
    if not isinstance(raw, dict):
        raise InputFileError([Problem(name, None, None,
                                      "the file must be a mapping with election: and pairs: (or contests:)")])
    if _depth_exceeds(raw, MAX_DEPTH):
        raise InputFileError([Problem(name, None, None, f"YAML nested more than {MAX_DEPTH} levels deep: "
                                                        "an election file is at most a few levels deep")])
    try:
        doc = ElectionFile.model_validate(raw)
    except RecursionError as exc:
        raise InputFileError([Problem(name, None, None, "YAML nested too deeply for an election file")]) from exc
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
