"""The Bluesky spider end to end against a real local AT Protocol network (PLC + PDS + AppView).

Seeds 3 employees, 2 campaign accounts and an outsider with posts, replies, likes, reposts and quotes;
crawls with ``scrapy crawl bluesky`` in a subprocess; checks every interaction is stored once with both
ends, that a rerun adds nothing, that a later like is picked up and a deleted post (and a withdrawn like) is
marked deleted with its evidence kept.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.evidence import EvidenceArchive
from core.models import ContentItem, CrawlCursor, Evidence, Interaction, SocialAccount
from crawlers.runner import CrawlOutcome, run_crawl
from tests import factories
from testservers.atproto_network.bluesky import Account, Network, Ref

pytestmark = pytest.mark.slow  # a real crawl subprocess (see test_*_parse.py for offline checks)

_names = itertools.count(1)


@dataclass
class World:
    emp: dict[str, Account]
    camp: dict[str, Account]
    outsider: Account
    refs: dict[str, Ref]
    account_ids: dict[str, int]


def seed(net: Network, session: Session) -> World:
    prefix = f"w{next(_names)}x"
    emp = {k: net.account(f"{prefix}{k}") for k in ("e1", "e2", "e3")}
    camp = {k: net.account(f"{prefix}{k}") for k in ("c1", "c2")}
    outsider = net.account(f"{prefix}out")
    r: dict[str, Ref] = {}
    r["P1"] = net.post(camp["c1"], "Ayo pilih nomor urut 1! #HADEMenang")
    r["P2"] = net.post(camp["c1"], "Kampanye akbar paslon 1 besok")
    r["P3"] = net.post(camp["c2"], "Coblos nomor 2 #BASLABerkah")
    r["O1"] = net.post(outsider, "Cuaca cerah hari ini")
    r["L1"] = net.like(emp["e1"], r["P1"])
    net.repost(emp["e1"], r["P3"])
    r["R1"] = net.post(emp["e1"], "Setuju, maju terus paslon 1", reply_to=r["P1"])
    r["E1"] = net.post(emp["e1"], "Selamat pagi rekan kerja")
    r["Q1"] = net.post(emp["e2"], "Mantap!", quote=r["P2"])
    net.like(emp["e2"], r["P3"])
    r["R2"] = net.post(emp["e2"], "Betul sekali", reply_to=r["R1"], root=r["P1"])
    net.like(emp["e3"], r["O1"])
    r["S3"] = net.repost(emp["e3"], r["P1"])
    net.like(outsider, r["P1"])  # not a registered account: must not become an interaction
    net.wait_counts(r["P1"], likes=2, reposts=1, replies=1)
    net.wait_counts(r["P2"], quotes=1)
    net.wait_counts(r["P3"], likes=1, reposts=1)
    net.wait_counts(r["O1"], likes=1)
    net.wait_counts(r["R1"], replies=1)

    ids = {}
    for key, acc in emp.items():
        ids[key] = factories.account(session, platform="bluesky", handle=acc.handle).id
    election = factories.election(session, pairs=2)
    for pair, key in zip(election.pairs, ("c1", "c2"), strict=True):
        pair.accounts[0].handle = camp[key].handle
    session.commit()
    return World(emp, camp, outsider, r, ids)


def crawl(net: Network) -> CrawlOutcome:
    outcome = run_crawl("bluesky", env=net.crawl_env(), timeout=120)
    assert outcome.returncode == 0, outcome
    assert outcome.status == "finished", outcome
    return outcome


def interactions(session: Session) -> dict[tuple[int, str, str], Interaction]:
    session.expire_all()
    rows = session.scalars(select(Interaction)).all()
    found: dict[tuple[int, str, str], Interaction] = {}
    for row in rows:
        assert row.target_content is not None
        key = (row.actor_account_id, row.kind, row.target_content.native_id)
        assert key not in found, f"interaction stored twice: {key}"
        found[key] = row
    return found


def count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.slow
def test_bluesky_both_directions_incremental_and_deletions(bsky_network: Network, engine: Engine,
                                                           session: Session, db_url: str, tmp_path: Path) -> None:
    net = bsky_network
    w = seed(net, session)
    e1, e2, e3 = (w.account_ids[k] for k in ("e1", "e2", "e3"))
    r = w.refs

    crawl(net)
    found = interactions(session)
    expected = {
        (e1, "like", r["P1"].uri), (e1, "share", r["P3"].uri), (e1, "comment", r["P1"].uri),
        (e1, "post", r["E1"].uri),
        (e2, "quote", r["P2"].uri), (e2, "like", r["P3"].uri), (e2, "comment", r["R1"].uri),
        (e3, "like", r["O1"].uri), (e3, "share", r["P1"].uri),
    }
    assert set(found) == expected
    archive = EvidenceArchive(tmp_path / "var" / "evidence")
    for inter in found.values():
        target = inter.target_content
        assert target is not None
        assert target.text and target.author_id and target.url and target.created_at, target.native_id
        assert inter.occurred_at is not None or inter.kind == "share"
        assert inter.evidence is not None and archive.rehash(inter.evidence.stored_path) == inter.evidence.sha256
        assert target.evidence_id is not None
    assert found[(e1, "comment", r["P1"].uri)].own_content.native_id == r["R1"].uri  # type: ignore[union-attr]
    assert found[(e2, "quote", r["P2"].uri)].own_content.text == "Mantap!"  # type: ignore[union-attr]
    p1 = session.scalars(select(ContentItem).where(ContentItem.native_id == r["P1"].uri)).one()
    assert p1.author_handle == w.camp["c1"].handle and p1.extra["campaign"]["pair"] == 1
    assert p1.text == "Ayo pilih nomor urut 1! #HADEMenang"
    dids = dict(session.execute(select(SocialAccount.handle, SocialAccount.platform_id)).all())
    assert dids[w.emp["e1"].handle] == w.emp["e1"].did
    assert count(session, CrawlCursor) == 7 + 2  # streams with records (e2: no reposts, e3: no posts) + 2 feeds

    n_content, n_inter = count(session, ContentItem), count(session, Interaction)
    crawl(net)  # nothing changed: nothing added
    assert count(session, ContentItem) == n_content
    assert set(interactions(session)) == expected

    net.like(w.emp["e2"], r["P1"])  # after the first run
    net.delete(w.emp["e1"], r["E1"])
    net.delete(w.emp["e1"], r["L1"])  # e1 withdraws its like of P1
    net.delete(w.emp["e3"], r["S3"])  # and e3 its repost, P1's only one: the post view counts 0 reposts
    net.wait_until(lambda: (net.post_view(r["P1"]) or {}).get("likeCount") == 2
                   and (net.post_view(r["P1"]) or {}).get("repostCount") == 0, "P1 with 2 likes, no repost")
    net.wait_until(lambda: net.post_view(r["E1"]) is None, "E1 deleted")
    crawl(net)
    found = interactions(session)
    assert set(found) == expected | {(e2, "like", r["P1"].uri)}
    assert count(session, Interaction) == n_inter + 1
    e1_post = session.scalars(select(ContentItem).where(ContentItem.native_id == r["E1"].uri)).one()
    assert e1_post.deleted_at is not None
    assert e1_post.evidence_id is not None
    evidence = session.get(Evidence, e1_post.evidence_id)
    assert evidence is not None and archive.rehash(evidence.stored_path) == evidence.sha256
    assert found[(e1, "post", r["E1"].uri)].deleted_at is not None
    withdrawn = found[(e1, "like", r["P1"].uri)]
    assert withdrawn.deleted_at is not None and withdrawn.evidence_id is not None  # kept, marked withdrawn
    assert found[(e2, "like", r["P1"].uri)].deleted_at is None
    assert found[(e3, "share", r["P1"].uri)].deleted_at is not None
    assert found[(e3, "like", r["O1"].uri)].deleted_at is None
    assert session.scalars(select(ContentItem).where(ContentItem.native_id == r["P1"].uri)).one().deleted_at is None


@pytest.mark.slow
def test_since_backfills_older_records(bsky_network: Network, session: Session, db_url: str) -> None:
    net = bsky_network
    prefix = f"b{next(_names)}x"
    emp = net.account(f"{prefix}emp")
    old = datetime.now(UTC) - timedelta(days=200)
    recent_ref = net.post(emp, "baru saja")
    old_ref = net.post(emp, "unggahan lama", created_at=old)
    acc = factories.account(session, platform="bluesky", handle=emp.handle)
    session.commit()

    crawl(net)
    stored = set(session.scalars(select(ContentItem.native_id).where(ContentItem.author_id == emp.did)))
    assert stored == {recent_ref.uri}  # first run goes back crawl_backfill_days only (90 by default)

    outcome = run_crawl("bluesky", since=(old - timedelta(days=1)).date(), env=net.crawl_env(), timeout=120)
    assert outcome.status == "finished"
    session.expire_all()
    stored = set(session.scalars(select(ContentItem.native_id).where(ContentItem.author_id == emp.did)))
    assert stored == {recent_ref.uri, old_ref.uri}
    kinds = set(session.scalars(select(Interaction.kind).where(Interaction.actor_account_id == acc.id)))
    assert kinds == {"post"}


@pytest.mark.slow
def test_accounts_and_targets_on_a_second_pds(bsky_network: Network, session: Session, db_url: str) -> None:
    """Repositories on a PDS the AppView does not index: an employee's own records are listed on that PDS
    (found through the DID document), and a target post living there is read from it (getRecord)."""
    net = bsky_network
    prefix = f"p{next(_names)}x"
    camp = net.account(f"{prefix}camp")  # first PDS: the AppView has its posts
    away = net.account(f"{prefix}away", second_pds=True)  # an employee on the second PDS
    home = net.account(f"{prefix}home")  # an employee on the first PDS
    fan = net.account(f"{prefix}fan", second_pds=True)  # a supporter on the second PDS (not registered)
    campaign_post = net.post(camp, "Ayo coblos nomor 1 #HADE")
    fan_post = net.post(fan, "Relawan paslon 1 siap menangkan!")
    away_like = net.like(away, campaign_post)
    away_repost = net.repost(away, fan_post)
    away_reply = net.post(away, "Setuju, nomor 1!", reply_to=campaign_post)
    net.like(home, fan_post)
    gone = net.post(fan, "sebentar saja")
    net.like(home, gone)
    net.delete(fan, gone)  # deleted on its PDS: the like's target stays a stub
    net.wait_until(lambda: net.post_view(campaign_post) is not None, "the campaign post")
    ids = {}
    for acc in (away, home):  # the second PDS's handles resolve nowhere here: declared by DID, as allowed
        ids[acc.name] = factories.account(session, platform="bluesky", handle=acc.handle, platform_id=acc.did).id
    session.commit()

    crawl(net)
    session.expire_all()
    rows = session.scalars(select(Interaction).where(Interaction.actor_account_id.in_(ids.values()))).all()
    by_key = {(r.actor_account_id, r.kind, r.target_content.native_id): r for r in rows}  # type: ignore[union-attr]
    away_id, home_id = ids[away.name], ids[home.name]
    assert set(by_key) == {(away_id, "like", campaign_post.uri), (away_id, "share", fan_post.uri),
                           (away_id, "comment", campaign_post.uri), (home_id, "like", fan_post.uri),
                           (home_id, "like", gone.uri)}
    reply = by_key[(away_id, "comment", campaign_post.uri)]
    assert reply.native_id == away_reply.uri and reply.own_content is not None
    assert reply.own_content.text == "Setuju, nomor 1!"
    assert by_key[(away_id, "like", campaign_post.uri)].native_id.endswith(campaign_post.uri)
    assert away_like.uri and away_repost.uri
    from_pds = by_key[(home_id, "like", fan_post.uri)].target_content
    assert from_pds is not None and from_pds.text == "Relawan paslon 1 siap menangkan!"
    assert from_pds.author_id == fan.did and from_pds.extra.get("source") == "pds"
    assert by_key[(away_id, "share", fan_post.uri)].target_content_id == from_pds.id
    stub = by_key[(home_id, "like", gone.uri)].target_content
    assert stub is not None and stub.extra.get("unavailable") and stub.text == ""
    sources = [e.source_url or "" for e in session.scalars(select(Evidence))]
    assert any(s.startswith(net.pds2) and "listRecords" in s and quote(away.did, safe="") in s for s in sources)
    assert any(s.startswith(net.pds2) and "getRecord" in s for s in sources)
