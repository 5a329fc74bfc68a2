"""The document tree: Markdown parsed once, numbered and cross-referenced, for every writer."""

from builder.tree.document import Document, DocumentMeta, Figure
from builder.tree.document_tree import (DocumentTree, Target, TocEntry, collapse_whitespace, element_text,
                                        parse_document)
from builder.tree.theme import Theme

__all__ = ["Document", "DocumentMeta", "DocumentTree", "Figure", "Target", "Theme", "TocEntry",
           "collapse_whitespace", "element_text", "parse_document"]
