"""The Mastodon spider end to end against ``mastodon-mock`` (a Mastodon-API server) on loopback.

The instance is ``mastodon.test`` (mapped to the local server by ``NETRAL_MASTODON_INSTANCES``), as in
the example roster. Employees and campaign accounts post, reply, quote, boost and favourite through
the API; the crawl must store every interaction once with both ends, add nothing on a rerun, pick up
a later favourite and mark a deleted status deleted with its evidence kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from mastodon_mock.config import DatabaseConfig, MastodonMockConfig, SeedAccount, SeedConfig
from mastodon_mock.testing.server import MockServer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import ContentItem, Interaction
from crawlers.runner import run_crawl
from tests import factories

pytestmark = pytest.mark.slow  # a real crawl subprocess (see test_*_parse.py for offline checks)

USERS = ("m1", "m2", "m3", "hade", "basla", "luar")


@pytest.fixture
def instance() -> Iterator[MockServer]:
    seed = SeedConfig(accounts=[SeedAccount(username=u, display_name=u.title(), access_token=f"{u}-token")
                                for u in USERS])
    config = MastodonMockConfig(domain="mastodon.test", database=DatabaseConfig(path=":memory:"), seed=seed)
    with MockServer(config=config) as server:
        yield server


class Api:
    def __init__(self, server: MockServer) -> None:
        self.http = httpx.Client(base_url=server.base_url, timeout=10)

    def call(self, user: str, method: str, path: str, **data: Any) -> dict[str, Any]:
        res = self.http.request(method, path, json=data or None, headers={"Authorization": f"Bearer {user}-token"})
        res.raise_for_status()
        return dict(res.json())

    def post(self, user: str, text: str, **kw: Any) -> dict[str, Any]:
        return self.call(user, "POST", "/api/v1/statuses", status=text, **kw)


def crawl(server: MockServer) -> None:
    env = {"NETRAL_MASTODON_INSTANCES": json.dumps({"mastodon.test": server.base_url}),
           "NETRAL_MASTODON_TOKENS": json.dumps({"mastodon.test": "m1-token"}),
           "NETRAL_MASTODON_REQUESTS_PER_SECOND": "1000"}
    outcome = run_crawl("mastodon", env=env, timeout=120)
    assert (outcome.returncode, outcome.status, outcome.errors) == (0, "finished", 0), outcome


def stored(session: Session) -> dict[tuple[int, str, str], Interaction]:
    session.expire_all()
    found: dict[tuple[int, str, str], Interaction] = {}
    for row in session.scalars(select(Interaction)):
        assert row.target_content is not None
        key = (row.actor_account_id, row.kind, row.target_content.native_id)
        assert key not in found
        found[key] = row
    return found


@pytest.mark.slow
def test_mastodon_both_directions(instance: MockServer, session: Session, db_url: str) -> None:
    api = Api(instance)
    h1 = api.post("hade", "Ayo pilih nomor 1! #HADEMenang")
    h2 = api.post("hade", "Kampanye akbar besok & lusa")
    b1 = api.post("basla", "Coblos nomor 2 #BASLABerkah")
    api.call("m1", "POST", f"/api/v1/statuses/{h1['id']}/favourite")
    api.call("m1", "POST", f"/api/v1/statuses/{b1['id']}/reblog")
    r1 = api.post("m1", "Setuju, maju terus", in_reply_to_id=h1["id"])
    m1 = api.post("m1", "Selamat pagi rekan kerja")
    api.call("m2", "POST", f"/api/v1/statuses/{b1['id']}/favourite")
    r2 = api.post("m2", "Betul sekali", in_reply_to_id=r1["id"])
    q1 = api.post("m2", "Mantap!", quoted_status_id=h2["id"])
    api.call("m3", "POST", f"/api/v1/statuses/{h1['id']}/reblog")
    api.call("luar", "POST", f"/api/v1/statuses/{h1['id']}/favourite")  # not registered

    ids = {u: factories.account(session, platform="mastodon", handle=f"{u}@mastodon.test").id
           for u in ("m1", "m2", "m3")}
    election = factories.election(session, pairs=2)
    for pair, user in zip(election.pairs, ("hade", "basla"), strict=True):
        pair.accounts[0].platform = "mastodon"
        pair.accounts[0].handle = f"{user}@mastodon.test"
    session.commit()

    crawl(instance)
    expected = {
        (ids["m1"], "like", h1["uri"]), (ids["m1"], "share", b1["uri"]), (ids["m1"], "comment", h1["uri"]),
        (ids["m1"], "post", m1["uri"]),
        (ids["m2"], "like", b1["uri"]), (ids["m2"], "comment", r1["uri"]), (ids["m2"], "quote", h2["uri"]),
        (ids["m3"], "share", h1["uri"]),
    }
    found = stored(session)
    assert set(found) == expected
    for inter in found.values():
        target = inter.target_content
        assert target is not None and target.text and target.author_id and target.url and target.created_at
        assert inter.evidence_id is not None and target.evidence_id is not None
    assert found[(ids["m2"], "comment", r1["uri"])].own_content.native_id == r2["uri"]  # type: ignore[union-attr]
    assert found[(ids["m2"], "quote", h2["uri"])].own_content.native_id == q1["uri"]  # type: ignore[union-attr]
    h2_row = session.scalars(select(ContentItem).where(ContentItem.native_id == h2["uri"])).one()
    assert h2_row.text == "Kampanye akbar besok & lusa" and h2_row.author_id == "hade@mastodon.test"
    assert h2_row.extra["campaign"]["pair"] == 1

    n_content = session.scalar(select(func.count()).select_from(ContentItem))
    crawl(instance)
    assert set(stored(session)) == expected
    assert session.scalar(select(func.count()).select_from(ContentItem)) == n_content

    api.call("m2", "POST", f"/api/v1/statuses/{h1['id']}/favourite")
    api.call("m1", "DELETE", f"/api/v1/statuses/{m1['id']}")
    api.call("m1", "POST", f"/api/v1/statuses/{h1['id']}/unfavourite")
    crawl(instance)
    found = stored(session)
    assert set(found) == expected | {(ids["m2"], "like", h1["uri"])}
    gone = session.scalars(select(ContentItem).where(ContentItem.native_id == m1["uri"])).one()
    assert gone.deleted_at is not None and gone.evidence_id is not None
    assert found[(ids["m1"], "post", m1["uri"])].deleted_at is not None
    assert found[(ids["m1"], "like", h1["uri"])].deleted_at is not None  # withdrawn, row and evidence kept
    assert found[(ids["m2"], "like", h1["uri"])].deleted_at is None
