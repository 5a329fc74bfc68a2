"""The documents a pairing can list, declared by their template folders.

A folder ``templates/<document-id>/`` holding ``document.md.j2`` and ``document.yaml`` declares
a document; a ``--templates DIR`` may override a shipped declaration or add new documents.
Build, diff, redline, import and serve read this registry; nothing else names a document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Iterator, Literal

from pydantic import Field

from builder.compose.pairing_rules import DocumentNeeds
from builder.content.loader import load_file
from builder.content.model.common import SLUG_PATTERN, Model, Text
from builder.content.validation import validate_model
from builder.diagnostics import DiagnosticError, Diagnostics, Location, display_path
from builder.render.folders import template_dirs

DECLARATION = "document.yaml"
TEMPLATE = "document.md.j2"


class DocumentDeclaration(Model):
    """What ``document.yaml`` says about a document."""

    title: Text
    order: int = 100
    description: Text | None = None
    numbering: Literal["section", "clause"] = "section"  # what a numbered heading is called
    toc_depth: Annotated[int, Field(ge=0, le=3)] = 2
    chapter_breaks: bool = False  # each top-level section starts a new page
    clauses: bool = False  # the document is made of numbered clauses (a contract)
    versioning: Literal["contract", "manual"] = "manual"
    signed: bool = False  # carries the parties' signatures; signatories must be its approvers
    kicker: Text = "Clinical outsourcing"  # the line above the title on the cover
    requires: list[Text] = []  # include groups a pairing must fill to have this document
    commercial: bool = True  # may carry business terms (pricing, fees, penalties); a quality agreement may not
    text_rules: Literal["error", "warning", "off"] = "error"  # how the rules on the rendered text report


@dataclass(frozen=True)
class DocumentType:
    """A document a pairing can list: its id, template and layout choices."""

    id: str
    title: str
    order: int
    description: str | None
    numbering: str
    toc_depth: int
    chapter_breaks: bool
    clauses: bool
    versioning: str
    signed: bool
    kicker: str
    requires: tuple[str, ...]
    commercial: bool
    text_rules: str
    folder: Path

    @property
    def template(self) -> str:
        """The template name the renderer loads."""
        return f"{self.id}/{TEMPLATE}"

    def major_change(self, clauses_added: bool) -> bool:
        """Whether a change asks for a new major version: a contract's clause added or removed."""
        return self.versioning == "contract" and clauses_added


@dataclass(frozen=True)
class DocumentRegistry:
    """The declared documents, in their order."""

    types: tuple[DocumentType, ...]

    def __iter__(self) -> Iterator[DocumentType]:
        return iter(self.types)

    def ids(self) -> list[str]:
        return [document.id for document in self.types]

    def requirements(self) -> dict[str, DocumentNeeds]:
        """Document id -> what it needs of a pairing that lists it (for the content check)."""
        return {document.id: DocumentNeeds(document.requires, document.signed, document.title)
                for document in self.types}

    def get(self, document_id: str) -> DocumentType | None:
        return next((document for document in self.types if document.id == document_id), None)

    def ordered(self, document_ids: list[str] | set[str]) -> list[str]:
        """The given document ids in registry order (unknown ones last, as given)."""
        known = [d for d in self.ids() if d in document_ids]
        return known + [d for d in document_ids if d not in known]


def declared_folders(user_dir: Path | None) -> dict[str, Path]:
    """Document id -> the folder whose document.yaml declares it (a user's folder wins)."""
    found: dict[str, Path] = {}
    for folder in reversed(template_dirs(user_dir)):
        if not folder.is_dir():
            continue
        for candidate in sorted(folder.iterdir()):
            if (candidate / DECLARATION).is_file() and _is_slug(candidate.name):
                found[candidate.name] = candidate
    return found


def _is_slug(name: str) -> bool:
    return re.fullmatch(SLUG_PATTERN, name) is not None


def load_documents(user_dir: Path | None = None) -> DocumentRegistry:
    """Read every document declaration; a broken one is a located error (DiagnosticError)."""
    diagnostics = Diagnostics()
    types = []
    for document_id, folder in declared_folders(user_dir).items():
        declaration = folder / DECLARATION
        if not any((base / document_id / TEMPLATE).is_file() for base in template_dirs(user_dir)):
            diagnostics.error(Location(display_path(declaration)), "document-template",
                              f"document '{document_id}' has no {TEMPLATE} beside its {DECLARATION}")
            continue
        blocks = load_file(declaration, diagnostics)
        if len(blocks) != 1:
            continue
        model = validate_model(DocumentDeclaration, blocks[0].data, blocks[0], diagnostics)
        if model is not None:
            fields = model.model_dump()
            fields["requires"] = tuple(fields["requires"])
            types.append(DocumentType(id=document_id, folder=folder, **fields))
    if not diagnostics.ok:
        raise DiagnosticError(diagnostics.errors)
    return DocumentRegistry(tuple(sorted(types, key=lambda d: (d.order, d.id))))
