"""``python -m bench.ui``: generate a review workload into a fresh database, then load it with reviewers.

The two steps stay available on their own (``python -m bench.ui.generate`` / ``bench.ui.load``); this entry
runs both so ``make bench`` has one command per benchmark. Without ``--url`` a temporary SQLite file is used.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from bench.ui import generate, load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=None, help="an empty database (default: a temporary SQLite file)")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--think", type=float, default=2.0)
    parser.add_argument("--warmup", type=float, default=15.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="netral-bench-ui-") as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'ui.db'}"
        for name, value in generate.generate(url, args.cases, args.interactions).items():
            print(f"generate {name}: {value:,.1f}")
        asyncio.run(load.run(url, args.users, args.seconds, None, args.think, 1, args.warmup))


if __name__ == "__main__":
    main()
