"""From an interaction and its predictions to *candidate* violation codes for a human reviewer.

Encodes the social-media rows of the 2022 joint decree (SKB) as listed in domain.md §2:

- KE-2 / HD-2: campaigning or "socialising" a candidate online — the employee's own campaign post
  (or the text they add when quoting);
- KE-4 / HD-6: posting, commenting, sharing, liking, joining or following a candidate's or winning
  team's content or account — liking or sharing anything from an official campaign account counts
  whatever its text; a comment is judged on the comment and on its target;
- KE-5 / HD-7: photos with a candidate or partisan symbols — when the item carries a photo and the
  cues say so (photo caption, finger pose, campaign props).

Every result lists the rule elements that were met, a priority for the review queue and notes about
the election stage (quiet period; "bakal calon" before the pairs are fixed).  It never proposes a
sanction: that is for the people deciding the case (PP 94/2021 levels are not in this module at all).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from nlp.types import Calendar, Prediction

log = logging.getLogger(__name__)

InteractionKind = Literal["post", "share", "quote", "comment", "like", "follow"]
KINDS: tuple[InteractionKind, ...] = ("post", "share", "quote", "comment", "like", "follow")

CONDUCT = {
    "KE-2/HD-2": "campaigning or socialising a candidate on social media",
    "KE-4/HD-6": "posting, commenting, sharing, liking or following a candidate's content or account",
    "KE-5/HD-7": "posting photos with a candidate or campaign team showing partisan symbols or props",
}
_KIND_WEIGHT = {"post": 1.0, "quote": 0.9, "share": 0.8, "comment": 0.7, "like": 0.5, "follow": 0.5}
_PHOTO_CUES = frozenset({"PHOTO", "FINGER", "EVENT"})


@dataclass(frozen=True)
class Interaction:
    """What an employee did.  ``content`` is the prediction for the item acted on (for ``post``:
    the post itself); ``comment`` is the prediction for their own added text (comment / quote)."""

    kind: InteractionKind
    on: date
    content: Prediction | None = None
    comment: Prediction | None = None
    target_is_official: bool = False
    has_photo: bool = False
    official_pair: int | None = None  # whose official account it is (ElectionSpec.official_account_pair)


@dataclass(frozen=True)
class CandidateViolation:
    code: str
    conduct: str
    elements: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    violations: tuple[CandidateViolation, ...]
    priority: int
    priority_label: Literal["high", "medium", "low", "none"]
    stage: str
    pair: int | None
    notes: tuple[str, ...] = field(default=())

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(v.code for v in self.violations)


def stage_of(on: date, calendar: Calendar) -> str:
    """Which stage of the election a date falls in."""
    if on < calendar.candidates_fixed:
        return "before_candidates_fixed"
    if on < calendar.campaign_start:
        return "before_campaign"
    if on <= calendar.campaign_end:
        return "campaign"
    if calendar.quiet_start <= on <= calendar.quiet_end:
        return "quiet"
    if on == calendar.voting:
        return "voting_day"
    if on > calendar.voting:
        return "after_voting"
    return "between_campaign_and_quiet"


def _campaign(p: Prediction | None) -> bool:
    return p is not None and p.campaign


def _photo_elements(i: Interaction) -> list[str]:
    if not (i.has_photo and i.content is not None and (i.content.campaign or i.target_is_official)):
        return []
    cues = sorted({r.label for r in i.content.reasons if r.kind == "cue" and r.label in _PHOTO_CUES})
    mentioned = any(r.kind == "mention" for r in i.content.reasons)
    if not cues or not (mentioned or i.target_is_official):
        return []
    return ["item carries a photo", f"caption cues: {', '.join(cues)}", "a candidate pair is identified"]


def _elements(i: Interaction) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    content_campaign, official = _campaign(i.content), i.target_is_official
    if i.kind == "post" and content_campaign:
        found["KE-2/HD-2"] = ["own post", "post is campaign content"]
    if i.kind == "quote" and _campaign(i.comment):
        found["KE-2/HD-2"] = ["own text added when quoting", "added text is campaign content"]
    if i.kind in ("share", "quote", "like", "follow", "comment") and (content_campaign or official):
        act = {"share": "shared", "quote": "quoted", "like": "liked", "follow": "followed", "comment": "commented on"}
        elements = [f"{act[i.kind]} an item or account"]
        if official:
            elements.append("target is an official campaign account (counts whatever its text)")
        if content_campaign:
            elements.append("target is campaign content")
        if i.kind == "comment":
            elements.append("comment is campaign content" if _campaign(i.comment)
                            else "comment text itself is not campaign content")
        found["KE-4/HD-6"] = elements
    elif i.kind == "comment" and _campaign(i.comment):
        found["KE-4/HD-6"] = ["commented", "comment is campaign content"]
    photo = _photo_elements(i)
    if photo and i.kind in ("post", "share", "quote"):
        found["KE-5/HD-7"] = photo
    return found


def _pair(i: Interaction) -> int | None:
    for p in (i.comment, i.content):
        if p is not None and p.campaign and p.pair is not None:
            return p.pair
    named = next((p.pair for p in (i.content, i.comment) if p is not None and p.pair is not None), None)
    return named if named is not None else i.official_pair


def assess(interaction: Interaction, calendar: Calendar) -> Assessment:
    """Candidate codes, rule elements met, priority and stage notes for one interaction."""
    stage = stage_of(interaction.on, calendar)
    found = _elements(interaction)
    notes: list[str] = []
    pair = _pair(interaction)
    if stage == "before_candidates_fixed":
        notes.append(f"before pairs were fixed ({calendar.candidates_fixed.isoformat()}): the pair is a "
                     "'bakal calon' (prospective candidate); Bawaslu only forwards such cases")
    if stage == "quiet" and interaction.kind in ("post", "share", "quote", "comment"):
        notes.append("made in the quiet period (masa tenang): campaign posts are a separate concern")
    if not found:
        return Assessment((), 0, "none", stage, pair, tuple(notes))
    strengths = [p.score for p in (interaction.content, interaction.comment) if p is not None and p.campaign]
    strength = 1.0 if interaction.target_is_official else max(strengths, default=0.5)
    priority = 100 * _KIND_WEIGHT[interaction.kind] * strength
    priority += 15 if stage in ("quiet", "voting_day") else 0
    priority += 10 if "KE-5/HD-7" in found else 0
    priority += 5 if len(found) > 1 else 0
    score = min(100, round(priority))
    label: Literal["high", "medium", "low"] = "high" if score >= 70 else "medium" if score >= 40 else "low"
    violations = tuple(CandidateViolation(code, CONDUCT[code], tuple(elements)) for code, elements in found.items())
    log.debug("assessed %s on %s: %s", interaction.kind, interaction.on, [v.code for v in violations])
    return Assessment(violations, score, label, stage, pair, tuple(notes))
