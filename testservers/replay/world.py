"""The in-memory data a replay server serves: channels, users, pages and what they posted.

Tests and benchmarks build a :class:`ReplayWorld` (by hand, or seeded with :meth:`ReplayWorld.generate`),
start a server on it, and mutate it between crawls (add a comment, delete a tweet) to exercise
incremental runs and deletion detection. Deleting an item removes it from every listing, exactly like
the platforms do; nothing marks it, so a crawler has to notice the absence itself.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from testservers.replay.facebook_world import FacebookWorld
from testservers.replay.x_world import XWorld
from testservers.replay.youtube_world import YouTubeWorld


@dataclass
class ReplayWorld:
    """Everything the three replay APIs serve; guarded by ``lock`` while the server runs."""

    seed: int = 0
    rng: random.Random = field(init=False)
    youtube: YouTubeWorld = field(init=False)
    x: XWorld = field(init=False)
    facebook: FacebookWorld = field(init=False)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def __post_init__(self) -> None:
        # Reproducible test data, not security: a seeded PRNG is the point.
        self.rng = random.Random(self.seed)  # noqa: S311
        self.youtube = YouTubeWorld(random.Random(self.rng.random()))  # noqa: S311
        self.x = XWorld(random.Random(self.rng.random()))  # noqa: S311
        self.facebook = FacebookWorld(random.Random(self.rng.random()))  # noqa: S311

    @classmethod
    def generate(cls, seed: int = 0, *, campaigns: int = 2, employees: int = 5, posts_per_campaign: int = 5,
                 comments_per_post: int = 4, start: datetime | None = None) -> ReplayWorld:
        """A random but reproducible world: campaign accounts posting, employees and strangers reacting.

        Employees are named ``pegawai<i>`` and campaigns ``paslon<i>`` on every platform, so a test
        registers the same handles in the roster and the election registry.
        """
        world = cls(seed)
        rng = world.rng
        t0 = start or datetime(2024, 10, 1, 8, 0, tzinfo=UTC)
        words = ["ayo", "dukung", "pilih", "nomor", "urut", "menang", "warga", "program", "kampanye",
                 "desa", "jalan", "sekolah", "bersama", "lanjutkan", "coblos", "TPS", "Bulungan"]

        def sentence() -> str:
            return " ".join(rng.choice(words) for _ in range(rng.randint(4, 12)))

        yt, xw, fb = world.youtube, world.x, world.facebook
        yt_emp = [yt.add_channel(f"pegawai{i}") for i in range(1, employees + 1)]
        x_emp = [xw.add_user(f"pegawai{i}") for i in range(1, employees + 1)]
        fb_emp = [fb.add_person(f"Pegawai {i}") for i in range(1, employees + 1)]
        yt_other = [yt.add_channel(f"warga{i}") for i in range(1, 4)]
        x_other = [xw.add_user(f"warga{i}") for i in range(1, 4)]
        fb_other = [fb.add_person(f"Warga {i}") for i in range(1, 4)]
        for c in range(1, campaigns + 1):
            channel = yt.add_channel(f"paslon{c}", f"Paslon {c} Resmi")
            x_user = xw.add_user(f"paslon{c}", f"Paslon {c} Resmi")
            page = fb.add_page(f"paslon{c}", f"Paslon {c} Resmi")
            for p in range(posts_per_campaign):
                at = t0 + timedelta(hours=c * 100 + p * 3)
                video = yt.add_video(channel, f"Kampanye {c}-{p}", at, sentence())
                tweet = xw.add_tweet(x_user, sentence(), at)
                post = fb.add_post(page, sentence(), at)
                for k in range(comments_per_post):
                    cat = at + timedelta(minutes=10 * (k + 1))
                    yt.add_comment(video, rng.choice(yt_emp + yt_other), sentence(), cat)
                    fb.add_comment(post, rng.choice(fb_emp + fb_other), sentence(), cat)
                    who = rng.choice(x_emp + x_other)
                    kind = rng.choice(["retweeted", "quoted", "replied_to"])
                    xw.add_tweet(who, "" if kind == "retweeted" else sentence(), cat, ref=(kind, tweet.id))
        return world
