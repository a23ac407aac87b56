"""Validate and normalise social-media handles per platform.

A declared handle is stored in one canonical form so that the same account written two ways
(``@Budi``, ``budi``, a profile URL) is recognised as one, and a claim by two employees is caught.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

from core.models.enums import Platform

_HOST = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?"

_PATTERNS: dict[Platform, tuple[str, str]] = {
    Platform.BLUESKY: (
        rf"(?:{_HOST}|did:plc:[a-z2-7]{{24}}|did:web:{_HOST})", "a domain handle such as name.bsky.social"
    ),
    Platform.MASTODON: (rf"[a-z0-9_]{{1,30}}@{_HOST}", "user@instance, such as budi@mastodon.social"),
    Platform.YOUTUBE: (r"(?:UC[0-9A-Za-z_-]{22}|[a-z0-9._-]{3,30})", "a channel id UC… or an @handle"),
    Platform.X: (r"[a-z0-9_]{1,15}", "1-15 letters, digits or underscores"),
    Platform.FACEBOOK: (r"(?:[a-z0-9.]{5,50}|\d{5,20})", "a page username (5-50 letters, digits, dots) or id"),
    Platform.INSTAGRAM: (r"[a-z0-9._]{1,30}", "1-30 letters, digits, dots or underscores"),
    Platform.TIKTOK: (r"[a-z0-9._]{2,24}", "2-24 letters, digits, dots or underscores"),
    Platform.WHATSAPP: (r"62\d{8,13}", "a phone number starting with 62 or 0"),
}

_URL_HOSTS: dict[str, Platform] = {
    "bsky.app": Platform.BLUESKY,
    "x.com": Platform.X,
    "twitter.com": Platform.X,
    "youtube.com": Platform.YOUTUBE,
    "facebook.com": Platform.FACEBOOK,
    "instagram.com": Platform.INSTAGRAM,
    "tiktok.com": Platform.TIKTOK,
}

PLATFORM_ALIASES: dict[str, Platform] = {p.value: p for p in Platform} | {
    "twitter": Platform.X,
    "fb": Platform.FACEBOOK,
    "ig": Platform.INSTAGRAM,
    "yt": Platform.YOUTUBE,
    "wa": Platform.WHATSAPP,
    "bsky": Platform.BLUESKY,
}


class HandleError(ValueError):
    """The handle does not fit the platform's form."""


def parse_platform(name: str) -> Platform:
    """The platform named ``name`` (case-insensitive, common aliases); ``ValueError`` if unknown."""
    key = name.strip().lower()
    if key not in PLATFORM_ALIASES:
        raise ValueError(f"unknown platform {name.strip()!r} (known: {', '.join(p.value for p in Platform)})")
    return PLATFORM_ALIASES[key]


def _from_url(platform: Platform, value: str) -> str:
    parsed = urlparse(value)
    host = (parsed.hostname or "").removeprefix("www.").removeprefix("m.")
    parts = [p for p in parsed.path.split("/") if p]
    if platform is Platform.MASTODON and parts and parts[0].startswith("@"):
        return f"{parts[0][1:]}@{host}"
    if host in _URL_HOSTS and _URL_HOSTS[host] is not platform:
        raise HandleError(f"URL is a {_URL_HOSTS[host].value} address, not {platform.value}")
    if platform is Platform.BLUESKY and len(parts) >= 2 and parts[0] == "profile":
        return parts[1]
    if platform is Platform.YOUTUBE and parts:
        return parts[1] if parts[0] in {"channel", "c"} and len(parts) > 1 else parts[0]
    if parts:
        return parts[0]
    raise HandleError("URL has no account in its path")


def normalise_handle(platform: Platform, raw: str) -> str:
    """The canonical handle for ``platform``; raise :class:`HandleError` when malformed."""
    value = raw.strip()
    if not value:
        raise HandleError("empty handle")
    if value.lower().startswith(("http://", "https://")):
        value = _from_url(platform, value)
    if platform is Platform.YOUTUBE and re.fullmatch(r"UC[0-9A-Za-z_-]{22}", value):
        return value  # channel ids are case-sensitive
    if platform is Platform.WHATSAPP:
        digits = re.sub(r"[\s\-()+]", "", value)
        value = "62" + digits[1:] if digits.startswith("0") else digits
    else:  # YouTube @handles are stored without the @, like the other platforms' handles
        value = value.removeprefix("@")
    value = value.lower()
    pattern, hint = _PATTERNS[platform]
    if not re.fullmatch(pattern, value):
        raise HandleError(f"malformed {platform.value} handle {raw.strip()!r}: expected {hint}")
    return value
