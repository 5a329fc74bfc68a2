"""The block kinds: one row each, from which include groups, the library and the schema derive.

To add a kind: write its model and add one row here. Composition, overrides, references,
the schema, ``playbook diff`` and the templates' ``ctx.<group>`` read this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.content.model.common import BlockBase
from builder.content.model.contract import Provision
from builder.content.model.operations import (
    Communication, Escalation, Governance, Responsibility, Risk, Standard,
)
from builder.content.model.parties import Competency, Organization, Role, Term
from builder.content.model.performance import Metric, Transition


@dataclass(frozen=True)
class Kind:
    """A block kind: its name, its model and the include group a pairing lists it under."""

    name: str
    model: type[BlockBase]
    group: str | None = None  # the YAML key under a pairing's include and overrides; None: not included
    many: bool = True  # a pairing includes a list of blocks (True) or at most one (False)

    @property
    def attribute(self) -> str:
        """The group as a Python name (``quality-clauses`` -> ``quality_clauses``): ``ctx.<attribute>``."""
        return (self.group or self.name).replace("-", "_")


BLOCK_KINDS: tuple[Kind, ...] = (
    Kind("organization", Organization),
    Kind("role", Role, "roles"),
    Kind("responsibility", Responsibility, "responsibilities"),
    Kind("competency", Competency, "competencies"),
    Kind("standard", Standard, "standards"),
    Kind("communication", Communication, "communication", many=False),
    Kind("escalation", Escalation, "escalation", many=False),
    Kind("metric", Metric, "metrics"),
    Kind("risk", Risk, "risks"),
    Kind("governance", Governance, "governance"),
    Kind("transition", Transition, "transition", many=False),
    Kind("provision", Provision, "provisions"),
    Kind("term", Term, "terms"),
)

INCLUDE_GROUPS: dict[str, Kind] = {kind.group: kind for kind in BLOCK_KINDS if kind.group}
