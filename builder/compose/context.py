"""The context of one pairing: everything its documents are made from, overrides applied."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from builder.content.model import INCLUDE_GROUPS, BlockBase, Organization, Pairing, Role


@dataclass
class Context:
    """A composed pairing. Blocks are kept by kind; templates read them by include group
    (``ctx.metrics``, ``ctx.escalation``), as the kinds table names them."""

    pairing: Pairing
    sponsor: Organization
    provider: Organization
    other_providers: list[Organization] = field(default_factory=list)
    blocks: dict[str, list[BlockBase]] = field(default_factory=dict)  # kind -> blocks, in include order
    sources: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, id) -> content file
    pulled_in: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, id, named by)
    left_out: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, id or item, unmet conditions)
    conditions: set[str] = field(default_factory=set)  # what the pairing has (qtl, blinded, ...)
    locators: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)  # where each block's values are
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # the rules' shared reading

    def __getattr__(self, name: str) -> Any:
        for kind in INCLUDE_GROUPS.values():
            if kind.attribute == name:
                blocks = self.__dict__.get("blocks", {}).get(kind.name, [])
                return blocks if kind.many else (blocks[0] if blocks else None)
        raise AttributeError(name)

    @property
    def roles(self) -> list[Role]:
        return self.blocks.get("role", [])  # type: ignore[return-value]

    def role(self, role_id: str) -> Role:
        """The pairing's role with this id (it must be one of the pairing's roles)."""
        return next(role for role in self.roles if role.id == role_id)

    def has_role(self, role_id: str) -> bool:
        return any(role.id == role_id for role in self.roles)

    def by_id(self, kind: str) -> dict[str, BlockBase]:
        """The pairing's blocks of one kind, keyed by id."""
        return {block.id: block for block in self.blocks.get(kind, [])}

    def all_blocks(self) -> list[BlockBase]:
        """Every block the pairing's documents use, the pairing and its parties first."""
        return [self.pairing, self.sponsor, self.provider, *self.other_providers,
                *(block for blocks in self.blocks.values() for block in blocks)]
