"""Every path of the interaction assessment (SKB social-media rows, stages, priority)."""

from __future__ import annotations

from datetime import date

import pytest

from nlp.assess import Interaction, assess, stage_of
from nlp.types import Calendar, ElectionSpec, Prediction, Reason

CAMPAIGN_DAY = date(2024, 10, 10)


def pred(campaign: bool, score: float | None = None, pair: int | None = 2, cues: tuple[str, ...] = (),
         stance: str | None = None) -> Prediction:
    reasons = tuple(Reason("cue", c, c.lower(), 0, 1) for c in cues)
    if pair is not None:
        reasons += (Reason("mention", "NAME", "Bang Rusdi", 0, 10, pair=pair),)
    return Prediction(campaign=campaign, score=score if score is not None else (0.95 if campaign else 0.05),
                      pair=pair if campaign else None,
                      stance=(stance or "support") if campaign else "none",  # type: ignore[arg-type]
                      reasons=reasons, model_version="t", uncertainty=0.1)


@pytest.fixture
def cal(spec_a: ElectionSpec) -> Calendar:
    return spec_a.calendar


def test_own_campaign_post_is_ke2(cal: Calendar) -> None:
    a = assess(Interaction("post", CAMPAIGN_DAY, content=pred(True)), cal)
    assert a.codes == ("KE-2/HD-2",)
    assert "post is campaign content" in a.violations[0].elements
    assert a.priority_label == "high" and a.pair == 2 and a.stage == "campaign"


def test_neutral_post_is_nothing(cal: Calendar) -> None:
    a = assess(Interaction("post", CAMPAIGN_DAY, content=pred(False)), cal)
    assert a.codes == () and a.priority == 0 and a.priority_label == "none"


@pytest.mark.parametrize("kind", ["like", "share"])
def test_like_or_share_of_campaign_content_is_ke4(cal: Calendar, kind: str) -> None:
    a = assess(Interaction(kind, CAMPAIGN_DAY, content=pred(True)), cal)  # type: ignore[arg-type]
    assert a.codes == ("KE-4/HD-6",)
    assert "target is campaign content" in a.violations[0].elements


@pytest.mark.parametrize("kind", ["like", "share"])
def test_official_account_counts_whatever_its_text(cal: Calendar, kind: str) -> None:
    a = assess(Interaction(kind, CAMPAIGN_DAY, content=pred(False), target_is_official=True), cal)  # type: ignore[arg-type]
    assert a.codes == ("KE-4/HD-6",)
    assert any("official campaign account" in e for e in a.violations[0].elements)


def test_like_of_ordinary_content_is_nothing(cal: Calendar) -> None:
    assert assess(Interaction("like", CAMPAIGN_DAY, content=pred(False)), cal).codes == ()


def test_follow_of_official_account(cal: Calendar) -> None:
    a = assess(Interaction("follow", CAMPAIGN_DAY, target_is_official=True, official_pair=3), cal)
    assert a.codes == ("KE-4/HD-6",) and "followed an item or account" in a.violations[0].elements
    assert a.pair == 3


def test_follow_of_ordinary_account_is_nothing(cal: Calendar) -> None:
    assert assess(Interaction("follow", CAMPAIGN_DAY), cal).codes == ()


def test_campaign_comment_on_neutral_post(cal: Calendar) -> None:
    a = assess(Interaction("comment", CAMPAIGN_DAY, content=pred(False), comment=pred(True)), cal)
    assert a.codes == ("KE-4/HD-6",) and "comment is campaign content" in a.violations[0].elements


def test_neutral_comment_on_campaign_post_is_flagged_lower(cal: Calendar) -> None:
    supportive = assess(Interaction("comment", CAMPAIGN_DAY, content=pred(True), comment=pred(True)), cal)
    neutral = assess(Interaction("comment", CAMPAIGN_DAY, content=pred(True, 0.7), comment=pred(False)), cal)
    assert neutral.codes == ("KE-4/HD-6",)
    assert "comment text itself is not campaign content" in neutral.violations[0].elements
    assert neutral.priority < supportive.priority


def test_neutral_comment_on_neutral_post_is_nothing(cal: Calendar) -> None:
    assert assess(Interaction("comment", CAMPAIGN_DAY, content=pred(False), comment=pred(False)), cal).codes == ()


def test_quote_with_own_campaign_text_is_ke2_and_ke4(cal: Calendar) -> None:
    a = assess(Interaction("quote", CAMPAIGN_DAY, content=pred(True), comment=pred(True, stance="oppose")), cal)
    assert set(a.codes) == {"KE-2/HD-2", "KE-4/HD-6"}


def test_photo_with_candidate_is_ke5_when_cues_say_so(cal: Calendar) -> None:
    photo = pred(True, cues=("PHOTO", "FINGER"))
    a = assess(Interaction("post", CAMPAIGN_DAY, content=photo, has_photo=True), cal)
    assert set(a.codes) == {"KE-2/HD-2", "KE-5/HD-7"}
    ke5 = next(v for v in a.violations if v.code == "KE-5/HD-7")
    assert "caption cues: FINGER, PHOTO" in ke5.elements
    no_cue = assess(Interaction("post", CAMPAIGN_DAY, content=pred(True), has_photo=True), cal)
    assert "KE-5/HD-7" not in no_cue.codes
    no_photo = assess(Interaction("post", CAMPAIGN_DAY, content=photo), cal)
    assert "KE-5/HD-7" not in no_photo.codes


def test_quiet_period_is_noted_and_raises_priority(cal: Calendar) -> None:
    content = pred(True, 0.6)
    normal = assess(Interaction("post", CAMPAIGN_DAY, content=content), cal)
    quiet = assess(Interaction("post", date(2024, 11, 25), content=content), cal)
    assert quiet.stage == "quiet" and any("quiet period" in n for n in quiet.notes)
    assert quiet.priority > normal.priority


def test_before_candidates_fixed_the_pair_is_bakal_calon(cal: Calendar) -> None:
    a = assess(Interaction("post", date(2024, 9, 1), content=pred(True)), cal)
    assert a.stage == "before_candidates_fixed" and a.codes == ("KE-2/HD-2",)
    assert any("bakal calon" in n for n in a.notes)


def test_no_sanction_is_ever_proposed(cal: Calendar) -> None:
    a = assess(Interaction("post", CAMPAIGN_DAY, content=pred(True)), cal)
    text = repr(a).lower()
    assert "sanction" not in text and "teguran" not in text and "demotion" not in text


@pytest.mark.parametrize(("day", "stage"), [
    (date(2024, 9, 21), "before_candidates_fixed"), (date(2024, 9, 23), "before_campaign"),
    (date(2024, 9, 25), "campaign"), (date(2024, 11, 23), "campaign"), (date(2024, 11, 24), "quiet"),
    (date(2024, 11, 27), "voting_day"), (date(2024, 12, 1), "after_voting"),
])
def test_stages(cal: Calendar, day: date, stage: str) -> None:
    assert stage_of(day, cal) == stage
