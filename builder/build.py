"""Build documents: load and check the content, then write each pairing's documents.

Reads top to bottom: check -> for each pairing and document: assemble -> draw figures ->
write each format. Every output is written to a temporary file beside it and renamed into
place, so a failed or interrupted build never leaves a truncated file where a good one was.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from builder.check import check_content
from builder.compose import Context
from builder.diagnostics import DiagnosticError, Diagnostics, Location, display_path, suggest
from builder.document import Document, assemble_document
from builder.render import TemplateRenderer

FORMATS = ("pdf", "docx", "html", "md")


@dataclass(frozen=True)
class BuildOptions:
    """What to build and where."""

    content: Path = Path("content")
    out: Path = Path("output")
    pairings: tuple[str, ...] = ()
    formats: tuple[str, ...] = FORMATS
    templates: Path | None = None


@dataclass
class Output:
    """One file written by the build."""

    path: Path
    pairing: str
    document: str
    format: str
    seconds: float


@dataclass
class BuildResult:
    """What the build wrote and what went wrong."""

    outputs: list[Output] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)

    @property
    def ok(self) -> bool:
        return self.diagnostics.ok


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file in ``path``'s folder, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(handle, 0o666 & ~_umask())
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def render_format(document: Document, output_format: str, renderer: TemplateRenderer, figures: dict) -> bytes:
    """The bytes of one document in one format (imports each writer only when needed)."""
    if output_format == "md":
        return document.markdown.encode("utf-8")
    if output_format == "html":
        from builder.writers.html import page_html

        return page_html(document, figures, renderer).encode("utf-8")
    if output_format == "pdf":
        from builder.writers.pdf import pdf_bytes

        return pdf_bytes(document, figures, renderer)
    if output_format == "docx":
        from builder.writers.docx import docx_bytes

        return docx_bytes(document, figures, renderer)
    raise ValueError(f"unknown format {output_format}")


def select_pairings(options: BuildOptions, available: list[str], diagnostics: Diagnostics) -> list[str]:
    """The pairings to build: all, or those asked for (unknown ones are errors)."""
    if not options.pairings:
        return available
    for pairing_id in options.pairings:
        if pairing_id not in available:
            diagnostics.error(Location(display_path(options.content)), "unknown-pairing",
                              f"no pairing '{pairing_id}' in the content{suggest(pairing_id, available)}")
    return [p for p in dict.fromkeys(options.pairings) if p in available]


def build_document(context: Context, document_id: str, options: BuildOptions,
                   renderer: TemplateRenderer) -> tuple[Document, dict[str, bytes]]:
    """Assemble one document and render every requested format, in memory."""
    from builder.figures import draw_figures

    document = assemble_document(context, document_id, renderer)
    needs_figures = any(f in ("pdf", "docx", "html") for f in options.formats)
    figures = draw_figures(context, document.tree.figures) if needs_figures else {}
    return document, {fmt: render_format(document, fmt, renderer, figures) for fmt in options.formats}


def build(options: BuildOptions, on_output: Callable[[Output], None] | None = None) -> BuildResult:
    """Check the content, then build every selected pairing's documents."""
    result = BuildResult()
    checked = check_content(options.content)
    result.diagnostics.extend(checked.diagnostics)
    pairings = select_pairings(options, checked.library.ids("pairing"), result.diagnostics)
    if not result.ok:
        return result
    renderer = TemplateRenderer(options.templates)
    for pairing_id in pairings:
        context = checked.contexts[pairing_id]
        for document_id in context.pairing.documents:
            start = time.perf_counter()
            try:
                _, files = build_document(context, document_id, options, renderer)
            except DiagnosticError as exc:
                result.diagnostics.extend(exc.diagnostics)
                continue
            seconds = time.perf_counter() - start
            for output_format, data in files.items():
                path = options.out / pairing_id / f"{document_id}.{output_format}"
                write_atomically(path, data)
                output = Output(path, pairing_id, document_id, output_format, seconds / len(files))
                result.outputs.append(output)
                if on_output:
                    on_output(output)
    return result
