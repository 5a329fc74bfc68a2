"""PDF writer: lay out the HTML page with WeasyPrint and the print stylesheet.

Every PDF is tagged (PDF/UA-1); ``--pdf-variant`` makes it PDF/A as well (see pdf_variants).
Only the template folders' own files and data: URLs may be fetched; nothing reaches the
network or other files, and a refused URL is a located error in the stylesheet or page that
asked for it. The redline writer lays out its page through ``layout_pdf`` too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import os
import re
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import unquote, urlparse

from builder.diagnostics import Diagnostic, DiagnosticError, Location, display_path, find_in_file
from builder.tree import Document
from builder.writers.assets import Assets
from builder.writers.html import page_html
from builder.writers.pdf_archive import declare_pdfua, manifest_attachment, manifest_entry_json
from builder.writers.pdf_tags import finish_tags
from builder.writers.pdf_variants import PdfVariant, pdf_variant
from builder.writers.quiet import collected, quiet_loggers

# What WeasyPrint reports when the page breaks PDF/UA: an image without alt text, no language.
ACCESSIBILITY_ERRORS = ("alt description", '"lang" attribute')


# A link closed by punctuation ("... shown in <a>Table 4</a>.") at the end of an overfull line
# makes WeasyPrint break the line at its first opportunity instead of its last, leaving one word
# on a line ("plan its / meeting / for month 6, ..."). A zero-width space before such a link gives
# the line a break opportunity it does find; it prints nothing.
LINK_BEFORE_PUNCTUATION = re.compile(r"(?<= )(<a [^>]*>[^<]*</a>[.,;:!?)])")


def write(document: Document, assets: Assets) -> bytes:
    """The PDF of a document: the HTML page laid out with the print stylesheet."""
    html = LINK_BEFORE_PUNCTUATION.sub("\u200b\\1", page_html(document, assets))
    return layout_pdf(html, document, assets)


def layout_pdf(html: str, document: Document, assets: Assets) -> bytes:
    """Lay out a rendered page as a tagged PDF of the run's variant, reproducibly (file identifier,
    dates and font subsets fixed)."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    variant = pdf_variant(assets.options.get("pdf-variant"))
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    effective = dt.datetime.combine(document.meta.effective_date, dt.time(), dt.timezone.utc)
    fetcher = _fetcher(assets)
    base = assets.folders[-1]  # the shipped templates: relative URLs resolve there, then are looked up
    with quiet_loggers(), collected("weasyprint", ACCESSIBILITY_ERRORS) as said, \
            _source_date_epoch(int(effective.timestamp())):
        try:
            pdf = HTML(string=html, base_url=str(base) + "/", url_fetcher=fetcher).write_pdf(
                pdf_identifier=identifier, uncompressed_pdf=False, **_variant_options(variant, document))
        except FatalURLFetchingError:
            raise DiagnosticError([_refusal(url, assets) for url in dict.fromkeys(fetcher.refused)]) from None
    page = Location(assets.shown("html/page.html"))
    document.warnings.extend(Diagnostic(page, "warning", "pdf-accessibility",
                                        "the tagged PDF is incomplete: " + re.sub(r'"data:[^"]*"', '"data:..."', message))
                             for message in said.messages)
    return pdf


def _variant_options(variant: PdfVariant, document: Document) -> dict[str, Any]:
    """WeasyPrint's options for a variant: always tagged, PDF/A when archival, the manifest entry attached."""
    options: dict[str, Any] = {"pdf_variant": variant.name, "pdf_tags": True,
                               "finisher": functools.partial(_finish, variant)}
    manifest = manifest_entry_json(document) if variant.attaches_manifest else None
    if manifest is not None:
        options["attachments"] = [manifest_attachment(document, manifest)]
    return options


def _finish(variant: PdfVariant, document: Any, pdf: Any) -> None:
    """Complete what WeasyPrint leaves out: the tag tree, and PDF/UA declared beside PDF/A."""
    finish_tags(document, pdf)
    if variant.archival:
        declare_pdfua(pdf)


@contextlib.contextmanager
def _source_date_epoch(seconds: int) -> Iterator[None]:
    """fontTools stamps subset fonts with the current time unless SOURCE_DATE_EPOCH is set;
    set it for the layout only and restore what was there."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(seconds)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def _fetcher(assets: Assets):
    """A URL fetcher that serves the template folders (a user's overrides first) and data: URLs."""
    from weasyprint.urls import URLFetcher

    class TemplateAssetFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
            self.folders = [folder.resolve() for folder in assets.folders]
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parsed = urlparse(url)
            if parsed.scheme == "file":
                relative = self._relative(Path(unquote(parsed.path)).resolve())
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

    return TemplateAssetFetcher()


class RefusedURL(Exception):
    """A URL outside what a document may use."""


def _refusal(url: str, assets: Assets) -> Diagnostic:
    """A located error for a URL the page or its stylesheet asked for but may not have."""
    message = f"refused to fetch {url}: documents may only use their own template assets"
    name = url.rsplit("/", 1)[-1] or url
    for folder in assets.folders:
        for path in sorted(p for p in folder.rglob("*") if p.suffix in (".css", ".html") and p.is_file()):
            found = find_in_file(path, url) or find_in_file(path, name)
            if found:
                return Diagnostic(Location(display_path(path), *found), "error", "refused-url", message)
    return Diagnostic(Location("print"), "error", "refused-url", message)
