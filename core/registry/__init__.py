"""Registries: the employee roster and the election registry, and the files they are imported from."""
