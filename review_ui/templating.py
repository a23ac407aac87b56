"""Jinja2 rendering with the request's language, the CSRF token and the logged-in user in every page.

Autoescaping is on for every template, so collected text (which may hold ``<script>``) is always shown as
text. Reason spans are highlighted by :func:`highlight`, which slices the *raw* text into segments that
the template escapes one by one — no HTML is ever built from collected text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import object_session

from core.evidence import EvidenceArchive
from core.models import utcnow
from review_ui import evidence_view, messages, reason_text, rule_text
from review_ui.i18n import pick_language, translations
from review_ui.security import LANG_COOKIE, csrf_token

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
_KIND = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")

env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=select_autoescape(default=True),
                  trim_blocks=True, lstrip_blocks=True)


@dataclass(frozen=True)
class Segment:
    """A slice of a text, highlighted when ``kind`` is set (the reason kind that points at it)."""

    text: str
    kind: str | None = None
    label: str | None = None


def highlight(text: str, reasons: list[Any]) -> list[Segment]:
    """Split ``text`` at the character spans of ``reasons`` (overlaps and bad spans are skipped)."""
    spans: list[tuple[int, int, str, str]] = []
    for r in reasons or []:
        if not isinstance(r, dict):
            continue
        start, end = r.get("start"), r.get("end")
        if not isinstance(start, int) or not isinstance(end, int):
            continue
        start, end = max(0, start), min(len(text), end)
        if start >= end:
            continue
        kind = str(r.get("kind", ""))
        spans.append((start, end, kind if _KIND.match(kind) else "other", str(r.get("text") or kind)))
    spans.sort()
    out: list[Segment] = []
    pos = 0
    for start, end, kind, label in spans:
        if start < pos:
            continue
        if start > pos:
            out.append(Segment(text[pos:start]))
        out.append(Segment(text[start:end], kind, label))
        pos = end
    if pos < len(text) or not out:
        out.append(Segment(text[pos:]))
    return out


def safe_url(url: str | None) -> str | None:
    """A collected link, only if it is http(s) (a ``javascript:`` URL must never become a link)."""
    if not url:
        return None
    return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else None


def local_time(value: datetime | None, tz: str, seconds: bool = False) -> str:
    """A stored (UTC) time in the regency's time zone, with its abbreviation (e.g. WITA)."""
    if value is None:
        return "–"
    shown = value.astimezone(ZoneInfo(tz))
    return shown.strftime("%Y-%m-%d %H:%M:%S %Z" if seconds else "%Y-%m-%d %H:%M %Z")


def _urlencode(args: dict[str, Any], **extra: Any) -> str:
    return urlencode({**args, **extra})


def language(request: Request) -> str:
    """The request's UI language (cookie), Indonesian by default."""
    return pick_language(request.cookies.get(LANG_COOKIE))


def gettext_for(request: Request) -> Any:
    """The ``gettext`` of the request's language (for messages built in Python)."""
    return translations(language(request)).gettext


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200,
           headers: dict[str, str] | None = None) -> HTMLResponse:
    """Render ``name`` with the standard context (see the module docstring)."""
    lang = language(request)
    tr = translations(lang)
    settings = request.app.state.settings
    _ = tr.gettext
    ctx: dict[str, Any] = {
        "request": request, "lang": lang, "_": _, "ngettext": tr.ngettext,
        "csrf_token": csrf_token(request, settings),
        "user": getattr(request.state, "user", None), "highlight": highlight, "safe_url": safe_url,
        "urlencode": _urlencode, "today": utcnow().date(),
        "status_label": lambda s: messages.status_label(_, s),
        "step_label": lambda s: messages.step_label(_, s),
        "action_label": lambda s: messages.action_label(_, s),
        "deadline_label": lambda s: messages.deadline_label(_, s),
        "done_message": lambda s: messages.done_message(_, s),
        "term": lambda s: messages.term_label(_, s),
        "rule_element": lambda s: rule_text.rule_element(_, s),
        "platform_name": rule_text.platform_name,
        "evidence_of": lambda inc: evidence_view.load(object_session(inc), inc,  # type: ignore[arg-type]
                                                       EvidenceArchive(settings.resolved_evidence_dir)),
        "reason_lines": lambda r: reason_text.reason_lines(_, r),
        "history_details": lambda d: messages.history_details(_, d),
        "count_label": lambda s: messages.count_label(_, s),
        "url_status_label": lambda s: messages.url_status_label(_, s),
        "local": lambda v, seconds=False: local_time(v, settings.default_timezone, seconds),
    }
    ctx.update(context or {})
    html = env.get_template(name).render(ctx)
    return HTMLResponse(html, status_code=status_code, headers=headers)
