"""The escalation ladder: rising steps, each with its contacts and time to resolve; the urgent
path beside it. Every box grows to hold its text, which is measured, never cut."""

from __future__ import annotations

from dataclasses import dataclass

from builder.compose.context import Context
from builder.render.figures.drawing import ALERT, INK, KINDS, PALETTE, Font, names, role_name
from builder.render.figures.svg import Canvas
from builder.tree import Figure

WIDTH = 6.6  # inches, the text width of the page
LADDER_RIGHT = 4.95
STEP = 0.3  # each level starts this much further right
PAD, GAP = 0.09, 0.1
EDGE = 0.02  # room for the boxes' edges
TITLE, DETAIL, URGENT = Font(8.5, bold=True), Font(7.5), Font(7.5)


def _duration(value) -> str:
    return f"{value.value:g} {value.unit.replace('-', ' ')}"


def _level_text(context: Context, level) -> tuple[str, str, str]:
    """Title, contacts and resolution of a level, as the figure shows them."""
    contacts = "Contacts: " + names([role_name(context, role) for role in level.contacts])
    if level.resolve_within:
        resolution = f"Resolve within {_duration(level.resolve_within)}"
    else:
        resolution = ("Final: " if level.final else "") + (level.decides or "per the master agreement")
    return f"Level {level.level}: {level.name}", contacts, resolution


def _urgent_text(context: Context, urgent) -> str:
    who = names([role_name(context, role) for role in urgent.contacts])
    return f"Urgent safety issue or serious breach: straight to {who}, within {_duration(urgent.notify_within)}"


def describe_escalation(context: Context) -> str:
    """The figure in words (its alternative text)."""
    ladder = context.escalation
    steps = ["; ".join(_level_text(context, level)) for level in ladder.levels]
    text = f"Escalation ladder of {len(steps)} levels, from the lowest: " + ". ".join(steps) + "."
    if ladder.urgent:
        text += " Beside the ladder, the urgent path: " + _urgent_text(context, ladder.urgent) + "."
    return text


@dataclass(frozen=True)
class Step:
    """One level's box: where it starts, and its text broken into lines that fit inside it."""

    left: float
    title: list[str]
    contacts: list[str]
    resolution: list[str]

    @property
    def height(self) -> float:
        return 2 * PAD + len(self.title) * TITLE.line + 0.03 + (len(self.contacts) + len(self.resolution)) * DETAIL.line

    @property
    def inner_width(self) -> float:
        return LADDER_RIGHT - self.left - 2 * PAD


def ladder_steps(context: Context) -> list[Step]:
    """The boxes of the ladder from level 1 up, each as tall as its text needs."""
    steps = []
    for index, level in enumerate(context.escalation.levels):
        left = index * STEP
        inner = LADDER_RIGHT - left - 2 * PAD
        title, contacts, resolution = _level_text(context, level)
        steps.append(Step(left, TITLE.wrap(title, inner), DETAIL.wrap(contacts, inner), DETAIL.wrap(resolution, inner)))
    return steps


def draw_escalation(context: Context, kinds: tuple[str, ...] = KINDS) -> Figure:
    """The ladder as steps from level 1 (bottom) up; the urgent path as an arrow beside it."""
    steps = ladder_steps(context)
    urgent = context.escalation.urgent
    urgent_lines = URGENT.wrap(_urgent_text(context, urgent), WIDTH - LADDER_RIGHT - 0.45) if urgent else []
    ladder_height = sum(step.height for step in steps) + GAP * (len(steps) - 1)
    total = max(ladder_height, len(urgent_lines) * URGENT.line + 0.2)
    canvas = Canvas(WIDTH, total + 2 * EDGE)
    bottom = total + EDGE  # y grows downwards: level 1 at the bottom
    for index, step in enumerate(steps):
        colour = PALETTE[min(len(steps) - 1 - index, len(PALETTE) - 2)]
        ink = "white" if colour in PALETTE[:2] else INK
        top = bottom - step.height
        canvas.rect(step.left + EDGE, top, LADDER_RIGHT - step.left, step.height, colour, PALETTE[0])
        below = canvas.lines(step.title, step.left + EDGE + PAD, top + PAD, TITLE, ink)
        below = canvas.lines(step.contacts, step.left + EDGE + PAD, below + 0.03, DETAIL, ink)
        canvas.lines(step.resolution, step.left + EDGE + PAD, below, DETAIL, ink)
        bottom = top - GAP
    if urgent:
        x = LADDER_RIGHT + EDGE + 0.2
        canvas.arrow([(x, total + EDGE), (x, total + EDGE - ladder_height)], ALERT, stroke_width=1.2, head=0.11)
        top = EDGE + total / 2 - len(urgent_lines) * URGENT.line / 2
        canvas.lines(urgent_lines, x + 0.15, top, URGENT, ALERT)
    return canvas.figure("escalation", describe_escalation(context), kinds)
