"""Ingest: how collected material enters the database (records, idempotent batch store, watch lists, runs)."""
