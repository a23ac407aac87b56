"""Other employees' identities taken out of the evidence a data-subject export ships.

Evidence is often shared: a campaign post's comment thread or a likers list was captured once and names
everyone who commented or liked, colleagues included. The person asking for their data is owed their own
data, not their colleagues' (UU 27/2022), so every evidence file is searched for the *declared* accounts of
other employees (handle, ``@handle``, platform id, the Mastodon profile form ``instance/@user``, and so
profile URLs) and for their full names; each hit becomes ``[pegawai lain #n]`` (one number per colleague,
stable within one export, so the subject still sees that the same person appears twice). JSON is parsed and
its strings rewritten; other text is rewritten as text; a file that is not text cannot be searched and is
shipped as captured (screenshots are sent in about the subject; the summary says so).

Limits (stated in docs/security.md): a colleague's *undeclared* account, a single-word name, a platform id
shorter than :data:`MIN_ID` characters, or an identity written in another form (HTML entities, URL-encoding,
an image) is not recognised. Matching is case-insensitive and may also hide an unrelated word that happens
to equal a colleague's handle: over-hiding is the safe side.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Employee, SocialAccount

MIN_HANDLE = 3
MIN_ID = 6
PLACEHOLDER = "[pegawai lain #{n}]"
_TEXT_TYPES = ("text/", "application/json", "application/ld+json", "application/xml", "application/xhtml",
               "application/javascript")


def _terms_of(handle: str, platform_id: str | None) -> Iterable[str]:
    handle = handle.strip().lstrip("@")
    if len(handle) >= MIN_HANDLE:
        yield handle
        if "@" in handle:  # mastodon user@instance: profile URLs read instance/@user
            user, _, instance = handle.partition("@")
            if user and instance:
                yield f"{instance}/@{user}"
    if platform_id and len(platform_id.strip()) >= MIN_ID:
        yield platform_id.strip()


class Redactor:
    """Replaces other employees' declared accounts and full names; counts what it replaced."""

    def __init__(self, terms: dict[str, int]) -> None:
        self._owner = {k.lower(): v for k, v in terms.items()}
        parts = [r"\s+".join(re.escape(w) for w in t.split()) for t in sorted(terms, key=len, reverse=True)]
        self._pattern = re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE) if parts else None
        self._numbers: dict[int, int] = {}
        self.replaced = 0

    @classmethod
    def for_subject(cls, session: Session, subject: Employee) -> Redactor:
        """A redactor for everyone except ``subject`` (their own accounts and name are never replaced)."""
        own = {t.lower() for a in subject.accounts for t in _terms_of(a.handle, a.platform_id)}
        terms: dict[str, int] = {}
        rows = session.execute(select(SocialAccount.employee_id, SocialAccount.handle, SocialAccount.platform_id)
                               .where(SocialAccount.employee_id != subject.id))
        for employee_id, handle, platform_id in rows:
            for term in _terms_of(handle, platform_id):
                if term.lower() not in own:
                    terms.setdefault(term, employee_id)
        subject_name = " ".join(subject.name.split()).lower()
        for employee_id, name in session.execute(select(Employee.id, Employee.name).where(Employee.id != subject.id)):
            words = name.split()
            if len(words) >= 2 and " ".join(words).lower() != subject_name:
                terms.setdefault(" ".join(words), employee_id)
        return cls(terms)

    def _sub(self, match: re.Match[str]) -> str:
        owner = self._owner.get(" ".join(match.group(0).split()).lower(), -1)
        number = self._numbers.setdefault(owner, len(self._numbers) + 1)
        self.replaced += 1
        return PLACEHOLDER.format(n=number)

    def text(self, value: str) -> str:
        """``value`` with every recognised identity replaced."""
        return self._pattern.sub(self._sub, value) if self._pattern is not None else value

    def value(self, value: Any) -> Any:
        """A JSON value with its strings (keys too) rewritten."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {self.text(str(k)): self.value(v) for k, v in value.items()}
        return value

    def body(self, data: bytes, media_type: str | None) -> bytes | None:
        """A redacted rendering of an evidence file, or None when it names nobody else (or is not text)."""
        if self._pattern is None:
            return None
        kind = (media_type or "").split(";")[0].strip().lower()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if not kind.startswith(_TEXT_TYPES) and "\x00" in text:
            return None
        before = self.replaced
        if kind.endswith("json"):
            try:
                parsed = json.loads(text)
            except ValueError:
                rendered = self.text(text)
            else:
                redacted = self.value(parsed)
                if self.replaced == before:
                    return None
                return json.dumps(redacted, ensure_ascii=False, indent=2).encode("utf-8")
        else:
            rendered = self.text(text)
        return rendered.encode("utf-8") if self.replaced > before else None

    @property
    def colleagues(self) -> int:
        """How many different other employees were hidden so far."""
        return len(self._numbers)
