"""Other employees' declared accounts and full names are recognised in shared evidence, the subject's are kept."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from core.subject_redaction import Redactor
from tests import factories


def _redactor(session: Session) -> Redactor:
    subject = factories.employee(session, name="Agus Wiranata")
    factories.account(session, subject, platform="bluesky", handle="agus.test", platform_id="did:plc:agus")
    other = factories.employee(session, name="Citra  Lembayung")
    factories.account(session, other, platform="mastodon", handle="citra@mastodon.test")
    third = factories.employee(session, name="Dewi Sartika Uji")
    factories.account(session, third, platform="facebook", handle="dewi.uji", platform_id="100012345678")
    session.flush()
    session.refresh(subject)
    return Redactor.for_subject(session, subject)


def test_profile_url_forms_and_ids_are_recognised(session: Session) -> None:
    r = _redactor(session)
    text = r.text("https://mastodon.test/@citra dan https://facebook.com/profile.php?id=100012345678")
    assert text == "https://[pegawai lain #1] dan https://facebook.com/profile.php?id=[pegawai lain #2]"


def test_names_match_across_case_and_spacing(session: Session) -> None:
    assert _redactor(session).text("oleh CITRA\nLEMBAYUNG") == "oleh [pegawai lain #1]"


def test_the_subjects_own_accounts_stay(session: Session) -> None:
    own = "@agus.test (Agus Wiranata) did:plc:agus"
    assert _redactor(session).text(own) == own


def test_a_file_naming_nobody_else_is_not_rewritten(session: Session) -> None:
    assert _redactor(session).body(json.dumps({"likes": ["did:plc:agus"]}).encode(), "application/json") is None


def test_binary_files_are_not_touched(session: Session) -> None:
    assert _redactor(session).body(b"\x89PNG\r\n\x1a\n\xff\xfe dewi.uji", "image/png") is None
