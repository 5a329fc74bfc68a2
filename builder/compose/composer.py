"""Compose a pairing: select its blocks, apply its overrides, resolve its references, check what only
a pairing can.

Reads top to bottom: the parties -> the blocks its standard sets and includes select (minus its
excludes) -> each block with the pairing's overrides applied and validated again -> blocks whose
conditions the pairing does not meet left out -> the roles the blocks name -> party references
in the text resolved and every value given its origin -> the pairing's own rules.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Mapping

from builder.compose.conditions import pairing_conditions, unmet
from builder.compose.context import Context
from builder.compose.finishing import Finisher
from builder.compose.pairing_rules import DocumentNeeds, check_pairing_rules
from builder.compose.selection import Listed, select_blocks
from builder.compose.textrefs import REFERENCE, TextReference, locate_in_value, pairing_lookup, parse_reference
from builder.content.library import Library
from builder.content.loader import SourceBlock
from builder.content.model import INCLUDE_GROUPS, BlockBase, Kind, Organization, Pairing, Role
from builder.content.references import check_block_references
from builder.content.rules import check_block
from builder.content.typewalk import iter_references, walk_strings
from builder.content.validation import Locator, follow, validate_model
from builder.diagnostics import Diagnostic, Diagnostics, Location, suggest

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
        written = tuple(_as_written(self.override, path[:depth]))
        return self.pairing.locate(self.prefix + written, key=key and depth == len(path))


def _as_written(override: Any, path: Path_) -> list[str | int]:
    """The path as the override's YAML writes it: an item index of a list is a mapping key ('2')."""
    steps: list[str | int] = []
    node = override
    for step in path:
        if isinstance(node, dict) and step not in node and str(step) in node:
            step = str(step)
        steps.append(step)
        node = node[step] if isinstance(node, (dict, list)) else None
    return steps


def is_item_override(base: Any, override: Any) -> bool:
    """A mapping of item indexes (``{2: new item}``) over a list changes those items only."""
    return isinstance(base, list) and isinstance(override, dict) and bool(override) and \
        all(str(key).isdigit() for key in override)


def deep_merge(base: Any, override: Any) -> Any:
    """Merge mappings recursively; a list is replaced whole, unless the override maps item indexes
    to new items (``clauses: {2: ...}``: only item 2 changes, the rest stays the library's)."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = deep_merge(base[key], value) if key in base else copy.deepcopy(value)
        return merged
    if is_item_override(base, override):
        merged_list = list(base)
        for key, value in override.items():
            index = int(key)
            if index < len(merged_list):
                merged_list[index] = deep_merge(merged_list[index], value)
        return merged_list
    return copy.deepcopy(override)


def party_lookup(library: Library, overridden: dict[str, Role] | None = None):
    """A function giving a role id's party, or None for an unknown role."""
    def party_of(role_id: str) -> str | None:
        if overridden and role_id in overridden:
            return overridden[role_id].party
        entry = library.get("role", role_id)
        return entry.block.party if entry else None
    return party_of


