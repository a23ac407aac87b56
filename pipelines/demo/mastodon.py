"""The demo world on a Mastodon-API server (mastodon-mock): accounts, posts, boosts, favourites, replies.

Everything goes through the Mastodon REST API with each account's own token, as real users would act;
the crawl then reads it back like any instance. mastodon-mock dates statuses at the moment they are
posted (the API takes no date), so these items carry the demo's run time.
"""

from __future__ import annotations

from typing import Any

import httpx
from mastodon_mock.config import DatabaseConfig, MastodonMockConfig, SeedAccount, SeedConfig
from mastodon_mock.testing.server import MockServer

from pipelines.demo.texts import NEUTRAL_POSTS, SUPPORT_COMMENTS, VOTER_EDUCATION, campaign_posts, fill
from pipelines.demo.world import Scenario, rival

DOMAIN = "mastodon.test"


def _user(handle: str) -> str:
    return handle.split("@", 1)[0]


def mastodon_server(s: Scenario) -> MockServer:
    """A mastodon-mock instance for ``mastodon.test`` with every example account (not started)."""
    users = {_user(h) for h in s.handles("mastodon")} | {_user(h) for _, h in s.official("mastodon")} | {"warga1"}
    seed = SeedConfig(accounts=[SeedAccount(username=u, display_name=u.replace("_", " ").title(),
                                            access_token=f"{u}-token") for u in sorted(users)])
    return MockServer(config=MastodonMockConfig(domain=DOMAIN, database=DatabaseConfig(path=":memory:"), seed=seed))


class _Api:
    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30)

    def call(self, user: str, method: str, path: str, **data: Any) -> dict[str, Any]:
        response = self.http.request(method, path, json=data or None, headers={"Authorization": f"Bearer {user}-token"})
        response.raise_for_status()
        return dict(response.json())

    def post(self, user: str, text: str, **kw: Any) -> dict[str, Any]:
        return self.call(user, "POST", "/api/v1/statuses", status=text, **kw)


def seed_mastodon(server: MockServer, s: Scenario) -> int:
    """Post the demo activity; returns how many API writes it made."""
    api, rng, writes = _Api(server.base_url), s.rng, 0
    employees = sorted(_user(h) for h in s.handles("mastodon"))
    partisans = {_user(h) for h in s.partisans["mastodon"]}
    for pair, handle in s.official("mastodon"):
        other = rival(s, pair)
        for _ in range(2):
            status = api.post(_user(handle), fill(rng.choice(campaign_posts(pair)), pair, other, rng))
            writes += 1
            for user in employees:
                if user in partisans and rng.random() < 0.5:
                    action = rng.choice(["favourite", "reblog", "reply"])
                    if action == "reply":
                        text = fill(rng.choice(SUPPORT_COMMENTS), pair, other, rng)
                        api.post(user, text, in_reply_to_id=status["id"])
                    else:
                        api.call(user, "POST", f"/api/v1/statuses/{status['id']}/{action}")
                    writes += 1
            api.call("warga1", "POST", f"/api/v1/statuses/{status['id']}/favourite")
    notice = next((h for pair, h in s.official("mastodon") if pair.kind == "pilgub"), None)
    if notice is not None:  # a neutral announcement by a campaign account, liked by many employees
        status = api.post(_user(notice), VOTER_EDUCATION)
        writes += 1
        for user in employees[::3]:
            api.call(user, "POST", f"/api/v1/statuses/{status['id']}/favourite")
            writes += 1
    for user in employees:
        api.post(user, rng.choice(NEUTRAL_POSTS))
        writes += 1
    api.http.close()
    return writes


def mastodon_env(server: MockServer) -> dict[str, str]:
    """Settings that send the Mastodon spider to ``server`` for ``mastodon.test``."""
    import json

    return {"NETRAL_MASTODON_INSTANCES": json.dumps({DOMAIN: server.base_url})}
