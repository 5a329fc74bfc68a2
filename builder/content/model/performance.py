"""How performance is measured and how oversight reduces: metrics and the transition plan."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from builder.content.model.common import (
    Area, BlockBase, Frequency, GovernanceRef, Markdown, MetricRef, Model, Percent, RoleRef,
    Slug, Text,
)


class Thresholds(Model):
    """Action thresholds: amber asks for an action plan, red for escalation."""

    amber: float
    red: float


class ThresholdActions(Model):
    """What each threshold triggers."""

    amber: Markdown
    red: Markdown


class Metric(BlockBase):
    """A key performance indicator, key risk indicator or quality tolerance limit."""

    kind: Literal["metric"]
    type: Literal["KPI", "KRI", "QTL"]
    area: Area | None = None
    definition: Markdown
    formula: Text
    unit: Literal["percent", "days", "business-days", "hours", "ratio", "count", "per-subject"]
    direction: Literal["higher-is-better", "lower-is-better"]
    target: float
    thresholds: Thresholds
    frequency: Frequency
    source: Text
    owner: RoleRef
    reviewed_by: GovernanceRef
    actions: ThresholdActions | None = None
    commercial: bool = False  # a business measure (budget, staffing): never part of a quality agreement


class OversightLevel(Model):
    """How closely the sponsor oversees the provider at one stage of the transition."""

    id: Slug
    name: Text
    review: Text
    sampling_percent: Percent
    meetings: Text
    description: Markdown | None = None


class ExitCriterion(Model):
    """A condition to meet before oversight reduces: a metric status, or a stated criterion."""

    metric: MetricRef | None = None
    status: Literal["green", "within-limits"] | None = None
    periods: Annotated[int, Field(ge=1, le=24)] | None = None
    criterion: Text | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> "ExitCriterion":
        if (self.metric is None) == (self.criterion is None):
            raise ValueError("an exit criterion names either a 'metric' or a 'criterion', not both")
        if self.metric is not None and self.status is None:
            raise ValueError("a metric exit criterion needs a 'status' (green or within-limits)")
        return self


class Phase(Model):
    """A stage of the transition, with its oversight level and criteria to move on."""

    id: Slug
    name: Text
    start_month: Annotated[float, Field(ge=0)]
    end_month: Annotated[float, Field(gt=0)] | None = None
    oversight: Slug
    activities: Annotated[list[Text], Field(min_length=1)]
    exit_criteria: list[ExitCriterion] = []


class Milestone(Model):
    """A dated point of the transition plan."""

    name: Text
    month: Annotated[float, Field(ge=0)]


class Transition(BlockBase):
    """A joint transition plan whose oversight reduces as the provider qualifies."""

    kind: Literal["transition"]
    description: Markdown | None = None
    oversight_levels: Annotated[list[OversightLevel], Field(min_length=2)]
    phases: Annotated[list[Phase], Field(min_length=2)]
    milestones: list[Milestone] = []
    reversion: Markdown | None = None
    review_frequency: Frequency = "monthly"
    owners: list[RoleRef] = []