class _Composer:
    def __init__(self, library: Library, entry_source: SourceBlock, pairing: Pairing, diagnostics: Diagnostics):
        self.library = library
        self.source = entry_source
        self.pairing = pairing
        self.diagnostics = diagnostics
        self.sources: dict[tuple[str, str], str] = {("pairing", pairing.id): entry_source.file}
        self.locators: dict[tuple[str, str], Locator] = {("pairing", pairing.id): entry_source}
        self.listed: dict[str, list[Listed]] = {}

    @property
    def name(self) -> str:
        return f"pairing '{self.pairing.id}'"

    def organization(self, field_name: str, want_sponsor: bool) -> Organization | None:
        entry = self.library.get("organization", getattr(self.pairing, field_name))
        if entry is None:
            return None
        org = entry.block
        if (org.type == "sponsor") != want_sponsor:
            expected = "a sponsor" if want_sponsor else "a provider (not a sponsor)"
            self.diagnostics.error(self.source.locate((field_name,)), "wrong-kind",
                                   f"'{org.id}' is a {org.type}, but {field_name} must be {expected}")
        self.sources[("organization", org.id)] = entry.source.file
        self.locators[("organization", org.id)] = entry.source
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
            selected = [listed.id for listed in self.listed.get(kind.name, [])]
            for block_id in blocks:
                if block_id not in selected and kind.name != "role":
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
        self.locators[(kind.name, block_id)] = entry.source
        override = self.pairing.overrides.get(kind.group or "", {}).get(block_id)
        if not override:
            return entry.block
        prefix = ("overrides", kind.group, block_id)
        for fixed in ("id", "kind"):
            if fixed in override:
                self.diagnostics.error(self.source.locate(prefix + (fixed,), key=True), "override-fixed",
                                       f"an override cannot change '{fixed}'")
                return entry.block
        self._check_item_indexes(entry.source.data, override, prefix)
        merged = deep_merge(entry.source.data, override)
        locator = OverlayLocator(entry.source, self.source, prefix, override)
        block = validate_model(type(entry.block), merged, locator, self.diagnostics)
        if block is None:
            return entry.block
        self.locators[(kind.name, block_id)] = locator
        check_block_references(block, locator, self.library, self.diagnostics)
        self._check_overridden_rules(entry.block, block, locator, prefix)
        if isinstance(block, Role):
            self._check_short_title(entry.block, block, override, prefix)
        return block

    def _check_item_indexes(self, base: Any, override: Any, prefix: Path_) -> None:
        """An item override must name an item the library's list has."""
        if isinstance(base, dict) and isinstance(override, dict):
            for key, value in override.items():
                if key in base:
                    self._check_item_indexes(base[key], value, prefix + (key,))
        elif is_item_override(base, override):
            for key in override:
                if int(key) >= len(base):
                    self.diagnostics.error(self.source.locate(prefix + (key,), key=True), "override-item",
                                           f"{self.name} overrides item {key} of a list of {len(base)} items "
                                           f"(items are numbered from 0)")

    def _check_overridden_rules(self, base: BlockBase, block: BlockBase, locator: OverlayLocator,
                                prefix: Path_) -> None:
        """A rule the block breaks only because of the override is reported at the override's line,
        naming the pairing, with the library's value as a note."""
        party_of = party_lookup(self.library)
        before, after = Diagnostics(), Diagnostics()
        check_block(base, locator.base, before, party_of)
        check_block(block, locator, after, party_of)
        known = {(item.code, item.message) for item in before}
        for item in after:
            if (item.code, item.message) in known:
                continue
            if item.location.file == self.source.file:
                self.diagnostics.items.append(Diagnostic(item.location, item.level, item.code,
                                                         f"{self.name} overrides {block.kind} '{block.id}': "
                                                         f"{item.message}"))
                continue
            at = self.source.locate(prefix)
            self.diagnostics.items.append(Diagnostic(
                at, item.level, item.code, f"{self.name} overrides {block.kind} '{block.id}', and then: {item.message}"))
            self.diagnostics.note(item.location, item.code,
                                  f"the value the rule concerns, as the library sets it (overridden by {self.name} "
                                  f"at {at})")

    def _check_short_title(self, base: Role, role: Role, override: dict, prefix: Path_) -> None:
        if "title" in override and "short-title" not in override and base.short_title and role.title != base.title:
            self.diagnostics.warning(
                self.source.locate(prefix + ("title",)), "short-title-stale",
                f"{self.name} renames role '{role.id}' to '{role.title}' but keeps its short title "
                f"'{base.short_title}' (shown in RACI columns); override 'short-title' too")

    def select(self, kind: Kind) -> list[BlockBase]:
        blocks = []
        for listed in self.listed.get(kind.name, []):
            block = self.resolve(kind, listed.id)
            if block is None:  # an unknown id: reported where it is listed (the pairing or the set)
                continue
            if block.specific_to and block.specific_to not in (self.pairing.provider, self.pairing.sponsor):
                owner = self.library.get("organization", block.specific_to)
                owner_name = owner.block.title if owner else block.specific_to
                self.diagnostics.error(
                    listed.location, "specific-to-another-provider",
                    f"{kind.name} '{block.id}' is specific to {owner_name} ('specific-to: {block.specific_to}' at "
                    f"{self.locators[(kind.name, block.id)].locate(('specific-to',))}) and cannot be used by "
                    f"{self.name}, whose provider is '{self.pairing.provider}'"
                    + (f" (it comes from {listed.via})" if listed.via else ""))
                continue
            blocks.append(block)
        return blocks


