"""The escalation ladder: rising steps, each with its contacts and time to resolve; the urgent
path beside it. Every box grows to hold its text, which is measured, never cut."""

from __future__ import annotations

from dataclasses import dataclass

from builder.compose.context import Context
from builder.render.figures.drawing import (
    ALERT, INK, KINDS, PALETTE, Font, draw_lines, names, pyplot, role_name, save,
)
from builder.tree import Figure

WIDTH = 6.6  # inches, the text width of the page
LADDER_RIGHT = 4.95
STEP = 0.3  # each level starts this much further right
PAD, GAP = 0.09, 0.1
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
    plt = pyplot()
    from matplotlib.patches import Rectangle

    steps = ladder_steps(context)
    urgent = context.escalation.urgent
    urgent_lines = URGENT.wrap(_urgent_text(context, urgent), WIDTH - LADDER_RIGHT - 0.45) if urgent else []
    ladder_height = sum(step.height for step in steps) + GAP * (len(steps) - 1)
    total = max(ladder_height, len(urgent_lines) * URGENT.line + 0.2)
    fig = plt.figure(figsize=(WIDTH, total))
    axis = fig.add_axes((0, 0, 1, 1))
    axis.set_xlim(0, WIDTH)
    axis.set_ylim(0, total)
    bottom = 0.0
    for index, step in enumerate(steps):
        colour = PALETTE[min(len(steps) - 1 - index, len(PALETTE) - 2)]
        ink = "white" if colour in PALETTE[:2] else INK
        axis.add_patch(Rectangle((step.left, bottom), LADDER_RIGHT - step.left, step.height, facecolor=colour,
                                 edgecolor=PALETTE[0], linewidth=0.6, clip_on=False))
        below = draw_lines(axis, step.title, step.left + PAD, bottom + step.height - PAD, TITLE, ink)
        below = draw_lines(axis, step.contacts, step.left + PAD, below - 0.03, DETAIL, ink)
        draw_lines(axis, step.resolution, step.left + PAD, below, DETAIL, ink)
        bottom += step.height + GAP
    if urgent:
        x = LADDER_RIGHT + 0.2
        axis.annotate("", xy=(x, ladder_height), xytext=(x, 0),
                      arrowprops={"arrowstyle": "-|>", "color": ALERT, "linewidth": 1.2})
        top = total / 2 + len(urgent_lines) * URGENT.line / 2
        draw_lines(axis, urgent_lines, x + 0.15, top, URGENT, ALERT)
    axis.set_axis_off()
    return save(plt, fig, "escalation", describe_escalation(context), kinds)
