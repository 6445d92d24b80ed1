"""The one error hierarchy of dedup: catch :class:`DedupError` to catch them all."""

from __future__ import annotations


class DedupError(Exception):
    """Base class of every error dedup raises on purpose."""


class ConfigError(DedupError, ValueError):
    """A setting is out of range or inconsistent; the message names the setting and the fix."""


class InputError(DedupError):
    """An input file or record cannot be used; the message names it and says why."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
