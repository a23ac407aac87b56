"""The classifier's reasons as a reviewer reads them: named pairs and campaign cues with the words they point
at (highlighted in the text), then the model's most telling words — deduplicated, without feature jargon.

Reasons are stored as the classifier wrote them (``kind`` ``mention`` / ``cue`` / ``ngram``); this module
only groups and labels them, so a richer reason format from the classifier shows here by adding a kind.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Gettext = Callable[[str], str]
_WORDY = re.compile(r"\w{3,}")
#: Function words that say nothing to a reviewer even when the model weighs them.
_STOPWORDS = frozenset({"untuk", "yang", "dan", "dari", "ini", "itu", "dengan", "pada", "atau", "ada", "akan",
                        "kita", "kami", "para", "juga", "bagi", "oleh", "dalam", "the", "and"})


@dataclass(frozen=True)
class ReasonLine:
    """One line of the reasons list: its heading and the quoted words."""

    kind: str
    heading: str
    words: tuple[str, ...]


def reason_lines(_: Gettext, reasons: list[Any]) -> list[ReasonLine]:
    """Group ``reasons`` into lines (each word once, in first-seen order)."""
    groups: dict[str, list[str]] = {"mention": [], "cue": [], "ngram": []}
    for r in reasons or []:
        if not isinstance(r, dict):
            continue
        kind = str(r.get("kind") or "")
        text = str(r.get("text") or "").strip()
        if kind not in groups or not text or text in groups[kind]:
            continue
        if kind == "ngram":
            text = " ".join(t for t in text.split() if _WORDY.search(t) and t.lower() not in _STOPWORDS)
            if not text or text in groups[kind] or text in groups["cue"] or text in groups["mention"]:
                continue
        groups[kind].append(text)
    headings = {"mention": _("Names a candidate pair"), "cue": _("Campaign cues"),
                "ngram": _("Words that raised the score most")}
    return [ReasonLine(k, headings[k], tuple(v)) for k, v in groups.items() if v]
