"""Reference checks: every id a block names exists, has the right kind, and forms no cycle."""

from __future__ import annotations

from builder.diagnostics import Diagnostics, Location, suggest
from builder.content.library import Library
from builder.content.typewalk import iter_references
from builder.content.validation import Locator


def check_reference(
    library: Library, kind: str, block_id: str, location: Location, diagnostics: Diagnostics,
    context: str = "",
) -> bool:
    """Report a reference to a missing block, or to a block of another kind; True when it resolves."""
    if library.get(kind, block_id) is not None:
        return True
    if (kind, block_id) in library.invalid:
        return False  # the block itself is reported where it is defined
    other = library.kinds_of(block_id)
    prefix = f"{context}: " if context else ""
    if other:
        diagnostics.error(
            location, "wrong-kind",
            f"{prefix}'{block_id}' is a {other[0]}, but a {kind} is expected here",
        )
    else:
        diagnostics.error(
            location, "unknown-reference",
            f"{prefix}unknown {kind} '{block_id}'{suggest(block_id, library.ids(kind))}",
        )
    return False


def check_block_references(block: object, locator: Locator, library: Library, diagnostics: Diagnostics) -> None:
    """Check every reference held by one block (or one overridden copy of it)."""
    for path, kind, block_id, is_key in iter_references(block):
        check_reference(library, kind, block_id, locator.locate(path, key=is_key), diagnostics)


def check_references(library: Library, diagnostics: Diagnostics) -> None:
    """Check the references of every block in the library."""
    for entry in library.all():
        check_block_references(entry.block, entry.source, library, diagnostics)
    _check_cycles(library, "role", "reports_to", "reports-to", diagnostics)
    _check_cycles(library, "governance", "escalates_to", "escalates-to", diagnostics)


def _check_cycles(library: Library, kind: str, attribute: str, key: str, diagnostics: Diagnostics) -> None:
    """Report chains such as reports-to that loop back on themselves."""
    reported: set[str] = set()
    for start in library.ids(kind):
        chain: list[str] = []
        current: str | None = start
        while current is not None and library.get(kind, current) is not None:
            if current in chain:
                loop = chain[chain.index(current):]
                if not reported.intersection(loop):
                    reported.update(loop)
                    first = min(loop)
                    entry = library.get(kind, first)
                    cycle = " -> ".join(loop[loop.index(first):] + loop[: loop.index(first)] + [first])
                    diagnostics.error(
                        entry.source.locate((key,)), "reference-cycle",
                        f"{kind} '{key}' references form a cycle: {cycle}",
                    )
                break
            chain.append(current)
            current = getattr(library.block(kind, current), attribute)
