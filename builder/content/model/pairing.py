"""A sponsor-provider pairing: which blocks its documents use, overrides, document control."""

from __future__ import annotations

from typing import Annotated, Any, Iterable, Literal

from pydantic import Field, create_model

from builder.content.model.kinds import BLOCK_KINDS, Kind
from builder.content.model.common import (
    BlockBase, Date, Markdown, Model, OrganizationRef, Ref, RoleRef, SemVer, Slug, Text,
)



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


def include_model(kinds: Iterable[Kind] = BLOCK_KINDS) -> type[Model]:
    """The ``include`` mapping of a pairing, one field per include group of the kinds table."""
    fields: dict[str, Any] = {}
    for kind in (kind for kind in kinds if kind.group):
        ref = Annotated[Slug, Ref(kind.name)]
        fields[kind.attribute] = (list[ref], []) if kind.many else (ref | None, None)
    return create_model("Include", __base__=Model, __doc__="The blocks a pairing uses, by include group.",
                        **fields)


Include = include_model()


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
    documents: Annotated[list[Slug], Field(min_length=1)]
    include: Include
    overrides: dict[str, dict[Slug, dict[str, Any]]] = {}
    control: Control
    signatories: Signatories
    page_size: Literal["A4", "letter"] = "A4"
