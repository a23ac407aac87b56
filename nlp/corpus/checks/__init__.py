"""Hand-written check texts (not training data)."""
