"""YouTube Data API v3 routes: channels, playlistItems, videos, commentThreads and comments ``list``.

Shapes follow the documented resources (``youtube#channelListResponse`` etc.): ``pageInfo``,
``nextPageToken`` paging, ``key`` required, and a unit quota whose exhaustion answers 403
``quotaExceeded`` exactly like the real API, so a crawler's stop-and-resume logic is exercised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from testservers.replay.protocol import (
    BadToken,
    Reply,
    Request,
    Route,
    decode_token,
    encode_token,
    etag,
    page_size,
    rfc3339,
)
from testservers.replay.youtube_world import YouTubeWorld, YTComment, YTVideo

if TYPE_CHECKING:
    from testservers.replay.world import ReplayWorld

PREFIX = "/youtube/v3"


def error(status: int, message: str, reason: str, domain: str = "global", api_status: str = "") -> Reply:
    """Google's error envelope: ``{"error": {"code", "message", "errors": [{"reason"...}], "status"}}``."""
    body: dict[str, Any] = {"error": {"code": status, "message": message,
                                      "errors": [{"message": message, "domain": domain, "reason": reason}]}}
    if api_status:
        body["error"]["status"] = api_status
    return Reply(status, body)


def _gate(yt: YouTubeWorld, req: Request, cost: int = 1) -> Reply | None:
    key = req.query.get("key")
    if not key:
        return error(403, "The request is missing a valid API key.", "forbidden",
                     api_status="PERMISSION_DENIED")
    if key != yt.api_key:
        return error(400, "API key not valid. Please pass a valid API key.", "badRequest",
                     api_status="INVALID_ARGUMENT")
    if yt.quota_budget is not None and yt.quota_used + cost > yt.quota_budget:
        return error(403, "The request cannot be completed because you have exceeded your "
                     '<a href="/youtube/v3/getting-started#quota">quota</a>.', "quotaExceeded",
                     domain="youtube.quota")
    yt.quota_used += cost
    return None


def _listing(kind: str, items: list[dict[str, Any]], offset: int, size: int, scope: str) -> dict[str, Any]:
    body: dict[str, Any] = {"kind": f"youtube#{kind}ListResponse", "etag": etag([kind, offset, items[:1]])}
    if offset + size < len(items):
        body["nextPageToken"] = encode_token(offset + size, scope)
    if offset > 0:
        body["prevPageToken"] = encode_token(max(0, offset - size), scope)
    body["pageInfo"] = {"totalResults": len(items), "resultsPerPage": size}
    body["items"] = items[offset:offset + size]
    return body


def _paged(req: Request, kind: str, items: list[dict[str, Any]], default: int, maximum: int) -> Reply:
    size = page_size(req.query.get("maxResults"), default, maximum, minimum=0)
    scope = f"{kind}:{sorted((k, v) for k, v in req.query.items() if k not in ('pageToken', 'key'))}"
    try:
        offset = decode_token(req.query.get("pageToken"), scope)
    except BadToken:
        return error(400, "The request specifies an invalid page token.", "invalidPageToken")
    return Reply(200, _listing(kind, items, offset, size, scope))


def _channels(world: ReplayWorld, req: Request) -> Reply:
    yt = world.youtube
    if (denied := _gate(yt, req)) is not None:
        return denied
    if "id" in req.query:
        found = [yt.channels[i] for i in req.query["id"].split(",") if i in yt.channels]
    elif "forHandle" in req.query:
        handle = req.query["forHandle"].lstrip("@").lower()
        found = [c for c in yt.channels.values() if c.handle == handle]
    else:
        return error(400, "No filter selected. Expected one of: id, forHandle, forUsername, mine.",
                     "missingRequiredParameter")
    items = [{"kind": "youtube#channel", "etag": etag(c.id), "id": c.id,
              "snippet": {"title": c.title, "description": "", "customUrl": f"@{c.handle}"},
              "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": c.uploads_playlist_id}}}
             for c in found]
    body: dict[str, Any] = {"kind": "youtube#channelListResponse", "etag": etag(items),
                            "pageInfo": {"totalResults": len(items), "resultsPerPage": 5}}
    if items:  # the real API omits "items" when nothing matched
        body["items"] = items
    return Reply(200, body)


def _video_snippet(yt: YouTubeWorld, v: YTVideo) -> dict[str, Any]:
    return {"publishedAt": rfc3339(v.published_at), "channelId": v.channel_id, "title": v.title,
            "description": v.description, "channelTitle": yt.channels[v.channel_id].title}


def _playlist_items(world: ReplayWorld, req: Request) -> Reply:
    yt = world.youtube
    if (denied := _gate(yt, req)) is not None:
        return denied
    playlist = req.query.get("playlistId", "")
    channel = next((c for c in yt.channels.values() if c.uploads_playlist_id == playlist), None)
    if channel is None:
        return error(404, "The playlist identified with the request's <code>playlistId</code> parameter "
                     "cannot be found.", "playlistNotFound", domain="youtube.playlistItem")
    videos = sorted((v for v in yt.videos.values() if v.channel_id == channel.id),
                    key=lambda v: v.published_at, reverse=True)
    items = [{"kind": "youtube#playlistItem", "etag": etag(v.id), "id": f"{playlist}.{v.id}",
              "snippet": {**_video_snippet(yt, v), "playlistId": playlist, "position": n,
                          "resourceId": {"kind": "youtube#video", "videoId": v.id},
                          "videoOwnerChannelTitle": channel.title, "videoOwnerChannelId": channel.id},
              "contentDetails": {"videoId": v.id, "videoPublishedAt": rfc3339(v.published_at)}}
             for n, v in enumerate(videos)]
    return _paged(req, "playlistItem", items, 5, 50)


