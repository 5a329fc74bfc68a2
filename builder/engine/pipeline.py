"""What every document of a run is made with, loaded once: templates, documents, theme, writers.

Build, redline, serve and import all make documents through a ``Pipeline``:
context -> ``assemble`` (template -> Markdown -> tree) -> ``draw`` figures -> ``write`` a format.
"""

from __future__ import annotations

import gc
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from builder.compose.context import Context
from builder.diagnostics import Diagnostic, DiagnosticError, Location, suggest
from builder.render.assemble import assemble_document
from builder.render.documents import DocumentRegistry, DocumentType, load_documents
from builder.render.figures import draw_figures
from builder.render.folders import template_dirs
from builder.render.templates import TemplateRenderer
from builder.render.text_checks import text_warnings
from builder.render.theme import load_theme, theme_names
from builder.tree import Document, Theme
from builder.tree.markdown_parse import ChapterCache
from builder.writers import FORMATS, Assets, image_kinds


@dataclass
class Pipeline:
    """The renderer, the declared documents, the theme and the writers' template assets."""

    renderer: TemplateRenderer
    documents: DocumentRegistry
    theme: Theme  # the default theme; a sponsor may name its own (organization 'theme')
    assets: Assets
    themes: dict[str, Theme] = field(default_factory=dict)  # named themes, read when first used
    chapters: ChapterCache | None = None  # parsed chapters kept between renders (the live preview's)

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

    def theme_for(self, context: Context) -> Theme:
        """The sponsor's theme (its ``theme``), or the default one; the cover address falls back to
        the sponsor's address. An unknown or broken theme is a located error."""
        name = context.sponsor.theme
        theme = self.theme
        if name:
            if name not in self.themes:
                known = theme_names(self.renderer.user_dir)
                if name not in known:
                    locator = context.locators.get(("organization", context.sponsor.id))
                    where = locator.locate(("theme",)) if locator else Location(context.sponsor.id)
                    raise DiagnosticError([Diagnostic(where, "error", "unknown-theme",
                                                      f"no theme '{name}' in the templates{suggest(name, known)}: "
                                                      "a theme is a folder templates/themes/<name>/ holding a "
                                                      f"theme.yaml (themes: {', '.join(known) or 'none yet'})")])
                self.themes[name] = load_theme(self.renderer.user_dir, name)
            theme = self.themes[name]
        if not theme.address and context.sponsor.address:
            theme = dataclasses.replace(theme, address=f"{context.sponsor.legal_name}, {context.sponsor.address}")
        return theme

    def assemble(self, context: Context, document_id: str) -> Document:
        """Render one document's template and parse it into its numbered tree (with warnings about
        text the PDF cannot print well)."""
        document = assemble_document(context, self.document_type(document_id), self.renderer,
                                     self.theme_for(context), self.chapters)
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
