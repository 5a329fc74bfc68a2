"""Conditions: what a pairing has, so that text written for some pairings is left out of the others.

A block or a clause with ``requires: [qtl]`` is used only by pairings that measure a quality
tolerance limit; ``therapeutic-area.oncology`` only by pairings with an oncology study; ``site-monitoring`` only by
pairings whose services put the provider's monitors at the sites, and so on.
"""

from __future__ import annotations

import re
from typing import Iterable

from builder.content.model import Metric, Pairing

# A service of the scope that puts the provider's staff at the sites (CRAs), not medical monitoring.
SITE_MONITORING_SERVICE = re.compile(r"(?<!medical )\bmonitoring\b|\bsite management\b", re.IGNORECASE)


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
    if any(SITE_MONITORING_SERVICE.search(service) for service in pairing.scope.services):
        have.add("site-monitoring")
    return have


def unmet(requires: Iterable[str], have: set[str]) -> list[str]:
    """The required conditions the pairing does not meet."""
    return [condition for condition in requires if condition not in have]
