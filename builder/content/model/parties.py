"""Who takes part: organizations, roles, retained competencies, glossary terms."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from builder.content.model.common import (
    Area, BlockBase, Markdown, Model, Party, RoleRef, Slug, Text,
)

OrganizationType = Literal[
    "sponsor",
    "full-service-cro",
    "functional-service-provider",
    "specialty-provider",
    "independent-contractor",
]


class SponsorPolicy(Model):
    """Rules a sponsor sets for all its outsourcing relationships."""

    minimum_transition_months: Annotated[int, Field(ge=1, le=60)] = 6
    review_cycle_months: Annotated[int, Field(ge=1, le=60)] = 12


class Organization(BlockBase):
    """A sponsor or a provider of services."""

    kind: Literal["organization"]
    type: OrganizationType
    legal_name: Text
    short_name: Text | None = None  # the name in running text once introduced ("Northwind")
    address: Text | None = None
    # How the party is constituted, as a contract names it: "a Delaware corporation", "a company
    # registered in England and Wales under number 04128765" (the Quality Agreement's parties clause)
    registration: Text | None = None
    description: Markdown
    services: list[Text] = []
    policy: SponsorPolicy | None = None
    theme: Slug | None = None  # a sponsor's look: templates/themes/<theme>/theme.yaml (logo, colours, fonts)


class Role(BlockBase):
    """A function held by one party of a pairing."""

    kind: Literal["role"]
    short_title: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    party: Party
    area: Area | None = None
    purpose: Markdown
    qualifications: Annotated[list[Text], Field(min_length=1)]
    restrictions: list[Text] = []
    reports_to: RoleRef | None = None
    key_person: bool = False


class Competency(BlockBase):
    """A functional competency and whether the sponsor keeps it in-house."""

    kind: Literal["competency"]
    area: Area
    sourcing: Literal["retained", "outsourced", "shared"]
    rationale: Markdown


class Term(BlockBase):
    """A glossary entry; ``title`` is the term itself."""

    kind: Literal["term"]
    abbreviation: Text | None = None
    definition: Markdown
    source: Text | None = None
