"""Conditions: what a pairing has, so that text written for some pairings is left out of the others.

A block or a clause with ``requires: [qtl]`` is used only by pairings that measure a quality
tolerance limit; ``therapeutic-area.oncology`` only by pairings with an oncology study, and so on.
"""

from __future__ import annotations

import re
from typing import Iterable

from builder.content.model import Metric, Pairing


def area_slug(text: str) -> str:
    """'Oncology' -> 'oncology'; 'Cardio-renal medicine' -> 'cardio-renal-medicine'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def pairing_conditions(pairing: Pairing, metrics: Iterable[Metric]) -> set[str]:
    """Every condition the pairing meets."""
    have = {f"model.{pairing.model}", *(f"document.{d}" for d in pairing.documents)}
    have.update(f"therapeutic-area.{area_slug(study.therapeutic_area)}" for study in pairing.scope.studies)
    if any(metric.type == "QTL" for metric in metrics):
        have.add("qtl")
    if any(study.blinded for study in pairing.scope.studies):
        have.add("blinded")
    if pairing.scope.investigational_product:
        have.add("investigational-product")
    if pairing.subcontractors:
        have.add("subcontractors")
    return have


def unmet(requires: Iterable[str], have: set[str]) -> list[str]:
    """The required conditions the pairing does not meet."""
    return [condition for condition in requires if condition not in have]
