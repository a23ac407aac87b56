"""Shipped model artefacts (skops + metadata JSON)."""
