"""Per-reviewer notices and their e-mail digest, delivered to a real local SMTP server."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from core import cases, digest, notices
from core.models import CaseReview, User
from core.settings import Settings
from tests import factories as f
from tests.core import test_digest as _digest

smtp = _digest.smtp  # the local SMTP server fixture


def _user(session: Session, name: str) -> User:
    user = User(username=name, display_name=f"Uji {name}", role="reviewer", password_hash="x", active=True)
    session.add(user)
    session.flush()
    return user


def _setup(session: Session, settings: Settings) -> tuple[User, User, int, int]:
    first, second = _user(session, "siti"), _user(session, "budi")
    waiting = f.case(session, emp=f.employee(session, name="Rahasia Satu"))
    cases.confirm(session, waiting, first, settings, version=waiting.version)
    due = f.case(session, status="confirmed")
    session.add(CaseReview(case_id=due.id, deadline=date(2024, 10, 8), deadline_kind="forward"))
    session.flush()
    return first, second, waiting.id, due.id


def test_notices_name_the_second_confirmation_only_for_the_other_reviewer(session: Session,
                                                                          settings: Settings) -> None:
    first, second, waiting, due = _setup(session, settings)
    today = date(2024, 10, 4)  # a Friday: 3 working days reach Wednesday 9 October
    assert [(n.kind, n.case_id) for n in notices.for_user(session, settings, second, today)] == [
        ("second_confirmation", waiting), ("deadline", due)]
    assert [n.kind for n in notices.for_user(session, settings, first, today)] == ["deadline"]


def test_each_reviewer_gets_their_own_digest_without_personal_data(
        session: Session, settings: Settings, smtp: tuple[_digest.Inbox, int]) -> None:
    inbox, port = smtp
    _first, _second, waiting, _due = _setup(session, settings)
    mail = Settings(smtp_host="127.0.0.1", smtp_port=port, public_base_url="http://127.0.0.1:8000",
                    digest_reviewer_addresses="siti=siti@bkpsdm.test, budi=budi@bkpsdm.test, bad-entry")
    assert digest.send_reviewer_digests(session, mail) == 2
    by_rcpt = {tuple(r): m for r, m in inbox.messages}
    body = by_rcpt[("budi@bkpsdm.test",)].get_payload(decode=True).decode()
    assert "1 kasus menunggu konfirmasi kedua Anda" in body and f"/cases/{waiting}" in body
    assert "Rahasia" not in body
    siti = by_rcpt[("siti@bkpsdm.test",)].get_payload(decode=True).decode()
    assert "konfirmasi kedua Anda" not in siti and "tenggat" in siti
