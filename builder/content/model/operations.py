"""How the work runs: responsibilities, standards, communication, escalation, governance, risks."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from builder.content.model.common import (
    Area, BlockBase, ClauseText, Duration, Frequency, GovernanceRef, Markdown, MetricRef, Model, RoleRef,
    Slug, StandardRef, Text,
)

RaciCode = Literal["R", "A", "C", "I", "A/R"]


class Activity(Model):
    """One activity of a functional area, with the RACI code of each role."""

    id: Slug
    task: Text
    raci: Annotated[dict[RoleRef, RaciCode], Field(min_length=1)]
    deliverable: Text | None = None
    standard: StandardRef | None = None
    document: Slug | None = None  # the document this activity maintains: its A is the document's owner


class Responsibility(BlockBase):
    """The activities of one functional area and who is responsible for each (RACI)."""

    kind: Literal["responsibility"]
    area: Area
    sops: Literal["sponsor", "provider", "joint"] = "provider"
    description: Markdown | None = None
    activities: Annotated[list[Activity], Field(min_length=1)]


class Standard(BlockBase):
    """An expectation for a task, a deliverable or the staff who do the work."""

    kind: Literal["standard"]
    applies_to: Literal["deliverable", "task", "staff"]
    area: Area | None = None
    requirements: Annotated[list[ClauseText], Field(min_length=1)]
    acceptance_criteria: list[Text] = []
    timeline: Text | None = None
    template: Text | None = None


class CommunicationItem(Model):
    """A recurring report, meeting or notice."""

    item: Text
    from_: RoleRef
    to: Annotated[list[RoleRef], Field(min_length=1)]
    forum: GovernanceRef | None = None
    frequency: Frequency | None = None  # omitted for a forum's meetings: the body's charter sets it
    channel: Text


class Communication(BlockBase):
    """The communication plan: who tells whom what, how often, by which channel."""

    kind: Literal["communication"]
    description: Markdown | None = None
    items: Annotated[list[CommunicationItem], Field(min_length=1)]


class EscalationLevel(Model):
    """One step of the escalation ladder."""

    level: Annotated[int, Field(ge=1)]
    name: Text
    contacts: Annotated[list[RoleRef], Field(min_length=1)]
    forum: GovernanceRef | None = None
    triggers: Annotated[list[Text], Field(min_length=1)]
    resolve_within: Duration | None = None
    final: bool = False
    decides: Text | None = None


class UrgentPath(Model):
    """Matters that skip the ladder: urgent safety issues, serious breaches."""

    triggers: Annotated[list[Text], Field(min_length=1)]
    contacts: Annotated[list[RoleRef], Field(min_length=1)]
    notify_within: Duration


class Escalation(BlockBase):
    """An escalation ladder with triggers, contacts and response times per level."""

    kind: Literal["escalation"]
    description: Markdown | None = None
    levels: Annotated[list[EscalationLevel], Field(min_length=2)]
    urgent: UrgentPath | None = None


class Governance(BlockBase):
    """The charter of one governance body."""

    kind: Literal["governance"]
    tier: Literal["executive", "operational", "quality", "study"]
    mandate: Markdown
    chair: RoleRef
    co_chair: RoleRef | None = None
    members: Annotated[list[RoleRef], Field(min_length=1)]
    frequency: Frequency
    quorum: Text
    decision_rights: Annotated[list[Text], Field(min_length=1)]
    inputs: list[Text] = []
    minutes: RoleRef | None = None
    escalates_to: GovernanceRef | None = None


class Risk(BlockBase):
    """An entry of the joint risk register."""

    kind: Literal["risk"]
    area: Area | None = None
    description: Markdown
    likelihood: Literal["low", "medium", "high"]
    impact: Literal["low", "medium", "high"]
    mitigation: Markdown
    owner: RoleRef
    indicators: list[MetricRef] = []
    review: Frequency = "monthly"
