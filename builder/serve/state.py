"""What the preview shows: the checked content, each open document's page, and their problems.

``PreviewState`` is loaded once, then brought up to date by ``refresh`` with each batch of
saved files: the content is checked again (unchanged files are not parsed again), and only
the open documents that the batch reaches are rendered again. A document whose files have
errors keeps its last good page, and its status lists the errors, so the browser shows them
over the page instead of a stale page without notice.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from builder.compose.check import CheckResult, check_content
from builder.content.file_blocks import FileBlocks
from builder.content.library import Library
from builder.diagnostics import Diagnostic, DiagnosticError, Location, display_path
from builder.engine.pipeline import Pipeline
from builder.render.folders import template_dirs
from builder.serve.caches import FigureCache
from builder.serve.changes import ChangeSet, sort_changes
from builder.tree import Document
from builder.tree.markdown_parse import ChapterCache
from builder.writers import image_kinds

Key = tuple[str, str]  # (pairing id, document id)
PAGE_FORMATS = ("html", "pdf")  # the page is drawn once for both: the PDF is laid out from it


@dataclass
class Page:
    """One document as the preview shows it: its last good page, and what went wrong since."""

    pairing_id: str
    document_id: str
    html: str = ""  # the page the PDF is laid out from; empty until it first renders
    version: int = 0  # changes whenever ``html`` does
    document: Document | None = None
    pipeline: Pipeline | None = None
    render_errors: list[Diagnostic] = field(default_factory=list)
    pdf: tuple[Document, bytes] | None = None  # the PDF of ``document``, made on request


@dataclass(frozen=True)
class Problems:
    """The errors that keep a document from being current, and the content's other problems."""

    own: list[Diagnostic]
    others: list[Diagnostic]
    warnings: int


@dataclass(frozen=True)
class Update:
    """What one refresh did."""

    changes: ChangeSet
    reached: list[Key]  # open documents the change reaches (their status may have changed)
    rendered: list[Key]  # those of them rendered again (the others have errors)
    seconds: float


