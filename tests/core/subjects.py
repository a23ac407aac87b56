"""A regency in miniature for the data-subject export tests: the subject, a colleague who shares a
campaign post and cases with them, evidence in the real archive (one file deliberately missing).

Used by the core, CLI and review-UI tests, so all three export the same person.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from core import accounts, audit, cases
from core.evidence import EvidenceArchive
from core.models import Assessment, ContentItem, Evidence, IncidentInteraction, Report, ReportFile, User
from core.settings import Settings
from tests import factories

SUBJECT_NUMBER = "198609262015051001"
SUBJECT_WRITTEN = "19860926 201505 1 001"
OTHER_NUMBER = "199001012022212002"
OTHER_NAME = "Citra Lembayung Rahasia"
OTHER_HANDLE = "citra.rahasia.test"


@dataclass
class Scenario:
    """Ids and bytes the tests check the export against."""

    subject_id: int
    other_id: int
    interactions: set[int]
    other_interactions: set[int]
    case_id: int
    other_case_id: int
    report_id: int
    shared_post_id: int
    deleted_post_id: int
    files: dict[str, bytes] = field(default_factory=dict)  # sha256 -> bytes that must be in the ZIP as they are
    shared: dict[str, bytes] = field(default_factory=dict)  # sha256 -> files naming the colleague (redacted)
    missing: str = ""  # sha256 of an evidence row whose file is not in the archive
    withheld: str = ""  # sha256 cited only by the colleague's post
    naming_shot: str = ""  # a screenshot whose OCR text names the colleague (not shipped unless raw)


def _evidence(session: Session, archive: EvidenceArchive | None, body: bytes, media_type: str,
              url: str | None) -> Evidence:
    """An evidence row; its file is archived unless ``archive`` is None (a missing file)."""
    sha = hashlib.sha256(body).hexdigest()
    if archive is not None:
        archive.put(body)
    row = Evidence(sha256=sha, media_type=media_type, size=len(body), source_url=url, http_status=200,
                   headers={}, stored_path=f"{sha[:2]}/{sha[2:4]}/{sha}",
                   fetched_at=datetime(2024, 10, 2, 9, 5, tzinfo=UTC))
    session.add(row)
    session.flush()
    return row


def _reviewers(session: Session) -> tuple[User, User]:
    return (accounts.create_user(session, "rina.subjek", "reviewer", "kata-sandi-uji"),
            accounts.create_user(session, "budi.subjek", "reviewer", "kata-sandi-uji"))


def build(session: Session, settings: Settings) -> Scenario:
    """Add the scenario (flushed, not committed)."""
    archive = EvidenceArchive(settings.resolved_evidence_dir)
    election = factories.election(session)
    subject = factories.employee(session, id_number=SUBJECT_NUMBER, name="Agus Wiranata", unit="Dinas Pendidikan")
    other = factories.employee(session, id_number=OTHER_NUMBER, name=OTHER_NAME, unit="Dinas Pendidikan",
                               employee_type="PPPK")
    sky = factories.account(session, subject, platform="bluesky", handle="agus.test", platform_id="did:plc:agus")
    factories.account(session, subject, platform="mastodon", handle="agus@mastodon.test", active=False)
    other_sky = factories.account(session, other, platform="bluesky", handle=OTHER_HANDLE,
                                  platform_id="did:plc:citra")

    # Shared evidence naming both employees: the post's comment thread and its likers list.
    post_body = json.dumps({"post": "Ayo coblos nomor 1! #Paslon1Menang", "comments": [
        {"author": "agus.test", "text": "Setuju, coblos 1!"},
        {"author": f"@{OTHER_HANDLE}", "name": OTHER_NAME, "profile": f"https://bsky.app/profile/{OTHER_HANDLE}",
         "text": "Mantap"}]}).encode()
    like_body = b'{"likes": ["did:plc:agus", "did:plc:citra"]}'
    thread_html = (f'<ul><li><a href="https://bsky.app/profile/agus.test">Agus Wiranata</a> suka</li>'
                   f'<li><a href="https://bsky.app/profile/{OTHER_HANDLE}">{OTHER_NAME.upper()}</a> suka</li></ul>'
                   ).encode()
    shot_body = b"\x89PNG\r\n\x1a\nscreenshot-bytes"
    colleague_body = f'{{"author": "{OTHER_HANDLE}", "text": "Dukung nomor 1"}}'.encode()
    campaign = factories.content(session, text="Ayo coblos nomor 1! #Paslon1Menang", author_handle="paslon1.test",
                                 evidence_id=_evidence(session, archive, post_body, "application/json",
                                                       "https://bsky.test/post/1").id)
    factories.classification(session, campaign)
    like = factories.interaction(session, sky, campaign, evidence_id=_evidence(
        session, archive, like_body, "application/json", "https://bsky.test/likes/1").id)
    missing = _evidence(session, None, b'{"comment": "lost file"}', "application/json", "https://bsky.test/c/1")
    own_comment = factories.content(session, text="Setuju, coblos 1!", author_handle="agus.test",
                                    kind="comment", evidence_id=missing.id)
    comment = factories.interaction(session, sky, campaign, kind="comment", native_id="comment-agus",
                                    own_content_id=own_comment.id, evidence_id=_evidence(
                                        session, archive, thread_html, "text/html",
                                        "https://bsky.test/thread/1.html").id)
    deleted_post = factories.content(session, text="Salam satu jari", author_handle="agus.test",
                                     deleted_at=datetime(2024, 10, 5, tzinfo=UTC))
    post = factories.interaction(session, sky, deleted_post, kind="post", native_id="post-agus",
                                 deleted_at=datetime(2024, 10, 5, tzinfo=UTC))
    colleague_post = factories.content(
        session, text="Dukung nomor 1", author_handle=OTHER_HANDLE, author_id="did:plc:citra",
        native_id="at://did:plc:citra/app.bsky.feed.post/9",
        author_name=OTHER_NAME, url=f"https://bsky.app/profile/{OTHER_HANDLE}/post/9",
        evidence_id=_evidence(session, archive, colleague_body, "application/json",
                              f"https://bsky.test/{OTHER_HANDLE}").id)
    share = factories.interaction(session, sky, colleague_post, kind="share",
                                  native_id="did:plc:agus share at://did:plc:citra/app.bsky.feed.post/9")
    session.add(Assessment(interaction_id=like.id, model_version="test-1", flagged=True, codes=["KE-4"],
                           elements=["like"], priority=1.0))

    other_like = factories.interaction(session, other_sky, campaign, native_id="like-citra")
    first, second = _reviewers(session)
    case = factories.case(session, subject, campaign, election_id=election.id)
    other_case = factories.case(session, other, campaign, election_id=election.id)
    session.add_all([IncidentInteraction(incident_id=case.incidents[0].id, interaction_id=like.id),
                     IncidentInteraction(incident_id=other_case.incidents[0].id, interaction_id=other_like.id)])
    session.flush()
    for c in (case, other_case):
        cases.confirm(session, c, first, settings, note="suka unggahan kampanye", version=c.version)
        cases.confirm(session, c, second, settings, version=c.version)
        cases.record_view(session, c, first, identity_shown=True)
    cases.advance(session, case, first, "forward", settings, reference="800/123/BKPSDM", to="bawaslu",
                  on=datetime(2024, 10, 10, tzinfo=UTC).date(), version=case.version)

    report_item = ContentItem(platform="whatsapp", native_id="report:abc", kind="report", text="Teks OCR ajakan",
                              lang="id", extra={"note": "grup WA kantor"})
    session.add(report_item)
    session.flush()
    shot = _evidence(session, archive, shot_body, "image/png", None)
    report = Report(employee_id=subject.id, content_id=report_item.id, platform="whatsapp", note="grup WA kantor",
                    reported_by="cli:petugas")
    report.files.append(ReportFile(position=0, evidence_id=shot.id, filename="wa.png", ocr_text="Teks OCR ajakan"))
    group_shot = _evidence(session, archive, b"\x89PNG\r\n\x1a\ngroup-chat", "image/png", None)
    report.files.append(ReportFile(position=1, evidence_id=group_shot.id, filename="wa-grup.png",
                                   ocr_text=f"{OTHER_NAME}: ayo pilih nomor 1"))
    session.add(report)
    session.flush()
    audit.record(session, "cli:petugas", "report.add", object_type="report", object_id=report.id,
                 details={"employee_id": subject.id})
    session.flush()
    return Scenario(
        subject_id=subject.id, other_id=other.id, interactions={like.id, comment.id, post.id, share.id},
        other_interactions={other_like.id}, case_id=case.id, other_case_id=other_case.id, report_id=report.id,
        shared_post_id=colleague_post.id, deleted_post_id=deleted_post.id,
        files={hashlib.sha256(b).hexdigest(): b for b in (shot_body,)},
        shared={hashlib.sha256(b).hexdigest(): b for b in (post_body, like_body, thread_html)},
        missing=missing.sha256, withheld=hashlib.sha256(colleague_body).hexdigest(), naming_shot=group_shot.sha256)
