"""A sponsor-provider pairing: which blocks its documents use, overrides, document control."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from builder.content.model.common import (
    BlockBase, Date, Markdown, Model, OrganizationRef, Ref, RoleRef, SemVer, Slug, Text,
)

DocumentId = Literal["operating-manual", "quality-agreement"]
DOCUMENT_IDS: tuple[str, ...] = ("operating-manual", "quality-agreement")


class Study(Model):
    """A study in scope of the pairing."""

    protocol: Text
    title: Text
    phase: Literal["I", "I/II", "II", "II/III", "III", "IIIb", "IV"]
    therapeutic_area: Text
    indication: Text
    regions: Annotated[list[Text], Field(min_length=1)]
    sites: Annotated[int, Field(ge=1)] | None = None
    subjects: Annotated[int, Field(ge=1)] | None = None


class Scope(Model):
    """What the pairing covers."""

    programme: Text
    description: Markdown
    studies: Annotated[list[Study], Field(min_length=1)]
    services: Annotated[list[Text], Field(min_length=1)]
    systems: list[Text] = []


class Include(Model):
    """The blocks a pairing uses, by kind."""

    roles: list[Annotated[Slug, Ref("role")]] = []
    responsibilities: list[Annotated[Slug, Ref("responsibility")]] = []
    competencies: list[Annotated[Slug, Ref("competency")]] = []
    standards: list[Annotated[Slug, Ref("standard")]] = []
    communication: Annotated[Slug, Ref("communication")] | None = None
    escalation: Annotated[Slug, Ref("escalation")] | None = None
    metrics: list[Annotated[Slug, Ref("metric")]] = []
    risks: list[Annotated[Slug, Ref("risk")]] = []
    governance: list[Annotated[Slug, Ref("governance")]] = []
    transition: Annotated[Slug, Ref("transition")] | None = None
    provisions: list[Annotated[Slug, Ref("provision")]] = []
    terms: list[Annotated[Slug, Ref("term")]] = []


INCLUDE_KINDS: dict[str, str] = {
    "roles": "role",
    "responsibilities": "responsibility",
    "competencies": "competency",
    "standards": "standard",
    "communication": "communication",
    "escalation": "escalation",
    "metrics": "metric",
    "risks": "risk",
    "governance": "governance",
    "transition": "transition",
    "provisions": "provision",
    "terms": "term",
}


class Revision(Model):
    """One entry of the revision history."""

    version: SemVer
    date: Date
    author: Text
    summary: Text


class Control(Model):
    """Document control of both documents of the pairing."""

    version: SemVer
    status: Literal["draft", "in-review", "approved", "superseded"]
    effective: Date
    approved: Date | None = None
    review_cycle_months: Annotated[int, Field(ge=1, le=60)] = 12
    owner: RoleRef
    approvers: Annotated[list[RoleRef], Field(min_length=1)]
    history: list[Revision] = []


class Signatory(Model):
    """A person who signs the Quality Agreement for one party."""

    name: Text
    title: Text


class Signatories(Model):
    """Who signs for each party."""

    sponsor: Signatory
    provider: Signatory


class Pairing(BlockBase):
    """A sponsor-provider relationship and the documents built for it."""

    kind: Literal["pairing"]
    sponsor: OrganizationRef
    provider: OrganizationRef
    model: Literal["full-service", "functional", "hybrid", "specialty", "contractor"]
    rationale: Markdown
    scope: Scope
    other_providers: list[OrganizationRef] = []
    master_agreement: Text
    documents: Annotated[list[DocumentId], Field(min_length=1)]
    include: Include
    overrides: dict[str, dict[Slug, dict[str, Any]]] = {}
    control: Control
    signatories: Signatories
    page_size: Literal["A4", "letter"] = "A4"
