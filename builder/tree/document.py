"""What every writer receives: one document (metadata, review snapshot, tree, figures, theme).

Writers depend on this module and the tree only, never on the content layer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from builder.diagnostics import Diagnostic
from builder.tree.document_tree import DocumentTree
from builder.tree.theme import Theme


@dataclass(frozen=True)
class Figure:
    """One figure drawn from the content, in the image kinds the requested formats need."""

    name: str
    svg: bytes = b""
    png: bytes = b""
    width_inches: float = 6.0
    description: str = ""  # alternative text: what the figure shows, for readers who cannot see it


@dataclass(frozen=True)
class DocumentMeta:
    """What a document says about itself: title, parties, control data, layout choices."""

    document_id: str
    pairing_id: str
    title: str
    pairing_title: str
    sponsor: str
    provider: str
    version: str
    status: str
    status_label: str
    effective_date: dt.date
    effective: str
    owner: str
    author: str
    subject: str
    keywords: str
    page_size: str
    master_agreement: str
    kicker: str = "Clinical outsourcing"  # the line above the title on the cover
    lang: str = "en"
    confidentiality: str = "Confidential"
    watermark: str = ""
    toc_depth: int = 2
    chapter_breaks: bool = False  # each top-level section starts a new page
    numbering: str = "section"  # what a numbered heading is: section | clause
    cover_rows: tuple[tuple[str, str], ...] = ()


@dataclass
class Document:
    """One document ready for the writers."""

    meta: DocumentMeta
    markdown: str
    tree: DocumentTree
    theme: Theme = field(default_factory=Theme)
    figures: dict[str, Figure] = field(default_factory=dict)
    sources: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, id) -> content file
    warnings: list[Diagnostic] = field(default_factory=list)  # found while assembling; the build reports them
    provenance: dict[str, object] = field(default_factory=dict)  # what the outputs are made from (the manifest entry)
    memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)  # writers' shared work
    terms_shown: frozenset[str] = frozenset()  # ids of the glossary terms whose entries it shows
