"""The document tree: Markdown parsed once, numbered and cross-referenced, for every writer."""

from builder.tree.document_tree import DocumentTree, Target, TocEntry, parse_document

__all__ = ["DocumentTree", "Target", "TocEntry", "parse_document"]
