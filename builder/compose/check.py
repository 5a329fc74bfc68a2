"""The whole check of a content folder: load, validate, resolve references, compose pairings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from builder.compose.composer import compose_pairing, party_lookup
from builder.compose.context import Context
from builder.compose.pairing_rules import DocumentNeeds
from builder.compose.textrefs import check_text_references
from builder.diagnostics import Diagnostics, Location, display_path
from builder.content.library import Library, build_library
from builder.content.loader import FileLoader, load_content
from builder.content.references import check_references
from builder.content.rules import check_block


@dataclass
class CheckResult:
    """The library, the composed pairings and every diagnostic found on the way."""

    library: Library
    contexts: dict[str, Context] = field(default_factory=dict)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)

    @property
    def ok(self) -> bool:
        return self.diagnostics.ok


def check_content(content_dir: Path, pairings: list[str] | None = None,
                  documents: Mapping[str, DocumentNeeds] | None = None,
                  load: FileLoader | None = None) -> CheckResult:
    """Check a content folder and compose its pairings (all, or those named).

    ``documents`` maps the document ids the templates declare to what each needs of a pairing;
    a pairing that lists another document is an error (None: not checked).
    ``load`` reads one content file (see ``load_content``)."""
    diagnostics = Diagnostics()
    sources = load_content(content_dir, diagnostics, load)
    library = build_library(sources, diagnostics)
    check_references(library, diagnostics)
    party_of = party_lookup(library)
    for entry in library.all():
        check_block(entry.block, entry.source, diagnostics, party_of)
        check_text_references(entry.source.data, entry.source, library, diagnostics)
    result = CheckResult(library, diagnostics=diagnostics)
    for pairing_id in pairings if pairings is not None else library.ids("pairing"):
        context = compose_pairing(library, pairing_id, diagnostics, documents)
        if context is not None:
            result.contexts[pairing_id] = context
            _note_composition(context, library, diagnostics)
    if not library.ids("pairing") and library.files and diagnostics.ok:  # a broken file may hold one
        diagnostics.warning(Location(display_path(content_dir)), "no-pairing",
                            "the content defines no pairing, so there is nothing to build")
    return result


def _note_composition(context: Context, library: Library, diagnostics: Diagnostics) -> None:
    """Notes on what a pairing uses that it does not list: roles pulled in, blocks left out."""
    source = library.get("pairing", context.pairing.id).source
    at = source.locate(("include", "roles")) if context.pairing.include.roles else source.locate(("include",))
    for kind, block_id, named_by in context.pulled_in:
        diagnostics.note(at, "pulled-in", f"pairing '{context.pairing.id}' uses {kind} '{block_id}', named by "
                                          f"{named_by}, though its include list does not: add it there to make it plain")
    for kind, what, missing in context.left_out:
        diagnostics.note(source.location, "left-out",
                         f"pairing '{context.pairing.id}' leaves out {kind} {what}: it requires {missing}")
