"""The whole nightly scan under Prefect (``prefect_test_harness``) on local servers.

The example regency is imported; a replay server speaks the YouTube, X and Facebook APIs with the demo
world's content, for both contests of the example Pilkada (governor and regent). The scan must crawl,
classify, assess and open one case per person for exactly the employees who engaged with official
campaign content (incidents of both contests), store its summary, and add nothing when run again.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from prefect.testing.utilities import prefect_test_harness
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import Case, ContentItem, Employee, Incident, Interaction, ScanRun, SocialAccount
from core.registry.election_import import import_election
from core.registry.roster_import import import_roster
from core.settings import reset_settings
from pipelines.demo.servers import replay_env, set_platform_ids
from pipelines.demo.world import build_replay_world, load_scenario
from tests.core.test_digest import Inbox, free_port
from testservers.replay.server import ReplayServer

ROSTER, ELECTION = Path("examples/roster.csv"), Path("examples/election.yaml")


@pytest.fixture(scope="module")
def harness() -> Iterator[None]:
    with prefect_test_harness(server_startup_timeout=120):
        yield


def expected_engagers(world, scenario) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """Employees' handles that commented on / shared official content, per platform."""
    yt_handles = {h for _, h in scenario.official("youtube")}
    official_yt = {c.id for c in world.youtube.channels.values() if c.handle in yt_handles}
    yt = {world.youtube.channels[c.author_channel_id].handle for c in world.youtube.comments.values()
          if c.channel_id in official_yt}
    official_x = {u.id for u in world.x.users.values() if u.username in {h for _, h in scenario.official("x")}}
    x = {world.x.users[t.author_id].username for t in world.x.tweets.values()
         if t.ref is not None and world.x.tweets[t.ref[1]].author_id in official_x}
    official_fb = {p.id for p in world.facebook.posts.values()}
    fb_names = {p.id: h for h, p in scenario.fb_people.items()}
    fb = {fb_names[c.from_id] for c in world.facebook.comments.values() if c.post_id in official_fb}
    registered = {p: {h.lstrip("@") for h in scenario.handles(p)} for p in ("youtube", "x", "facebook")}
    return {"youtube": yt & registered["youtube"], "x": x & registered["x"], "facebook": fb & registered["facebook"]}


def case_handles(session: Session) -> dict[str, set[str]]:
    session.expire_all()
    found: dict[str, set[str]] = {"youtube": set(), "x": set(), "facebook": set()}
    for employee_id, platform in session.execute(select(Case.employee_id, Incident.platform).join(
            Incident, Incident.case_id == Case.id).distinct()):
        handles = session.scalars(select(SocialAccount.handle).join(Employee).where(
            Employee.id == employee_id, SocialAccount.platform == platform))
        found[platform] |= {h.lstrip("@") for h in handles}
    return found


@pytest.mark.slow
def test_nightly_scan_end_to_end_and_rerun(db_url: str, session: Session, harness: None,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import_election(session, ELECTION)
    import_roster(session, ROSTER)
    scenario = load_scenario(ROSTER, ELECTION)
    world, fb_people = build_replay_world(scenario)
    set_platform_ids(session, "facebook", fb_people)
    session.commit()
    scenario.fb_people = {h: world.facebook.profiles[i] for h, i in fb_people.items()}  # type: ignore[attr-defined]
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    with ReplayServer(world) as server:
        for key, value in replay_env(server, fast=True).items():
            monkeypatch.setenv(key, value)
        monkeypatch.setenv("NETRAL_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("NETRAL_SMTP_PORT", str(smtp.port))
        monkeypatch.setenv("NETRAL_DIGEST_RECIPIENTS", "reviewer@bkpsdm.test")
        reset_settings()
        from pipelines.scan import nightly_scan

        result = nightly_scan(election="pilkada-sungai-tenang-2024", platforms=["youtube", "x", "facebook"],
                              since="2024-09-01")
        assert set(result["platforms"]) == {"youtube", "x", "facebook"}
        for platform, row in result["platforms"].items():
            assert row["items"] > 0 and row["errors"] == 0, (platform, row)
        assert result["classified"] > 0 and result["new_cases"]
        expected = expected_engagers(world, scenario)
        got = case_handles(session)
        for platform in ("youtube", "x", "facebook"):
            assert expected[platform] and expected[platform] <= got[platform], (platform, expected, got)
        # one case per person and Pilkada, incidents in both contests
        cases_per_person = session.execute(select(Case.employee_id, func.count()).group_by(Case.employee_id)).all()
        assert cases_per_person and all(n == 1 for _, n in cases_per_person)
        contests = set(session.scalars(select(Incident.contest).distinct()))
        assert contests == {"pilgub-teluk-permata-2024", "pilbup-sungai-tenang-2024"}
        assert result["new_incidents"] == session.scalar(select(func.count()).select_from(Incident))
        assert result["digest_sent"] and len(inbox.messages) == 1
        assert f"{len(result['new_cases'])} kasus baru" in inbox.messages[0][1]["Subject"]
        run = session.scalars(select(ScanRun)).one()
        assert run.status == "completed" and run.summary["new_cases"] == result["new_cases"]

        counts = [session.scalar(select(func.count()).select_from(m)) for m in (ContentItem, Interaction, Case)]
        again = nightly_scan(election="pilkada-sungai-tenang-2024", platforms=["youtube", "x", "facebook"],
                             since="2024-09-01")
        assert again["new_cases"] == [] and again["classified"] == 0 and again["assessed"] == 0
        session.expire_all()
        assert [session.scalar(select(func.count()).select_from(m)) for m in (ContentItem, Interaction, Case)] == counts
        assert session.scalar(select(func.count()).select_from(ScanRun)) == 2
        assert len(inbox.messages) == 1 and not again["digest_sent"]  # no new case, no e-mail
    smtp.stop()
