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
class Pair:
    """One candidate pair (paslon) as registered for an election."""

    number: int
    candidate: str
    running_mate: str = ""
    aliases: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    accounts: dict[str, tuple[str, ...]] = field(default_factory=dict)

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
    """What the nlp layer needs to know about one election: its pairs and its calendar."""

    id: str
    name: str
    region: str
    timezone: str
    calendar: Calendar
    pairs: tuple[Pair, ...]

    def pair(self, number: int) -> Pair | None:
        return next((p for p in self.pairs if p.number == number), None)

    def official_handles(self) -> dict[str, int]:
        """Map every official handle (casefolded, no ``@``) to its pair number."""
        return {h: p.number for p in self.pairs for h in p.all_handles()}

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

    ``kind`` is ``mention`` (a pair was named), ``cue`` (a campaign cue matched) or ``ngram`` (a
    model feature that pushed the score up).  ``start``/``end`` are character offsets into the
    ORIGINAL text so a reviewer UI can highlight the evidence; n-gram reasons have no span.
    """

    kind: str
    label: str
    text: str
    start: int | None = None
    end: int | None = None
    pair: int | None = None
    weight: float | None = None


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

    def to_json(self, id_: object | None = None) -> dict[str, object]:
        """The stable batch-output record (``netral classify`` lines)."""
        record: dict[str, object] = {} if id_ is None else {"id": id_}
        record.update(
            campaign=self.campaign,
            score=round(self.score, 4),
            pair=self.pair,
            stance=self.stance,
            reasons=[
                {k: v for k, v in r.__dict__.items() if v is not None} for r in self.reasons
            ],
            model_version=self.model_version,
            uncertainty=round(self.uncertainty, 4),
        )
        return record
