"""netral nlp package."""
