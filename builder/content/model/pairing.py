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
    blinded: bool = False


class Scope(Model):
    """What the pairing covers."""

    programme: Text
    description: Markdown
    studies: Annotated[list[Study], Field(min_length=1)]
    services: Annotated[list[Text], Field(min_length=1)]
    systems: list[Text] = []
    investigational_product: bool = False  # the provider stores, ships or accounts for investigational product


def include_model(kinds: Iterable[Kind] = BLOCK_KINDS) -> type[Model]:
    """The ``include`` mapping of a pairing, one field per include group of the kinds table."""
    fields: dict[str, Any] = {}
    for kind in (kind for kind in kinds if kind.group):
        ref = Annotated[Slug, Ref(kind.name)]
        fields[kind.attribute] = (list[ref], []) if kind.many else (ref | None, None)
    return create_model("Include", __base__=Model, __doc__="The blocks a pairing uses, by include group.",
                        **fields)


Include = include_model()
OutsourcingModel = Literal["full-service", "functional", "hybrid", "specialty", "contractor"]
Status = Literal["draft", "in-review", "approved", "superseded"]


class Revision(Model):
    """One entry of the revision history."""

    version: SemVer
    date: Date
    author: Text
    summary: Text


class DocumentControl(Model):
    """Document control of one document, where it differs from the pairing's ``control``.

    A signed contract (the Quality Agreement) has its own version and history, so that editing
    the Operating Manual never changes the version of what was signed."""

    version: SemVer | None = None
    status: Status | None = None
    effective: Date | None = None
    approved: Date | None = None
    owner: RoleRef | None = None
    approvers: Annotated[list[RoleRef], Field(min_length=1)] | None = None
    history: list[Revision] | None = None


class Control(Model):
    """Document control of the pairing's documents; ``documents`` sets what differs per document."""

    version: SemVer
    status: Status
    effective: Date
    approved: Date | None = None
    review_cycle_months: Annotated[int, Field(ge=1, le=60)] = 12
    owner: RoleRef
    approvers: Annotated[list[RoleRef], Field(min_length=1)]
    history: list[Revision] = []
    documents: dict[Slug, DocumentControl] = {}

    def for_document(self, document_id: str) -> "Control":
        """This document's control: the pairing's, with the document's own values over it."""
        own = self.documents.get(document_id)
        if own is None:
            return self.model_copy(update={"documents": {}})
        values = {name: value for name, value in own if value is not None}
        return self.model_copy(update={**values, "documents": {}})


class Signatory(Model):
    """A person who signs a signed document for one party: one of its approvers' roles."""

    role: RoleRef
    name: Text
    title: Text | None = None  # as printed under the signature; default: the role's title


class Signatories(Model):
    """Who signs for each party."""

    sponsor: Signatory
    provider: Signatory


class Contact(Model):
    """A named person to reach on the urgent path (safety, serious breaches)."""

    role: RoleRef
    name: Text
    phone: Text | None = None
    email: Text | None = None


class Subcontractor(Model):
    """A subcontractor of the provider, approved by the sponsor in writing."""

    name: Text
    services: Annotated[list[Text], Field(min_length=1)]
    approved: Date | None = None
    location: Text | None = None


class Pairing(BlockBase):
    """A sponsor-provider relationship and the documents built for it."""

    kind: Literal["pairing"]
    sponsor: OrganizationRef
    provider: OrganizationRef
    model: OutsourcingModel
    rationale: Markdown
    scope: Scope
    other_providers: list[OrganizationRef] = []  # third parties the documents may name
    master_agreement: Text
    work_order: Text = "Work Order"  # what the contract calls a study's order ("Statement of Work")
    documents: Annotated[list[Slug], Field(min_length=1)]
    standard_sets: list[Annotated[Slug, Ref("standard-set")]] = []
    include: Include = Include()
    exclude: Include = Include()  # blocks of the standard sets this pairing does not use
    overrides: dict[str, dict[Slug, dict[str, Any]]] = {}
    control: Control
    signatories: Signatories
    contacts: list[Contact] = []
    subcontractors: list[Subcontractor] = []
    page_size: Literal["A4", "letter"] = "A4"


class SignatoryRoles(Model):
    """The roles that usually sign for each party."""

    sponsor: RoleRef
    provider: RoleRef


class StandardSet(BlockBase):
    """Provider-neutral blocks for one outsourcing model, which a pairing uses as its starting point."""

    kind: Literal["standard-set"]
    model: OutsourcingModel
    description: Markdown
    include: Include
    documents: Annotated[list[Slug], Field(min_length=1)] = ["operating-manual", "quality-agreement"]
    services: list[Text] = []  # what providers of this model usually deliver (a new pairing's starting list)
    owner: RoleRef  # who usually owns the documents
    approvers: Annotated[list[RoleRef], Field(min_length=1)]
    signatories: SignatoryRoles
