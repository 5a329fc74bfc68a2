"""The document tree: Markdown parsed once, numbered and cross-referenced, for every writer.

Names are imported on first use, so that the content layer, which needs only ``origins`` and
``marks``, does not load Markdown."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from builder.tree.document import Document, DocumentMeta, Figure
    from builder.tree.document_tree import (DocumentTree, Target, TocEntry, collapse_whitespace, element_text,
                                            parse_document)
    from builder.tree.theme import Theme

_HOMES = {
    "document": ("Document", "DocumentMeta", "Figure"),
    "document_tree": ("DocumentTree", "Target", "TocEntry", "collapse_whitespace", "element_text", "parse_document"),
    "theme": ("Theme",),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}
__all__ = sorted(_HOME_OF)


def __getattr__(name: str) -> Any:
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'builder.tree' has no attribute {name!r}")
    return getattr(importlib.import_module(f"builder.tree.{module}"), name)
