"""Plain data types shared by the nlp layer.

The nlp package is pure (text in, predictions out), so it carries its own small view of an election
instead of importing the validating registry from ``core``.  Everything here is a frozen dataclass so
predictions can be compared in tests and serialised with :func:`dataclasses.asdict`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Stance = Literal["support", "oppose", "none"]
STANCES: tuple[Stance, ...] = ("support", "oppose", "none")


@dataclass(frozen=True)
class Contest:
    """One contest of a Pilkada: the governor (pilgub), regent (pilbup) or mayor (pilwalkot) race.

    Pilkada 2024 was simultaneous: a regency votes in its province's governor contest and its own
    regent contest on one day, and one roster is watched for campaign content of both."""

    slug: str  # e.g. "pilbup-sungai-tenang-2024"
    kind: str  # "pilgub" | "pilbup" | "pilwalkot"
    name: str


@dataclass(frozen=True)
class Pair:
    """One candidate pair (paslon) as registered for an election; ``contest`` is its contest's slug.

    Ballot numbers repeat across contests, so a pair is identified by ``(contest, number)``."""

    number: int
    candidate: str
    running_mate: str = ""
    aliases: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    accounts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    contest: str = ""

    def all_handles(self) -> set[str]:
        """Official account handles on every platform, casefolded and without a leading ``@``."""
        return {h.lstrip("@").casefold() for handles in self.accounts.values() for h in handles}


@dataclass(frozen=True)
class Calendar:
    """The stages of an election that change how an interaction is read (PKPU schedule)."""

    candidates_fixed: date
    campaign_start: date
    campaign_end: date
    quiet_start: date
    quiet_end: date
    voting: date


@dataclass(frozen=True)
class ElectionSpec:
    """What the nlp layer needs to know about one Pilkada: its calendar, contests and their pairs.

    ``pairs`` holds the pairs of every contest (each names its ``contest``); a file of one contest
    gives one :class:`Contest`."""

    id: str
    name: str
    region: str
    timezone: str
    calendar: Calendar
    pairs: tuple[Pair, ...]
    contests: tuple[Contest, ...] = ()

    def pair(self, number: int, contest: str | None = None) -> Pair | None:
        """The pair with ballot ``number`` (in ``contest`` when given; else the first such pair)."""
        return next((p for p in self.pairs if p.number == number and (contest is None or p.contest == contest)),
                    None)

    def contest(self, slug: str) -> Contest | None:
        return next((c for c in self.contests if c.slug == slug), None)

    def contest_of_number(self, number: int) -> str | None:
        """The contest whose pair has ballot ``number`` when exactly one contest has it, else None."""
        owners = {p.contest for p in self.pairs if p.number == number}
        return owners.pop() if len(owners) == 1 else None

    def contest_of_mention(self, number: int, text: str) -> str | None:
        """The contest a mention of pair ``number`` written as ``text`` refers to, or None when unclear.

        A name, alias, hashtag or account belongs to one pair of one contest (the registry refuses
        a word claimed in two contests); a bare ballot number is only clear when one contest has it."""
        wanted = text.strip().lstrip("@#").casefold()
        found = set()
        for p in self.pairs:
            if p.number != number:
                continue
            words = [p.candidate, p.running_mate, *p.aliases, *p.hashtags, *p.all_handles()]
            if any(w and (wanted in w.lstrip("@#").casefold() or w.lstrip("@#").casefold() in wanted)
                   for w in words):
                found.add(p.contest)
        if len(found) == 1:
            return found.pop()
        return self.contest_of_number(number) if not found else None

    def official_handles(self) -> dict[str, int]:
        """Map every official handle (casefolded, no ``@``) to its pair number."""
        return {h: p.number for p in self.pairs for h in p.all_handles()}

    def official_account(self, handle: str, platform: str | None = None) -> Pair | None:
        """The pair (with its contest) whose official account ``handle`` is, else None."""
        wanted = handle.lstrip("@").casefold()
        for pair in self.pairs:
            for name, handles in pair.accounts.items():
                if (platform is None or name == platform) and wanted in {h.lstrip("@").casefold() for h in handles}:
                    return pair
        return None

    def official_account_pair(self, handle: str, platform: str | None = None) -> int | None:
        """Pair number whose official account ``handle`` is (on ``platform`` if given), else None.
        Feeds :attr:`nlp.assess.Interaction.target_is_official`."""
        wanted = handle.lstrip("@").casefold()
        for pair in self.pairs:
            for name, handles in pair.accounts.items():
                if (platform is None or name == platform) and wanted in {h.lstrip("@").casefold() for h in handles}:
                    return pair.number
        return None


@dataclass(frozen=True)
class Reason:
    """Why a prediction came out as it did.

    ``kind`` is ``mention`` (a pair was named), ``cue`` (a campaign cue matched), ``stance`` (a
    polar word near a pair's mention) or ``context`` (an election word).  ``label`` is the machine
    label, ``text`` the Indonesian sentence a reviewer reads ("menyebut nomor urut 2"),
    ``quote`` the words of the original text behind it.  ``start``/``end`` are character offsets
    into the original text (after mojibake repair) so a reviewer UI can highlight the evidence.
    """

    kind: str
    label: str
    text: str
    start: int | None = None
    end: int | None = None
    pair: int | None = None
    weight: float | None = None
    quote: str | None = None


@dataclass(frozen=True)
class PairStance:
    """One registered pair a text mentions, and the text's stance toward that pair alone."""

    number: int
    stance: Stance
    contest: str = ""
    score: float = 0.0

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"pair": self.number, "stance": self.stance}
        if self.contest:
            out["contest"] = self.contest
        return out


@dataclass(frozen=True)
class Prediction:
    """The classifier's output for one text; a lead for a human reviewer, never a finding."""

    campaign: bool
    score: float
    pair: int | None
    stance: Stance
    reasons: tuple[Reason, ...]
    model_version: str
    uncertainty: float
    contest: str | None = None
    election_related: bool = False
    pairs: tuple[PairStance, ...] = ()

    def to_json(self, id_: object | None = None) -> dict[str, object]:
        """The stable batch-output record (``netral classify`` lines)."""
        record: dict[str, object] = {} if id_ is None else {"id": id_}
        record.update(
            election_related=self.election_related,
            campaign=self.campaign,
            score=round(self.score, 4),
            pair=self.pair,
            contest=self.contest,
            pairs=[p.to_json() for p in self.pairs],
            stance=self.stance,
            reasons=[
                {k: v for k, v in r.__dict__.items() if v is not None} for r in self.reasons
            ],
            model_version=self.model_version,
            uncertainty=round(self.uncertainty, 4),
        )
        return record
