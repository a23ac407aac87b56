"""The nlp layer's errors: one base class the CLI renders as a single line (no traceback).

nlp imports nothing from the project, so this is its own small family; ``pipelines/cli`` renders
:class:`NlpError` next to ``core.errors.NetralError``."""

from __future__ import annotations


class NlpError(Exception):
    """Base of every nlp error a user can cause (bad election file, missing model, unreadable input)."""

    exit_code = 1


class InputError(NlpError):
    """An input file cannot be read at all (missing, not UTF-8 at a given line, a directory)."""
