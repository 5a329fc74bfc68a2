"""Contract provisions: pricing, risk share, quality clauses and transferred obligations."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from builder.content.model.common import (
    BlockBase, ClauseText, Duration, Markdown, MetricRef, Model, Percent, Slug, Text,
)

QualitySection = Literal[
    "scope",
    "regulatory",
    "quality-system",
    "personnel",
    "subcontracting",
    "computerised-systems",
    "metrics",
    "deviations",
    "audits",
    "safety",
    "records",
    "communication",
    "change-control",
    "term",
    "debarment",
    "investigational-product",
    "blinding",
    "business-continuity",
    "data-protection",
]


class PriceUnit(Model):
    """A billable unit of a unit-based budget."""

    item: Text
    unit: Text
    rate: Annotated[float, Field(ge=0)]


class PaymentMilestone(Model):
    """A share of a fixed price paid on a milestone."""

    milestone: Text
    percent: Percent


class Pricing(Model):
    """How the provider is paid."""

    model: Literal["fixed-price", "unit-based", "time-and-materials", "hybrid"]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    rationale: Markdown
    units: list[PriceUnit] = []
    milestones: list[PaymentMilestone] = []


class Incentive(Model):
    """A bonus or penalty, as a percent of the period's fees."""

    percent: Percent
    when: Text


class RiskShareTerm(Model):
    """A bonus and a penalty tied to one metric."""

    metric: MetricRef
    bonus: Incentive | None = None
    penalty: Incentive | None = None


class RiskShare(Model):
    """Bonuses and penalties tied to performance targets."""

    period: Text
    cap_percent: Percent
    basis: Text
    terms: Annotated[list[RiskShareTerm], Field(min_length=1)]


class Obligation(Model):
    """A sponsor obligation and whether it is transferred to the provider (21 CFR 312.52)."""

    regulation: Text
    obligation: Text
    transferred: bool
    notes: Text | None = None


class Deadline(Model):
    """One step of a reporting chain (the safety path): who does what, within how long of which event.

    ``handles`` names the step whose result this step acts on; its clock must not start at the
    same event as that step's clock unless it allows more time (else it cannot always be met)."""

    id: Slug
    party: Text
    action: Text
    clock_starts: Text  # the event that starts this step's clock ("site awareness", "provider receipt")
    within: Duration
    handles: Slug | None = None


COMMERCIAL_CATEGORIES = ("pricing", "risk-share", "change-control")


class Provision(BlockBase):
    """A contract provision; ``category`` says which of the optional parts it must have."""

    kind: Literal["provision"]
    category: Literal[
        "pricing", "risk-share", "quality-clause", "transfer-of-obligations", "change-control"
    ]
    summary: Markdown | None = None
    pricing: Pricing | None = None
    risk_share: RiskShare | None = None
    section: QualitySection | None = None
    clauses: list[ClauseText] = []
    obligations: list[Obligation] = []
    deadlines: list[Deadline] = []

    @property
    def commercial(self) -> bool:
        """Pricing, risk share and change orders are business terms: the master agreement's, not a QA's."""
        return self.category in COMMERCIAL_CATEGORIES

    @model_validator(mode="after")
    def _category_parts(self) -> "Provision":
        needs = {
            "pricing": ("pricing", self.pricing is not None),
            "risk-share": ("risk-share", self.risk_share is not None),
            "quality-clause": ("section' and 'clauses", self.section is not None and bool(self.clauses)),
            "transfer-of-obligations": ("obligations", bool(self.obligations)),
            "change-control": ("clauses", bool(self.clauses)),
        }
        name, present = needs[self.category]
        if not present:
            raise ValueError(f"a '{self.category}' provision needs '{name}'")
        return self
