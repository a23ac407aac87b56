"""The new-case digest is delivered to a real (local) SMTP server and carries no personal data."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.orm import Session

from core import digest
from core.settings import Settings
from tests import factories as f


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def test_digest_is_sent_without_personal_data(session: Session, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    emp = f.employee(session, name="Rahasia Pribadi", id_number="198609262015051777", unit="Dinas Sosial")
    c1 = f.case(session, emp=emp, candidate_codes=["KE-4", "HD-6"], score=0.91)
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, digest_recipients="a@bkpsdm.test, b@bkpsdm.test",
                        public_base_url="http://127.0.0.1:8000/")
    assert digest.enabled(settings)
    digest.send(settings, digest.compose(session, settings, [c1.id], "Pilkada Uji"))
    assert len(inbox.messages) == 1
    rcpts, msg = inbox.messages[0]
    assert rcpts == ["a@bkpsdm.test", "b@bkpsdm.test"]
    body = msg.get_payload(decode=True).decode()
    assert "1 kasus baru" in msg["Subject"]
    assert f"#{c1.id} [bluesky] Dinas Sosial — kode KE-4, HD-6 — skor 0.91" in body
    assert f"http://127.0.0.1:8000/cases/{c1.id}" in body
    assert "Rahasia" not in body and "198609262015051777" not in body


def test_digest_disabled_without_smtp() -> None:
    assert not digest.enabled(Settings(smtp_host="", digest_recipients="a@b.test"))
    assert not digest.enabled(Settings(smtp_host="127.0.0.1", digest_recipients=""))
