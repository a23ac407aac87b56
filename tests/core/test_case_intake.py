"""Case grouping: one case per employee per target; repeated interactions attach to it."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.case_intake import Flag, open_or_update, target_key_for_account, target_key_for_content
from core.models import Case, CaseEvent, CaseInteraction
from tests import factories as f


def flag_for(inter_id: int, emp_id: int, content_id: int | None, **kw: object) -> Flag:
    values: dict[str, object] = {
        "interaction_id": inter_id, "employee_id": emp_id, "platform": "bluesky",
        "target_key": target_key_for_content(content_id) if content_id else "account:bluesky:paslon.test",
        "target_content_id": content_id, "election_id": None, "model_version": "m1", "score": 0.8,
        "pair_number": 1, "stance": "support", "codes": ["KE-4", "HD-6"], "elements": ["like"], "priority": 0.5,
    }
    values.update(kw)
    return Flag(**values)  # type: ignore[arg-type]


def test_like_then_comment_on_the_same_post_make_one_case(session: Session) -> None:
    acc = f.account(session)
    post = f.content(session)
    like = f.interaction(session, actor=acc, target=post, kind="like")
    comment = f.interaction(session, actor=acc, target=post, kind="comment", native_id="c-1")
    case, what = open_or_update(session, flag_for(like.id, acc.employee_id, post.id))
    assert what == "created" and case.status == "detected"
    again, what2 = open_or_update(session, flag_for(comment.id, acc.employee_id, post.id, score=0.95,
                                                    elements=["comment"], codes=["KE-4", "HD-6"]))
    assert again.id == case.id and what2 == "updated"
    assert again.score == 0.95 and again.rule_elements == ["like", "comment"]
    assert session.scalar(select(func.count()).select_from(CaseInteraction)) == 2
    actions = list(session.scalars(select(CaseEvent.action).order_by(CaseEvent.id)))
    assert actions == ["detected", "interaction_attached"]


def test_rerun_with_the_same_interaction_changes_nothing(session: Session) -> None:
    inter = f.interaction(session)
    acc_emp = inter.actor_account_id
    from core.models import SocialAccount

    employee_id = session.get(SocialAccount, acc_emp).employee_id  # type: ignore[union-attr]
    open_or_update(session, flag_for(inter.id, employee_id, inter.target_content_id))
    _, what = open_or_update(session, flag_for(inter.id, employee_id, inter.target_content_id))
    assert what == "unchanged"
    assert session.scalar(select(func.count()).select_from(Case)) == 1
    assert session.scalar(select(func.count()).select_from(CaseEvent)) == 1


def test_different_employees_or_targets_get_their_own_cases(session: Session) -> None:
    post, other_post = f.content(session), f.content(session)
    a, b = f.account(session), f.account(session)
    i1 = f.interaction(session, actor=a, target=post)
    i2 = f.interaction(session, actor=b, target=post)
    i3 = f.interaction(session, actor=a, target=other_post)
    i4 = f.interaction(session, actor=a, target=post, kind="follow", native_id="follow-1")
    open_or_update(session, flag_for(i1.id, a.employee_id, post.id))
    open_or_update(session, flag_for(i2.id, b.employee_id, post.id))
    open_or_update(session, flag_for(i3.id, a.employee_id, other_post.id))
    open_or_update(session, flag_for(i4.id, a.employee_id, None,
                                     target_key=target_key_for_account("bluesky", "Paslon1.test")))
    assert session.scalar(select(func.count()).select_from(Case)) == 4
    assert target_key_for_account("bluesky", "Paslon1.test") == "account:bluesky:paslon1.test"


History = tuple[str, str, int, list[str], list[int], list[str], float | None]


def _history(session: Session) -> list[History]:
    """Every case with its events and attachments, in a comparable form."""
    session.expire_all()
    out: list[History] = []
    for case in session.scalars(select(Case).order_by(Case.employee_id, Case.target_key)):
        links = sorted(link.interaction_id for link in case.links)
        out.append((case.target_key, case.status, case.employee_id, [e.action for e in case.events],
                    links, case.candidate_codes, case.score))
    return out


def _batch_world(session: Session) -> list[Flag]:
    post, other = f.content(session), f.content(session)
    a, b = f.account(session), f.account(session)
    inters = [f.interaction(session, actor=a, target=post, kind="like"),
              f.interaction(session, actor=a, target=post, kind="comment", native_id="c-a"),
              f.interaction(session, actor=b, target=post, kind="like", native_id="l-b"),
              f.interaction(session, actor=a, target=other, kind="share", native_id="s-a")]
    session.commit()
    return [flag_for(inters[0].id, a.employee_id, post.id),
            flag_for(inters[1].id, a.employee_id, post.id, score=0.95, codes=["KE-4", "HD-6", "KE-5"]),
            flag_for(inters[2].id, b.employee_id, post.id),
            flag_for(inters[3].id, a.employee_id, other.id),
            flag_for(inters[0].id, a.employee_id, post.id)]  # the same interaction again: unchanged


def test_a_batch_gives_what_one_flag_at_a_time_gives(session: Session, db_url: str) -> None:
    from core.case_intake import open_or_update_many

    flags = _batch_world(session)
    existing = f.case(session)  # a case from an earlier scan, for a key of this batch
    existing.employee_id, existing.target_key = flags[3].employee_id, flags[3].target_key
    session.commit()
    outcomes = open_or_update_many(session, flags)
    session.commit()
    assert [what for _, what in outcomes] == ["created", "updated", "created", "updated", "unchanged"]
    assert outcomes[3][0].id == existing.id and outcomes[0][0] is outcomes[1][0]
    batch = [(k, s, links, codes, score) for k, s, _, _, links, codes, score in _history(session)]
    events = {(e, k): acts for k, _, e, acts, *_ in _history(session)}
    for case in session.scalars(select(Case)):
        session.delete(case)
    session.commit()
    existing = f.case(session)
    existing.employee_id, existing.target_key = flags[3].employee_id, flags[3].target_key
    session.commit()
    singles = [open_or_update(session, flag)[1] for flag in flags]
    session.commit()
    assert singles == [what for _, what in outcomes]
    assert [(k, s, links, codes, score) for k, s, _, _, links, codes, score in _history(session)] == batch
    assert {(e, k): acts for k, _, e, acts, *_ in _history(session)} == events
    assert events[(flags[0].employee_id, flags[0].target_key)] == ["detected", "interaction_attached"]
    assert events[(flags[2].employee_id, flags[2].target_key)] == ["detected"]


def test_a_case_opened_by_another_worker_meanwhile_is_updated_not_duplicated(
        session: Session, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The race the unique key arbitrates: another worker commits the case after this batch looked."""
    import core.case_intake as intake

    flags = _batch_world(session)
    real_prefetch = intake.prefetch

    def prefetch_then_race(s: Session, batch: list[Flag]) -> object:
        cache = real_prefetch(s, batch)
        with Session(engine) as other:
            other.add(Case(**intake._case_values(flags[2])))
            other.commit()
        return cache

    monkeypatch.setattr(intake, "prefetch", prefetch_then_race)
    outcomes = intake.open_or_update_many(session, flags)
    session.commit()
    assert [what for _, what in outcomes] == ["created", "updated", "updated", "created", "unchanged"]
    assert session.scalar(select(func.count()).select_from(Case)) == 3
    raced = outcomes[2][0]
    assert [link.interaction_id for link in raced.links] == [flags[2].interaction_id]
    assert [e.action for e in raced.events] == ["interaction_attached"]  # its "detected" was the other's
