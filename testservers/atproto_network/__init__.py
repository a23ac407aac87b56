"""Local test networks the crawlers can be pointed at (tests, the demo, benchmarks): loopback only."""
