"""Facebook Graph API routes: ``/{page-id}/feed``, ``/{post-id}/comments`` and ``/{object-id}``.

``access_token`` is required (query parameter or ``Authorization: Bearer``). Collections use the
documented cursor envelope ``{"data": [...], "paging": {"cursors": {"before", "after"}, "next"}}``, where
``next`` is a full URL that, as on Graph, repeats the access token (so a crawler must strip it before
archiving). Errors use Graph's ``{"error": {"message", "type", "code", "fbtrace_id"}}``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from testservers.replay.facebook_world import FacebookWorld, FBComment, FBPost, FBProfile
from testservers.replay.protocol import (
    BadToken,
    Reply,
    Request,
    Route,
    decode_token,
    encode_token,
    etag,
    page_size,
)

if TYPE_CHECKING:
    from testservers.replay.world import ReplayWorld

PREFIX = "/graph/v(?P<version>[0-9]+\\.[0-9]+)"


def error(message: str, type_: str, code: int, status: int = 400, subcode: int | None = None) -> Reply:
    body: dict[str, Any] = {"message": message, "type": type_, "code": code, "fbtrace_id": etag(message)[:11]}
    if subcode is not None:
        body["error_subcode"] = subcode
    return Reply(status, {"error": body})


def missing_object(object_id: str) -> Reply:
    return error(f"Unsupported get request. Object with ID '{object_id}' does not exist, cannot be loaded "
                 "due to missing permissions, or does not support this operation. Please read the Graph API "
                 "documentation at https://developers.facebook.com/docs/graph-api", "GraphMethodException",
                 100, subcode=33)


def _gate(fb: FacebookWorld, req: Request) -> Reply | None:
    token = req.query.get("access_token") or req.headers.get("authorization", "").removeprefix("Bearer ")
    if not token:
        return error("An access token is required to request this resource.", "OAuthException", 104)
    if token != fb.access_token:
        return error("Invalid OAuth access token - Cannot parse access token", "OAuthException", 190)
    return None


def _time(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S+0000")


def _fields(req: Request, default: str) -> set[str]:
    return set((req.query.get("fields") or default).split(",")) | {"id"}


def _profile(p: FBProfile) -> dict[str, str]:
    return {"name": p.name, "id": p.id}


def post_node(fb: FacebookWorld, p: FBPost, fields: set[str]) -> dict[str, Any]:
    page = fb.profiles[p.page_id]
    link = f"https://www.facebook.com/{page.username or page.id}/posts/{p.id.split('_')[1]}"
    full = {"id": p.id, "message": p.message, "created_time": _time(p.created_time), "from": _profile(page),
            "permalink_url": link}
    return {k: v for k, v in full.items() if k in fields}


def comment_node(fb: FacebookWorld, c: FBComment, fields: set[str]) -> dict[str, Any]:
    full: dict[str, Any] = {"id": c.id, "from": _profile(fb.profiles[c.from_id]), "message": c.message,
                            "created_time": _time(c.created_time),
                            "permalink_url": f"https://www.facebook.com/{c.post_id}?comment_id={c.id}"}
    if c.parent_id:
        full["parent"] = {"id": c.parent_id}
    return {k: v for k, v in full.items() if k in fields}


def _collection(req: Request, scope: str, items: list[dict[str, Any]]) -> Reply:
    size = page_size(req.query.get("limit"), 25, 100)
    try:
        offset = decode_token(req.query.get("after"), scope)
    except BadToken:
        return error("Invalid cursor", "OAuthException", 100)
    page = items[offset:offset + size]
    body: dict[str, Any] = {"data": page}
    if page:
        after = encode_token(offset + len(page), scope)
        body["paging"] = {"cursors": {"before": encode_token(offset, scope), "after": after}}
        if offset + size < len(items):
            query = {k: v for k, v in req.query.items() if k != "after"} | {"after": after}
            body["paging"]["next"] = f"{req.base_url}{req.path}?{urlencode(query)}"
    return Reply(200, body)


def _page(fb: FacebookWorld, ref: str) -> FBProfile | None:
    return fb.profiles.get(ref) or fb.by_username(ref)


def _feed(world: ReplayWorld, req: Request) -> Reply:
    fb = world.facebook
    if (denied := _gate(fb, req)) is not None:
        return denied
    page = _page(fb, req.params["page"])
    if page is None or page.username is None:
        return missing_object(req.params["page"])
    since = int(req.query.get("since", "0") or 0)
    posts = sorted((p for p in fb.posts.values()
                    if p.page_id == page.id and p.created_time.timestamp() >= since),
                   key=lambda p: p.created_time, reverse=True)
    fields = _fields(req, "created_time,message")
    return _collection(req, f"feed:{page.id}:{since}", [post_node(fb, p, fields) for p in posts])


def _comments(world: ReplayWorld, req: Request) -> Reply:
    fb = world.facebook
    if (denied := _gate(fb, req)) is not None:
        return denied
    obj = req.params["object"]
    if obj not in fb.posts and obj not in fb.comments:
        return missing_object(obj)
    stream = req.query.get("filter") == "stream"
    if obj in fb.posts:
        found = [c for c in fb.comments.values() if c.post_id == obj and (stream or c.parent_id is None)]
    else:
        found = [c for c in fb.comments.values() if c.parent_id == obj]
    reverse = req.query.get("order") == "reverse_chronological"
    found.sort(key=lambda c: c.created_time, reverse=reverse)
    fields = _fields(req, "created_time,from,message")
    nodes = [comment_node(fb, c, fields) for c in found if c.id not in fb.hidden_comments]
    reply = _collection(req, f"comments:{obj}:{stream}:{reverse}", nodes)
    if req.query.get("summary") == "true":  # counts what the edge lists and what it hides
        order = "reverse_chronological" if reverse else "chronological"
        reply.body["summary"] = {"order": order, "total_count": len(found), "can_comment": True}
    return reply


def _node(world: ReplayWorld, req: Request) -> Reply:
    fb = world.facebook
    if (denied := _gate(fb, req)) is not None:
        return denied
    obj = req.params["object"]
    if obj in fb.posts:
        return Reply(200, post_node(fb, fb.posts[obj], _fields(req, "created_time,message")))
    if obj in fb.comments:
        return Reply(200, comment_node(fb, fb.comments[obj], _fields(req, "created_time,from,message")))
    if (profile := _page(fb, obj)) is not None:
        extra = {"username": profile.username} if profile.username else {}
        return Reply(200, {**_profile(profile), **extra})
    return missing_object(obj)


ROUTES = [
    Route("facebook.feed", "GET", PREFIX + "/(?P<page>[A-Za-z0-9_.]+)/(?:feed|posts)", _feed),
    Route("facebook.comments", "GET", PREFIX + "/(?P<object>[0-9_]+)/comments", _comments),
    Route("facebook.node", "GET", PREFIX + "/(?P<object>[A-Za-z0-9_.]+)", _node),
]
