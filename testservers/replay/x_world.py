"""X's side of the replay world: users and their tweets (originals, retweets, quotes, replies)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

_TWEPOCH_MS = 1288834974657


@dataclass
class XUser:
    id: str
    username: str
    name: str


@dataclass
class XTweet:
    """A tweet; ``ref`` is its one ``referenced_tweets`` entry (type, id) when it has one."""

    id: str
    author_id: str
    text: str
    created_at: datetime
    conversation_id: str
    ref: tuple[str, str] | None = None
    in_reply_to_user_id: str | None = None


@dataclass
class XWorld:
    """X data, the bearer token, and the per-endpoint rate-limit window (requests per window)."""

    rng: random.Random
    bearer_token: str = "replay-x-bearer"  # noqa: S105 - the replay's own fake token
    rate_limit: int = 900
    window_seconds: float = 900.0
    users: dict[str, XUser] = field(default_factory=dict)
    tweets: dict[str, XTweet] = field(default_factory=dict)
    windows: dict[str, tuple[float, int]] = field(default_factory=dict)
    #: users ``retweeted_by`` leaves out while ``retweet_count`` still counts them (protected accounts,
    #: retweets beyond the ~100 most recent X lists): a deviation from the reference every real X shows
    unlisted_retweeters: set[str] = field(default_factory=set)
    _seq: int = 0

    def add_user(self, username: str, name: str | None = None) -> XUser:
        while True:
            uid = str(self.rng.randint(10**8, 10**18))
            if uid not in self.users:
                break
        user = XUser(uid, username.lstrip("@"), name or username)
        self.users[uid] = user
        return user

    def user_by_username(self, username: str) -> XUser | None:
        wanted = username.lstrip("@").lower()
        return next((u for u in self.users.values() if u.username.lower() == wanted), None)

    def add_tweet(self, author: XUser, text: str, created_at: datetime,
                  ref: tuple[str, str] | None = None) -> XTweet:
        """Add a tweet; snowflake-like ids grow with time, so ``since_id`` works as on X."""
        self._seq += 1
        ms = int(created_at.timestamp() * 1000)
        tid = str(((ms - _TWEPOCH_MS) << 22) + self._seq)
        conversation_id, reply_to = tid, None
        if ref is not None:
            target = self.tweets[ref[1]]
            if ref[0] == "replied_to":
                conversation_id, reply_to = target.conversation_id, target.author_id
            if ref[0] == "retweeted":
                text = f"RT @{self.users[target.author_id].username}: {target.text}"
        tweet = XTweet(tid, author.id, text, created_at, conversation_id, ref, reply_to)
        self.tweets[tid] = tweet
        return tweet

    def delete_tweet(self, tweet_id: str) -> None:
        self.tweets.pop(tweet_id)

    def retweeters(self, tweet_id: str) -> list[XUser]:
        """Who retweeted ``tweet_id``, most recent first (what ``retweeted_by`` lists)."""
        rts = [t for t in self.tweets.values() if t.ref == ("retweeted", tweet_id)]
        rts.sort(key=lambda t: int(t.id), reverse=True)
        return [self.users[t.author_id] for t in rts]
