"""Which blocks a pairing uses: its standard sets' blocks and its own includes, minus its excludes.

Each selected id remembers where it was listed (the pairing's include line, or the standard
set's), so that mistakes about it are reported there: an id listed twice, a block specific to
another provider, an exclude of something no set includes.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.content.library import Library
from builder.content.loader import SourceBlock
from builder.content.model import INCLUDE_GROUPS, Kind, Pairing, StandardSet
from builder.diagnostics import Diagnostics, Location


@dataclass(frozen=True)
class Listed:
    """An id as a pairing (or one of its standard sets) lists it."""

    id: str
    location: Location
    via: str  # "" for the pairing itself, else "standard set 'x'"


def _ids(include, kind: Kind) -> list[str]:
    value = getattr(include, kind.attribute)
    return list(value) if kind.many else [value] if value else []


def select_blocks(pairing: Pairing, source: SourceBlock, library: Library,
                  diagnostics: Diagnostics) -> dict[str, list[Listed]]:
    """Kind name -> the ids the pairing uses, in order (sets first, then the pairing's own)."""
    sets: list[tuple[StandardSet, SourceBlock]] = []
    for index, set_id in enumerate(pairing.standard_sets):
        entry = library.get("standard-set", set_id)
        if entry is not None:
            sets.append((entry.block, entry.source))
    selected: dict[str, list[Listed]] = {}
    for kind in INCLUDE_GROUPS.values():
        listed: dict[str, Listed] = {}
        _duplicates(pairing, source, kind, "include", diagnostics)
        for standard_set, set_source in sets:
            for index, block_id in enumerate(_ids(standard_set.include, kind)):
                where = set_source.locate(("include", kind.group, index) if kind.many else ("include", kind.group))
                if kind.many:
                    listed.setdefault(block_id, Listed(block_id, where, f"standard set '{standard_set.id}'"))
                else:
                    listed = {block_id: Listed(block_id, where, f"standard set '{standard_set.id}'")}
        own = _ids(pairing.include, kind)
        if not kind.many and own:
            listed = {}
        for index, block_id in enumerate(own):
            where = source.locate(("include", kind.group, index) if kind.many else ("include", kind.group))
            if block_id in listed and listed[block_id].via:
                diagnostics.note(where, "include-repeats-set",
                                 f"{kind.name} '{block_id}' is already in {listed[block_id].via}; "
                                 "this line can go")
            listed.setdefault(block_id, Listed(block_id, where, ""))
        for index, block_id in enumerate(_ids(pairing.exclude, kind)):
            where = source.locate(("exclude", kind.group, index) if kind.many else ("exclude", kind.group))
            if block_id not in listed:
                diagnostics.error(where, "exclude-not-included",
                                  f"excludes {kind.name} '{block_id}', which no standard set of the pairing "
                                  "includes (nothing to exclude)")
            listed.pop(block_id, None)
        selected[kind.name] = list(listed.values())
    _duplicates(pairing, source, None, "exclude", diagnostics)
    return selected


def _duplicates(pairing: Pairing, source: SourceBlock, kind: Kind | None, key: str,
                diagnostics: Diagnostics) -> None:
    """An id listed twice in one include (or exclude) group is a mistake: report the second."""
    include = getattr(pairing, key)
    kinds = [kind] if kind else [k for k in INCLUDE_GROUPS.values()]
    for each in kinds:
        if not each.many:
            continue
        seen: dict[str, int] = {}
        for index, block_id in enumerate(_ids(include, each)):
            if block_id in seen:
                diagnostics.error(source.locate((key, each.group, index)), "duplicate-include",
                                  f"'{block_id}' is listed twice in {key}.{each.group} (first at item "
                                  f"{seen[block_id] + 1}); list each block once")
            else:
                seen[block_id] = index
