"""``python -m testservers.replay --seed 1``: serve a generated world until interrupted (demo, manual runs).

Prints the ``NETRAL_*`` settings that point the spiders at it; the world's activity starts ``--days``
days ago, so it lies inside the crawlers' default backfill and re-check windows.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime, timedelta

from testservers.replay import ReplayServer, ReplayWorld


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve YouTube/X/Facebook-shaped APIs on 127.0.0.1.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--campaigns", type=int, default=2)
    parser.add_argument("--employees", type=int, default=5, help="accounts pegawai1..N on every platform")
    parser.add_argument("--posts", type=int, default=5, help="posts per campaign account")
    parser.add_argument("--comments", type=int, default=4, help="comments per post")
    parser.add_argument("--days", type=float, default=12.0, help="the generated activity starts this long ago")
    args = parser.parse_args()
    start = (datetime.now(UTC) - timedelta(days=args.days)).replace(microsecond=0)
    world = ReplayWorld.generate(args.seed, campaigns=args.campaigns, employees=args.employees,
                                 posts_per_campaign=args.posts, comments_per_post=args.comments, start=start)
    with ReplayServer(world, port=args.port) as server:
        lines = [f"NETRAL_YOUTUBE_API_URL={server.youtube_url}", f"NETRAL_YOUTUBE_API_KEY={world.youtube.api_key}",
                 f"NETRAL_X_API_URL={server.x_url}", f"NETRAL_X_BEARER_TOKEN={world.x.bearer_token}",
                 f"NETRAL_FACEBOOK_GRAPH_URL={server.facebook_url}",
                 f"NETRAL_FACEBOOK_ACCESS_TOKEN={world.facebook.access_token}"]
        print("\n".join(lines), flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
