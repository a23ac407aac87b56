"""YouTube's side of the replay world: channels, their uploads and the comments under them."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import datetime

_ALNUM = string.ascii_letters + string.digits + "-_"


@dataclass
class YTChannel:
    """A YouTube channel (a campaign channel, or an employee's own channel that comments)."""

    id: str
    handle: str
    title: str

    @property
    def uploads_playlist_id(self) -> str:
        """YouTube names a channel's uploads playlist ``UU`` + the channel id without its ``UC``."""
        return "UU" + self.id[2:]


@dataclass
class YTVideo:
    id: str
    channel_id: str
    title: str
    description: str
    published_at: datetime


@dataclass
class YTComment:
    """A top-level comment (``parent_id`` None, its id is also the thread id) or a reply."""

    id: str
    video_id: str
    channel_id: str
    author_channel_id: str
    author_name: str
    text: str
    published_at: datetime
    parent_id: str | None = None


@dataclass
class YouTubeWorld:
    """YouTube data plus the API key and the daily quota budget (``None`` = unlimited)."""

    rng: random.Random
    api_key: str = "replay-youtube-key"
    quota_budget: int | None = None
    quota_used: int = 0
    channels: dict[str, YTChannel] = field(default_factory=dict)
    videos: dict[str, YTVideo] = field(default_factory=dict)
    comments: dict[str, YTComment] = field(default_factory=dict)
    #: replies ``totalReplyCount`` counts but ``comments.list`` does not serve (held for review, spam
    #: filtered): what a real channel shows
    held_replies: set[str] = field(default_factory=set)

    def _id(self, prefix: str, length: int) -> str:
        while True:
            new = prefix + "".join(self.rng.choice(_ALNUM) for _ in range(length))
            if new not in self.channels and new not in self.videos and new not in self.comments:
                return new

    def add_channel(self, handle: str, title: str | None = None) -> YTChannel:
        channel = YTChannel(self._id("UC", 22), handle.lstrip("@").lower(), title or handle)
        self.channels[channel.id] = channel
        return channel

    def add_video(self, channel: YTChannel, title: str, published_at: datetime,
                  description: str = "") -> YTVideo:
        video = YTVideo(self._id("", 11), channel.id, title, description, published_at)
        self.videos[video.id] = video
        return video

    def add_comment(self, video: YTVideo, author: YTChannel, text: str, published_at: datetime,
                    parent: YTComment | None = None) -> YTComment:
        comment = YTComment(self._id("Ugz", 23) if parent is None else "", video.id, video.channel_id,
                            author.id, author.title, text, published_at,
                            parent.id if parent is not None else None)
        if parent is not None:
            comment.id = f"{parent.id}.{self._id('', 22)}"
        self.comments[comment.id] = comment
        return comment

    def delete_video(self, video_id: str) -> None:
        self.videos.pop(video_id)
        for cid in [c.id for c in self.comments.values() if c.video_id == video_id]:
            self.comments.pop(cid)

    def delete_comment(self, comment_id: str) -> None:
        self.comments.pop(comment_id)
        for cid in [c.id for c in self.comments.values() if c.parent_id == comment_id]:
            self.comments.pop(cid)
