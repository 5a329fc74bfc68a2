"""What every document of a run is made with, loaded once: templates, documents, theme, writers.

Build, redline, serve and import all make documents through a ``Pipeline``:
context -> ``assemble`` (template -> Markdown -> tree) -> ``draw`` figures -> ``write`` a format.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path

from builder.compose.context import Context
from builder.diagnostics import Diagnostic, DiagnosticError, Location
from builder.render.assemble import assemble_document
from builder.render.documents import DocumentRegistry, DocumentType, load_documents
from builder.render.figures import draw_figures
from builder.render.templates import TemplateRenderer, template_dirs
from builder.render.text_checks import text_warnings
from builder.render.theme import load_theme
from builder.tree import Document, Theme
from builder.writers import FORMATS, Assets, image_kinds


@dataclass
class Pipeline:
    """The renderer, the declared documents, the theme and the writers' template assets."""

    renderer: TemplateRenderer
    documents: DocumentRegistry
    theme: Theme
    assets: Assets

    @classmethod
    def load(cls, templates: Path | None = None, options: dict[str, str] | None = None) -> "Pipeline":
        """Read the templates folder(s); broken declarations or theme are located errors.

        ``options`` are the writers' options of the run (``pdf-variant``)."""
        renderer = TemplateRenderer(templates)
        problems: list[Diagnostic] = []
        documents, theme = DocumentRegistry(()), Theme()
        try:
            documents = load_documents(templates)
        except DiagnosticError as exc:
            problems += exc.diagnostics
        try:
            theme = load_theme(templates)
        except DiagnosticError as exc:
            problems += exc.diagnostics
        if problems:
            raise DiagnosticError(problems)
        assets = Assets(tuple(template_dirs(templates)), renderer.render, dict(options or {}))
        return cls(renderer, documents, theme, assets)

    def document_type(self, document_id: str) -> DocumentType:
        found = self.documents.get(document_id)
        if found is None:
            raise DiagnosticError([Diagnostic(Location(document_id), "error", "unknown-document",
                                              f"no document '{document_id}' is declared in the templates")])
        return found

    def assemble(self, context: Context, document_id: str) -> Document:
        """Render one document's template and parse it into its numbered tree (with warnings about
        text the PDF cannot print well)."""
        document = assemble_document(context, self.document_type(document_id), self.renderer, self.theme)
        document.warnings += text_warnings(document, context, self.renderer)
        return document

    def draw(self, document: Document, context: Context, formats: tuple[str, ...] | list[str]) -> None:
        """Draw the document's figures in the image kinds the formats need."""
        kinds = image_kinds(formats)
        document.figures = draw_figures(context, document.tree.figures, kinds) if kinds else {}

    def write(self, document: Document, format_name: str) -> bytes:
        """The bytes of one format of an assembled document."""
        return FORMATS[format_name].writer()(document, self.assets)

    def make(self, context: Context, document_id: str, formats: list[str],
             provenance: dict[str, object] | None = None) -> dict[str, bytes]:
        """Assemble one document and write the requested formats, in memory.

        Word is written before the PDF and freed first: the PDF layout is the biggest step."""
        return self.make_document(context, document_id, formats, provenance)[1]

    def make_document(self, context: Context, document_id: str, formats: list[str],
                      provenance: dict[str, object] | None = None) -> tuple[Document, dict[str, bytes]]:
        """The assembled document (with its warnings) and the bytes of the requested formats."""
        document = self.assemble(context, document_id)
        document.provenance = dict(provenance or {})
        self.draw(document, context, formats)
        order = sorted(formats, key=lambda name: name == "pdf")
        files: dict[str, bytes] = {}
        for name in order:
            files[name] = self.write(document, name)
            if name == "docx":
                gc.collect()
        return document, {name: files[name] for name in formats}
