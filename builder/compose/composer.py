"""Compose a pairing: select its blocks, apply its overrides, check what only a pairing can."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from builder.diagnostics import Diagnostics, Location, suggest
from builder.content.library import Library
from builder.content.loader import SourceBlock
from builder.content.model import (
    INCLUDE_KINDS, BlockBase, Communication, Competency, Escalation, Governance, Metric,
    Organization, Pairing, Provision, Responsibility, Risk, Role, Standard, Term, Transition,
)
from builder.content.references import check_block_references
from builder.content.rules import check_block, transition_months
from builder.content.typewalk import iter_references
from builder.content.validation import Locator, follow, validate_model

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


@dataclass
class Context:
    """Everything one pairing's documents are made from, overrides applied."""

    pairing: Pairing
    sponsor: Organization
    provider: Organization
    other_providers: list[Organization] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    responsibilities: list[Responsibility] = field(default_factory=list)
    competencies: list[Competency] = field(default_factory=list)
    standards: list[Standard] = field(default_factory=list)
    communication: Communication | None = None
    escalation: Escalation | None = None
    metrics: list[Metric] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)
    governance: list[Governance] = field(default_factory=list)
    transition: Transition | None = None
    provisions: list[Provision] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    sources: dict[tuple[str, str], str] = field(default_factory=dict)

    def role(self, role_id: str) -> Role:
        return next(role for role in self.roles if role.id == role_id)

    def by_id(self, kind: str) -> dict[str, BlockBase]:
        """The pairing's blocks of one kind, keyed by id."""
        group = next(name for name, k in INCLUDE_KINDS.items() if k == kind)
        value = getattr(self, group)
        blocks = value if isinstance(value, list) else [value] if value else []
        return {block.id: block for block in blocks}


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
        include = self.pairing.include.model_dump(by_alias=True)
        for group, blocks in self.pairing.overrides.items():
            if group not in INCLUDE_KINDS:
                self.diagnostics.error(
                    self.source.locate(("overrides", group), key=True), "unknown-field",
                    f"cannot override '{group}'{suggest(group, INCLUDE_KINDS)}; "
                    f"groups are: {', '.join(INCLUDE_KINDS)}",
                )
                continue
            selected = include[group] if isinstance(include[group], list) else [include[group]]
            for block_id in blocks:
                if block_id not in selected:
                    self.diagnostics.error(
                        self.source.locate(("overrides", group, block_id), key=True), "override-not-included",
                        f"overrides {INCLUDE_KINDS[group]} '{block_id}', which the pairing does not "
                        f"include{suggest(block_id, [s for s in selected if s])}",
                    )

    def resolve(self, group: str, block_id: str) -> BlockBase | None:
        kind = INCLUDE_KINDS[group]
        entry = self.library.get(kind, block_id)
        if entry is None:
            return None
        self.sources[(kind, block_id)] = entry.source.file
        override = self.pairing.overrides.get(group, {}).get(block_id)
        if not override:
            return entry.block
        prefix = ("overrides", group, block_id)
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

    def select(self, group: str) -> list[BlockBase]:
        value = getattr(self.pairing.include, group)
        ids = value if isinstance(value, list) else [value] if value else []
        return [b for b in (self.resolve(group, block_id) for block_id in ids) if b is not None]


def compose_pairing(library: Library, pairing_id: str, diagnostics: Diagnostics) -> Context | None:
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
    selected = {group: composer.select(group) for group in INCLUDE_KINDS}
    context = Context(
        pairing=pairing,
        sponsor=sponsor,
        provider=provider,
        other_providers=[library.block("organization", o) for o in pairing.other_providers
                         if library.get("organization", o)],
        **{group: blocks if isinstance(getattr(pairing.include, group), list) else (blocks[0] if blocks else None)
           for group, blocks in selected.items() if group != "roles"},
    )
    context.roles = _collect_roles(composer, selected)
    for org in context.other_providers:
        composer.sources[("organization", org.id)] = library.get("organization", org.id).source.file
    context.sources = composer.sources
    _check_pairing_rules(context, composer, library, diagnostics)
    return context


def _collect_roles(composer: _Composer, selected: dict[str, list[BlockBase]]) -> list[Role]:
    """Included roles plus every role the included blocks name, sponsor roles first."""
    wanted: list[str] = list(composer.pairing.include.roles)
    blocks = [composer.pairing] + [b for group, bs in selected.items() if group != "roles" for b in bs]
    for block in blocks:
        for _, kind, block_id, _ in iter_references(block):
            if kind == "role" and block_id not in wanted:
                wanted.append(block_id)
    explicit = {role.id: role for role in selected["roles"]}
    roles: list[Role] = []
    index = 0
    while index < len(wanted):  # roles named by roles (reports-to) are pulled in too
        role = explicit.get(wanted[index]) or composer.resolve("roles", wanted[index])
        index += 1
        if role is None:
            continue
        roles.append(role)
        if role.reports_to and role.reports_to not in wanted:
            wanted.append(role.reports_to)
    return sorted(roles, key=lambda role: role.party != "sponsor")


def _check_pairing_rules(context: Context, composer: _Composer, library: Library, diagnostics: Diagnostics) -> None:
    pairing = context.pairing
    pairing_at = f"pairing '{pairing.id}' ({composer.source.location})"
    metric_ids = {metric.id for metric in context.metrics}
    governance_ids = {body.id for body in context.governance}

    def needs(kind: str, wanted: str, available: set[str], block: BlockBase, path: Path_, what: str) -> None:
        if wanted in available or library.get(kind, wanted) is None:
            return
        entry = library.get(block.kind, block.id)
        location = entry.source.locate(path) if entry else composer.source.location
        group = "metrics" if kind == "metric" else "governance"
        diagnostics.error(
            location, f"pairing-missing-{kind}",
            f"{what} '{wanted}', which {pairing_at} does not include in '{group}'"
            f"{suggest(wanted, available)}",
        )

    for block in [*context.metrics, *context.governance, *context.risks, *context.provisions,
                  *([context.escalation] if context.escalation else []),
                  *([context.communication] if context.communication else []),
                  *([context.transition] if context.transition else [])]:
        for path, kind, ref, _ in iter_references(block):
            label = f"{block.kind} '{block.id}' names"
            if kind == "metric":
                needs("metric", ref, metric_ids, block, path, f"{label} metric")
            elif kind == "governance":
                needs("governance", ref, governance_ids, block, path, f"{label} governance body")

    if context.transition is not None:
        policy = context.sponsor.policy
        minimum = policy.minimum_transition_months if policy else 6
        months = transition_months(context.transition)
        if months < minimum:
            entry = library.get("transition", context.transition.id)
            diagnostics.error(
                entry.source.locate(("phases",)), "transition-too-short",
                f"transition '{context.transition.id}' reaches steady state after {months:g} months; "
                f"{context.sponsor.title}'s policy sets at least {minimum} months "
                f"(used by {pairing_at})",
            )
    parties = {context.role(r).party for r in pairing.control.approvers
               if any(role.id == r for role in context.roles)}
    if parties and parties != {"sponsor", "provider"}:
        missing = ({"sponsor", "provider"} - parties).pop()
        diagnostics.error(composer.source.locate(("control", "approvers")), "approvers-parties",
                          f"approvers must include the {missing}: both parties approve the documents")
    if "quality-agreement" in pairing.documents and not context.responsibilities:
        diagnostics.error(composer.source.locate(("include",)), "empty-pairing",
                          "a Quality Agreement needs responsibilities (the RACI) in 'include'")
