"""netral core package."""
