"""Markdown writer: the review snapshot, the rendered Markdown exactly as the tree was parsed from."""

from __future__ import annotations

from builder.tree import Document
from builder.writers.assets import Assets


def write(document: Document, assets: Assets) -> bytes:
    """The review snapshot: stable, one sentence per line, for ``git diff``."""
    return document.markdown.encode("utf-8")
