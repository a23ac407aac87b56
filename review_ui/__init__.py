"""netral review_ui package."""
