"""netral crawlers package."""
