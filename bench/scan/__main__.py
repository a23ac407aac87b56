"""``python -m bench.scan``: the nightly-scan benchmark (see bench/scan/run.py for its options)."""

from bench.scan.run import main

main()
