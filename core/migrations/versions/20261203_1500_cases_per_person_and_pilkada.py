"""cases per person and pilkada

One case per employee per Pilkada, made of incidents (what a case was before); a Pilkada holds several
contests. Existing databases are converted in place, losing nothing:

- every election gets one contest (slug = the election's id; kind from the file's ``election.kind`` or
  its name), every pair joins it;
- every case becomes an incident *with the same id* (``legacy_case_id`` keeps it, for the audit entries
  of that time, which are append-only and keep naming ``case <id>``); the incidents of one employee
  and election form one case, which keeps the highest of their ids (so new case ids never reuse an old
  one); interaction links move to ``incident_interaction``; history events, assessments and the review
  row move to the case (events and assessments also name their incident);
- a case made of incidents with different statuses takes the furthest one reached, and a ``merged``
  event in its history lists every incident with the status it had; an incident past confirmation is
  proven, a dismissed one not proven (with the dismissal's reason); reviewers' confirmations and
  dismissals found in the history become their marks; an open incident in a case past confirmation
  becomes supplementary (tambahan).

Revision ID: 0500
Revises: 0101
Create Date: 2026-12-03 16:57:17.517358
"""

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0500'
down_revision: str | None = '1101'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = ("detected", "in_triage", "awaiting_second")
RANK = {"detected": 0, "in_triage": 1, "awaiting_second": 2, "confirmed": 3, "forwarded": 4,
        "recommendation_received": 5, "summoned": 6, "examination": 7, "decided": 8, "closed": 9}
CHUNK = 1000

old_case = sa.table(
    "case", sa.column("id", sa.Integer), sa.column("election_id", sa.Integer), sa.column("employee_id", sa.Integer),
    sa.column("target_key", sa.String), sa.column("target_content_id", sa.Integer), sa.column("platform", sa.String),
    sa.column("status", sa.String), sa.column("priority", sa.Float), sa.column("score", sa.Float),
    sa.column("pair_number", sa.Integer), sa.column("stance", sa.String), sa.column("model_version", sa.String),
    sa.column("candidate_codes", sa.JSON), sa.column("rule_elements", sa.JSON), sa.column("details", sa.JSON),
    sa.column("created_at", sa.DateTime(timezone=True)), sa.column("updated_at", sa.DateTime(timezone=True)))
new_case = sa.table(
    "case", sa.column("id", sa.Integer), sa.column("status", sa.String), sa.column("priority", sa.Float),
    sa.column("score", sa.Float), sa.column("candidate_codes", sa.JSON), sa.column("details", sa.JSON),
    sa.column("summary", sa.JSON),
    sa.column("sequence", sa.Integer), sa.column("version", sa.Integer),
    sa.column("created_at", sa.DateTime(timezone=True)), sa.column("updated_at", sa.DateTime(timezone=True)))
case_event = sa.table(
    "case_event", sa.column("id", sa.Integer), sa.column("case_id", sa.Integer),
    sa.column("incident_id", sa.Integer), sa.column("at", sa.DateTime(timezone=True)), sa.column("actor", sa.String),
    sa.column("action", sa.String), sa.column("from_status", sa.String), sa.column("to_status", sa.String),
    sa.column("note", sa.Text), sa.column("data", sa.JSON))
case_review = sa.table(
    "case_review", sa.column("case_id", sa.Integer), sa.column("claimed_by_id", sa.Integer),
    sa.column("claimed_until", sa.DateTime(timezone=True)), sa.column("first_confirmed_by_id", sa.Integer),
    sa.column("escalated", sa.Boolean), sa.column("deadline", sa.Date), sa.column("deadline_kind", sa.String),
    sa.column("updated_at", sa.DateTime(timezone=True)))
user_account = sa.table("user_account", sa.column("id", sa.Integer), sa.column("username", sa.String))
election = sa.table("election", sa.column("id", sa.Integer), sa.column("slug", sa.String),
                    sa.column("name", sa.String), sa.column("source", sa.JSON))
contest = sa.table("contest", sa.column("id", sa.Integer), sa.column("election_id", sa.Integer),
                   sa.column("slug", sa.String), sa.column("kind", sa.String), sa.column("name", sa.String),
                   sa.column("position", sa.Integer), sa.column("created_at", sa.DateTime(timezone=True)),
                   sa.column("updated_at", sa.DateTime(timezone=True)))
