"""The content model: one pydantic model per block kind, and the kinds table."""

from __future__ import annotations

from builder.content.model.common import BlockBase, Model, Ref
from builder.content.model.contract import Provision
from builder.content.model.kinds import BLOCK_KINDS, INCLUDE_GROUPS, Kind
from builder.content.model.operations import (
    Communication, Escalation, Governance, Responsibility, Risk, Standard,
)
from builder.content.model.pairing import Pairing, StandardSet
from builder.content.model.parties import Competency, Organization, Role, Term
from builder.content.model.performance import Metric, Transition

KINDS: tuple[Kind, ...] = (*BLOCK_KINDS, Kind("standard-set", StandardSet), Kind("pairing", Pairing))
KIND_MODELS: dict[str, type[BlockBase]] = {kind.name: kind.model for kind in KINDS}


def group_of(kind_name: str) -> Kind | None:
    """The kinds-table row of a kind that pairings include, or None."""
    return next((kind for kind in BLOCK_KINDS if kind.name == kind_name and kind.group), None)


__all__ = [
    "BLOCK_KINDS", "BlockBase", "Communication", "Competency", "Escalation", "Governance",
    "INCLUDE_GROUPS", "KINDS", "KIND_MODELS", "Kind", "Metric", "Model", "Organization", "Pairing",
    "Provision", "Ref", "Responsibility", "Risk", "Role", "Standard", "StandardSet", "Term", "Transition",
    "group_of",
]