def compose_pairing(library: Library, pairing_id: str, diagnostics: Diagnostics,
                    documents: Mapping[str, DocumentNeeds] | None = None) -> Context | None:
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
    for set_id in pairing.standard_sets:
        found = library.get("standard-set", set_id)
        if found is not None:
            composer.sources[("standard-set", set_id)] = found.source.file
    composer.listed = select_blocks(pairing, entry.source, library, diagnostics)
    composer.check_override_groups()
    blocks = {kind.name: composer.select(kind) for kind in INCLUDE_GROUPS.values()}
    others = [library.get("organization", o) for o in pairing.other_providers]
    for other in others:
        if other is not None:
            composer.sources[("organization", other.block.id)] = other.source.file
            composer.locators[("organization", other.block.id)] = other.source
    have = pairing_conditions(pairing, blocks.get("metric", []))
    context = Context(pairing=pairing, sponsor=sponsor, provider=provider,
                      other_providers=[other.block for other in others if other is not None], blocks=blocks)
    _leave_out_unmet(context, blocks, have, composer)
    blocks["role"] = _collect_roles(composer, blocks, context)
    _finish(context, composer, have)
    context.sources = composer.sources
    context.locators = composer.locators
    context.conditions = have
    check_pairing_rules(context, composer.source, library, diagnostics, documents)
    return context


def _leave_out_unmet(context: Context, blocks: dict[str, list[BlockBase]], have: set[str],
                     composer: _Composer) -> None:
    """Blocks whose conditions the pairing does not meet are left out (and listed as notes)."""
    for kind, group in blocks.items():
        kept = []
        for block in group:
            missing = unmet(block.requires, have)
            if missing:
                context.left_out.append((kind, block.id, ", ".join(missing)))
                composer.sources.pop((kind, block.id), None)
            else:
                kept.append(block)
        blocks[kind] = kept


def _text_roles(block: BlockBase) -> list[str]:
    """Roles a block's text names with <<role:ID>>."""
    found = []
    for _, text in walk_strings(block):
        if "<<" in text:
            for match in REFERENCE.finditer(text):
                reference = parse_reference(match.group(0), match.group("body"))
                if isinstance(reference, TextReference) and reference.name == "role" and reference.id:
                    found.append(reference.id)
    return found


def _collect_roles(composer: _Composer, blocks: dict[str, list[BlockBase]], context: Context) -> list[Role]:
    """Included roles plus every role the included blocks name, sponsor roles first.

    Roles that the pairing does not list but its blocks name (in a field or in their text) are
    pulled in, and recorded in ``context.pulled_in`` with the block that named them first."""
    wanted: dict[str, str] = {listed.id: "" for listed in composer.listed.get("role", [])}
    named = [composer.pairing] + [block for kind, group in blocks.items() if kind != "role" for block in group]
    for block in named:
        ids = [block_id for _, kind, block_id, _ in iter_references(block) if kind == "role"] + _text_roles(block)
        for block_id in ids:
            if block_id not in wanted:
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


def _finish(context: Context, composer: _Composer, have: set[str]) -> None:
    """Resolve party references, drop unmet conditional text and source every value."""
    lookup = pairing_lookup(context)
    bodies = {body.id: body for body in context.governance}
    roles = {role.id: role for role in context.roles}
    finisher = Finisher(have, lookup)
    context.pairing = finisher.block(context.pairing)
    context.sponsor = finisher.block(context.sponsor)
    context.provider = finisher.block(context.provider)
    context.other_providers = [finisher.block(org) for org in context.other_providers]
    context.blocks = {kind: [finisher.block(block) for block in group] for kind, group in context.blocks.items()}
    for block, path, reference in finisher.missing:
        if composer.library.get(reference.name, reference.id or "") is None:
            continue  # an unknown id: reported where the block is defined
        locator = composer.locators.get((block.kind, block.id), composer.source)
        what = "governance body" if reference.name == "governance" else reference.name
        composer.diagnostics.error(
            locate_in_value(locator, path, reference.text), "text-reference-not-in-pairing",
            f"'{reference.text}' names {what} '{reference.id}', which {composer.name} ({composer.source.location}) "
            f"does not include{suggest(reference.id or '', bodies if reference.name == 'governance' else roles)}")
    for block, path, missing in finisher.dropped:
        context.left_out.append((block.kind, f"{block.id} {'.'.join(str(p) for p in path)}", ", ".join(missing)))
