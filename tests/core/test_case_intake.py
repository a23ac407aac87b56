"""Case grouping: one case per employee per target; repeated interactions attach to it."""

from __future__ import annotations

from sqlalchemy import func, select
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