candidate_pair = sa.table("candidate_pair", sa.column("id", sa.Integer), sa.column("election_id", sa.Integer),
                          sa.column("contest_id", sa.Integer))


def _json(value: Any, default: Any) -> Any:
    if value is None:
        return default
    return json.loads(value) if isinstance(value, str) else value


def _kind(name: str, source: Any) -> str:
    declared = (_json(source, {}).get("election") or {}).get("kind")
    if declared in ("pilgub", "pilbup", "pilwalkot"):
        return str(declared)
    lowered = (name or "").casefold()
    if "gubernur" in lowered or "governor" in lowered:
        return "pilgub"
    if "wali kota" in lowered or "walikota" in lowered or "mayor" in lowered:
        return "pilwalkot"
    return "pilbup"


def _contests() -> None:
    op.create_table('contest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('election_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['election_id'], ['election.id'], name=op.f('fk_contest_election_id_election'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest')),
    sa.UniqueConstraint('election_id', 'slug', name=op.f('uq_contest_election_id_slug'))
    )
    with op.batch_alter_table('contest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_election_id'), ['election_id'], unique=False)
    with op.batch_alter_table('election', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default='1', nullable=False))
    with op.batch_alter_table('candidate_pair', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contest_id', sa.Integer(), nullable=True))
    bind = op.get_bind()
    now = datetime.now(UTC)
    for eid, slug, name, source in bind.execute(sa.select(election.c.id, election.c.slug, election.c.name,
                                                          election.c.source)).all():
        bind.execute(contest.insert().values(election_id=eid, slug=slug, kind=_kind(name, source), name=name,
                                             position=0, created_at=now, updated_at=now))
        cid = bind.execute(sa.select(contest.c.id).where(contest.c.election_id == eid)).scalar_one()
        bind.execute(candidate_pair.update().where(candidate_pair.c.election_id == eid).values(contest_id=cid))
    with op.batch_alter_table('candidate_pair', schema=None) as batch_op:
        batch_op.alter_column('contest_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint(batch_op.f('uq_candidate_pair_election_id_number'), type_='unique')
        batch_op.create_index(batch_op.f('ix_candidate_pair_contest_id'), ['contest_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_candidate_pair_contest_id_number'), ['contest_id', 'number'])
        batch_op.create_foreign_key(batch_op.f('fk_candidate_pair_contest_id_contest'), 'contest', ['contest_id'], ['id'], ondelete='CASCADE')
    with op.batch_alter_table('classification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contest', sa.String(length=100), nullable=True))
    bind.execute(sa.text("UPDATE classification SET contest = (SELECT election.slug FROM election "
                         "WHERE election.id = (SELECT min(id) FROM election)) "
                         "WHERE pair_number IS NOT NULL AND (SELECT count(*) FROM election) = 1"))


def _new_tables() -> None:
    op.create_table('incident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('target_key', sa.String(length=600), nullable=False),
    sa.Column('target_content_id', sa.Integer(), nullable=True),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('contest', sa.String(length=100), nullable=True),
    sa.Column('pair_number', sa.Integer(), nullable=True),
    sa.Column('stance', sa.String(length=16), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('priority', sa.Float(), nullable=False),
    sa.Column('model_version', sa.String(length=64), nullable=True),
    sa.Column('candidate_codes', sa.JSON(), nullable=False),
    sa.Column('rule_elements', sa.JSON(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('outcome_reason', sa.Text(), nullable=True),
    sa.Column('outcome_source', sa.String(length=16), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supplementary', sa.Boolean(), nullable=False),
    sa.Column('joined_status', sa.String(length=32), nullable=True),
    sa.Column('addendum', sa.Integer(), nullable=True),
    sa.Column('legacy_case_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_incident_case_id_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_content_id'], ['content_item.id'], name=op.f('fk_incident_target_content_id_content_item'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident')),
    sa.UniqueConstraint('case_id', 'target_key', name=op.f('uq_incident_case_id_target_key'))
    )
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.create_index('ix_incident_case_id_outcome', ['case_id', 'outcome'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_legacy_case_id'), ['legacy_case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_target_content_id'), ['target_content_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_target_key'), ['target_key'], unique=False)

    op.create_table('target_verdict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_key', sa.String(length=600), nullable=False),
    sa.Column('target_content_id', sa.Integer(), nullable=True),
    sa.Column('verdict', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by', sa.String(length=100), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('incidents', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['target_content_id'], ['content_item.id'], name=op.f('fk_target_verdict_target_content_id_content_item'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_target_verdict'))
    )
    with op.batch_alter_table('target_verdict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_target_verdict_target_content_id'), ['target_content_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_target_verdict_target_key'), ['target_key'], unique=False)

    op.create_table('incident_interaction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('interaction_id', sa.Integer(), nullable=False),
    sa.Column('attached_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_incident_interaction_incident_id_incident'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['interaction_id'], ['interaction.id'], name=op.f('fk_incident_interaction_interaction_id_interaction'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_interaction')),
    sa.UniqueConstraint('incident_id', 'interaction_id', name=op.f('uq_incident_interaction_incident_id_interaction_id'))
    )
    with op.batch_alter_table('incident_interaction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_interaction_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_interaction_interaction_id'), ['interaction_id'], unique=False)

    op.create_table('incident_mark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('reviewer', sa.String(length=100), nullable=False),
    sa.Column('mark', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_incident_mark_incident_id_incident'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['user_account.id'], name=op.f('fk_incident_mark_reviewer_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_mark')),
    sa.UniqueConstraint('incident_id', 'stage', name=op.f('uq_incident_mark_incident_id_stage'))
    )
    with op.batch_alter_table('incident_mark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_mark_incident_id'), ['incident_id'], unique=False)

    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('incident_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_assessment_incident_id'), ['incident_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_assessment_incident_id_incident'), 'incident', ['incident_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('incident_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_case_event_incident_id'), ['incident_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_case_event_incident_id_incident'), 'incident', ['incident_id'], ['id'], ondelete='SET NULL')


def _rank(status: str, dismissed: bool) -> int:
    """How far an old case got; a dismissal (closed or not) ranks below every open state."""
    if status == "dismissed":
        return -2
    if status == "closed" and dismissed:
        return -1
    return RANK.get(status, 0)


def _outcome(status: str, dismissed: bool) -> str | None:
    if status in OPEN:
        return None
    return "not_proven" if status == "dismissed" or dismissed else "proven"


def _chunks(rows: list[dict[str, Any]]) -> Any:
    for i in range(0, len(rows), CHUNK):
        yield rows[i:i + CHUNK]


def _convert() -> None:
    """Old cases → incidents grouped into cases (see the module docstring)."""
    bind = op.get_bind()
    json_columns = ("candidate_codes", "rule_elements", "details")
    incident = sa.table("incident", *[sa.column(c, sa.JSON) if c in json_columns else sa.column(c) for c in (
        "id", "case_id", "target_key", "target_content_id", "platform", "contest", "pair_number", "stance", "score",
        "priority", "model_version", "candidate_codes", "rule_elements", "details", "outcome", "outcome_reason",
        "outcome_source", "decided_at", "supplementary", "joined_status", "addendum", "legacy_case_id",
        "created_at", "updated_at")])
    mark = sa.table("incident_mark", *[sa.column(c) for c in (
        "incident_id", "stage", "reviewer_id", "reviewer", "mark", "reason", "at")])
    users = dict(bind.execute(sa.select(user_account.c.username, user_account.c.id)).all())
    slugs = dict(bind.execute(sa.select(election.c.id, election.c.slug)).all())
    cases = [dict(r._mapping) for r in bind.execute(sa.select(old_case).order_by(old_case.c.id))]
    if not cases:
        return
    decisions: dict[int, dict[str, Any]] = defaultdict(dict)  # old case id → action → (actor, at, note)
    for cid, action, actor, at, note in bind.execute(
            sa.select(case_event.c.case_id, case_event.c.action, case_event.c.actor, case_event.c.at,
                      case_event.c.note)
            .where(case_event.c.action.in_(("confirm_first", "confirm_second", "dismiss")))
            .order_by(case_event.c.id)):
        decisions[cid][action] = (actor, at, note)
    reviews = {r.case_id: dict(r._mapping) for r in bind.execute(sa.select(case_review))}
    groups: dict[tuple[int, int | None], list[dict[str, Any]]] = defaultdict(list)
    for c in cases:
        groups[(c["employee_id"], c["election_id"])].append(c)
    incidents, marks, merged, heads = [], [], [], []
    for members in groups.values():
        head = max(m["id"] for m in members)
        ranked = [(_rank(m["status"], "dismiss" in decisions[m["id"]]), m) for m in members]
        top_rank, top = max(ranked, key=lambda rm: (rm[0], rm[1]["id"]))
        if top_rank < 0:
            status = "closed" if any(r == -1 for r, _ in ranked) else "dismissed"
        else:
            status = top["status"]
        confirmed_phase = status not in OPEN and top_rank >= 0
        proven_codes: list[Any] = []
        all_codes: list[Any] = []
        start = len(incidents)
        for rank, m in ranked:
            done = decisions[m["id"]]
            outcome = _outcome(m["status"], "dismiss" in done)
            codes = _json(m["candidate_codes"], [])
            all_codes += [c for c in codes if c not in all_codes]
            if outcome == "proven":
                proven_codes += [c for c in codes if c not in proven_codes]
            decided = done.get("dismiss") or done.get("confirm_second")
            incidents.append({
                "id": m["id"], "case_id": head, "target_key": m["target_key"],
                "target_content_id": m["target_content_id"], "platform": m["platform"],
                "contest": slugs.get(m["election_id"]), "pair_number": m["pair_number"], "stance": m["stance"],
                "score": m["score"], "priority": m["priority"] or 0.0, "model_version": m["model_version"],
                "candidate_codes": codes, "rule_elements": _json(m["rule_elements"], []),
                "details": _json(m["details"], {}), "outcome": outcome,
                "outcome_reason": done["dismiss"][2] if outcome == "not_proven" and "dismiss" in done else None,
                "outcome_source": None if outcome is None else "review",
                "decided_at": decided[1] if (decided and outcome) else (m["updated_at"] if outcome else None),
                "supplementary": outcome is None and confirmed_phase, "joined_status": None, "addendum": None,
                "legacy_case_id": m["id"], "created_at": m["created_at"], "updated_at": m["updated_at"]})
            for stage, action, value in ((1, "confirm_first", "proven"), (2, "confirm_second", "proven"),
                                         (1, "dismiss", "not_proven")):
                if action in done and not (stage == 1 and action == "dismiss" and "confirm_first" in done):
                    actor, at, note = done[action]
                    marks.append({"incident_id": m["id"], "stage": stage, "reviewer_id": users.get(actor),
                                  "reviewer": actor, "mark": value, "at": at,
                                  "reason": note if value == "not_proven" else None})
            if m["status"] == "awaiting_second" and "confirm_first" not in done:
                first = (reviews.get(m["id"]) or {}).get("first_confirmed_by_id")
                name = next((u for u, i in users.items() if i == first), "unknown")
                marks.append({"incident_id": m["id"], "stage": 1, "reviewer_id": first, "reviewer": name,
                              "mark": "proven", "at": m["updated_at"], "reason": None})
        statuses = {m["id"]: m["status"] for m in members}
        mine = incidents[start:]
        heads.append({"id": head, "summary": _summary(mine), "status": status, "codes": proven_codes or all_codes,
                      "priority": max(m["priority"] or 0.0 for m in members),
                      "score": max((m["score"] for m in members if m["score"] is not None), default=None),
                      "created_at": min(m["created_at"] for m in members),
                      "updated_at": max(m["updated_at"] for m in members), "members": members, "top": top["id"]})
        listed = ", ".join(f"#{i} ({s})" for i, s in sorted(statuses.items()))
        merged.append({"case_id": head, "incident_id": None, "at": datetime.now(UTC), "actor": "system:migration",
                       "action": "merged", "from_status": None, "to_status": status,
                       "note": (f"One case per person and Pilkada: formed from the earlier cases {listed}, now its "
                                f"incidents; the case takes the furthest status reached ({status})."),
                       "data": {"incidents": {str(i): s for i, s in sorted(statuses.items())}}})
    for part in _chunks(incidents):
        bind.execute(incident.insert(), part)
    for part in _chunks(marks):
        bind.execute(mark.insert(), part)
    bind.execute(sa.text("INSERT INTO incident_interaction (id, incident_id, interaction_id, attached_at) "
                         "SELECT id, case_id, interaction_id, attached_at FROM case_interaction"))
    for table in ("case_event", "assessment"):
        bind.execute(sa.text(f"UPDATE {table} SET incident_id = case_id WHERE case_id IS NOT NULL"))
        bind.execute(sa.text(f"UPDATE {table} SET case_id = (SELECT incident.case_id FROM incident "
                             f"WHERE incident.id = {table}.incident_id) WHERE incident_id IS NOT NULL"))
    _merge_reviews(bind, heads, reviews)
    for part in _chunks(merged):
        bind.execute(case_event.insert(), part)
    for h in heads:
        bind.execute(new_case.update().where(new_case.c.id == h["id"]).values(
            status=h["status"], priority=h["priority"], score=h["score"], candidate_codes=h["codes"], details={},
            summary=h["summary"],
            sequence=1, version=1, created_at=h["created_at"], updated_at=h["updated_at"]))
    # A desk report's case annex (migration 0800) points at old case ids: move each entry to its person's
    # case, keeping one entry when two old cases of one person were both in the same report.
    owner = {int(i): int(c) for i, c in bind.execute(sa.text("SELECT id, case_id FROM incident"))}
    survivor: dict[tuple[int, int], tuple[int, int]] = {}  # (report, new case) -> (row id, old case id)
    doomed: list[int] = []
    for row_id, report_id, case_id in bind.execute(
            sa.text("SELECT id, report_id, case_id FROM desk_report_case ORDER BY id")).all():
        key = (int(report_id), owner.get(int(case_id), int(case_id)))
        if key in survivor:  # keep the row already pointing at the new case, else the first
            keep_first = survivor[key][1] == key[1]
            doomed.append(row_id if keep_first else survivor[key][0])
            if not keep_first:
                survivor[key] = (int(row_id), int(case_id))
        else:
            survivor[key] = (int(row_id), int(case_id))
    for row_id in doomed:
        bind.execute(sa.text("DELETE FROM desk_report_case WHERE id = :i"), {"i": row_id})
    for (_report, target), (row_id, case_id) in survivor.items():
        if target != case_id:
            bind.execute(sa.text("UPDATE desk_report_case SET case_id = :c WHERE id = :i"), {"c": target, "i": row_id})
    bind.execute(sa.text('DELETE FROM "case" WHERE id NOT IN (SELECT case_id FROM incident)'))


def _summary(incidents: list[dict[str, Any]]) -> dict[str, Any]:
    """``Case.summary`` as core.case_priority.summary_of computes it (copied: migrations import nothing)."""
    facets: set[str] = set()
    for i in incidents:
        facets.add(f"p:{i['platform']}")
        if i["contest"]:
            facets.add(f"c:{i['contest']}")
        if i["pair_number"] is not None:
            facets.add(f"n:{i['pair_number']}")
        facets.update(f"k:{c}" for c in i["candidate_codes"] or [])
    open_ = sum(1 for i in incidents if i["outcome"] is None)
    if open_:
        facets.add("w:open")
    return {"incidents": len(incidents), "open": open_, "new": 0,
            "supplementary": sum(1 for i in incidents if i["supplementary"]),
            "platforms": sorted({i["platform"] for i in incidents}),
            "contests": sorted({i["contest"] for i in incidents if i["contest"]}), "facets": sorted(facets)}


def _merge_reviews(bind: Any, heads: list[dict[str, Any]], reviews: dict[int, dict[str, Any]]) -> None:
    """One review row per case: the latest live claim, the pending first confirmation, escalation if any
    incident was escalated, and the deadline of the incident whose status the case took."""
    for h in heads:
        rows = [reviews[m["id"]] for m in h["members"] if m["id"] in reviews]
        if not rows:
            continue
        claimed = max(rows, key=lambda r: (r["claimed_until"] is not None, str(r["claimed_until"] or "")))
        pending = next((reviews[m["id"]]["first_confirmed_by_id"] for m in h["members"]
                        if m["status"] == "awaiting_second" and m["id"] in reviews), None)
        top = reviews.get(h["top"]) or {}
        values = {"claimed_by_id": claimed["claimed_by_id"], "claimed_until": claimed["claimed_until"],
                  "first_confirmed_by_id": pending if h["status"] == "awaiting_second" else None,
                  "escalated": any(bool(r["escalated"]) for r in rows), "deadline": top.get("deadline"),
                  "deadline_kind": top.get("deadline_kind"), "updated_at": max(r["updated_at"] for r in rows)}
        others = [m["id"] for m in h["members"] if m["id"] != h["id"] and m["id"] in reviews]
        if others:
            bind.execute(case_review.delete().where(case_review.c.case_id.in_(others)))
        if h["id"] in reviews:
            bind.execute(case_review.update().where(case_review.c.case_id == h["id"]).values(**values))
        else:
            bind.execute(case_review.insert().values(case_id=h["id"], **values))


def _sync_sequences() -> None:
    """PostgreSQL: the id sequences of tables filled with explicit ids continue after the highest id."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table in ("incident", "incident_interaction"):
        bind.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                             f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"))


def upgrade() -> None:
    _contests()
    _new_tables()
    _convert_with_columns()
    _sync_sequences()


def _convert_with_columns() -> None:
    """Add ``sequence``/``version`` first (the conversion writes them), then drop the per-target columns."""
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('summary', sa.JSON(), nullable=True))
    _convert()
    with op.batch_alter_table('case_interaction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_interaction_case_id'))
        batch_op.drop_index(batch_op.f('ix_case_interaction_interaction_id'))
    op.drop_table('case_interaction')
    op.get_bind().execute(sa.text("UPDATE \"case\" SET summary = '{}' WHERE summary IS NULL"))
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.alter_column('summary', existing_type=sa.JSON(), nullable=False)
        batch_op.add_column(sa.Column('previous_case_id', sa.Integer(), nullable=True))
        batch_op.drop_index(batch_op.f('ix_case_target_content_id'))
        batch_op.drop_constraint(batch_op.f('uq_case_employee_id_target_key'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_case_employee_id_election_id_sequence'), ['employee_id', 'election_id', 'sequence'])
        batch_op.drop_constraint(batch_op.f('fk_case_target_content_id_content_item'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_case_previous_case_id_case'), 'case', ['previous_case_id'], ['id'], ondelete='SET NULL')
        for column in ('model_version', 'rule_elements', 'target_content_id', 'platform', 'stance', 'pair_number',
                       'target_key'):
            batch_op.drop_column(column)


def downgrade() -> None:
    """Back to the schema of 0101 on a database without cases (merging cases cannot be undone row by row:
    restore the backup taken before the upgrade instead, docs/operations.md)."""
    bind = op.get_bind()
    if bind.execute(sa.text('SELECT count(*) FROM "case"')).scalar():
        raise RuntimeError("cannot downgrade below revision 0500 while cases exist: one case per person and "
                           "Pilkada cannot be split back exactly; restore the backup taken before the upgrade")
    op.create_table('case_interaction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('interaction_id', sa.Integer(), nullable=False),
    sa.Column('attached_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_case_interaction_case_id_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['interaction_id'], ['interaction.id'], name=op.f('fk_case_interaction_interaction_id_interaction'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_interaction')),
    sa.UniqueConstraint('case_id', 'interaction_id', name=op.f('uq_case_interaction_case_id_interaction_id'))
    )
    with op.batch_alter_table('case_interaction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_interaction_interaction_id'), ['interaction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_interaction_case_id'), ['case_id'], unique=False)
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_case_event_incident_id_incident'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_case_event_incident_id'))
        batch_op.drop_column('incident_id')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_assessment_incident_id_incident'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_assessment_incident_id'))
        batch_op.drop_column('incident_id')
    for table in ('incident_mark', 'incident_interaction', 'target_verdict', 'incident'):
        op.drop_table(table)
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_case_previous_case_id_case'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_case_employee_id_election_id_sequence'), type_='unique')
        batch_op.add_column(sa.Column('target_key', sa.String(length=600), nullable=False))
        batch_op.add_column(sa.Column('pair_number', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('stance', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('platform', sa.String(length=16), nullable=False))
        batch_op.add_column(sa.Column('target_content_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rule_elements', sa.JSON(), nullable=False))
        batch_op.add_column(sa.Column('model_version', sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_case_target_content_id_content_item'), 'content_item', ['target_content_id'], ['id'], ondelete='SET NULL')
        batch_op.create_unique_constraint(batch_op.f('uq_case_employee_id_target_key'), ['employee_id', 'target_key'])
        batch_op.create_index(batch_op.f('ix_case_target_content_id'), ['target_content_id'], unique=False)
        batch_op.drop_column('version')
        batch_op.drop_column('previous_case_id')
        batch_op.drop_column('sequence')
        batch_op.drop_column('summary')
    with op.batch_alter_table('candidate_pair', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_candidate_pair_contest_id_contest'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_candidate_pair_contest_id_number'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_candidate_pair_contest_id'))
        batch_op.create_unique_constraint(batch_op.f('uq_candidate_pair_election_id_number'), ['election_id', 'number'])
        batch_op.drop_column('contest_id')
    with op.batch_alter_table('classification', schema=None) as batch_op:
        batch_op.drop_column('contest')
    with op.batch_alter_table('election', schema=None) as batch_op:
        batch_op.drop_column('active')
    with op.batch_alter_table('contest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_election_id'))
    op.drop_table('contest')
