"""Rule elements (the English sentences :mod:`nlp.assess` and the report intake record) in the user's language.

``nlp`` is pure and speaks English; the case stores its elements as ``"KE-4/HD-6: liked an item or
account"``. The UI translates each known sentence through gettext here, keeping the code prefix, so a
new or reworded element in ``nlp`` shows in English (never breaks the page) until it is added below.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Gettext = Callable[[str], str]

_PREFIX = re.compile(r"^(?P<code>(?:KE|HD)-\d+(?:/(?:KE|HD)-\d+)*): (?P<rest>.*)$", re.S)
_CUES = re.compile(r"^caption cues: (?P<cues>.+)$")
_REPORTED = re.compile(r"^reported by (?P<who>.+) through report intake \((?P<platform>[a-z_]+)\)$")
_CLASSIFIER = re.compile(r"^classifier: (?P<what>campaign|not campaign) content \(score (?P<score>[0-9.]+)\)$")
_BEFORE_FIXED = re.compile(r"^before pairs were fixed \((?P<on>\d{4}-\d{2}-\d{2})\): .*")


def _fixed(_: Gettext) -> dict[str, str]:
    return {
        "own post": _("own post"),
        "post is campaign content": _("the post is campaign content"),
        "own text added when quoting": _("own text added when quoting"),
        "added text is campaign content": _("the added text is campaign content"),
        "shared an item or account": _("shared a post or account"),
        "quoted an item or account": _("quoted a post or account"),
        "liked an item or account": _("liked a post or account"),
        "followed an item or account": _("followed a post or account"),
        "commented on an item or account": _("commented on a post or account"),
        "target is an official campaign account (counts whatever its text)":
            _("the target is an official campaign account (counts whatever its text says)"),
        "target is campaign content": _("the target is campaign content"),
        "comment is campaign content": _("the comment is campaign content"),
        "comment text itself is not campaign content": _("the comment's own text is not campaign content"),
        "commented": _("commented"),
        "item carries a photo": _("the post carries a photo"),
        "a candidate pair is identified": _("a candidate pair is identified"),
        "made in the quiet period (masa tenang): campaign posts are a separate concern":
            _("made in the quiet period (masa tenang): campaign posts are a separate matter"),
    }


def rule_element(_: Gettext, element: str) -> str:
    """One stored rule element in words (unknown sentences are returned unchanged)."""
    element = str(element)
    match = _PREFIX.match(element)
    if match:
        return f"{match['code']}: {rule_element(_, match['rest'])}"
    fixed = _fixed(_).get(element)
    if fixed is not None:
        return fixed
    if m := _CUES.match(element):
        return _("caption cues: %(cues)s") % {"cues": m["cues"]}
    if m := _REPORTED.match(element):
        return _("reported by %(who)s through report intake (%(platform)s)") % {
            "who": m["who"], "platform": platform_name(m["platform"])}
    if m := _CLASSIFIER.match(element):
        text = (_("classifier: campaign content (score %(score)s)") if m["what"] == "campaign"
                else _("classifier: not campaign content (score %(score)s)"))
        return text % {"score": m["score"]}
    if m := _BEFORE_FIXED.match(element):
        return _("before the pairs were fixed (%(on)s): the pair is a 'bakal calon' (prospective candidate); "
                 "Bawaslu only forwards such cases") % {"on": m["on"]}
    return element


_PLATFORMS = {"x": "X", "facebook": "Facebook", "instagram": "Instagram", "tiktok": "TikTok",
              "youtube": "YouTube", "whatsapp": "WhatsApp", "mastodon": "Mastodon", "bluesky": "Bluesky",
              "threads": "Threads", "telegram": "Telegram", "other": "—"}


def platform_name(platform: str | None) -> str:
    """A platform's proper name ("whatsapp" → "WhatsApp")."""
    if not platform:
        return "–"
    return _PLATFORMS.get(platform, platform.capitalize())
