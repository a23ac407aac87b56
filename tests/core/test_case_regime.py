"""The sanction regime follows the employee type: HD- (PP 94/2021) codes only for ASN."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.case_regime import ASN, CONTRACT, codes_for, regime_of
from core.reports import case_source, dossier
from tests import factories


def test_pns_and_pppk_are_under_skb_and_pp94() -> None:
    assert (regime_of("PNS"), regime_of("PPPK")) == (ASN, ASN)


def test_contract_staff_are_under_the_regents_circular_and_their_contract() -> None:
    assert regime_of("NON_ASN") == CONTRACT and "kontrak" in CONTRACT.basis and not CONTRACT.discipline


def test_unknown_type_never_suggests_pp94() -> None:
    assert codes_for(None, ["KE-4", "HD-6", "KE-5", "HD-7"]) == ["KE-4", "KE-5"]


def test_asn_keep_both_tracks_in_order() -> None:
    assert codes_for("PNS", ["KE-4", "HD-6"]) == ["KE-4", "HD-6"]


def test_the_dossier_summary_names_the_regime_and_no_hd_code_for_contract_staff(session: Session) -> None:
    el = factories.election(session)
    emp = factories.employee(session, employee_type="NON_ASN")
    case = factories.case(session, emp, election_id=el.id, contest=el.slug, candidate_codes=["KE-4", "HD-6"])
    session.flush()
    summary = case_source.case_summary(session, case.id)
    text = dossier.summary_text(summary)
    assert ("Surat edaran bupati" in text, [c["code"] for c in summary.codes],
            dossier._summary_json(summary)["regime"]) == (True, ["KE-4"], "contract")
