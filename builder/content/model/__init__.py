"""The content model: one pydantic model per block kind."""

from __future__ import annotations

from builder.content.model.common import BlockBase, Model, Ref
from builder.content.model.contract import Provision
from builder.content.model.operations import (
    Communication, Escalation, Governance, Responsibility, Risk, Standard,
)
from builder.content.model.pairing import DOCUMENT_IDS, INCLUDE_KINDS, Pairing
from builder.content.model.parties import Competency, Organization, Role, Term
from builder.content.model.performance import Metric, Transition

KIND_MODELS: dict[str, type[BlockBase]] = {
    "organization": Organization,
    "role": Role,
    "responsibility": Responsibility,
    "competency": Competency,
    "standard": Standard,
    "communication": Communication,
    "escalation": Escalation,
    "metric": Metric,
    "risk": Risk,
    "governance": Governance,
    "transition": Transition,
    "provision": Provision,
    "term": Term,
    "pairing": Pairing,
}

__all__ = [
    "BlockBase", "Communication", "Competency", "DOCUMENT_IDS", "Escalation", "Governance",
    "INCLUDE_KINDS", "KIND_MODELS", "Metric", "Model", "Organization", "Pairing", "Provision",
    "Ref", "Responsibility", "Risk", "Role", "Standard", "Term", "Transition",
]
