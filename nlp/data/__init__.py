"""Normalisation tables (slang, spaCy lookups extract) with provenance in README.md."""
