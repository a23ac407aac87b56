"""The Bluesky spider (AT Protocol): both directions of watching, incremental per repo collection.

1. Registered accounts: handle → DID (``com.atproto.identity.resolveHandle``), DID document → PDS,
   then the PDS's ``com.atproto.repo.listRecords`` for ``app.bsky.feed.post`` / ``.like`` / ``.repost``
   (newest first, down to the cursor: the newest record key already stored). Targets of likes, reposts,
   replies and quotes are resolved on the AppView (``app.bsky.feed.getPosts``), wherever they live; one
   the AppView does not return (a PDS it does not index, not indexed yet, taken down) is read from its
   author's own PDS (DID document → ``com.atproto.repo.getRecord``), and is a stub only when gone there too.
2. Campaign accounts: ``app.bsky.feed.getAuthorFeed``; for each recent post ``getLikes``,
   ``getRepostedBy``, ``getQuotes`` and ``getPostThread`` name who engaged; registered ones become
   interactions (the same natural keys as direction 1, so nothing is stored twice).
Re-check: stored posts of watched authors inside ``crawl_recheck_days`` are looked up again with
``getPosts``; those gone are marked deleted (their rows and evidence stay).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

from scrapy.http import Response

from core.ingest.watchlist import Watchlist
from crawlers import atproto
from crawlers.atproto import LIKE, PLATFORM, POST, REPOST, split_uri
from crawlers.items import (
    AccountIdItem,
    AccountRef,
    ContentItem,
    CrawlErrorItem,
    DeletionItem,
    InteractionItem,
    capture_of,
    engagement_key,
)
from crawlers.spiders.base import NetralSpider, StreamKey, parse_since, parse_time

PAGE = 100
POSTS_PER_LOOKUP = 25  # getPosts accepts at most 25 URIs


class BlueskySpider(NetralSpider):
    """``scrapy crawl bluesky [-a since=YYYY-MM-DD] [-a election=SLUG]``."""

    name = "bluesky"
    platform = PLATFORM

    async def start(self) -> AsyncIterator[Any]:
        wl: Watchlist = self.load_watchlist()
        self.watchlist = wl
        self.appview = self.netral.bluesky_appview_url.rstrip("/")
        self.web = self.netral.bluesky_web_url
        self.engagements = self.load_engagements()
        self.pds_of: dict[str, str] = {}  # DID → PDS endpoint, from DID documents read in this crawl
        for acc in wl.accounts:
            yield self.identify(acc.handle, acc.platform_id, role="account")
        for camp in wl.campaigns:
            yield self.identify(camp.handle, camp.platform_id, role="campaign",
                                campaign={"election": camp.election_slug, "pair": camp.pair_number})
        known = [a.platform_id for a in wl.accounts if a.platform_id]
        known += [c.platform_id for c in wl.campaigns if c.platform_id]
        stored = self.recent_content(known)
        for i in range(0, len(stored), POSTS_PER_LOOKUP):
            uris = stored[i:i + POSTS_PER_LOOKUP]
            yield self.request(self.xrpc(self.appview, "app.bsky.feed.getPosts", uris=uris), self.parse_recheck,
                               ("recheck", "getPosts"), uris=uris)

    # -- identity ----------------------------------------------------------------------------------
    def xrpc(self, base: str, method: str, **params: Any) -> str:
        query = urlencode([(k, x) for k, v in params.items() if v is not None
                           for x in (v if isinstance(v, list) else [v])])
        return f"{base.rstrip('/')}/xrpc/{method}?{query}"

    def identify(self, handle: str, did: str | None, **meta: Any) -> Any:
        stream: StreamKey = (handle, "identity")
        if did:
            return self.did_document(did, handle, stream, meta)
        url = self.xrpc(self.netral.bluesky_resolver_url, "com.atproto.identity.resolveHandle", handle=handle)
        return self.request(url, self.parse_handle, stream, handle=handle, info=meta)

    def did_url(self, did: str) -> str:
        if did.startswith("did:web:"):
            return f"https://{did.removeprefix('did:web:')}/.well-known/did.json"
        return f"{self.netral.bluesky_plc_url.rstrip('/')}/{did}"

    def did_document(self, did: str, handle: str, stream: StreamKey, info: dict[str, Any]) -> Any:
        return self.request(self.did_url(did), self.parse_did_document, stream, handle=handle, did=did, info=info)

    def parse_handle(self, response: Response) -> Iterator[Any]:
        data, err = self.json_body(response)
        did = data.get("did") if isinstance(data, dict) else None
        if err or not isinstance(did, str):
            yield from self.malformed(response, err or CrawlErrorItem(
                PLATFORM, "unresolved", f"no DID for {response.meta['handle']}", response.url, capture_of(response)))
            return
        handle = response.meta["handle"]
        yield AccountIdItem(PLATFORM, handle, did)
        yield self.did_document(did, handle, response.meta["stream"], response.meta["info"])
        yield from self.streams.done(response.meta["stream"])

    def parse_did_document(self, response: Response) -> Iterator[Any]:
        data, err = self.json_body(response)
        pds = atproto.pds_endpoint(data) if isinstance(data, dict) else None
        if err or pds is None:
            yield from self.malformed(response, err or CrawlErrorItem(
                PLATFORM, "malformed", "DID document names no PDS", response.url, capture_of(response)))
            return
        did, handle, info = response.meta["did"], response.meta["handle"], response.meta["info"]
        self.pds_of[did] = pds
        if info["role"] == "account":
            for collection in (POST, LIKE, REPOST):
                stream = (did, collection)
                mark = self.watchlist.cursor(did, collection)
                url = self.xrpc(pds, "com.atproto.repo.listRecords", repo=did, collection=collection, limit=PAGE)
                yield self.request(url, self.parse_records, stream, did=did, handle=handle, pds=pds, mark=mark,
                                   floor=self.new_floor(mark is not None), first=True)
        else:
            yield from self.campaign_feed(did, handle, info["campaign"])
        yield from self.streams.done(response.meta["stream"])

    # -- direction 1: the registered account's own repo ----------------------------------------------
    def parse_records(self, response: Response) -> Iterator[Any]:
        data, err = self.json_body(response)
        if err or not isinstance(data, dict) or not isinstance(data.get("records"), list):
            yield from self.malformed(response, err or CrawlErrorItem(
                PLATFORM, "malformed", "listRecords without records", response.url, capture_of(response)))
            return
        meta, stream = response.meta, response.meta["stream"]
        records = [r for r in data["records"] if isinstance(r, dict) and isinstance(r.get("value"), dict)]
        if meta["first"] and records:
            self.streams.set_cursor(stream, split_uri(records[0]["uri"])[2])
        capture = capture_of(response)
        actor = AccountRef(meta["did"], meta["handle"])
        drafts: list[tuple[str, InteractionItem]] = []  # (target URI to resolve, interaction)
        stop = False
        for rec in records:
            uri, value = rec["uri"], rec["value"]
            created = parse_time(value.get("createdAt"))
            if meta["mark"] and self.since is None and split_uri(uri)[2] <= meta["mark"]:
                stop = True
                break
            minted = atproto.tid_time(split_uri(uri)[2])
            if meta["floor"] and minted and minted < meta["floor"]:
                stop = True  # listings follow record keys: everything further is older
                break
            if meta["floor"] and created and created < meta["floor"]:
                continue  # an old post written (or imported) later: outside the window, keep walking
            collection = split_uri(uri)[1]
            if collection == POST:
                own = atproto.post_content(uri, value, self.web, handle=meta["handle"], capture=capture)
                target = atproto.parent_uri(value) or atproto.quoted_uri(value)
                if target is None:
                    yield InteractionItem(PLATFORM, uri, "post", actor, target=own, own=own, occurred_at=created,
                                          capture=capture)
                else:
                    drafts.append((target, InteractionItem(PLATFORM, uri, own.kind, actor, own=own,
                                                           occurred_at=created, capture=capture)))
            else:
                subject = (value.get("subject") or {}).get("uri")
                if isinstance(subject, str):
                    kind = "like" if collection == LIKE else "share"
                    drafts.append((subject, InteractionItem(PLATFORM, engagement_key(meta["did"], kind, subject),
                                                            kind, actor, occurred_at=created, capture=capture)))
        targets = list(dict.fromkeys(t for t, _ in drafts))
        for i in range(0, len(targets), POSTS_PER_LOOKUP):
            uris = targets[i:i + POSTS_PER_LOOKUP]
            yield self.request(self.xrpc(self.appview, "app.bsky.feed.getPosts", uris=uris), self.parse_targets,
                               stream, drafts=[d for d in drafts if d[0] in uris])
        cursor = data.get("cursor")
        if not stop and records and isinstance(cursor, str):
            url = self.xrpc(meta["pds"], "com.atproto.repo.listRecords", repo=meta["did"],
                            collection=split_uri(records[0]["uri"])[1], limit=PAGE, cursor=cursor)
            yield self.request(url, self.parse_records, stream, **{**_carry(meta), "first": False})
        yield from self.streams.done(stream)

    def parse_targets(self, response: Response) -> Iterator[Any]:
        data, err = self.json_body(response)
        if err or not isinstance(data, dict):
            yield from self.malformed(response, err or CrawlErrorItem(
                PLATFORM, "malformed", "getPosts without posts", response.url, capture_of(response)))
            return
        capture = capture_of(response)
        found: dict[str, ContentItem] = {}
        for view in data.get("posts") or []:
            item = atproto.view_content(view, self.web, capture) if isinstance(view, dict) else None
            if item is not None:
                found[item.native_id] = item
        unknown: dict[str, list[InteractionItem]] = {}
        for target_uri, draft in response.meta["drafts"]:
            if target_uri in found:
                draft.target = found[target_uri]
                yield draft
            elif split_uri(target_uri)[1] == POST:  # not in this AppView: ask the author's own PDS
                unknown.setdefault(target_uri, []).append(draft)
            else:
                draft.target = atproto.stub_content(target_uri, self.web, capture)
                yield draft
        for target_uri, drafts in unknown.items():
            yield self.target_from_repo(target_uri, drafts, response.meta["stream"])
        yield from self.streams.done(response.meta["stream"])

    # -- targets the AppView does not have: the record from its author's PDS ---------------------------
    def target_from_repo(self, uri: str, drafts: list[InteractionItem], stream: StreamKey) -> Any:
        """The target post straight from its repository, wherever that lives (DID document → PDS →
        ``com.atproto.repo.getRecord``): an AppView that does not index that PDS, a post not indexed
        yet, or one the AppView took down — the record is still the evidence. Not found: a stub."""
        did = split_uri(uri)[0]
        if did in self.pds_of:
            return self.get_record(uri, self.pds_of[did], drafts, stream)
        return self.request(self.did_url(did), self.parse_target_did, stream, uri=uri, drafts=drafts,
                            handle_httpstatus_list=[404, 410])

    def get_record(self, uri: str, pds: str, drafts: list[InteractionItem], stream: StreamKey) -> Any:
        did, collection, rkey = split_uri(uri)
        url = self.xrpc(pds, "com.atproto.repo.getRecord", repo=did, collection=collection, rkey=rkey)
        return self.request(url, self.parse_target_record, stream, uri=uri, drafts=drafts,
                            handle_httpstatus_list=[400, 404])

    def parse_target_did(self, response: Response) -> Iterator[Any]:
        data, _ = self.json_body(response)
        pds = atproto.pds_endpoint(data) if response.status == 200 and isinstance(data, dict) else None
        uri, drafts = response.meta["uri"], response.meta["drafts"]
        if pds is None:  # no such identity any more: the target is gone
            yield from self.stubbed(uri, drafts, capture_of(response))
        else:
            self.pds_of[split_uri(uri)[0]] = pds
            yield self.get_record(uri, pds, drafts, response.meta["stream"])
        yield from self.streams.done(response.meta["stream"])

    def parse_target_record(self, response: Response) -> Iterator[Any]:
        data, _ = self.json_body(response)
        uri, drafts, capture = response.meta["uri"], response.meta["drafts"], capture_of(response)
        value = data.get("value") if response.status == 200 and isinstance(data, dict) else None
        if isinstance(value, dict) and data.get("uri") == uri:
            item = atproto.post_content(uri, value, self.web, capture=capture, extra={"source": "pds"})
            if isinstance(data.get("cid"), str):
                item.extra["cid"] = data["cid"]
            for draft in drafts:
                draft.target = item
                yield draft
        else:  # RecordNotFound (deleted) or an unusable answer
            yield from self.stubbed(uri, drafts, capture)
        yield from self.streams.done(response.meta["stream"])

    def stubbed(self, uri: str, drafts: list[InteractionItem], capture: Any) -> Iterator[Any]:
        stub = atproto.stub_content(uri, self.web, capture)
        for draft in drafts:
            draft.target = stub
            yield draft

    def parse_recheck(self, response: Response) -> Iterator[Any]:
        data, err = self.json_body(response)
        if err or not isinstance(data, dict) or not isinstance(data.get("posts"), list):
            yield from self.malformed(response, err or CrawlErrorItem(
                PLATFORM, "malformed", "getPosts without posts", response.url, capture_of(response)))
            return
        present = {v.get("uri") for v in data["posts"] if isinstance(v, dict)}
        capture = capture_of(response)
        for uri in response.meta["uris"]:
            if uri not in present:
                yield DeletionItem(PLATFORM, uri, "content", self.started, capture)
        yield from self.streams.done(response.meta["stream"])

    # -- direction 2: campaign accounts and who engaged with them --------------------------------------
    def campaign_feed(self, did: str, handle: str, campaign: dict[str, Any]) -> Iterator[Any]:
        stream = (did, "campaign-feed")
        mark = parse_since(self.watchlist.cursor(did, "campaign-feed"))
        new_floor = self.new_floor(mark is not None) or mark
        floor = min(f for f in (new_floor, self.recheck_floor()) if f is not None)
        url = self.xrpc(self.appview, "app.bsky.feed.getAuthorFeed", actor=did, limit=50)
        yield self.request(url, self.parse_feed, stream, did=did, handle=handle, campaign=campaign, floor=floor,
                           first=True)

    def parse_feed(self, response: Response) -> Iterator[Any]:
        data, err = self.json_body(response)
        if err or not isinstance(data, dict) or not isinstance(data.get("feed"), list):
            yield from self.malformed(response, err or CrawlErrorItem(
                PLATFORM, "malformed", "getAuthorFeed without feed", response.url, capture_of(response)))
            return
        meta, stream = response.meta, response.meta["stream"]
        capture = capture_of(response)
        stop = False
        newest = None
        for entry in data["feed"]:
            view = entry.get("post") if isinstance(entry, dict) else None
            if not isinstance(view, dict) or entry.get("reason"):
                continue
            if (view.get("author") or {}).get("did") != meta["did"]:
                continue  # the campaign's reposts of others' posts are not its own content
            content = atproto.view_content(view, self.web, capture, extra={"campaign": meta["campaign"]})
            if content is None:
                continue
            if content.created_at and content.created_at < meta["floor"]:
                stop = True
                break
            newest = max(newest or content.created_at, content.created_at) if content.created_at else newest
            yield content
            yield from self.engagement(content, stream, view, capture)
        if meta["first"] and newest is not None:
            self.streams.set_cursor(stream, newest.isoformat())
        cursor = data.get("cursor")
        if not stop and data["feed"] and isinstance(cursor, str):
            url = self.xrpc(self.appview, "app.bsky.feed.getAuthorFeed", actor=meta["did"], limit=50, cursor=cursor)
            yield self.request(url, self.parse_feed, stream, **{**_carry(meta), "first": False})
        yield from self.streams.done(stream)

    def engagement(self, post: ContentItem, stream: StreamKey, view: dict[str, Any], capture: Any) -> Iterator[Any]:
        """Who liked, reposted, quoted and replied — asked only where the post view's counts say
        someone did (the public AppView allows ~3000 requests / 5 min); a zero count withdraws every
        stored like / repost of the post at once."""
        uri = post.native_id
        for method, callback, count, kind in (
                ("app.bsky.feed.getLikes", self.parse_likes, "likeCount", "like"),
                ("app.bsky.feed.getRepostedBy", self.parse_reposted_by, "repostCount", "share"),
                ("app.bsky.feed.getQuotes", self.parse_quotes, "quoteCount", None),
                ("app.bsky.feed.getPostThread", self.parse_thread, "replyCount", None)):
            if view.get(count) == 0:
                if kind is not None:
                    yield from self.withdrawn(uri, kind, set(), capture)
                continue
            thread = method.endswith("getPostThread")
            params: dict[str, Any] = {"depth": 20, "parentHeight": 0} if thread else {"limit": 100}
            extra = {} if thread or kind is None else {"expected": view.get(count), "total": 0}
            yield self.request(self.xrpc(self.appview, method, uri=uri, **params), callback, stream, post=post,
                               **extra)

    def _is_registered(self, actor: Any) -> bool:
        return isinstance(actor, dict) and (actor.get("did") in self.registered
                                            or actor.get("handle") in self.registered)

    def _engagers(self, response: Response, key: str) -> tuple[list[Any], Any] | None:
        data, err = self.json_body(response)
        if err or not isinstance(data, dict) or not isinstance(data.get(key), list):
            return None
        return data[key], data.get("cursor")

    def _next_page(self, response: Response, callback: Any, cursor: Any, method: str, count: int,
                   **carry: Any) -> Iterator[Any]:
        if isinstance(cursor, str) and count:
            post: ContentItem = response.meta["post"]
            url = self.xrpc(self.appview, method, uri=post.native_id, limit=100, cursor=cursor)
            yield self.request(url, callback, response.meta["stream"], post=post, **carry)
        yield from self.streams.done(response.meta["stream"])

    def parse_likes(self, response: Response) -> Iterator[Any]:
        yield from self._actors(response, "likes", "like", "app.bsky.feed.getLikes", self.parse_likes)

    def parse_reposted_by(self, response: Response) -> Iterator[Any]:
        yield from self._actors(response, "repostedBy", "share", "app.bsky.feed.getRepostedBy",
                                self.parse_reposted_by)

    def _actors(self, response: Response, key: str, kind: str, method: str, callback: Any) -> Iterator[Any]:
        page = self._engagers(response, key)
        if page is None:
            yield from self.malformed(response, CrawlErrorItem(
                PLATFORM, "malformed", f"{method} without {key}", response.url, capture_of(response)))
            return
        entries, cursor = page
        post: ContentItem = response.meta["post"]
        capture = capture_of(response)
        seen: set[str] = set(response.meta.get("seen", ()))
        total = int(response.meta.get("total", 0)) + sum(1 for e in entries if isinstance(e, dict))
        expected = response.meta.get("expected")
        for entry in entries:
            actor = entry.get("actor") if kind == "like" and isinstance(entry, dict) else entry
            if isinstance(actor, dict) and self._is_registered(actor):
                key = engagement_key(actor["did"], kind, post.native_id)
                seen.add(key)
                yield InteractionItem(PLATFORM, key, kind, AccountRef(actor.get("did"), actor.get("handle")),
                                      target=post,
                                      occurred_at=parse_time(entry.get("createdAt")) if kind == "like" else None,
                                      capture=capture)
        # walked to the end and as long as the post's own likeCount / repostCount: who is no longer in it?
        if not (isinstance(cursor, str) and entries) and self.list_complete(post, kind, total, expected):
            yield from self.withdrawn(post.native_id, kind, seen, capture)
        yield from self._next_page(response, callback, cursor, method, len(entries), seen=sorted(seen),
                                   total=total, expected=expected)

    def parse_quotes(self, response: Response) -> Iterator[Any]:
        page = self._engagers(response, "posts")
        if page is None:
            yield from self.malformed(response, CrawlErrorItem(
                PLATFORM, "malformed", "getQuotes without posts", response.url, capture_of(response)))
            return
        views, cursor = page
        post: ContentItem = response.meta["post"]
        capture = capture_of(response)
        for view in views:
            if isinstance(view, dict) and self._is_registered(view.get("author")):
                own = atproto.view_content(view, self.web, capture)
                if own is not None:
                    yield InteractionItem(PLATFORM, own.native_id, "quote",
                                          AccountRef(own.author_id, own.author_handle), target=post, own=own,
                                          occurred_at=own.created_at, capture=capture)
        yield from self._next_page(response, self.parse_quotes, cursor, "app.bsky.feed.getQuotes", len(views))

    def parse_thread(self, response: Response) -> Iterator[Any]:
        data, err = self.json_body(response)
        thread = data.get("thread") if isinstance(data, dict) else None
        if err or not isinstance(thread, dict):
            yield from self.malformed(response, err or CrawlErrorItem(
                PLATFORM, "malformed", "getPostThread without thread", response.url, capture_of(response)))
            return
        capture = capture_of(response)
        todo: list[tuple[dict[str, Any], ContentItem]] = [(thread, response.meta["post"])]
        while todo:
            node, parent = todo.pop()
            for child in node.get("replies") or []:
                view = child.get("post") if isinstance(child, dict) else None
                reply = atproto.view_content(view, self.web, capture) if isinstance(view, dict) else None
                if reply is None:
                    continue
                if self._is_registered(view.get("author")):  # type: ignore[union-attr]
                    yield InteractionItem(PLATFORM, reply.native_id, "comment",
                                          AccountRef(reply.author_id, reply.author_handle), target=parent, own=reply,
                                          occurred_at=reply.created_at, capture=capture)
                todo.append((child, reply))
        yield from self.streams.done(response.meta["stream"])


def _carry(meta: dict[str, Any]) -> dict[str, Any]:
    """Request meta to pass on to the next page (not Scrapy's own keys)."""
    own = {"did", "handle", "pds", "mark", "floor", "campaign", "post"}
    return {k: v for k, v in meta.items() if k in own}
