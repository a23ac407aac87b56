"""Classify and assess stages on a real database: rules → incidents of one case per person and Pilkada,
assessed against both contests of the example, idempotent reruns."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import Assessment, Case, Classification, ContentItem, Election, Employee, Incident, IncidentInteraction
from core.registry.election_import import import_election
from core.settings import Settings
from pipelines.stages import Stages
from tests import factories as f

OCT = datetime(2024, 10, 10, 9, 0, tzinfo=UTC)


def seed(session: Session) -> dict[str, int]:
    import_election(session, Path("examples/election.yaml"))
    election = session.scalars(select(Election)).one()
    emp = f.employee(session, unit="Dinas Pendidikan")
    acc = f.account(session, emp, platform="bluesky", handle="guru-budi.test")
    official = f.content(session, author_handle="hade-menang.test", text="Selamat pagi warga Sungai Tenang!",
                         created_at=OCT)
    governor = f.content(session, author_handle="guro-menang.test", text="Selamat pagi Teluk Permata!",
                         created_at=OCT)
    neutral = f.content(session, author_handle="berita.test", text="Jadwal debat kedua diumumkan KPU hari ini.",
                        created_at=OCT)
    own_post = f.content(session, author_handle="guru-budi.test", created_at=OCT,
                         text="Ayo coblos nomor 2, Baskara-Laila pasti menang! #BASLABerkah")
    comment = f.content(session, author_handle="guru-budi.test", kind="comment", created_at=OCT,
                         text="Setuju, pilih nomor urut 1 HADE saja, lanjutkan!")
    like = f.interaction(session, actor=acc, target=official, kind="like", native_id="like-official",
                         occurred_at=OCT)
    f.interaction(session, actor=acc, target=neutral, kind="like", native_id="like-neutral", occurred_at=OCT)
    f.interaction(session, actor=acc, target=governor, kind="like", native_id="like-governor", occurred_at=OCT)
    f.interaction(session, actor=acc, target=own_post, kind="post", native_id="post-own", occurred_at=OCT)
    f.interaction(session, actor=acc, target=neutral, own_content_id=comment.id, kind="comment",
                  native_id="comment-1", occurred_at=OCT)
    session.commit()
    return {"election": election.id, "employee": emp.id, "official": official.id, "neutral": neutral.id,
            "own_post": own_post.id, "like": like.id, "governor": governor.id}


def test_rules_open_incidents_of_one_case_and_a_rerun_adds_nothing(settings: Settings, session: Session) -> None:
    ids = seed(session)
    stages = Stages(settings)
    try:
        classified = stages.classify("pilkada-sungai-tenang-2024")
        assert classified.classified == 5
        stats = stages.assess("pilkada-sungai-tenang-2024")
        assert stats.assessed == 5
        session.expire_all()
        [case] = session.scalars(select(Case)).all()  # one person, one Pilkada: one case
        assert case.status == "detected" and case.election_id == ids["election"] and stats.new_cases == [case.id]
        incidents = {i.target_content_id: i for i in session.scalars(select(Incident))}
        # liking an official campaign account's post counts whatever its text, in the account's contest
        official = incidents[ids["official"]]
        assert official.candidate_codes == ["KE-4", "HD-6"] and official.contest == "pilbup-sungai-tenang-2024"
        assert any("official campaign account" in e for e in official.rule_elements)
        governor = incidents[ids["governor"]]
        assert governor.contest == "pilgub-teluk-permata-2024" and governor.pair_number == 1
        # the employee's own campaign post, its pair named by the text
        own = incidents[ids["own_post"]]
        assert own.candidate_codes[:2] == ["KE-2", "HD-2"] and own.pair_number == 2 and own.stance == "support"
        assert own.contest == "pilbup-sungai-tenang-2024"
        # a campaign comment under neutral news is judged on the comment
        assert incidents[ids["neutral"]].candidate_codes == ["KE-4", "HD-6"]
        assert len(incidents) == 4 and stats.new_incidents == 4
        # rerun: nothing new
        assert stages.classify("pilkada-sungai-tenang-2024").classified == 0
        again = stages.assess("pilkada-sungai-tenang-2024")
        assert again.assessed == 0 and again.new_cases == []
        session.expire_all()
        assert session.scalar(select(func.count()).select_from(Incident)) == 4
        assert session.scalar(select(func.count()).select_from(Assessment)) == 5
        assert session.scalar(select(func.count()).select_from(IncidentInteraction)) == 4
        assert session.scalar(select(func.count()).select_from(Classification)) == 5
    finally:
        stages.close()


def test_a_second_interaction_with_the_same_target_joins_its_incident(settings: Settings, session: Session) -> None:
    ids = seed(session)
    stages = Stages(settings)
    try:
        stages.classify("pilkada-sungai-tenang-2024")
        stages.assess("pilkada-sungai-tenang-2024")
        incident = session.scalars(select(Incident).where(Incident.target_content_id == ids["official"])).one()
        from core.models import SocialAccount

        account = session.scalars(select(SocialAccount)).one()
        official = session.get(ContentItem, ids["official"])
        f.interaction(session, actor=account, target=official, kind="share", native_id="share-official",
                      occurred_at=OCT)
        session.commit()
        stats = stages.assess("pilkada-sungai-tenang-2024")
        assert stats.assessed == 1 and stats.new_cases == [] and stats.updated_cases == [incident.case_id]
        session.expire_all()
        links = session.scalar(select(func.count()).select_from(IncidentInteraction)
                               .where(IncidentInteraction.incident_id == incident.id))
        assert links == 2
    finally:
        stages.close()


def test_a_report_joins_the_employees_case_whatever_the_classifier_says(settings: Settings, session: Session,
                                                                        tmp_path: Path) -> None:
    from core.intake import add_report
    from core.models import Report
    from tests.conftest import require_tool
    from tests.core.test_intake import render

    require_tool("tesseract", settings.tesseract_cmd)
    seed(session)
    employee = session.scalars(select(Employee)).first()
    assert employee is not None
    shot = render("Ayo coblos nomor 2 BASLA, Sungai Tenang lanjutkan! #BASLABerkah", tmp_path / "wa.png")
    add_report(session, settings, employee_number=employee.id_number, url=None, screenshots=[shot],
               note="Status WhatsApp pegawai, dikirim warga", actor="cli:operator", platform="whatsapp")
    add_report(session, settings, employee_number=employee.id_number, url="http://127.0.0.1:9/wa-other",
               screenshots=[], note="Foto kegiatan kerja bakti di kantor kecamatan.", actor="cli:operator",
               platform="whatsapp")
    session.commit()
    stages = Stages(settings)
    try:
        stages.classify("pilkada-sungai-tenang-2024")
        first = stages.assess("pilkada-sungai-tenang-2024")
        session.expire_all()
        reports = {r.id: r for r in session.scalars(select(Report))}
        found = {i.target_key: i for i in session.scalars(select(Incident).where(Incident.target_key.like("report:%")))}
        assert set(found) == {f"report:{i}" for i in reports}
        [case] = session.scalars(select(Case)).all()  # the reports join the employee's one case
        assert {i.case_id for i in found.values()} == {case.id} and case.id in first.new_cases
        campaign = next(i for i in found.values() if i.pair_number == 2)
        assert campaign.candidate_codes == ["KE-4", "HD-6"] and campaign.contest == "pilbup-sungai-tenang-2024"
        assert any("reported by cli:operator" in e for e in campaign.rule_elements)
        again = stages.assess("pilkada-sungai-tenang-2024")
        assert again.new_cases == []
    finally:
        stages.close()
