"""``python -m crawlers.replay --seed 1``: serve a generated world until interrupted (demo, manual runs)."""

from __future__ import annotations

import argparse
import time

from crawlers.replay import ReplayServer, ReplayWorld


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve YouTube/X/Facebook-shaped APIs on 127.0.0.1.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--campaigns", type=int, default=2)
    parser.add_argument("--employees", type=int, default=5)
    parser.add_argument("--posts", type=int, default=5, help="posts per campaign account")
    parser.add_argument("--comments", type=int, default=4, help="comments per post")
    args = parser.parse_args()
    world = ReplayWorld.generate(args.seed, campaigns=args.campaigns, employees=args.employees,
                                 posts_per_campaign=args.posts, comments_per_post=args.comments)
    with ReplayServer(world, port=args.port) as server:
        print(f"youtube  {server.youtube_url}  key={world.youtube.api_key}")
        print(f"x        {server.x_url}  bearer={world.x.bearer_token}")
        print(f"facebook {server.facebook_url}  token={world.facebook.access_token}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
