"""Revision 0500 converts a filled database in place: every row of the old case model finds its new home.

The database is built at the revision before 0500 by the migrations and filled, through the tables of
that revision (reflected, not today's models), with demo-like data: a Pilkada with three pairs and their
campaign accounts, employees with their accounts, posts, likes, comments and follows, cases at every
status (several per employee, mixed), their interaction links, history, review rows, assessments and
audit entries. Then it is upgraded and each old row is looked up where it must be now.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, func, insert, select, text

from core import migrate
from core.db import make_engine
from tests import dbutil

BEFORE = "0101"
T0 = datetime(2024, 10, 7, 1, 0, tzinfo=UTC)
STATUSES = ["detected", "in_triage", "awaiting_second", "confirmed", "dismissed", "forwarded",
            "recommendation_received", "summoned", "examination", "decided", "closed"]
RANK = {s: i for i, s in enumerate(["detected", "in_triage", "awaiting_second", "confirmed", "forwarded",
                                    "recommendation_received", "summoned", "examination", "decided", "closed"])}


@pytest.fixture
def old_db(tmp_path: Path) -> Iterator[str]:
    url = dbutil.empty(tmp_path)
    migrate.upgrade(url, BEFORE)
    yield url
    dbutil.drop(url)


def _fill(engine: Engine) -> dict[str, Any]:
    """Demo-like data in the old model; returns what was written, for the checks."""
    meta = MetaData()
    meta.reflect(engine)
    t = meta.tables
    rng = random.Random(16)
    world: dict[str, Any] = {"cases": [], "events": [], "links": [], "reviews": [], "assessments": [],
                             "audit": []}
    with engine.begin() as conn:
        def add(table: str, **values: Any) -> int:
            return int(conn.execute(insert(t[table]).values(**values).returning(t[table].c.id)).scalar_one())

        conn.execute(insert(t["user_account"]), [
            {"username": u, "display_name": u.title(), "role": "reviewer", "password_hash": "x", "active": True,
             "created_at": T0, "updated_at": T0} for u in ("rina", "budi")])
        users = dict(conn.execute(select(t["user_account"].c.username, t["user_account"].c.id)).tuples().all())
        eid = add("election", slug="pilkada-sungai-tenang-2024", name="Pemilihan Bupati dan Wakil Bupati Sungai Tenang",
                  region="Kabupaten Sungai Tenang", timezone="Asia/Makassar", candidates_fixed=date(2024, 9, 22),
                  campaign_start=date(2024, 9, 25), campaign_end=date(2024, 11, 23), quiet_start=date(2024, 11, 24),
                  quiet_end=date(2024, 11, 26), voting_day=date(2024, 11, 27), calendar={}, source={},
                  created_at=T0, updated_at=T0)
        world["election"] = eid
        for n in (1, 2, 3):
            pid = add("candidate_pair", election_id=eid, number=n, candidate=f"Calon {n}", running_mate=f"Wakil {n}",
                      aliases=[], hashtags=[f"#Paslon{n}"], parties=[], created_at=T0, updated_at=T0)
            add("campaign_account", pair_id=pid, platform="bluesky", handle=f"paslon{n}.test", created_at=T0,
                updated_at=T0)
        posts = [add("content_item", platform="bluesky", native_id=f"at://paslon/post/{k}", kind="post",
                     author_handle=f"paslon{k % 3 + 1}.test", text=f"Ayo coblos nomor {k % 3 + 1}!", extra={},
                     fetched_at=T0, created_at=T0) for k in range(12)]
        case_id = 0
        for e in range(12):
            emp = add("employee", employee_type="PNS", id_number=f"1986092620150510{e:02d}", name=f"Pegawai {e}",
                      unit=f"Dinas {e % 4}", position="Staf", active=True, created_at=T0, updated_at=T0)
            acc = add("social_account", employee_id=emp, platform="bluesky", handle=f"pegawai{e}.test", active=True,
                      created_at=T0, updated_at=T0)
            for k, post in enumerate(rng.sample(posts, 1 + e % 4)):
                status = STATUSES[(e * 3 + k) % len(STATUSES)]
                at = T0 + timedelta(hours=e * 4 + k)
                case_id = add("case", election_id=eid, employee_id=emp, target_key=f"content:{post}",
                              target_content_id=post, platform="bluesky", status=status, priority=0.1 * (k + 1),
                              score=0.5 + 0.04 * e, pair_number=post % 3 + 1, stance="support", model_version="m1",
                              candidate_codes=["KE-4", "HD-6"], rule_elements=[f"liked post {post}"],
                              details={"stage": "campaign"}, created_at=at, updated_at=at)
                decided = status == "closed" and e % 2 == 0  # closed after a decision, not a dismissal
                world["cases"].append({"id": case_id, "employee": emp, "status": status, "decided": decided})
                for kind in ("like", "comment")[: 1 + k % 2]:
                    inter = add("interaction", platform="bluesky", native_id=f"{kind}-{e}-{post}", kind=kind,
                                actor_account_id=acc, target_content_id=post, occurred_at=at, fetched_at=at)
                    world["links"].append((add("case_interaction", case_id=case_id, interaction_id=inter,
                                               attached_at=at), case_id, inter))
                    world["assessments"].append((add("assessment", interaction_id=inter, model_version="m1",
                                                     flagged=True, codes=["KE-4"], elements=[], priority=0.5,
                                                     quiet_period=False, case_id=case_id, assessed_at=at), case_id))
                for action, actor in [*_history("decided"), ("close", "budi")] if decided else _history(status):
                    world["events"].append((add("case_event", case_id=case_id, at=at, actor=actor, action=action,
                                                from_status=None, to_status=None, data={},
                                                note="berita netral" if action == "dismiss" else None), case_id))
                first = users["rina"] if status == "awaiting_second" else None
                conn.execute(insert(t["case_review"]).values(
                    case_id=case_id, claimed_by_id=users["budi"] if k == 0 and e % 5 == 0 else None,
                    claimed_until=T0 + timedelta(days=400) if k == 0 and e % 5 == 0 else None,
                    first_confirmed_by_id=first, escalated=(e == 7 and k == 1), updated_at=at,
                    deadline=date(2024, 10, 20) if status == "confirmed" else None,
                    deadline_kind="forward" if status == "confirmed" else None))
                world["reviews"].append(case_id)
                world["audit"].append(case_id)
        conn.execute(insert(t["audit_event"]), [
            {"at": T0, "actor": "rina", "action": "case.view", "object_type": "case", "object_id": str(cid),
             "details": {}, "prev_hash": f"p{cid}", "hash": f"h{cid}"} for cid in world["audit"]])
    return world


def _history(status: str) -> list[tuple[str, str]]:
    steps = [("detected", "system:scan")]
    if status == "detected":
        return steps
    steps.append(("triage", "rina"))
    if status == "dismissed" or status == "closed":
        return [*steps, ("dismiss", "rina")] + ([("close", "rina")] if status == "closed" else [])
    if status in ("in_triage",):
        return steps
    steps.append(("confirm_first", "rina"))
    if status == "awaiting_second":
        return steps
    steps.append(("confirm_second", "budi"))
    return steps + [(s, "budi") for s in ("forward", "recommendation", "summon", "examine", "decide")
                    if RANK[{"forward": "forwarded", "recommendation": "recommendation_received",
                             "summon": "summoned", "examine": "examination", "decide": "decided"}[s]] <= RANK[status]]


def test_upgrade_gives_every_old_row_its_new_home(old_db: str) -> None:
    engine = make_engine(old_db)
    world = _fill(engine)
    migrate.upgrade(old_db)
    meta = MetaData()
    meta.reflect(engine)
    t = meta.tables
    with engine.connect() as conn:
        incidents = {r.id: r for r in conn.execute(select(t["incident"]))}
        cases = {r.id: r for r in conn.execute(select(t["case"]))}
        groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for c in world["cases"]:
            groups[c["employee"]].append(c)
        # Every old case is an incident with its id, in its employee's one case (which keeps the highest id).
        assert sorted(incidents) == sorted(c["id"] for c in world["cases"])
        assert len(cases) == len(groups) == 12
        for members in groups.values():
            head = max(m["id"] for m in members)
            assert {incidents[m["id"]].case_id for m in members} == {head}
            assert all(incidents[m["id"]].legacy_case_id == m["id"] for m in members)
            assert cases[head].employee_id == members[0]["employee"] and cases[head].sequence == 1
            assert cases[head].status == _expected_status(members)
        # Interaction links, history, assessments, review rows: all attached to their new home.
        links = {r.id: r for r in conn.execute(select(t["incident_interaction"]))}
        assert {lid: (r.incident_id, r.interaction_id) for lid, r in links.items()} == {
            lid: (cid, iid) for lid, cid, iid in world["links"]}
        events = {r.id: r for r in conn.execute(select(t["case_event"]))}
        for eid, old_case in world["events"]:
            assert (events[eid].incident_id, events[eid].case_id) == (old_case, incidents[old_case].case_id)
        merged = [e for e in events.values() if e.action == "merged"]
        assert sorted(e.case_id for e in merged) == sorted(cases)
        assessments = {r.id: r for r in conn.execute(select(t["assessment"]))}
        for aid, old_case in world["assessments"]:
            assert (assessments[aid].incident_id, assessments[aid].case_id) == (old_case, incidents[old_case].case_id)
        reviews = {r.case_id: r for r in conn.execute(select(t["case_review"]))}
        assert sorted(reviews) == sorted(cases)
        assert sum(1 for r in reviews.values() if r.escalated) == 1
        # Audit entries are untouched (append-only) and each names an incident that leads to its case.
        audit = list(conn.execute(select(t["audit_event"].c.object_id).where(t["audit_event"].c.object_type == "case")))
        assert sorted(int(a[0]) for a in audit) == sorted(world["audit"])
        assert all(incidents[int(a[0])].case_id in cases for a in audit)
        # Outcomes and marks follow the old statuses.
        marks = defaultdict(list)
        for m in conn.execute(select(t["incident_mark"])):
            marks[m.incident_id].append((m.stage, m.mark, m.reviewer))
        for c in world["cases"]:
            inc = incidents[c["id"]]
            expected = None if c["status"] in ("detected", "in_triage", "awaiting_second") else (
                "not_proven" if c["status"] in ("dismissed", "closed") and not c["decided"] else "proven")
            assert inc.outcome == expected, c
            if c["status"] == "awaiting_second":
                assert marks[c["id"]] == [(1, "proven", "rina")]
            if expected == "proven":
                assert sorted(marks[c["id"]]) == [(1, "proven", "rina"), (2, "proven", "budi")]
            if c["status"] == "dismissed":
                assert inc.outcome_reason == "berita netral"
            status = cases[inc.case_id].status
            assert bool(inc.supplementary) == (expected is None and status not in (
                "detected", "in_triage", "awaiting_second", "dismissed", "closed"))
        # Contests: the election's one contest holds its pairs.
        contests = list(conn.execute(select(t["contest"])))
        assert [(c.slug, c.kind) for c in contests] == [("pilkada-sungai-tenang-2024", "pilbup")]
        assert set(conn.execute(select(t["candidate_pair"].c.contest_id)).scalars()) == {contests[0].id}
        assert conn.execute(select(func.count()).select_from(t["campaign_account"])).scalar() == 3
    assert migrate.schema_drift(engine) == []
    # New rows get fresh ids after the converted ones (PostgreSQL sequences were moved on).
    with engine.begin() as conn:
        head = max(cases)
        new = conn.execute(insert(t["incident"]).values(
            case_id=head, target_key="content:new", platform="bluesky", priority=0.0, candidate_codes=[],
            rule_elements=[], details={}, supplementary=False, created_at=T0, updated_at=T0)
            .returning(t["incident"].c.id)).scalar_one()
        assert new > max(incidents)
        if engine.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
    engine.dispose()


def _expected_status(members: list[dict[str, Any]]) -> str:
    """The furthest status reached; dismissed (or closed after a dismissal) only when all were."""
    live = [m["status"] for m in members if m["status"] not in ("dismissed", "closed") or m["decided"]]
    if live:
        return str(max(live, key=lambda s: RANK[s]))
    return "closed" if any(m["status"] == "closed" for m in members) else "dismissed"


def test_downgrade_refuses_while_cases_exist(old_db: str) -> None:
    engine = make_engine(old_db)
    _fill(engine)
    migrate.upgrade(old_db)
    with pytest.raises(RuntimeError, match="restore the backup"):
        migrate.downgrade(old_db, BEFORE)
    # Later revisions' downgrades (1200: login_attempt) may already be done on SQLite, whose DDL does not roll
    # back with the refusal: the database stays at 0500 or above, never below it.
    assert migrate.current(engine) in (*migrate.heads(), "0500")
    engine.dispose()
