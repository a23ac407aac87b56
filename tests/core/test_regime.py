"""Contract staff get no PP 94/2021 discipline codes; ASN keep both; the case page names the regime."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.case_intake import open_or_update
from core.models import Incident
from tests import factories
from tests.core.test_case_intake import flag_for


def _incident(session: Session, employee_type: str) -> Incident:
    emp = factories.employee(session, employee_type=employee_type)
    acc = factories.account(session, emp)
    target = factories.content(session)
    inter = factories.interaction(session, actor=acc, target=target)
    outcome = open_or_update(session, flag_for(inter.id, emp.id, target.id,
                                               elements=["KE-4/HD-6: liked", "KE-4/HD-6: target is campaign content"]))
    incident = session.get(Incident, outcome.incident_id)
    assert incident is not None
    return incident


def test_contract_staff_get_no_discipline_codes(session: Session) -> None:
    incident = _incident(session, "NON_ASN")
    assert (incident.candidate_codes, incident.rule_elements) == (
        ["KE-4"], ["KE-4: liked", "KE-4: target is campaign content"])


def test_pns_keep_ethics_and_discipline_codes(session: Session) -> None:
    assert _incident(session, "PNS").candidate_codes == ["KE-4", "HD-6"]


def test_pppk_keep_ethics_and_discipline_codes(session: Session) -> None:
    assert _incident(session, "PPPK").candidate_codes == ["KE-4", "HD-6"]

