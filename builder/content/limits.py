"""Limits that keep hostile or runaway content from exhausting the build machine."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Upper bounds on what one content folder may hold."""

    max_file_bytes: int = 2_000_000
    max_string_chars: int = 200_000
    max_nodes_per_file: int = 100_000
    max_depth: int = 40
    max_blocks: int = 20_000


LIMITS = Limits()
