"""Shared field types of the content model: ids, references, Markdown text, dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def field_alias(name: str) -> str:
    """Python field names map to kebab-case YAML keys (``reviewed_by`` -> ``reviewed-by``)."""
    return name.rstrip("_").replace("_", "-")


class Model(BaseModel):
    """Base of every content model: strict types, kebab-case keys, unknown keys refused."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        alias_generator=field_alias,
        populate_by_name=True,
        validate_default=False,
    )


@dataclass(frozen=True)
class Ref:
    """Marks a field whose value is the id of a block of ``kind``."""

    kind: str


@dataclass(frozen=True)
class MarkdownMarker:
    """Marks a text field whose value is Markdown."""


def _parse_date(value: object) -> object:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"'{value}' is not a real date in the form YYYY-MM-DD ({exc})") from None
    return value


Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=False)]
Markdown = Annotated[str, StringConstraints(min_length=1), MarkdownMarker()]
Date = Annotated[dt.date, BeforeValidator(_parse_date)]
Percent = Annotated[float, Field(ge=0, le=100)]
SemVer = Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")]

RoleRef = Annotated[Slug, Ref("role")]
OrganizationRef = Annotated[Slug, Ref("organization")]
GovernanceRef = Annotated[Slug, Ref("governance")]
MetricRef = Annotated[Slug, Ref("metric")]
StandardRef = Annotated[Slug, Ref("standard")]

Area = Literal[
    "project-management",
    "site-start-up",
    "monitoring",
    "data-management",
    "biostatistics",
    "safety",
    "medical-writing",
    "medical-monitoring",
    "tmf",
    "quality-assurance",
    "vendor-management",
    "regulatory",
    "laboratory",
    "clinical-supplies",
]

Frequency = Literal[
    "daily", "weekly", "bi-weekly", "monthly", "quarterly", "semi-annual", "annual",
    "per-event", "as-needed",
]

Party = Literal["sponsor", "provider"]


class Duration(Model):
    """A time allowance such as ``{value: 5, unit: business-days}``."""

    value: Annotated[float, Field(gt=0)]
    unit: Literal["hours", "business-days", "calendar-days", "weeks"]

    def hours(self) -> float:
        """Length in calendar hours, for ordering (a business day counts as 1.4 calendar days)."""
        factor = {"hours": 1, "business-days": 24 * 1.4, "calendar-days": 24, "weeks": 24 * 7}
        return self.value * factor[self.unit]


CONDITION_PATTERN = (r"^(?:qtl|blinded|investigational-product|subcontractors"
                     r"|model\.[a-z-]+|therapeutic-area\.[a-z0-9-]+|document\.[a-z0-9-]+)$")
Condition = Annotated[str, StringConstraints(pattern=CONDITION_PATTERN)]
CONDITIONS_HELP = ("qtl (the pairing measures a quality tolerance limit), blinded (a study is blinded), "
                   "investigational-product (the provider handles it), subcontractors (the pairing names "
                   "approved subcontractors), model.<outsourcing model>, therapeutic-area.<area>, document.<id>")


class ConditionalText(Model):
    """Text that applies only when the pairing has what ``requires`` names."""

    text: Markdown
    requires: Annotated[list[Condition], Field(min_length=1)]


ClauseText = Markdown | ConditionalText


class BlockBase(Model):
    """Fields every block has."""

    id: Slug
    kind: str
    title: Text
    specific_to: Annotated[Slug, Ref("organization")] | None = None  # a provider-specific block
    requires: list[Condition] = []  # included only when the pairing has all of these
