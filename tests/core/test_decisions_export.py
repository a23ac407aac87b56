"""Reviewer decisions exported as labelled JSON Lines for the classifier."""

from __future__ import annotations

import io
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import accounts, cases, decisions_export
from core.models import AuditEvent
from core.settings import Settings
from tests import factories


def test_export_labels_confirmed_and_dismissed_cases(session: Session, settings: Settings) -> None:
    a = accounts.create_user(session, "rina", "reviewer", "kata-sandi-uji")
    b = accounts.create_user(session, "budi", "reviewer", "kata-sandi-uji")
    yes = factories.case(session, target=factories.content(session, text="Ayo coblos 2!"), pair_number=2,
                         stance="support")
    no = factories.case(session, target=factories.content(session, text="Ayo ke TPS 27 November"))
    pending = factories.case(session)
    cases.confirm(session, yes, a, settings)
    cases.confirm(session, yes, b, settings)
    cases.dismiss(session, no, a, "ajakan netral KPU")
    cases.confirm(session, pending, a, settings)  # only one confirmation: not a decision yet
    out = io.StringIO()
    assert decisions_export.export(session, out, "tester") == 2
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert yes.target_content is not None and no.target_content is not None
    assert lines == [
        {"id": f"bluesky:{yes.target_content.native_id}", "election": None, "text": "Ayo coblos 2!",
         "campaign": True, "pair": 2, "stance": "support", "decision": "confirmed", "case_id": yes.id},
        {"id": f"bluesky:{no.target_content.native_id}", "election": None, "text": "Ayo ke TPS 27 November",
         "campaign": False, "pair": None, "stance": "none", "decision": "dismissed", "case_id": no.id},
    ]
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
    assert (last.action, last.details) == ("decisions.export", {"lines": 2})


def test_latest_decision_per_content_wins(session: Session, settings: Settings) -> None:
    a = accounts.create_user(session, "rina", "reviewer", "kata-sandi-uji")
    target = factories.content(session, text="Dukung paslon 1")
    first = factories.case(session, target=target)
    second = factories.case(session, target=target)
    cases.dismiss(session, first, a, "akun bukan milik pegawai")
    cases.dismiss(session, second, a, "bukan kampanye")
    items = list(decisions_export.decisions(session))
    assert [(i.case_id, i.decision) for i in items] == [(second.id, "dismissed")]
