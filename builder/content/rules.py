"""Domain rules: content that parses but would make a wrong document."""

from __future__ import annotations

from typing import Callable

from builder.diagnostics import Diagnostics, suggest
from builder.content.model import (
    BlockBase, Escalation, Governance, Metric, Pairing, Responsibility, Role, Transition,
)
from builder.content.validation import Locator

RoleParty = Callable[[str], str | None]


def check_metric(metric: Metric, at: Locator, diagnostics: Diagnostics) -> None:
    """Thresholds ordered by direction; the target not already past them."""
    amber, red, target = metric.thresholds.amber, metric.thresholds.red, metric.target
    if metric.unit == "percent":
        for path, value in ((("target",), target), (("thresholds", "amber"), amber), (("thresholds", "red"), red)):
            if not 0 <= value <= 100:
                diagnostics.error(at.locate(path), "percent-range",
                                  f"metric '{metric.id}' is a percentage, so {'.'.join(path)} must be between 0 and "
                                  f"100, not {value:g}")
    higher = metric.direction == "higher-is-better"
    worse = (lambda a, b: a < b) if higher else (lambda a, b: a > b)
    word = "below" if higher else "above"
    if not worse(red, amber):
        diagnostics.error(
            at.locate(("thresholds", "red")), "threshold-order",
            f"metric '{metric.id}' is {metric.direction}, so red ({red:g}) must be {word} "
            f"amber ({amber:g})",
        )
    if not worse(red, target):
        diagnostics.error(
            at.locate(("target",)), "target-past-threshold",
            f"metric '{metric.id}': target {target:g} is already at or past the red threshold "
            f"{red:g} for a {metric.direction} metric",
        )
    elif worse(target, amber):
        diagnostics.error(
            at.locate(("target",)), "target-past-threshold",
            f"metric '{metric.id}': target {target:g} is already past the amber threshold "
            f"{amber:g} for a {metric.direction} metric",
        )


def check_responsibility(block: Responsibility, at: Locator, diagnostics: Diagnostics) -> None:
    """Exactly one Accountable and at least one Responsible per activity; unique activity ids."""
    seen: set[str] = set()
    for index, activity in enumerate(block.activities):
        where = ("activities", index)
        if activity.id in seen:
            diagnostics.error(at.locate(where + ("id",)), "duplicate-id",
                              f"activity id '{activity.id}' appears twice in '{block.id}'")
        seen.add(activity.id)
        accountable = [role for role, code in activity.raci.items() if code in ("A", "A/R")]
        responsible = [role for role, code in activity.raci.items() if code in ("R", "A/R")]
        if len(accountable) != 1:
            found = "no Accountable role" if not accountable else (
                f"{len(accountable)} Accountable roles ({', '.join(accountable)})")
            diagnostics.error(
                at.locate(where + ("raci",)), "raci-accountable",
                f"activity '{activity.id}' has {found}; exactly one role must be A (or A/R)",
            )
        if not responsible:
            diagnostics.error(
                at.locate(where + ("raci",)), "raci-responsible",
                f"activity '{activity.id}' has no Responsible role (R or A/R)",
            )


def check_escalation(block: Escalation, at: Locator, diagnostics: Diagnostics) -> None:
    """Levels numbered 1..n, response times increasing, and a final decision-maker at the top."""
    previous = None
    for index, level in enumerate(block.levels):
        where = ("levels", index)
        if level.level != index + 1:
            diagnostics.error(at.locate(where + ("level",)), "escalation-order",
                              f"level {level.level} is step {index + 1} of the ladder; "
                              "number levels 1, 2, 3, ... in order")
        if level.final and index != len(block.levels) - 1:
            diagnostics.error(at.locate(where + ("final",)), "escalation-final",
                              f"level {level.level} is marked final but is not the last level")
        if level.resolve_within is None:
            if not level.final:
                diagnostics.error(at.locate(where), "escalation-time",
                                  f"level {level.level} needs 'resolve-within' (only the final "
                                  "level may defer to the contract)")
            continue
        if previous is not None and level.resolve_within.hours() <= previous[1]:
            diagnostics.error(
                at.locate(where + ("resolve-within",)), "escalation-time",
                f"level {level.level} must allow more time than level {previous[0]}; "
                "response times increase level by level",
            )
        previous = (level.level, level.resolve_within.hours())
    last = block.levels[-1]
    if not last.final or not last.decides:
        diagnostics.error(
            at.locate(("levels", len(block.levels) - 1)), "escalation-final",
            f"the ladder '{block.id}' ends without a final decision-maker: mark the last level "
            "'final: true' and say who 'decides'",
        )