class PreviewState:
    """The content, the templates and the rendered pages of one ``playbook serve``."""

    def __init__(self, content_dir: Path, templates_dir: Path | None = None) -> None:
        self.content_dir = content_dir
        self.templates_dir = templates_dir
        self.lock = threading.RLock()  # refreshes and renders run in worker threads
        self._pdf_lock = threading.Lock()  # one PDF layout at a time
        self.files = FileBlocks()
        self.figures = FigureCache()
        self.pipeline: Pipeline | None = None
        self.template_errors: list[Diagnostic] = []
        self.checked = CheckResult(Library())  # empty until load()
        self.sources: dict[str, frozenset[str]] = {}  # pairing -> content files (absolute) it is made of
        self.pages: dict[Key, Page] = {}
        self.serial = 0  # counts every change of what is shown
        self.renders = 0  # documents rendered, for tests and reports

    @property
    def template_dirs(self) -> list[Path]:
        return template_dirs(self.templates_dir)

    def load(self) -> "PreviewState":
        """Read the templates and check the content (once, at start)."""
        with self.lock:
            self._load_templates()
            self._check()
        return self

    # -- keeping up with saves ------------------------------------------------------------

    def refresh(self, paths: Iterable[Path | str]) -> Update | None:
        """Bring the state up to date after files were saved; None when none of them matters."""
        with self.lock:
            start = time.perf_counter()
            ids = self.pipeline.documents.ids() if self.pipeline else ()
            changes = sort_changes(paths, self.content_dir, self.template_dirs, ids)
            if not changes:
                return None
            if changes.templates:
                self._load_templates()
            before = dict(self.sources)
            self._check()
            reached = [key for key in self.pages
                       if changes.reaches(key[1], before.get(key[0], frozenset()) | self._files_of(key[0]))]
            rendered = [key for key in reached if self._render(key)]
            self.serial += 1
            return Update(changes, reached, rendered, time.perf_counter() - start)

    def _load_templates(self) -> None:
        try:
            self.pipeline, self.template_errors = Pipeline.load(self.templates_dir), []
            self.pipeline.chapters = ChapterCache()  # a save re-parses only the chapters it changed
        except DiagnosticError as exc:
            self.pipeline, self.template_errors = None, list(exc.diagnostics)
        self.figures = FigureCache()  # conservative: new templates may change how figures look

    def _check(self) -> None:
        documents = self.pipeline.documents.requirements() if self.pipeline else None
        self.checked = check_content(self.content_dir, documents=documents, load=self.files)
        errors = {_absolute(d.location.file) for d in self.checked.diagnostics.errors}
        for pairing_id, context in self.checked.contexts.items():
            now = frozenset(_absolute(path) for path in context.sources.values())
            known = self.sources.get(pairing_id, frozenset())
            # while its files have errors, a pairing may be composed without the broken blocks:
            # keep the files it was made of before, so that fixing them reaches it again
            self.sources[pairing_id] = now | known if errors & (now | known) else now

    def _files_of(self, pairing_id: str) -> frozenset[str]:
        return self.sources.get(pairing_id, frozenset())

    # -- documents ------------------------------------------------------------------------

    def page(self, pairing_id: str, document_id: str) -> Page | None:
        """A document's page, rendered now if it was not open yet; None for an unknown document."""
        with self.lock:
            key = (pairing_id, document_id)
            if key not in self.pages:
                if document_id not in self.documents_of(pairing_id):
                    return None
                self._render(key)
            return self.pages[key]

    def documents_of(self, pairing_id: str) -> list[str]:
        """The documents a pairing lists that the templates declare (none for an unknown pairing)."""
        entry = self.checked.library.get("pairing", pairing_id)
        if entry is None:
            return []
        declared = self.pipeline.documents.ids() if self.pipeline else []
        return [document_id for document_id in entry.block.documents if document_id in declared]

    def _render(self, key: Key) -> bool:
        """Render one document again; False when errors keep it from being current."""
        page = self.pages.setdefault(key, Page(*key))
        page.render_errors = []
        if self.problems(key).own:
            return False  # the last good page stays; its status says why it is not current
        pairing_id, document_id = key
        context = self.checked.contexts[pairing_id]
        assert self.pipeline is not None
        try:
            document = self.pipeline.assemble(context, document_id)
            document.figures = self.figures.figures(context, document.tree.figures, image_kinds(PAGE_FORMATS))
            html = self.pipeline.write(document, "html").decode("utf-8")
        except DiagnosticError as exc:
            page.render_errors = list(exc.diagnostics)
            return False
        self.renders += 1
        if html != page.html:
            self.serial += 1
            page.html, page.version = html, self.serial
        page.document, page.pipeline = document, self.pipeline  # the stylesheet may have changed
        return True

    def problems(self, key: Key) -> Problems:
        """The errors that keep one document from being current, and the others in the content."""
        pairing_id, document_id = key
        page = self.pages.get(key)
        own = self.template_errors + self.pairing_errors(pairing_id) + (page.render_errors if page else [])
        others = [d for d in self.errors() if d not in own]
        if self.pipeline is not None and not self._composed(key):
            if not own:  # its pairing did not compose: any error may be the cause
                own, others = others, []
            if not own:
                own = [Diagnostic(Location(display_path(self.content_dir)), "error", "no-document",
                                  f"pairing '{pairing_id}' no longer lists the document '{document_id}'"
                                  if pairing_id in self.checked.contexts else
                                  f"the content no longer has a pairing '{pairing_id}'")]
        return Problems(own, others, len(self.checked.diagnostics.warnings))

    def errors(self) -> list[Diagnostic]:
        """Every error in the templates and the content, in file order."""
        return self.template_errors + [d for d in self.checked.diagnostics.sorted() if d.level == "error"]

    def pairing_errors(self, pairing_id: str) -> list[Diagnostic]:
        """The content errors located in the files a pairing is made of."""
        files = self._files_of(pairing_id)
        return [d for d in self.checked.diagnostics.sorted()
                if d.level == "error" and _absolute(d.location.file) in files]

    def _composed(self, key: Key) -> bool:
        context = self.checked.contexts.get(key[0])
        return context is not None and key[1] in context.pairing.documents

    def pdf(self, pairing_id: str, document_id: str) -> bytes:
        """The PDF of a document's current page, laid out on first request and kept until it changes.

        Raises DiagnosticError when the document has errors (the PDF would not be current)."""
        with self.lock:
            page = self.page(pairing_id, document_id)
            if page is None:
                raise KeyError((pairing_id, document_id))
            own = self.problems((pairing_id, document_id)).own
            if own or page.document is None or page.pipeline is None:
                raise DiagnosticError(own)
            document, pipeline = page.document, page.pipeline
        with self._pdf_lock:
            if page.pdf is not None and page.pdf[0] is document:
                return page.pdf[1]
            data = pipeline.write(document, "pdf")
            page.pdf = (document, data)
            return data


def _absolute(shown: str) -> str:
    return os.path.abspath(shown)
