"""PDF writer: lay out the HTML page with WeasyPrint and the print stylesheet.

Only the project's own template assets and data: URLs may be fetched; nothing reaches the
network or other files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from builder.diagnostics import Diagnostic, DiagnosticError, Location, display_path

from builder.render.assemble import Document
from builder.render.figures import Figure
from builder.render.templates import SHIPPED_TEMPLATES, TemplateRenderer, template_dirs
from builder.render.source_search import find_in_file
from builder.writers.html import page_html


class RefusedURL(Exception):
    """A URL outside what a document may use."""


class TemplateAssetFetcher(URLFetcher):
    """Serves template assets (a user's overrides first) and data: URLs; refuses the rest."""

    def __init__(self, renderer: TemplateRenderer):
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
        self.folders = [folder.resolve() for folder in template_dirs(renderer.user_dir)]
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            relative = self._relative(path)
            if relative is not None:
                for folder in self.folders:
                    candidate = (folder / relative).resolve()
                    if candidate.is_file() and candidate.is_relative_to(folder):
                        return super().fetch(candidate.as_uri(), headers)
        self.refused.append(url)
        raise RefusedURL(f"refused to fetch {url}: documents may only use their own template assets")

    def _relative(self, path: Path) -> Path | None:
        for folder in self.folders:
            if path.is_relative_to(folder):
                return path.relative_to(folder)
        return None


def pdf_bytes(document: Document, figures: dict[str, Figure], renderer: TemplateRenderer) -> bytes:
    """Lay out the document and return the PDF, with a reproducible file identifier."""
    return layout_pdf(page_html(document, figures, renderer), document, renderer)


def layout_pdf(html: str, document: Document, renderer: TemplateRenderer) -> bytes:
    """Lay out an already rendered page (the same HTML the html format writes) as a PDF."""
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    effective = dt.datetime.combine(document.meta.effective_date, dt.time(), dt.timezone.utc)
    # fontTools stamps subset fonts with the current time unless SOURCE_DATE_EPOCH is set
    os.environ["SOURCE_DATE_EPOCH"] = str(int(effective.timestamp()))
    fetcher = TemplateAssetFetcher(renderer)
    try:
        return HTML(string=html, base_url=str(SHIPPED_TEMPLATES) + "/", url_fetcher=fetcher).write_pdf(
            pdf_identifier=identifier, uncompressed_pdf=False)
    except FatalURLFetchingError:
        raise DiagnosticError([_refusal(url, renderer) for url in dict.fromkeys(fetcher.refused)]) from None


def _refusal(url: str, renderer: TemplateRenderer) -> Diagnostic:
    """A located error for a URL the page or its stylesheet asked for but may not have."""
    message = f"refused to fetch {url}: documents may only use their own template assets"
    name = url.rsplit("/", 1)[-1] or url
    for folder in template_dirs(renderer.user_dir):
        for path in sorted(p for p in folder.rglob("*") if p.suffix in (".css", ".html") and p.is_file()):
            found = find_in_file(path, url) or find_in_file(path, name)
            if found:
                return Diagnostic(Location(display_path(path), *found), "error", "refused-url", message)
    return Diagnostic(Location("print"), "error", "refused-url", message)


def write_pdf(document: Document, figures: dict[str, Figure], renderer: TemplateRenderer, path: Path) -> None:
    """Write the PDF of a document."""
    path.write_bytes(pdf_bytes(document, figures, renderer))
