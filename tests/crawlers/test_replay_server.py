"""The replay server itself: documented shapes, paging, credentials, quota, rate limits and faults."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from testservers.replay import ReplayServer, ReplayWorld


@pytest.fixture
def world() -> ReplayWorld:
    return ReplayWorld.generate(seed=7, campaigns=2, employees=3, posts_per_campaign=7, comments_per_post=30)


@pytest.fixture
def server(world: ReplayWorld) -> Iterator[ReplayServer]:
    started = time.monotonic()
    with ReplayServer(world) as srv:
        assert time.monotonic() - started < 1.0
        yield srv


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as c:
        yield c


def yt(client: httpx.Client, server: ReplayServer, resource: str, **params: Any) -> httpx.Response:
    return client.get(f"{server.youtube_url}/{resource}", params={"key": server.world.youtube.api_key, **params})


def test_youtube_uploads_and_comment_threads_page_through_everything(server: ReplayServer,
                                                                     client: httpx.Client) -> None:
    channel = yt(client, server, "channels", part="contentDetails", forHandle="@paslon1").json()["items"][0]
    uploads = channel["contentDetails"]["relatedPlaylists"]["uploads"]
    assert uploads == "UU" + channel["id"][2:]
    videos, token = [], None
    while True:
        body = yt(client, server, "playlistItems", part="contentDetails", playlistId=uploads, maxResults=3,
                  **({"pageToken": token} if token else {})).json()
        assert body["kind"] == "youtube#playlistItemListResponse" and body["pageInfo"]["totalResults"] == 7
        videos += [i["contentDetails"]["videoId"] for i in body["items"]]
        if not (token := body.get("nextPageToken")):
            break
    assert len(videos) == len(set(videos)) == 7
    threads = yt(client, server, "commentThreads", part="snippet,replies", videoId=videos[0], maxResults=100).json()
    assert len(threads["items"]) == 30 and "nextPageToken" not in threads
    top = threads["items"][0]["snippet"]["topLevelComment"]
    assert top["kind"] == "youtube#comment" and top["snippet"]["authorChannelId"]["value"].startswith("UC")
    times = [t["snippet"]["topLevelComment"]["snippet"]["publishedAt"] for t in threads["items"]]
    assert times == sorted(times, reverse=True)
    assert yt(client, server, "channels", part="id", forHandle="@nobody").json()["pageInfo"]["totalResults"] == 0


def test_youtube_key_quota_and_deleted_video(server: ReplayServer, client: httpx.Client) -> None:
    missing = client.get(f"{server.youtube_url}/videos", params={"id": "x"})
    assert missing.status_code == 403 and missing.json()["error"]["errors"][0]["reason"] == "forbidden"
    assert yt(client, server, "videos", id="x", key="wrong").status_code == 400
    video = next(iter(server.world.youtube.videos.values()))
    server.world.youtube.quota_budget = server.world.youtube.quota_used + 2
    assert yt(client, server, "videos", id=video.id).json()["items"][0]["id"] == video.id
    server.world.youtube.delete_video(video.id)
    assert yt(client, server, "videos", id=video.id).json()["items"] == []
    over = yt(client, server, "commentThreads", videoId=video.id)
    assert over.status_code == 403
    assert over.json()["error"]["errors"][0] == {"message": over.json()["error"]["message"],
                                                 "domain": "youtube.quota", "reason": "quotaExceeded"}
    server.world.youtube.quota_budget = None
    gone = yt(client, server, "commentThreads", videoId=video.id)
    assert gone.status_code == 404 and gone.json()["error"]["errors"][0]["reason"] == "videoNotFound"


def test_x_timeline_expansions_paging_and_rate_limit(server: ReplayServer, client: httpx.Client) -> None:
    xw = server.world.x
    auth = {"Authorization": f"Bearer {xw.bearer_token}"}
    assert client.get(f"{server.x_url}/users/by/username/pegawai1").status_code == 401
    user = client.get(f"{server.x_url}/users/by/username/pegawai1", headers=auth).json()["data"]
    params: dict[str, Any] = {"max_results": 5, "tweet.fields": "created_at,author_id,referenced_tweets",
              "expansions": "referenced_tweets.id,author_id"}
    seen, token, kinds = [], None, set()
    while True:
        page = client.get(f"{server.x_url}/users/{user['id']}/tweets", headers=auth,
                          params={**params, **({"pagination_token": token} if token else {})})
        assert int(page.headers["x-rate-limit-remaining"]) < xw.rate_limit
        body = page.json()
        for tweet in body.get("data", []):
            seen.append(tweet["id"])
            for ref in tweet.get("referenced_tweets", []):
                kinds.add(ref["type"])
                assert ref["id"] in {t["id"] for t in body["includes"]["tweets"]}
        if not (token := body["meta"].get("next_token")):
            break
    mine = [t for t in xw.tweets.values() if t.author_id == user["id"]]
    assert sorted(seen) == sorted(t.id for t in mine) and kinds <= {"retweeted", "quoted", "replied_to"}
    original = next(t for t in xw.tweets.values() if t.ref is None and xw.retweeters(t.id))
    rts = client.get(f"{server.x_url}/tweets/{original.id}/retweeted_by", headers=auth).json()
    assert [u["id"] for u in rts["data"]] == [u.id for u in xw.retweeters(original.id)]

    xw.rate_limit, xw.window_seconds = 2, 1.0
    xw.windows.clear()
    codes = [client.get(f"{server.x_url}/tweets", params={"ids": original.id}, headers=auth) for _ in range(3)]
    assert [r.status_code for r in codes] == [200, 200, 429]
    assert codes[2].headers["x-rate-limit-remaining"] == "0"
    assert int(codes[2].headers["x-rate-limit-reset"]) >= int(time.time())
    time.sleep(max(0.0, int(codes[2].headers["x-rate-limit-reset"]) - time.time()) + 0.05)
    assert client.get(f"{server.x_url}/tweets", params={"ids": original.id}, headers=auth).status_code == 200
    xw.delete_tweet(original.id)
    looked_up = client.get(f"{server.x_url}/tweets", params={"ids": original.id}, headers=auth).json()
    assert "data" not in looked_up and looked_up["errors"][0]["title"] == "Not Found Error"


def test_facebook_feed_and_comments_cursor_paging(server: ReplayServer, client: httpx.Client) -> None:
    fb = server.world.facebook
    assert client.get(f"{server.facebook_url}/paslon1/feed").json()["error"]["code"] == 104
    bad = client.get(f"{server.facebook_url}/paslon1/feed", params={"access_token": "nope"}).json()["error"]
    assert bad["type"] == "OAuthException" and bad["code"] == 190
    url: str | None = f"{server.facebook_url}/paslon1/feed"
    params: dict[str, Any] | None = {"access_token": fb.access_token, "limit": 3,
                                     "fields": "id,message,created_time,from"}
    posts = []
    while url:
        body = client.get(url, params=params).json()
        posts += body["data"]
        url, params = body["paging"].get("next"), None
        if url:
            assert f"access_token={fb.access_token}" in url  # as on Graph: a spider must strip it
    assert len(posts) == 7 and all(p["from"]["name"] == "Paslon 1 Resmi" for p in posts)
    comments = client.get(f"{server.facebook_url}/{posts[0]['id']}/comments",
                          params={"access_token": fb.access_token, "limit": 100}).json()
    assert len(comments["data"]) == 30 and "next" not in comments["paging"]
    assert comments["paging"]["cursors"]["after"]
    fb.delete_post(posts[0]["id"])
    gone = client.get(f"{server.facebook_url}/{posts[0]['id']}", params={"access_token": fb.access_token})
    assert gone.status_code == 400 and gone.json()["error"]["code"] == 100


def test_faults_429_5xx_slow_malformed_drop(server: ReplayServer, client: httpx.Client) -> None:
    video = next(iter(server.world.youtube.videos))
    server.faults.add("youtube.videos", "429", retry_after=3)
    server.faults.add("youtube.videos", "5xx", status=502)
    server.faults.add("youtube.videos", "malformed")
    first = yt(client, server, "videos", id=video)
    assert first.status_code == 429 and first.headers["retry-after"] == "3"
    assert yt(client, server, "videos", id=video).status_code == 502
    broken = yt(client, server, "videos", id=video)
    assert broken.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(broken.content)
    assert yt(client, server, "videos", id=video).json()["items"][0]["id"] == video
    server.faults.add("facebook.feed", "slow", delay=1.0)
    with pytest.raises(httpx.ReadTimeout):
        client.get(f"{server.facebook_url}/paslon1/feed", params={"access_token": server.world.facebook.access_token},
                   timeout=0.3)
    server.faults.add("x.tweets", "drop", when={"ids": "1"})
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(f"{server.x_url}/tweets", params={"ids": "1"},
                   headers={"Authorization": f"Bearer {server.world.x.bearer_token}"})
    assert [k for _, k, _ in server.faults.fired] == ["429", "5xx", "malformed", "slow", "drop"]
    assert all("key=***" in r.path for r in server.hits("youtube.videos"))


def test_generate_is_reproducible() -> None:
    a = ReplayWorld.generate(seed=3)
    b = ReplayWorld.generate(seed=3, start=datetime(2024, 10, 1, 8, 0, tzinfo=UTC))
    assert list(a.youtube.comments) == list(b.youtube.comments)
    assert [t.text for t in a.x.tweets.values()] == [t.text for t in b.x.tweets.values()]
