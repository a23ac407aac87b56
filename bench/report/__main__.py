"""``python -m bench.report``: the desk-report export benchmark (see bench/report/run.py for its options)."""

from bench.report.run import main

main()
