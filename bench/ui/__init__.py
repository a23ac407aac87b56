"""Review-UI benchmark: a data generator and a concurrent load test (a script, not a test)."""
