"""The PDF flavours ``playbook build --pdf-variant`` offers, declared once.

Every variant is tagged (PDF/UA-1). The PDF/A ones are for filing in an eTMF: PDF/A-3u carries
the output's build manifest entry as an embedded file; PDF/A-2u may only embed PDF/A files,
so it carries none. PDF/A-1 is not offered: WeasyPrint draws SVG images and the watermark in
transparency groups, which PDF/A-1 forbids.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.diagnostics import Diagnostic, DiagnosticError, Location, suggest


@dataclass(frozen=True)
class PdfVariant:
    """One value of ``--pdf-variant``: what WeasyPrint writes and what the builder adds."""

    name: str
    archival: bool  # PDF/A: an OutputIntent, XMP pdfaid, and pdfuaid declared beside it
    attaches_manifest: bool  # the output's manifest entry embedded as manifest.json (AFRelationship Data)
    description: str


DEFAULT_VARIANT = "pdf/ua-1"
VARIANTS: dict[str, PdfVariant] = {variant.name: variant for variant in (
    PdfVariant("pdf/ua-1", False, False, "tagged PDF/UA-1, for reading on screen (the default)"),
    PdfVariant("pdf/a-3u", True, True, "PDF/A-3u and PDF/UA-1, with its build manifest entry attached"),
    PdfVariant("pdf/a-2u", True, False, "PDF/A-2u and PDF/UA-1 (PDF/A-2 cannot embed the JSON manifest)"),
)}


def variant_names() -> tuple[str, ...]:
    return tuple(VARIANTS)


def pdf_variant(name: str | None) -> PdfVariant:
    """The variant called ``name`` (None: the default); an unknown name is an error."""
    found = VARIANTS.get(name or DEFAULT_VARIANT)
    if found is None:
        raise DiagnosticError([Diagnostic(Location("--pdf-variant"), "error", "pdf-variant",
                                          f"unknown PDF variant '{name}'{suggest(str(name), VARIANTS)}; "
                                          f"variants are: {', '.join(VARIANTS)}")])
    return found
