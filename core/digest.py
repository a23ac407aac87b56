"""E-mail digests (only when SMTP is configured): new cases to the reviewers, and each reviewer's own
notices (cases waiting for their second confirmation, deadlines due soon; see :mod:`core.notices`).

A digest carries no personal data: case numbers, platform, unit, candidate codes, dates and a link to the
review UI, where access is role-checked and audited. A reviewer opens the case there.
"""

from __future__ import annotations

import logging
import smtplib
from collections import Counter
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import notices
from core.models import Case, Employee, Incident, User
from core.settings import Settings

log = logging.getLogger(__name__)


def recipients(settings: Settings) -> list[str]:
    """The configured digest addresses."""
    return [a.strip() for a in settings.digest_recipients.split(",") if a.strip()]


def enabled(settings: Settings) -> bool:
    """Whether a digest can be sent (an SMTP host and at least one recipient)."""
    return bool(settings.smtp_host and recipients(settings))


def compose(session: Session, settings: Settings, case_ids: list[int], election_name: str) -> EmailMessage:
    """The digest message for ``case_ids`` (Indonesian, with an English line)."""
    platforms: dict[int, set[str]] = {}
    for cid, platform in session.execute(select(Incident.case_id, Incident.platform)
                                         .where(Incident.case_id.in_(case_ids))):
        platforms.setdefault(cid, set()).add(platform)
    rows = [(cid, ", ".join(sorted(platforms.get(cid, ()))) or "-", codes, score, unit)
            for cid, codes, score, unit in session.execute(
                select(Case.id, Case.candidate_codes, Case.score, Employee.unit)
                .join(Employee, Employee.id == Case.employee_id).where(Case.id.in_(case_ids))
                .order_by(Case.priority.desc())).all()]
    by_unit = Counter(unit for *_, unit in rows)
    lines = [
        f"Ringkasan kasus baru netral — {election_name}",
        f"({len(rows)} new case(s) to triage)",
        "",
        f"{len(rows)} kasus baru menunggu telaah (triage). Tanda dari sistem adalah petunjuk, bukan temuan:",
        "setiap kasus harus ditelaah dan diputuskan oleh dua peninjau.",
        "",
        "Per unit kerja:",
        *[f"  - {unit}: {count}" for unit, count in sorted(by_unit.items())],
        "",
        "Kasus:",
    ]
    base = settings.public_base_url.rstrip("/")
    for case_id, platform, codes, score, unit in rows:
        score_text = "-" if score is None else f"{score:.2f}"
        lines.append(f"  #{case_id} [{platform}] {unit} — kode {', '.join(codes)} — skor {score_text}"
                     f" — {base}/cases/{case_id}")
    message = EmailMessage()
    message["Subject"] = f"[netral] {len(rows)} kasus baru — {election_name}"
    message["From"] = settings.smtp_from
    message["To"] = ", ".join(recipients(settings))
    message.set_content("\n".join(lines) + "\n")
    return message


def send(settings: Settings, message: EmailMessage, timeout: float = 30.0) -> None:
    """Deliver ``message`` through the configured SMTP server."""
    cls = smtplib.SMTP_SSL if settings.smtp_port == 465 else smtplib.SMTP
    with cls(settings.smtp_host, settings.smtp_port, timeout=timeout) as smtp:
        if settings.smtp_starttls and cls is smtplib.SMTP:
            smtp.starttls()
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
        smtp.send_message(message)
    log.info("digest sent to %d recipient(s)", len(recipients(settings)))


def reviewer_addresses(settings: Settings) -> dict[str, str]:
    """``username -> address`` from ``digest_reviewer_addresses`` (malformed pairs are skipped)."""
    out: dict[str, str] = {}
    for pair in settings.digest_reviewer_addresses.split(","):
        name, sep, address = pair.partition("=")
        if sep and name.strip() and "@" in address:
            out[name.strip()] = address.strip()
    return out


_KIND = {"forward": "teruskan ke Bawaslu/BKN", "examination": "pemeriksaan", "handover": "serahkan SK"}


def compose_for_reviewer(session: Session, settings: Settings, user: User, address: str) -> EmailMessage | None:
    """The reviewer's own digest, or None when nothing waits for them."""
    items = notices.for_user(session, settings, user)
    if not items:
        return None
    base = settings.public_base_url.rstrip("/")
    waiting = [n for n in items if n.kind == "second_confirmation"]
    due = [n for n in items if n.kind == "deadline"]
    lines = [f"Halo {user.display_name},", ""]
    if waiting:
        lines += [f"{len(waiting)} kasus menunggu konfirmasi kedua Anda:",
                  *[f"  #{n.case_id} {n.unit} — {base}/cases/{n.case_id}" for n in waiting], ""]
    if due:
        lines += [f"{len(due)} tenggat dalam {settings.notice_deadline_workdays} hari kerja (atau lewat):",
                  *[f"  #{n.case_id} {n.unit} — {_KIND.get(n.deadline_kind or '', n.deadline_kind or '')} "
                    f"paling lambat {n.deadline.isoformat() if n.deadline else '-'}"
                    f"{' (LEWAT)' if n.overdue else ''} — {base}/cases/{n.case_id}" for n in due], ""]
    lines.append("Pemberitahuan ini tidak memuat data pribadi; buka kasus di aplikasi netral.")
    message = EmailMessage()
    message["Subject"] = (f"[netral] {len(waiting)} menunggu konfirmasi kedua Anda, "
                          f"{len(due)} tenggat segera")
    message["From"] = settings.smtp_from
    message["To"] = address
    message.set_content("\n".join(lines) + "\n")
    return message


def send_reviewer_digests(session: Session, settings: Settings) -> int:
    """Send each configured, active reviewer their digest (skipping those with nothing); how many were sent."""
    addresses = reviewer_addresses(settings)
    if not settings.smtp_host or not addresses:
        return 0
    sent = 0
    for user in session.scalars(select(User).where(User.username.in_(addresses), User.active.is_(True))):
        message = compose_for_reviewer(session, settings, user, addresses[user.username])
        if message is not None:
            send(settings, message)
            sent += 1
    return sent
