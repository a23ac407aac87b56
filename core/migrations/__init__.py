"""Alembic migrations: they own the schema."""
