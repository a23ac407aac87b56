"""Reviewer decisions exported as labelled JSON Lines for the classifier: incidents and verdicts."""

from __future__ import annotations

import io
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import accounts, cases, decisions_export
from core.models import AuditEvent, Case
from core.settings import Settings
from tests import factories


def _target(case: Case) -> str:
    item = case.incidents[0].target_content
    assert item is not None
    return f"bluesky:{item.native_id}"


def test_export_labels_proven_and_not_proven_incidents(session: Session, settings: Settings) -> None:
    a = accounts.create_user(session, "rina", "reviewer", "kata-sandi-uji")
    b = accounts.create_user(session, "budi", "reviewer", "kata-sandi-uji")
    yes = factories.case(session, target=factories.content(session, text="Ayo coblos 2!"), pair_number=2,
                         stance="support", contest="pilbup-uji-2024")
    no = factories.case(session, target=factories.content(session, text="Ayo ke TPS 27 November"))
    pending = factories.case(session)
    cases.confirm(session, yes, a, settings, version=yes.version)
    cases.confirm(session, yes, b, settings, version=yes.version)
    cases.dismiss(session, no, a, "ajakan netral KPU", version=no.version)
    cases.confirm(session, pending, a, settings, version=pending.version)  # one look only: not a decision yet
    out = io.StringIO()
    assert decisions_export.export(session, out, "tester") == 2
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert yes.incidents[0].target_content is not None and no.incidents[0].target_content is not None
    assert lines == [
        {"id": _target(yes), "election": None, "contest": "pilbup-uji-2024", "text": "Ayo coblos 2!",
         "campaign": True, "pair": 2, "stance": "support", "decision": "confirmed", "source": "review",
         "case_id": yes.id, "incident_id": yes.incidents[0].id},
        {"id": _target(no), "election": None, "contest": None, "text": "Ayo ke TPS 27 November",
         "campaign": False, "pair": None, "stance": "none", "decision": "dismissed", "source": "review",
         "case_id": no.id, "incident_id": no.incidents[0].id},
    ]
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
    assert (last.action, last.details) == ("decisions.export", {"lines": 2})


def test_latest_decision_per_content_wins(session: Session, settings: Settings) -> None:
    a = accounts.create_user(session, "rina", "reviewer", "kata-sandi-uji")
    target = factories.content(session, text="Dukung paslon 1")
    first = factories.case(session, target=target)
    second = factories.case(session, target=target)
    cases.dismiss(session, first, a, "akun bukan milik pegawai", version=first.version)
    cases.dismiss(session, second, a, "bukan kampanye", version=second.version)
    items = list(decisions_export.decisions(session))
    assert [(i.case_id, i.decision) for i in items] == [(second.id, "dismissed")]


def test_a_verdict_on_the_target_is_the_label_and_outranks_incident_decisions(session: Session,
                                                                             settings: Settings) -> None:
    a = accounts.create_user(session, "rina", "reviewer", "kata-sandi-uji")
    b = accounts.create_user(session, "budi", "reviewer", "kata-sandi-uji")
    kpu = factories.content(session, text="Pengumuman KPU: pemungutan suara 27 November")
    proven = factories.case(session, target=kpu)
    cases.confirm(session, proven, a, settings, version=proven.version)
    cases.confirm(session, proven, b, settings, version=proven.version)
    others = [factories.case(session, target=kpu) for _ in range(3)]
    seen = cases.seen_versions(session, f"content:{kpu.id}")
    result = cases.rule_on_target(session, settings, f"content:{kpu.id}", a, "not_campaign",
                                  "pengumuman netral KPU", seen=seen)
    assert sorted(result.dismissed) == sorted(c.id for c in others)
    items = list(decisions_export.decisions(session))
    assert [(i.decision, i.source, i.campaign, i.case_id) for i in items] == [("dismissed", "verdict", False, None)]
