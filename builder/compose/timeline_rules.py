"""Reporting chains that cannot all be met: a step counted from the same event as the step it
depends on, with no more time than that step has (the site's 24 hours leave the CRO none)."""

from __future__ import annotations

from builder.compose.context import Context
from builder.diagnostics import Diagnostics, Location


def _duration(within) -> str:
    return f"{within.value:g} {within.unit.replace('-', ' ')}"


def check_deadline_chains(context: Context, diagnostics: Diagnostics) -> None:
    """Each deadline that handles another's result starts its clock when that result exists."""
    steps = {}
    for provision in context.provisions:
        for index, deadline in enumerate(provision.deadlines):
            steps[deadline.id] = (provision, index, deadline)
    for provision, index, deadline in steps.values():
        locator = context.locators.get(("provision", provision.id))

        def at(*path) -> Location:
            return locator.locate(("deadlines", index, *path)) if locator else Location(provision.id)

        if deadline.handles is None:
            continue
        before = steps.get(deadline.handles)
        if before is None:
            diagnostics.error(at("handles"), "unknown-reference",
                              f"deadline '{deadline.id}' handles '{deadline.handles}', which no provision of pairing "
                              f"'{context.pairing.id}' defines")
            continue
        earlier = before[2]
        if deadline.clock_starts.strip().lower() == earlier.clock_starts.strip().lower() and \
                deadline.within.hours() <= earlier.within.hours():
            diagnostics.error(
                at("clock-starts"), "deadline-chain",
                f"'{deadline.action}' ({deadline.party}, within {_duration(deadline.within)} of {deadline.clock_starts}) "
                f"cannot always be met: it acts on '{earlier.action}' ({earlier.party}), which may itself take "
                f"{_duration(earlier.within)} from the same event; count it from when {deadline.party} receives "
                f"the result (for example '{deadline.party} receipt'), or allow more time")
