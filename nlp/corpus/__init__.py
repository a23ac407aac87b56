"""The corpus generator, its templates and the labelled examples (*.jsonl, elections/*.yaml)."""
