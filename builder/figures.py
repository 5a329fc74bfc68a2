"""Figures drawn from a pairing's context with matplotlib: SVG for the PDF, PNG for Word.

Output is deterministic: fixed SVG id salt, no dates or software names in the files.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Callable

from builder.compose import Context
from builder.render import SHIPPED_TEMPLATES

PALETTE = ["#1F4E79", "#2E75B6", "#9DC3E6", "#DEEBF7", "#F2F2F2"]
INK = "#262626"
FONT_FILES = ["Carlito-Regular.ttf", "Carlito-Bold.ttf"]


@dataclass(frozen=True)
class Figure:
    """One figure in both formats."""

    name: str
    svg: bytes
    png: bytes
    width_inches: float


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    for name in FONT_FILES:
        path = SHIPPED_TEMPLATES / "fonts" / name
        if path.is_file():
            font_manager.fontManager.addfont(str(path))
    plt.rcParams.update({
        "svg.hashsalt": "playbook-builder",
        "svg.fonttype": "path",
        "font.family": ["Carlito", "DejaVu Sans"],
        "font.size": 9,
        "axes.edgecolor": "#BFBFBF",
        "axes.labelcolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
    })
    return plt


def _save(plt, fig, name: str) -> Figure:
    svg, png = io.BytesIO(), io.BytesIO()
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    fig.savefig(png, format="png", dpi=200, metadata={"Software": None}, bbox_inches="tight")
    width = fig.get_size_inches()[0]
    plt.close(fig)
    return Figure(name, svg.getvalue(), png.getvalue(), float(width))


def draw_transition(context: Context) -> Figure:
    """Gantt chart of the transition: phases coloured by oversight level, sampling rate, milestones."""
    plt = _pyplot()
    plan = context.transition
    levels = {level.id: (rank, level) for rank, level in enumerate(plan.oversight_levels)}
    last_end = max(p.end_month or p.start_month for p in plan.phases)
    horizon = last_end + max(3, last_end * 0.25)
    fig, (gantt, rate) = plt.subplots(2, 1, figsize=(6.6, 1.2 + 0.45 * len(plan.phases) + 1.3),
                                      sharex=True, gridspec_kw={"height_ratios": [len(plan.phases) + 1, 2]})
    for row, phase in enumerate(plan.phases):
        rank, level = levels.get(phase.oversight, (0, None))
        end = phase.end_month if phase.end_month is not None else horizon
        colour = PALETTE[min(rank, len(PALETTE) - 1)]
        gantt.barh(row, end - phase.start_month, left=phase.start_month, height=0.6, color=colour,
                   edgecolor=PALETTE[0], linewidth=0.6, hatch="///" if phase.end_month is None else None)
        text_colour = "white" if rank <= 1 else INK
        label = phase.name + (f"  ({level.name})" if level else "")
        gantt.text(phase.start_month + 0.15, row, label, va="center", ha="left", color=text_colour, fontsize=8.5)
    for milestone in plan.milestones:
        gantt.plot([milestone.month], [len(plan.phases) - 0.35], marker="D", color="#C00000", markersize=5)
        gantt.axvline(milestone.month, color="#C00000", linewidth=0.5, linestyle=":")
    gantt.set_yticks([])
    gantt.set_ylim(len(plan.phases) - 0.1 + 0.4, -0.6)
    gantt.set_title("Phases and oversight level", loc="left", fontsize=9.5, color=PALETTE[0])
    months, sampling = [], []
    for phase in plan.phases:
        rank, level = levels.get(phase.oversight, (0, None))
        months.append(phase.start_month)
        sampling.append(level.sampling_percent if level else 0)
    months.append(horizon)
    sampling.append(sampling[-1])
    rate.step(months, sampling, where="post", color=PALETTE[0], linewidth=1.5)
    rate.fill_between(months, sampling, step="post", color=PALETTE[2], alpha=0.5)
    rate.set_ylim(0, 110)
    rate.set_ylabel("Sponsor review\n(% sampled)", fontsize=8)
    rate.set_xlabel("Months from contract start")
    rate.set_xlim(0, horizon)
    for axis in (gantt, rate):
        for side in ("top", "right"):
            axis.spines[side].set_visible(False)
    fig.tight_layout()
    return _save(plt, fig, "transition")


TIER_ORDER = {"executive": 0, "quality": 1, "operational": 2, "study": 3}


def draw_governance(context: Context) -> Figure:
    """The governance bodies by tier, with the escalation links between them."""
    plt = _pyplot()
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    bodies = sorted(context.governance, key=lambda b: (TIER_ORDER[b.tier], context.governance.index(b)))
    tiers = sorted({TIER_ORDER[b.tier] for b in bodies})
    row_of = {tier: row for row, tier in enumerate(tiers)}
    per_row: dict[int, list] = {}
    for body in bodies:
        per_row.setdefault(row_of[TIER_ORDER[body.tier]], []).append(body)
    fig, axis = plt.subplots(figsize=(6.6, 1.0 + 1.15 * len(tiers)))
    centres = {}
    for row, members in per_row.items():
        for index, body in enumerate(members):
            x = (index + 1) / (len(members) + 1)
            y = 1 - (row + 0.5) / len(tiers)
            centres[body.id] = (x, y)
            box = FancyBboxPatch((x - 0.2, y - 0.13 / len(tiers) * 2.2), 0.4, 0.26 / len(tiers) * 2.2,
                                 boxstyle="round,pad=0.01", facecolor=PALETTE[3 if row else 0],
                                 edgecolor=PALETTE[0], linewidth=0.8, transform=axis.transAxes)
            axis.add_patch(box)
            colour = "white" if not row else INK
            chair = context.role(body.chair).title if any(r.id == body.chair for r in context.roles) else body.chair
            axis.text(x, y + 0.02, body.title, ha="center", va="bottom", fontsize=8.5, fontweight="bold",
                      color=colour, transform=axis.transAxes, wrap=True)
            axis.text(x, y - 0.02, f"{body.frequency.replace('-', ' ')} · chair: {chair}", ha="center", va="top",
                      fontsize=7, color=colour, transform=axis.transAxes)
    for body in bodies:
        if body.escalates_to and body.escalates_to in centres:
            (x1, y1), (x2, y2) = centres[body.id], centres[body.escalates_to]
            arrow = FancyArrowPatch((x1, y1 + 0.11 / len(tiers) * 2.2), (x2, y2 - 0.13 / len(tiers) * 2.2),
                                    arrowstyle="-|>", mutation_scale=10, color="#7F7F7F",
                                    transform=axis.transAxes, linewidth=0.9)
            axis.add_patch(arrow)
    axis.set_axis_off()
    return _save(plt, fig, "governance")


def draw_escalation(context: Context) -> Figure:
    """The escalation ladder as rising steps, with response times; the urgent path beside it."""
    plt = _pyplot()
    ladder = context.escalation
    levels = ladder.levels
    fig, axis = plt.subplots(figsize=(6.6, 0.8 + 0.62 * len(levels)))
    for index, level in enumerate(levels):
        left = index * 0.6
        colour = PALETTE[min(len(levels) - 1 - index, len(PALETTE) - 2)]
        axis.barh(index, 10 - left, left=left, height=0.78, color=colour, edgecolor=PALETTE[0], linewidth=0.6)
        when = (f"resolve within {level.resolve_within.value:g} {level.resolve_within.unit.replace('-', ' ')}"
                if level.resolve_within else (level.decides or "per the master agreement"))
        text_colour = "white" if colour in PALETTE[:2] else INK
        axis.text(left + 0.15, index + 0.12, f"Level {level.level}: {level.name}", va="center", fontsize=8.5,
                  fontweight="bold", color=text_colour)
        axis.text(left + 0.15, index - 0.2, when, va="center", fontsize=7.5, color=text_colour)
    if ladder.urgent:
        hours = ladder.urgent.notify_within
        axis.annotate("", xy=(10.4, len(levels) - 0.6), xytext=(10.4, -0.4),
                      arrowprops={"arrowstyle": "-|>", "color": "#C00000", "linewidth": 1.2})
        axis.text(10.6, (len(levels) - 1) / 2, f"Urgent safety or\nserious breach:\nstraight to named\ncontacts within\n"
                  f"{hours.value:g} {hours.unit.replace('-', ' ')}", fontsize=7.5, color="#C00000", va="center")
    axis.set_xlim(0, 12.6)
    axis.set_ylim(-0.6, len(levels) - 0.4)
    axis.set_axis_off()
    return _save(plt, fig, "escalation")


FIGURES: dict[str, Callable[[Context], Figure]] = {
    "transition": draw_transition,
    "governance": draw_governance,
    "escalation": draw_escalation,
}


def available_figures(context: Context) -> set[str]:
    """Figures the context has the content for."""
    have = set()
    if context.transition:
        have.add("transition")
    if context.governance:
        have.add("governance")
    if context.escalation:
        have.add("escalation")
    return have


def draw_figures(context: Context, names: list[str]) -> dict[str, Figure]:
    """Draw each named figure once."""
    return {name: FIGURES[name](context) for name in dict.fromkeys(names)}
