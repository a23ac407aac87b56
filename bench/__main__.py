"""``python -m bench`` (``make bench``): every benchmark, one entry style, one table at the end.

Each benchmark is its own module run as ``python -m bench.NAME`` in a child process (so one crashing or
hanging does not take the others with it, and each gets a clean interpreter as in real use). By default
they run at a quick scale that finishes in minutes on the shared 2-core machine; ``--full`` uses each
benchmark's own defaults (the sizes its goals are stated for). The full output of each goes to
``var/bench/NAME.log``; the table shows the wall time, the exit code and the benchmark's headline lines
(those that state a goal or a figure of merit).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# name -> (quick arguments, full arguments)
BENCHES: dict[str, tuple[list[str], list[str]]] = {
    "classify": (["2000"], []),
    "crawl": (["--db", "sqlite", "--no-bluesky", "--employees", "10", "--statuses", "50"], []),
    "report": (["--cases", "200", "--entries", "50"], []),
    "scan": (["--scale", "0.02", "--shards", "1"], []),
    "ui": (["--cases", "5000", "--interactions", "50000", "--users", "20", "--seconds", "15", "--warmup", "5"],
           ["--users", "50", "--seconds", "40"]),
}
HEADLINE = re.compile(r"goal|target|texts/s|records/s|p95|wall time|error", re.IGNORECASE)


def run_one(name: str, args: list[str], logdir: Path, timeout: float) -> tuple[float, int, list[str]]:
    """Run ``python -m bench.NAME ARGS``; returns wall seconds, exit code and the headline lines."""
    log = logdir / f"{name}.log"
    started = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-m", f"bench.{name}", *args], cwd=ROOT, capture_output=True,
                              text=True, timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT)})
        out, code = proc.stdout + proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as exc:
        partial = [part.decode(errors="replace") if isinstance(part, bytes) else (part or "")
                   for part in (exc.stdout, exc.stderr)]
        out = "".join(partial) + f"\n(timed out after {timeout:.0f} s)"
        code = -1
    wall = time.perf_counter() - started
    log.write_text(out, encoding="utf-8")
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    headline = [line for line in lines if HEADLINE.search(line) and "Traceback" not in line][-4:]
    if code != 0:
        headline = (lines[-2:] or ["(no output)"])
    return wall, code, headline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full", action="store_true", help="each benchmark at its own (goal) scale")
    parser.add_argument("--only", action="append", choices=sorted(BENCHES), help="run only these (repeatable)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per benchmark")
    opts = parser.parse_args()
    logdir = ROOT / "var" / "bench"
    logdir.mkdir(parents=True, exist_ok=True)
    rows = []
    for name in opts.only or sorted(BENCHES):
        quick, full = BENCHES[name]
        args = full if opts.full else quick
        print(f"== python -m bench.{name} {' '.join(args)}", flush=True)
        rows.append((name, *run_one(name, args, logdir, opts.timeout)))
    print(f"\nload average {os.getloadavg()[0]:.1f} (the machine is shared: figures vary with it)")
    print(f"| {'benchmark':<10} | {'wall s':>7} | {'exit':>4} | headline (full output in var/bench/NAME.log)")
    print(f"|{'-' * 12}|{'-' * 9}|{'-' * 6}|{'-' * 50}")
    for name, wall, code, headline in rows:
        for i, line in enumerate(headline or [""]):
            first = i == 0
            print(f"| {name if first else '':<10} | {f'{wall:7.1f}' if first else '':>7} | "
                  f"{str(code) if first else '':>4} | {line}")
    sys.exit(1 if any(code != 0 for _, _, code, _ in rows) else 0)


if __name__ == "__main__":
    main()
