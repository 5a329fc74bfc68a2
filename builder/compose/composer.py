"""Compose a pairing: select its blocks, apply its overrides, check what only a pairing can."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from builder.compose.context import Context
from builder.compose.pairing_rules import check_pairing_rules
from builder.content.library import Library
from builder.content.loader import SourceBlock
from builder.content.model import INCLUDE_GROUPS, BlockBase, Kind, Organization, Pairing, Role
from builder.content.references import check_block_references
from builder.content.rules import check_block
from builder.content.typewalk import iter_references
from builder.content.validation import follow, validate_model
from builder.diagnostics import Diagnostics, Location, suggest

Path_ = tuple[str | int, ...]


@dataclass
class OverlayLocator:
    """Locates values of an overridden block: in the pairing where overridden, else in the block."""

    base: SourceBlock
    pairing: SourceBlock
    prefix: Path_
    override: dict[str, Any]

    def locate(self, path: Path_, *, key: bool = False) -> Location:
        _, depth = follow(self.override, path)
        if depth == 0:
            return self.base.locate(path, key=key)
        return self.pairing.locate(self.prefix + tuple(path[:depth]), key=key and depth == len(path))


def deep_merge(base: Any, override: Any) -> Any:
    """Merge mappings recursively; any other value (lists included) is replaced whole."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = deep_merge(base[key], value) if key in base else copy.deepcopy(value)
        return merged
    return copy.deepcopy(override)


def party_lookup(library: Library, overridden: dict[str, Role] | None = None):
    """A function giving a role id's party, or None for an unknown role."""
    def party_of(role_id: str) -> str | None:
        if overridden and role_id in overridden:
            return overridden[role_id].party
        entry = library.get("role", role_id)
        return entry.block.party if entry else None
    return party_of


def included_ids(pairing: Pairing, kind: Kind) -> list[str]:
    """The ids a pairing lists under one include group, in order."""
    value = getattr(pairing.include, kind.attribute)
    return list(value) if kind.many else [value] if value else []


class _Composer:
    def __init__(self, library: Library, entry_source: SourceBlock, pairing: Pairing, diagnostics: Diagnostics):
        self.library = library
        self.source = entry_source
        self.pairing = pairing
        self.diagnostics = diagnostics
        self.sources: dict[tuple[str, str], str] = {("pairing", pairing.id): entry_source.file}

    def at(self, *path: str | int) -> Location:
        return self.source.locate(path)

    def organization(self, field_name: str, want_sponsor: bool) -> Organization | None:
        entry = self.library.get("organization", getattr(self.pairing, field_name))
        if entry is None:
            return None
        org = entry.block
        if (org.type == "sponsor") != want_sponsor:
            expected = "a sponsor" if want_sponsor else "a provider (not a sponsor)"
            self.diagnostics.error(self.at(field_name), "wrong-kind",
                                   f"'{org.id}' is a {org.type}, but {field_name} must be {expected}")
        self.sources[("organization", org.id)] = entry.source.file
        return org

    def check_override_groups(self) -> None:
        for group, blocks in self.pairing.overrides.items():
            kind = INCLUDE_GROUPS.get(group)
            if kind is None:
                self.diagnostics.error(
                    self.source.locate(("overrides", group), key=True), "unknown-field",
                    f"cannot override '{group}'{suggest(group, INCLUDE_GROUPS)}; "
                    f"groups are: {', '.join(INCLUDE_GROUPS)}",
                )
                continue
            selected = included_ids(self.pairing, kind)
            for block_id in blocks:
                if block_id not in selected:
                    self.diagnostics.error(
                        self.source.locate(("overrides", group, block_id), key=True), "override-not-included",
                        f"overrides {kind.name} '{block_id}', which the pairing does not "
                        f"include{suggest(block_id, selected)}",
                    )

    def resolve(self, kind: Kind, block_id: str) -> BlockBase | None:
        entry = self.library.get(kind.name, block_id)
        if entry is None:
            return None
        self.sources[(kind.name, block_id)] = entry.source.file
        override = self.pairing.overrides.get(kind.group or "", {}).get(block_id)
        if not override:
            return entry.block
        prefix = ("overrides", kind.group, block_id)
        for fixed in ("id", "kind"):
            if fixed in override:
                self.diagnostics.error(self.source.locate(prefix + (fixed,), key=True), "override-fixed",
                                       f"an override cannot change '{fixed}'")
                return entry.block
        merged = deep_merge(entry.source.data, override)
        locator = OverlayLocator(entry.source, self.source, prefix, override)
        block = validate_model(type(entry.block), merged, locator, self.diagnostics)
        if block is None:
            return entry.block
        check_block_references(block, locator, self.library, self.diagnostics)
        check_block(block, locator, self.diagnostics, party_lookup(self.library))
        return block

    def select(self, kind: Kind) -> list[BlockBase]:
        blocks = (self.resolve(kind, block_id) for block_id in included_ids(self.pairing, kind))
        return [block for block in blocks if block is not None]


def compose_pairing(library: Library, pairing_id: str, diagnostics: Diagnostics,
                    documents: Mapping[str, Sequence[str]] | None = None) -> Context | None:
    """Build the context of one pairing; problems are reported, located, to ``diagnostics``."""
    entry = library.get("pairing", pairing_id)
    if entry is None:
        return None
    pairing: Pairing = entry.block
    composer = _Composer(library, entry.source, pairing, diagnostics)
    sponsor = composer.organization("sponsor", want_sponsor=True)
    provider = composer.organization("provider", want_sponsor=False)
    if sponsor is None or provider is None:
        return None
    composer.check_override_groups()
    blocks = {kind.name: composer.select(kind) for kind in INCLUDE_GROUPS.values()}
    others = [library.get("organization", o) for o in pairing.other_providers]
    context = Context(pairing=pairing, sponsor=sponsor, provider=provider,
                      other_providers=[other.block for other in others if other is not None], blocks=blocks)
    for other in others:
        if other is not None:
            composer.sources[("organization", other.block.id)] = other.source.file
    blocks["role"] = _collect_roles(composer, blocks, context)
    context.sources = composer.sources
    check_pairing_rules(context, composer.source, library, diagnostics, documents)
    return context


def _collect_roles(composer: _Composer, blocks: dict[str, list[BlockBase]], context: Context) -> list[Role]:
    """Included roles plus every role the included blocks name, sponsor roles first.

    Roles that the pairing does not list but its blocks name are pulled in, and recorded in
    ``context.pulled_in`` with the block that named them first."""
    wanted: dict[str, str] = {role_id: "" for role_id in composer.pairing.include.roles}
    named = [composer.pairing] + [block for kind, group in blocks.items() if kind != "role" for block in group]
    for block in named:
        for _, kind, block_id, _ in iter_references(block):
            if kind == "role" and block_id not in wanted:
                wanted[block_id] = f"{block.kind} '{block.id}'"
    explicit = {role.id: role for role in blocks["role"]}
    roles: list[Role] = []
    queue = list(wanted)
    while queue:  # roles named by roles (reports-to) are pulled in too
        role_id = queue.pop(0)
        role = explicit.get(role_id) or composer.resolve(INCLUDE_GROUPS["roles"], role_id)
        if role is None:
            continue
        roles.append(role)
        if wanted[role_id]:
            context.pulled_in.append(("role", role_id, wanted[role_id]))
        if role.reports_to and role.reports_to not in wanted:
            wanted[role.reports_to] = f"role '{role.id}' (reports-to)"
            queue.append(role.reports_to)
    return sorted(roles, key=lambda role: role.party != "sponsor")
