"""Vocabularies shared by the models, the registries and the case workflow."""

from __future__ import annotations

from enum import StrEnum


class EmployeeType(StrEnum):
    """Employment regime; it decides which sanction regime applies (domain.md §1)."""

    PNS = "PNS"
    PPPK = "PPPK"
    NON_ASN = "NON_ASN"


class Platform(StrEnum):
    """Platforms netral knows; the last four only arrive as reports (closed to a regency)."""

    BLUESKY = "bluesky"
    MASTODON = "mastodon"
    YOUTUBE = "youtube"
    X = "x"
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    TIKTOK = "tiktok"
    WHATSAPP = "whatsapp"


class InteractionKind(StrEnum):
    """What a registered account did with a piece of content (or an account, for follow)."""

    POST = "post"
    SHARE = "share"
    QUOTE = "quote"
    COMMENT = "comment"
    LIKE = "like"
    FOLLOW = "follow"
    REPORT = "report"


class Stance(StrEnum):
    """Stance of a text toward the pair it mentions."""

    SUPPORT = "support"
    OPPOSE = "oppose"
    NONE = "none"


class CaseStatus(StrEnum):
    """Due-process states of a case (domain.md §3). Flags are leads for a human, never findings."""

    DETECTED = "detected"
    IN_TRIAGE = "in_triage"
    AWAITING_SECOND = "awaiting_second"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    FORWARDED = "forwarded"
    RECOMMENDATION = "recommendation_received"
    SUMMONED = "summoned"
    EXAMINATION = "examination"
    DECIDED = "decided"
    CLOSED = "closed"


class Track(StrEnum):
    """Which list of the SKB annex a violation type belongs to."""

    ETHICS = "ethics"
    DISCIPLINE = "discipline"