def _videos(world: ReplayWorld, req: Request) -> Reply:
    yt = world.youtube
    if (denied := _gate(yt, req)) is not None:
        return denied
    ids = [i for i in req.query.get("id", "").split(",") if i]
    items = []
    for vid in ids:
        if (v := yt.videos.get(vid)) is not None:  # unknown or deleted ids are simply left out
            count = sum(1 for c in yt.comments.values() if c.video_id == vid)
            items.append({"kind": "youtube#video", "etag": etag(vid), "id": vid,
                          "snippet": _video_snippet(yt, v), "statistics": {"commentCount": str(count)}})
    return Reply(200, {"kind": "youtube#videoListResponse", "etag": etag(ids), "items": items,
                       "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)}})


def comment_resource(yt: YouTubeWorld, c: YTComment) -> dict[str, Any]:
    author = yt.channels[c.author_channel_id]
    snippet: dict[str, Any] = {
        "channelId": c.channel_id, "videoId": c.video_id, "textDisplay": c.text, "textOriginal": c.text,
        "authorDisplayName": f"@{author.handle}", "authorProfileImageUrl": "",
        "authorChannelUrl": f"http://www.youtube.com/@{author.handle}",
        "authorChannelId": {"value": author.id}, "canRate": True, "viewerRating": "none", "likeCount": 0,
        "publishedAt": rfc3339(c.published_at), "updatedAt": rfc3339(c.published_at)}
    if c.parent_id:
        snippet["parentId"] = c.parent_id
    return {"kind": "youtube#comment", "etag": etag(c.id), "id": c.id, "snippet": snippet}


def _replies(yt: YouTubeWorld, parent_id: str) -> list[YTComment]:
    return sorted((c for c in yt.comments.values() if c.parent_id == parent_id), key=lambda c: c.published_at)


def _comment_threads(world: ReplayWorld, req: Request) -> Reply:
    yt = world.youtube
    if (denied := _gate(yt, req)) is not None:
        return denied
    if "videoId" in req.query:
        vid = req.query["videoId"]
        if vid not in yt.videos:
            return error(404, "The video identified by the <code><a href=\"/youtube/v3/docs/commentThreads/"
                         "list#videoId\">videoId</a></code> parameter could not be found.", "videoNotFound",
                         domain="youtube.commentThread")
        tops = [c for c in yt.comments.values() if c.video_id == vid and c.parent_id is None]
    elif "allThreadsRelatedToChannelId" in req.query:
        ch = req.query["allThreadsRelatedToChannelId"]
        tops = [c for c in yt.comments.values() if c.channel_id == ch and c.parent_id is None]
    elif "id" in req.query:
        wanted = set(req.query["id"].split(","))
        tops = [c for c in yt.comments.values() if c.id in wanted and c.parent_id is None]
    else:
        return error(400, "No filter selected. Expected one of: videoId, allThreadsRelatedToChannelId, id.",
                     "missingRequiredParameter")
    tops.sort(key=lambda c: c.published_at, reverse=True)  # order=time (the default): newest first
    with_replies = "replies" in req.query.get("part", "")
    wanted = {t.id for t in tops}
    children: dict[str, list[YTComment]] = {}
    for c in yt.comments.values():
        if c.parent_id in wanted:
            children.setdefault(c.parent_id, []).append(c)
    items = []
    for top in tops:
        replies = sorted(children.get(top.id, []), key=lambda c: c.published_at)
        item: dict[str, Any] = {
            "kind": "youtube#commentThread", "etag": etag(top.id), "id": top.id,
            "snippet": {"channelId": top.channel_id, "videoId": top.video_id,
                        "topLevelComment": comment_resource(yt, top), "canReply": True,
                        "totalReplyCount": len(replies), "isPublic": True}}
        if with_replies and replies:  # a subset only; comments.list gives them all
            item["replies"] = {"comments": [comment_resource(yt, r) for r in replies[:5]]}
        items.append(item)
    return _paged(req, "commentThread", items, 20, 100)


def _comments(world: ReplayWorld, req: Request) -> Reply:
    yt = world.youtube
    if (denied := _gate(yt, req)) is not None:
        return denied
    if "parentId" in req.query:
        found = [c for c in _replies(yt, req.query["parentId"]) if c.id not in yt.held_replies]
    elif "id" in req.query:
        found = [yt.comments[i] for i in req.query["id"].split(",") if i in yt.comments]
    else:
        return error(400, "No filter selected. Expected one of: id, parentId.", "missingRequiredParameter")
    return _paged(req, "comment", [comment_resource(yt, c) for c in found], 20, 100)


ROUTES = [
    Route("youtube.channels", "GET", PREFIX + "/channels", _channels),
    Route("youtube.playlistItems", "GET", PREFIX + "/playlistItems", _playlist_items),
    Route("youtube.videos", "GET", PREFIX + "/videos", _videos),
    Route("youtube.commentThreads", "GET", PREFIX + "/commentThreads", _comment_threads),
    Route("youtube.comments", "GET", PREFIX + "/comments", _comments),
]

