"""Intake: one case per employee per Pilkada, one incident per target; later incidents by case stage."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core import accounts, cases
from core.case_intake import Flag, open_or_update, open_or_update_many, target_key_for_account, target_key_for_content
from core.models import Case, CaseEvent, Incident, IncidentInteraction, TargetVerdict
from core.settings import Settings
from tests import factories as f


def flag_for(inter_id: int | None, emp_id: int, content_id: int | None, **kw: object) -> Flag:
    values: dict[str, object] = {
        "interaction_id": inter_id, "employee_id": emp_id, "platform": "bluesky",
        "target_key": target_key_for_content(content_id) if content_id else "account:bluesky:paslon.test",
        "target_content_id": content_id, "election_id": None, "model_version": "m1", "score": 0.8,
        "pair_number": 1, "stance": "support", "codes": ["KE-4", "HD-6"], "elements": ["like"], "priority": 0.5,
        "contest": "pilbup-uji-2024",
    }
    values.update(kw)
    return Flag(**values)  # type: ignore[arg-type]


def _count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_two_targets_of_one_person_are_two_incidents_of_one_case(session: Session) -> None:
    el = f.election(session)
    acc = f.account(session)
    post, other = f.content(session), f.content(session)
    like = f.interaction(session, actor=acc, target=post, kind="like")
    share = f.interaction(session, actor=acc, target=other, kind="share", native_id="s-1")
    first = open_or_update(session, flag_for(like.id, acc.employee_id, post.id, election_id=el.id))
    second = open_or_update(session, flag_for(share.id, acc.employee_id, other.id, election_id=el.id,
                                              contest="pilgub-uji-2024"))
    assert (first.what, second.what) == ("created", "added")
    assert first.case_id == second.case_id and first.incident_id != second.incident_id
    assert (_count(session, Case), _count(session, Incident)) == (1, 2)
    contests = set(session.scalars(select(Incident.contest)))
    assert contests == {"pilbup-uji-2024", "pilgub-uji-2024"}


def test_like_then_comment_on_the_same_post_make_one_incident(session: Session) -> None:
    acc = f.account(session)
    post = f.content(session)
    like = f.interaction(session, actor=acc, target=post, kind="like")
    comment = f.interaction(session, actor=acc, target=post, kind="comment", native_id="c-1")
    one = open_or_update(session, flag_for(like.id, acc.employee_id, post.id))
    two = open_or_update(session, flag_for(comment.id, acc.employee_id, post.id, score=0.95, elements=["comment"]))
    assert (one.what, two.what) == ("created", "updated") and one.incident_id == two.incident_id
    incident = session.get(Incident, one.incident_id)
    assert incident is not None and incident.score == 0.95 and incident.rule_elements == ["like", "comment"]
    assert _count(session, IncidentInteraction) == 2
    assert list(session.scalars(select(CaseEvent.action).order_by(CaseEvent.id))) == [
        "detected", "interaction_attached"]


def test_rerun_with_the_same_interaction_changes_nothing(session: Session) -> None:
    acc = f.account(session)
    inter = f.interaction(session, actor=acc)
    open_or_update(session, flag_for(inter.id, acc.employee_id, inter.target_content_id))
    again = open_or_update(session, flag_for(inter.id, acc.employee_id, inter.target_content_id))
    assert again.what == "unchanged"
    assert (_count(session, Case), _count(session, CaseEvent)) == (1, 1)


def test_different_employees_get_their_own_cases_and_pilkadas_too(session: Session) -> None:
    post = f.content(session)
    a, b = f.account(session), f.account(session)
    el1, el2 = f.election(session), f.election(session)
    for acc, el in ((a, el1), (b, el1), (a, el2)):
        inter = f.interaction(session, actor=acc, target=post)
        open_or_update(session, flag_for(inter.id, acc.employee_id, post.id, election_id=el.id))
    follow = f.interaction(session, actor=a, target=post, kind="follow", native_id="follow-1")
    outcome = open_or_update(session, flag_for(follow.id, a.employee_id, None, election_id=el1.id,
                                               target_key=target_key_for_account("bluesky", "Paslon1.test")))
    assert outcome.what == "added"  # the follow joins a's case of el1 as a second incident
    assert _count(session, Case) == 3
    assert target_key_for_account("bluesky", "Paslon1.test") == "account:bluesky:paslon1.test"


@pytest.fixture
def two(session: Session) -> tuple[object, object]:
    return (accounts.create_user(session, "rina", "reviewer", "kata-sandi-uji"),
            accounts.create_user(session, "budi", "reviewer", "kata-sandi-uji"))


def _new_target_flag(session: Session, case: Case) -> Flag:
    acc = f.account(session, session.get(type(case.employee), case.employee_id))
    inter = f.interaction(session, actor=acc)
    return flag_for(inter.id, case.employee_id, inter.target_content_id, election_id=case.election_id)


def test_later_incidents_in_triage_are_new_after_confirmation_supplementary_after_close_a_linked_case(
        session: Session, settings: Settings, two: tuple[object, object]) -> None:
    rina, budi = two
    el = f.election(session)
    case = f.case(session, election_id=el.id)
    cases.claim(session, case, rina, settings)  # type: ignore[arg-type]
    in_triage = open_or_update(session, _new_target_flag(session, case))
    new = session.get(Incident, in_triage.incident_id)
    assert in_triage.what == "added" and new is not None and new.is_new and not new.supplementary
    session.refresh(case)
    cases.confirm(session, case, rina, settings, version=case.version)  # type: ignore[arg-type]
    cases.confirm(session, case, budi, settings, version=case.version)  # type: ignore[arg-type]
    assert case.status == "confirmed"
    later = open_or_update(session, _new_target_flag(session, case))
    supplement = session.get(Incident, later.incident_id)
    assert later.case_id == case.id and supplement is not None and supplement.supplementary
    cases.advance(session, case, rina, "forward", settings, version=case.version,  # type: ignore[arg-type]
                  reference="800/1", on=case.created_at.date(), to="bkn")
    case.status = "closed"
    session.flush()
    after = open_or_update(session, _new_target_flag(session, case))
    linked = session.get(Case, after.case_id)
    assert after.what == "created" and linked is not None and linked.id != case.id
    assert (linked.previous_case_id, linked.sequence, linked.status) == (case.id, 2, "detected")


def test_a_target_ruled_not_campaign_content_opens_nothing_unless_the_own_text_is(
        session: Session) -> None:
    acc = f.account(session)
    post = f.content(session)
    session.add(TargetVerdict(target_key=target_key_for_content(post.id), target_content_id=post.id,
                              verdict="not_campaign", reason="pengumuman KPU", decided_by="rina", incidents=[]))
    like = f.interaction(session, actor=acc, target=post, kind="like")
    comment = f.interaction(session, actor=acc, target=post, kind="comment", native_id="c-9")
    ruled = open_or_update(session, flag_for(like.id, acc.employee_id, post.id))
    kept = open_or_update(session, flag_for(comment.id, acc.employee_id, post.id, own_text_campaign=True))
    assert (ruled.what, ruled.case_id, kept.what) == ("ruled_out", None, "created")


def test_a_batch_gives_what_one_flag_at_a_time_gives(session: Session) -> None:
    post, other = f.content(session), f.content(session)
    a, b = f.account(session), f.account(session)
    inters = [f.interaction(session, actor=a, target=post, kind="like"),
              f.interaction(session, actor=a, target=post, kind="comment", native_id="c-a"),
              f.interaction(session, actor=b, target=post, kind="like", native_id="l-b"),
              f.interaction(session, actor=a, target=other, kind="share", native_id="s-a")]
    flags = [flag_for(inters[0].id, a.employee_id, post.id),
             flag_for(inters[1].id, a.employee_id, post.id, score=0.95, codes=["KE-4", "HD-6", "KE-5"]),
             flag_for(inters[2].id, b.employee_id, post.id),
             flag_for(inters[3].id, a.employee_id, other.id),
             flag_for(inters[0].id, a.employee_id, post.id)]  # the same interaction again: unchanged
    session.commit()
    batch = [o.what for o in open_or_update_many(session, flags)]
    state = sorted((i.case.employee_id, i.target_key, i.score, sorted(lk.interaction_id for lk in i.links))
                   for i in session.scalars(select(Incident)))
    events = len(list(session.scalars(select(CaseEvent.id))))
    assert batch == ["created", "updated", "created", "created", "unchanged"]
    session.rollback()
    singles = [open_or_update(session, flag).what for flag in flags]
    assert singles == ["created", "updated", "created", "added", "unchanged"]  # one scan vs. two
    assert sorted((i.case.employee_id, i.target_key, i.score, sorted(lk.interaction_id for lk in i.links))
                  for i in session.scalars(select(Incident))) == state
    assert len(list(session.scalars(select(CaseEvent.id)))) == events


def test_a_case_opened_by_another_worker_meanwhile_is_joined_not_duplicated(
        session: Session, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The race the unique key arbitrates: another worker commits the case after this batch looked."""
    import core.case_intake as intake

    acc = f.account(session)
    post = f.content(session)
    el = f.election(session)
    inter = f.interaction(session, actor=acc, target=post)
    session.commit()
    flag = flag_for(inter.id, acc.employee_id, post.id, election_id=el.id)
    real = intake._prefetch

    def prefetch_then_race(s: Session, batch: list[Flag]) -> object:
        found = real(s, batch)
        with Session(engine) as other:
            other.add(Case(employee_id=acc.employee_id, election_id=el.id, sequence=1, status="detected", version=1,
                           priority=0.1, candidate_codes=[], details={}))
            other.commit()
        return found

    monkeypatch.setattr(intake, "_prefetch", prefetch_then_race)
    outcome = intake.open_or_update_many(session, [flag])[0]
    session.commit()
    assert _count(session, Case) == 1 and outcome.case_id is not None
    assert [i.target_key for i in session.scalars(select(Incident))] == [flag.target_key]
