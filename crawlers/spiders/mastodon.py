"""The Mastodon spider: both directions of watching, on each account's own instance.

1. Registered accounts (``user@instance``): ``/api/v1/accounts/lookup`` → id, then
   ``/api/v1/accounts/:id/statuses`` newest first (reblogs included), paged by the ``Link`` header down
   to the cursor (the newest status id already stored). A reblog is a share of the embedded status; a
   reply is a comment on ``in_reply_to_id`` (fetched from the instance); a quote embeds its target.
   An account's own favourites are private on Mastodon: likes come from direction 2 only.
2. Campaign accounts: their statuses, then ``favourited_by``, ``reblogged_by`` and ``context``
   (replies) name who engaged; registered accounts become interactions, with the same natural keys.
Re-check: stored statuses of watched authors inside ``crawl_recheck_days`` are fetched again; a 404 or
410 marks them deleted (rows and evidence kept). Instance base URLs come from ``mastodon_instances``
(domain → URL; default ``https://<domain>``), tokens from ``mastodon_tokens`` (sent as a header only).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from scrapy.http import Response

from crawlers import mastodon_parse as mp
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
from crawlers.spiders.base import NetralSpider, StreamKey, parse_time

log = logging.getLogger(__name__)

PLATFORM = mp.PLATFORM
PAGE = 40
STATUSES_PER_LOOKUP = 20  # GET /api/v1/statuses?id[]= takes up to 20 ids
GONE = [404, 410]
#: Answers of an optional endpoint a server does not implement (older Mastodon, other implementations):
#: "not supported here", never "the statuses are gone".
UNSUPPORTED = (404, 405, 501)
BATCH_STATUS = sorted({*GONE, *UNSUPPORTED})
Reply = tuple[str, ContentItem, AccountRef]  # (parent status id, the reply, its author)


def _newer(status_id: str, mark: str) -> bool:
    """Whether ``status_id`` is newer than ``mark`` (Mastodon ids are time-ordered integers as strings)."""
    if status_id.isdigit() and mark.isdigit():
        return int(status_id) > int(mark)
    return (len(status_id), status_id) > (len(mark), mark)


class MastodonSpider(NetralSpider):
    """``scrapy crawl mastodon [-a since=YYYY-MM-DD] [-a election=SLUG]``."""

    name = "mastodon"
    platform = PLATFORM
    credential_setting = "NETRAL_MASTODON_TOKENS"

    async def start(self) -> AsyncIterator[Any]:
        wl = self.load_watchlist()
        self.watchlist = wl
        self.engagements = self.load_engagements()
        self.no_batch: set[str] = set()  # instances without GET /api/v1/statuses?id[]= (this run)
        self.bases = {netloc: domain for domain, netloc in
                      ((d, urlsplit(u).netloc) for d, u in self.netral.mastodon_instances.items())}
        for acc in wl.accounts:
            yield self.lookup(acc.handle, role="account", roster=acc.id)
        for camp in wl.campaigns:
            yield self.lookup(camp.handle, role="campaign", campaign={"election": camp.election_slug,
                                                                      "pair": camp.pair_number})
        authors = [a.handle for a in wl.accounts] + [c.handle for c in wl.campaigns]
        by_instance: dict[str, list[tuple[str, str]]] = {}
        for native_id, extra in self.recent_content_extra(authors):
            if extra.get("id") and extra.get("instance"):
                by_instance.setdefault(extra["instance"], []).append((str(extra["id"]), native_id))
        for domain, known in by_instance.items():
            for i in range(0, len(known), STATUSES_PER_LOOKUP):
                part = known[i:i + STATUSES_PER_LOOKUP]
                query = urlencode([("id[]", status_id) for status_id, _ in part])
                yield self.request(f"{self.base(domain)}/api/v1/statuses?{query}", self.parse_recheck_batch,
                                   ("recheck", "statuses"), domain=domain, known=part,
                                   handle_httpstatus_list=BATCH_STATUS)

    # -- instances, tokens, paging ---------------------------------------------------------------------
    def base(self, domain: str) -> str:
        return self.netral.mastodon_instances.get(domain, f"https://{domain}").rstrip("/")

    def request_headers(self, url: str) -> dict[str, str]:
        headers = super().request_headers(url)
        netloc = urlsplit(url).netloc
        token = self.netral.mastodon_tokens.get(self.bases.get(netloc, netloc))
        if token is not None:
            headers["Authorization"] = f"Bearer {token.get_secret_value()}"
        return headers

    def instance_of(self, url: str) -> str:
        netloc = urlsplit(url).netloc
        return self.bases.get(netloc, netloc)

    def follow_link(self, response: Response) -> str | None:
        """The next page from the ``Link`` header, moved onto the configured base URL of its instance."""
        link = mp.next_link((response.headers.get("Link") or b"").decode("latin-1"))
        if link is None:
            return None
        parts = urlsplit(link)
        if parts.netloc in self.netral.mastodon_instances:
            base = urlsplit(self.base(parts.netloc))
            return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))
        return link

    def recent_content_extra(self, authors: list[str]) -> list[tuple[str, dict[str, Any]]]:
        from core.db import engine_from_settings, make_session_factory, session_scope
        from core.ingest.watchlist import recent_content_extra
        engine = engine_from_settings(self.netral)
        try:
            with session_scope(make_session_factory(engine)) as session:
                return recent_content_extra(session, PLATFORM, authors, self.recheck_floor())
        finally:
            engine.dispose()

    # -- accounts ----------------------------------------------------------------------------------------
    def lookup(self, handle: str, **info: Any) -> Any:
        user, domain = mp.split_acct(handle)
        url = f"{self.base(domain)}/api/v1/accounts/lookup?{urlencode({'acct': user})}"
        return self.request(url, self.parse_lookup, (handle, "identity"), handle=handle, domain=domain, info=info)

    def parse_lookup(self, response: Response) -> Iterator[Any]:
        data, err = self.json_body(response)
        if err or not isinstance(data, dict) or not data.get("id"):
            yield from self.malformed(response, err or CrawlErrorItem(
                PLATFORM, "unresolved", f"no account {response.meta['handle']}", response.url, capture_of(response)))
            return
        handle, domain, info = response.meta["handle"], response.meta["domain"], response.meta["info"]
        account_id = str(data["id"])
        yield AccountIdItem(PLATFORM, handle, account_id)
        stream_name = "statuses" if info["role"] == "account" else "campaign-statuses"
        mark = self.watchlist.cursor(handle, stream_name)
        floor = self.new_floor(mark is not None)
        if info["role"] == "campaign":
            recheck = self.recheck_floor()
            floor = min(floor, recheck) if floor else recheck
        url = f"{self.base(domain)}/api/v1/accounts/{account_id}/statuses?limit={PAGE}"
        yield self.request(url, self.parse_statuses, (handle, stream_name), handle=handle, domain=domain,
                           mark=mark if info["role"] == "account" else None, floor=floor, info=info, first=True)
        yield from self.streams.done(response.meta["stream"])

    def parse_statuses(self, response: Response) -> Iterator[Any]:
        data, err = self.json_body(response)
        if err or not isinstance(data, list):
            yield from self.malformed(response, err or CrawlErrorItem(
                PLATFORM, "malformed", "statuses is not a list", response.url, capture_of(response)))
            return
        meta, stream = response.meta, response.meta["stream"]
        statuses = [s for s in data if isinstance(s, dict) and s.get("id") is not None]
        if meta["first"] and statuses:
            self.streams.set_cursor(stream, str(statuses[0]["id"]))
        capture = capture_of(response)
        stop = False
        replies: list[Reply] = []
        for status in statuses:
            created = parse_time(status.get("created_at"))
            if meta["mark"] and self.since is None and not _newer(str(status["id"]), meta["mark"]):
                stop = True
                break
            if meta["floor"] and created and created < meta["floor"]:
                stop = True
                break
            if meta["info"]["role"] == "account":
                yield from self.own_status(status, meta["handle"], meta["domain"], capture, replies)
            elif not status.get("reblog"):
                post = mp.status_content(status, meta["domain"], capture, extra={"campaign": meta["info"]["campaign"]})
                if post is not None:
                    yield post
                    yield from self.engagement(post, meta["domain"], status, stream)
        for i in range(0, len(replies), STATUSES_PER_LOOKUP):
            yield from self.lookup_parents(meta["domain"], replies[i:i + STATUSES_PER_LOOKUP], stream)
        following = self.follow_link(response)
        if not stop and statuses and following:
            yield self.request(following, self.parse_statuses, stream,
                               **{k: meta[k] for k in ("handle", "domain", "mark", "floor", "info")}, first=False)
        yield from self.streams.done(stream)

    def own_status(self, status: dict[str, Any], handle: str, domain: str, capture: Any,
                   replies: list[Reply]) -> Iterator[Any]:
        """Items for one of the account's statuses; a reply is queued in ``replies`` (its parent is
        fetched with the other replies' parents in one request)."""
        actor = AccountRef(handle=handle)
        occurred = parse_time(status.get("created_at"))
        reblog = status.get("reblog")
        if isinstance(reblog, dict):
            target = mp.status_content(reblog, domain, capture)
            if target is not None:
                yield InteractionItem(PLATFORM, engagement_key(handle, "share", target.native_id), "share", actor,
                                      target=target, occurred_at=occurred, capture=capture)
            return
        own = mp.status_content(status, domain, capture)
        if own is None:
            return
        quoted = mp.quoted_status(status)
        if status.get("in_reply_to_id"):
            replies.append((str(status["in_reply_to_id"]), own, actor))
        elif quoted is not None:
            target = mp.status_content(quoted, domain, capture)
            yield InteractionItem(PLATFORM, own.native_id, "quote", actor, target=target, own=own,
                                  occurred_at=occurred, capture=capture)
        else:
            yield InteractionItem(PLATFORM, own.native_id, "post", actor, target=own, own=own, occurred_at=occurred,
                                  capture=capture)

    # -- optional endpoints ----------------------------------------------------------------------------
    def batch_unsupported(self, response: Response) -> bool:
        """Whether the batch status lookup is missing on this instance (remembered for the run).

        ``GET /api/v1/statuses?id[]=`` came with Mastodon 4.3; older servers and other implementations
        answer 404, 405 or 501. The batch answer for ids that are all gone is ``200 []``, so these codes
        mean "not supported here": the spider falls back to one request per status.
        """
        domain = response.meta["domain"]
        if domain in self.no_batch:
            return True
        if response.status not in UNSUPPORTED and response.status not in GONE:
            return False
        self.no_batch.add(domain)
        log.warning("%s: batch status lookup not supported (http %d on GET /api/v1/statuses?id[]=); "
                    "falling back to one request per status for this run", domain, response.status)
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("netral/fallbacks")
        return True

    def lookup_parents(self, domain: str, replies: list[Reply], stream: StreamKey) -> Iterator[Any]:
        """``GET /api/v1/statuses?id[]=…`` (Mastodon ≥ 4.3) for the parents of up to 20 replies."""
        if domain in self.no_batch:
            yield from self.parents_one_by_one(domain, replies, stream)
            return
        query = urlencode([("id[]", parent_id) for parent_id in dict.fromkeys(r[0] for r in replies)])
        yield self.request(f"{self.base(domain)}/api/v1/statuses?{query}", self.parse_parents, stream,
                           domain=domain, replies=replies, handle_httpstatus_list=BATCH_STATUS)

    def parents_one_by_one(self, domain: str, replies: list[Reply], stream: StreamKey) -> Iterator[Any]:
        for parent_id, own, actor in replies:
            url = f"{self.base(domain)}/api/v1/statuses/{parent_id}"
            yield self.request(url, self.parse_parent, stream, own=own, actor=actor,
                               domain=domain, parent_id=parent_id, handle_httpstatus_list=GONE)

    def parse_parents(self, response: Response) -> Iterator[Any]:
        meta = response.meta
        replies: list[Reply] = meta["replies"]
        if self.batch_unsupported(response):  # a server without the batch endpoint: one by one
            yield from self.parents_one_by_one(meta["domain"], replies, meta["stream"])
            yield from self.streams.done(meta["stream"])
            return
        data, err = self.json_body(response)
        if err or not isinstance(data, list):
            yield from self.malformed(response, err or CrawlErrorItem(
                PLATFORM, "malformed", "statuses is not a list", response.url, capture_of(response)))
            return
        capture = capture_of(response)
        found = {str(st.get("id")): mp.status_content(st, meta["domain"], capture)
                 for st in data if isinstance(st, dict)}
        for parent_id, own, actor in replies:
            target = found.get(parent_id) or mp.stub_content(parent_id, meta["domain"], capture)
            yield InteractionItem(PLATFORM, own.native_id, "comment", actor, target=target, own=own,
                                  occurred_at=own.created_at, capture=own.capture)
        yield from self.streams.done(meta["stream"])

    def parse_parent(self, response: Response) -> Iterator[Any]:
        meta = response.meta
        capture = capture_of(response)
        target: ContentItem | None = None
        if response.status not in GONE:
            data, err = self.json_body(response)
            if err:
                yield from self.malformed(response, err)
                return
            target = mp.status_content(data, meta["domain"], capture) if isinstance(data, dict) else None
        own: ContentItem = meta["own"]
        yield InteractionItem(PLATFORM, own.native_id, "comment", meta["actor"],
                              target=target or mp.stub_content(meta["parent_id"], meta["domain"], capture),
                              own=own, occurred_at=own.created_at, capture=own.capture)
        yield from self.streams.done(meta["stream"])

    def parse_recheck_batch(self, response: Response) -> Iterator[Any]:
        """Stored statuses the instance no longer returns are marked deleted."""
        meta = response.meta
        data, err = (None, None) if self.batch_unsupported(response) else self.json_body(response)
        if not isinstance(data, list) or err:  # no batch endpoint (or a broken body): one by one
            for status_id, native_id in meta["known"]:
                url = f"{self.base(meta['domain'])}/api/v1/statuses/{status_id}"
                yield self.request(url, self.parse_recheck, meta["stream"], native_id=native_id,
                                   handle_httpstatus_list=GONE)
            yield from self.streams.done(meta["stream"])
            return
        present = {str(st.get("id")) for st in data if isinstance(st, dict)}
        capture = capture_of(response)
        for status_id, native_id in meta["known"]:
            if status_id not in present:
                yield DeletionItem(PLATFORM, native_id, "content", self.started, capture)
        yield from self.streams.done(meta["stream"])

    def parse_recheck(self, response: Response) -> Iterator[Any]:
        if response.status in GONE:
            yield DeletionItem(PLATFORM, response.meta["native_id"], "content", self.started, capture_of(response))
        yield from self.streams.done(response.meta["stream"])

    # -- direction 2: who engaged with a campaign status -----------------------------------------------
    def engagement(self, post: ContentItem, domain: str, status: dict[str, Any], stream: StreamKey) -> Iterator[Any]:
        """Who favourited, boosted and replied; each list is checked against the status's own counter."""
        status_id = str(status["id"])
        base = f"{self.base(domain)}/api/v1/statuses/{status_id}"
        yield self.request(f"{base}/favourited_by?limit=80", self.parse_accounts, stream, post=post, domain=domain,
                           kind="like", expected=status.get("favourites_count"), total=0)
        yield self.request(f"{base}/reblogged_by?limit=80", self.parse_accounts, stream, post=post, domain=domain,
                           kind="share", expected=status.get("reblogs_count"), total=0)
        yield self.request(f"{base}/context", self.parse_context, stream, post=post, domain=domain,
                           status_id=status_id)

    def parse_accounts(self, response: Response) -> Iterator[Any]:
        data, err = self.json_body(response)
        if err or not isinstance(data, list):
            yield from self.malformed(response, err or CrawlErrorItem(
                PLATFORM, "malformed", "accounts is not a list", response.url, capture_of(response)))
            return
        meta = response.meta
        post: ContentItem = meta["post"]
        capture = capture_of(response)
        seen: set[str] = set(meta.get("seen", ()))
        total = int(meta.get("total", 0)) + sum(1 for a in data if isinstance(a, dict))
        for account in data:
            acct = mp.full_acct(account, meta["domain"]) if isinstance(account, dict) else ""
            if acct in self.registered:
                key = engagement_key(acct, meta["kind"], post.native_id)
                seen.add(key)
                yield InteractionItem(PLATFORM, key, meta["kind"], AccountRef(handle=acct), target=post,
                                      capture=capture)
        following = self.follow_link(response)
        if following and data:
            yield self.request(following, self.parse_accounts, meta["stream"], seen=sorted(seen), total=total,
                               **{k: meta[k] for k in ("post", "domain", "kind", "expected")})
        elif self.list_complete(post, meta["kind"], total, meta.get("expected")):
            # a registered account no longer in a complete list withdrew its favourite / boost
            yield from self.withdrawn(post.native_id, meta["kind"], seen, capture)
        yield from self.streams.done(meta["stream"])

    def parse_context(self, response: Response) -> Iterator[Any]:
        data, err = self.json_body(response)
        if err or not isinstance(data, dict) or not isinstance(data.get("descendants"), list):
            yield from self.malformed(response, err or CrawlErrorItem(
                PLATFORM, "malformed", "context without descendants", response.url, capture_of(response)))
            return
        meta = response.meta
        capture = capture_of(response)
        known: dict[str, ContentItem] = {meta["status_id"]: meta["post"]}
        for status in data["descendants"]:
            reply = mp.status_content(status, meta["domain"], capture) if isinstance(status, dict) else None
            if reply is None:
                continue
            known[str(status.get("id"))] = reply
            acct = reply.author_id or ""
            parent = known.get(str(status.get("in_reply_to_id")))
            if acct in self.registered and parent is not None:
                yield InteractionItem(PLATFORM, reply.native_id, "comment", AccountRef(handle=acct), target=parent,
                                      own=reply, occurred_at=reply.created_at, capture=capture)
        yield from self.streams.done(meta["stream"])
