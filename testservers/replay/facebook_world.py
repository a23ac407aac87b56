"""Facebook's side of the replay world: Pages, their feed posts and the comments under them."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class FBProfile:
    """A Page or a person (comment authors); Graph gives both as ``{"id", "name"}``."""

    id: str
    name: str
    username: str | None = None


@dataclass
class FBPost:
    id: str
    page_id: str
    message: str
    created_time: datetime


@dataclass
class FBComment:
    id: str
    post_id: str
    from_id: str
    message: str
    created_time: datetime
    parent_id: str | None = None


@dataclass
class FacebookWorld:
    """Facebook Graph data and the access token it accepts."""

    rng: random.Random
    access_token: str = "replay-fb-token"  # noqa: S105 - the replay's own fake token
    profiles: dict[str, FBProfile] = field(default_factory=dict)
    posts: dict[str, FBPost] = field(default_factory=dict)
    comments: dict[str, FBComment] = field(default_factory=dict)
    #: comments ``summary.total_count`` counts but the edge does not list (hidden by the Page,
    #: restricted commenters): what real Pages show
    hidden_comments: set[str] = field(default_factory=set)

    def _id(self) -> str:
        while True:
            new = str(self.rng.randint(10**14, 10**16))
            if new not in self.profiles:
                return new

    def add_page(self, username: str, name: str) -> FBProfile:
        page = FBProfile(self._id(), name, username)
        self.profiles[page.id] = page
        return page

    def add_person(self, name: str) -> FBProfile:
        person = FBProfile(self._id(), name)
        self.profiles[person.id] = person
        return person

    def by_username(self, username: str) -> FBProfile | None:
        return next((p for p in self.profiles.values() if p.username == username), None)

    def add_post(self, page: FBProfile, message: str, created_time: datetime) -> FBPost:
        post = FBPost(f"{page.id}_{self.rng.randint(10**14, 10**16)}", page.id, message, created_time)
        self.posts[post.id] = post
        return post

    def add_comment(self, post: FBPost, author: FBProfile, message: str, created_time: datetime,
                    parent: FBComment | None = None) -> FBComment:
        cid = f"{post.id.split('_')[1]}_{self.rng.randint(10**14, 10**16)}"
        comment = FBComment(cid, post.id, author.id, message, created_time, parent.id if parent else None)
        self.comments[cid] = comment
        return comment

    def delete_post(self, post_id: str) -> None:
        self.posts.pop(post_id)
        for cid in [c.id for c in self.comments.values() if c.post_id == post_id]:
            self.comments.pop(cid)

    def delete_comment(self, comment_id: str) -> None:
        self.comments.pop(comment_id)