def check_transition(block: Transition, at: Locator, diagnostics: Diagnostics) -> None:
    """Phases contiguous from month 0, known oversight levels, exit criteria before a reduction."""
    order = {level.id: rank for rank, level in enumerate(block.oversight_levels)}
    for index, phase in enumerate(block.phases):
        where = ("phases", index)
        if phase.oversight not in order:
            diagnostics.error(at.locate(where + ("oversight",)), "unknown-reference",
                              f"unknown oversight level '{phase.oversight}'"
                              f"{suggest(phase.oversight, order)} in transition '{block.id}'")
        if index == 0 and phase.start_month != 0:
            diagnostics.error(at.locate(where + ("start-month",)), "transition-gap",
                              f"the first phase '{phase.id}' must start at month 0")
        is_last = index == len(block.phases) - 1
        if phase.end_month is None and not is_last:
            diagnostics.error(at.locate(where), "transition-gap",
                              f"phase '{phase.id}' has no 'end-month'; only the last phase may be open-ended")
        if phase.end_month is not None and phase.end_month <= phase.start_month:
            diagnostics.error(at.locate(where + ("end-month",)), "transition-gap",
                              f"phase '{phase.id}' ends (month {phase.end_month:g}) before it starts")
        if is_last:
            continue
        following = block.phases[index + 1]
        if phase.end_month is not None and following.start_month != phase.end_month:
            relation = "overlaps" if following.start_month < phase.end_month else "leaves a gap after"
            diagnostics.error(
                at.locate(("phases", index + 1, "start-month")), "transition-gap",
                f"phase '{following.id}' starts at month {following.start_month:g} and {relation} "
                f"phase '{phase.id}', which ends at month {phase.end_month:g}",
            )
        reduces = order.get(following.oversight, 0) > order.get(phase.oversight, 0)
        if reduces and not phase.exit_criteria:
            diagnostics.error(
                at.locate(where), "transition-exit-criteria",
                f"oversight reduces after phase '{phase.id}' but it has no 'exit-criteria' "
                "to qualify for less oversight",
            )


def transition_months(block: Transition) -> float:
    """How long the plan runs before steady state: the end of the last bounded phase."""
    ends = [phase.end_month if phase.end_month is not None else phase.start_month for phase in block.phases]
    return max(ends)


def check_governance(block: Governance, at: Locator, diagnostics: Diagnostics, party_of: RoleParty) -> None:
    """A chair among the members' parties, and members from both parties."""
    people = [block.chair, *([block.co_chair] if block.co_chair else []), *block.members]
    parties = {party_of(role) for role in people} - {None}
    for party in ("sponsor", "provider"):
        if parties and party not in parties:
            diagnostics.error(
                at.locate(("members",)), "governance-parties",
                f"governance body '{block.id}' has no members from the {party}; "
                "joint bodies need both parties",
            )


def check_pairing(block: Pairing, at: Locator, diagnostics: Diagnostics) -> None:
    """Document control dates in order, and something to build."""
    control = block.control
    if control.approved is not None and control.effective < control.approved:
        diagnostics.error(
            at.locate(("control", "effective")), "date-order",
            f"effective date {control.effective} is before the approval date {control.approved}",
        )
    if control.status == "approved" and control.approved is None:
        diagnostics.error(at.locate(("control", "status")), "missing-field",
                          "an approved document needs 'approved' (the approval date)")
    include = block.include.model_dump()
    if not any(include.values()) and not block.standard_sets:
        diagnostics.error(at.locate(("include",)), "empty-pairing",
                          f"pairing '{block.id}' includes no blocks")
    if len(set(block.documents)) != len(block.documents):
        diagnostics.error(at.locate(("documents",)), "duplicate-id", "a document is listed twice")


def check_role(block: Role, at: Locator, diagnostics: Diagnostics) -> None:
    """Restrictions describe what sponsor staff may not do; a provider role should not carry them."""
    if block.restrictions and block.party == "provider":
        diagnostics.warning(at.locate(("restrictions",)), "role-restrictions",
                            f"role '{block.id}' is a provider role; restrictions are meant for "
                            "the sponsor's functional staff")


def check_block(block: BlockBase, at: Locator, diagnostics: Diagnostics, party_of: RoleParty) -> None:
    """Run the domain rules that apply to one block on its own."""
    if isinstance(block, Metric):
        check_metric(block, at, diagnostics)
    elif isinstance(block, Responsibility):
        check_responsibility(block, at, diagnostics)
    elif isinstance(block, Escalation):
        check_escalation(block, at, diagnostics)
    elif isinstance(block, Transition):
        check_transition(block, at, diagnostics)
    elif isinstance(block, Governance):
        check_governance(block, at, diagnostics, party_of)
    elif isinstance(block, Pairing):
        check_pairing(block, at, diagnostics)
    elif isinstance(block, Role):
        check_role(block, at, diagnostics)
