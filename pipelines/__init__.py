"""netral pipelines package."""
