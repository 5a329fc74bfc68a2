"""Figures drawn from a pairing's context with matplotlib: SVG for the PDF, PNG for Word.

Output is deterministic: fixed SVG id salt, no dates or software names in the files.
"""

from __future__ import annotations

import io
import textwrap
import warnings
from typing import Callable

from builder.compose.context import Context
from builder.render.templates import SHIPPED_TEMPLATES
from builder.tree import Figure

PALETTE = ["#1F4E79", "#2E75B6", "#9DC3E6", "#DEEBF7", "#F2F2F2"]
INK = "#262626"
FONT_FILES = ["Carlito-Regular.ttf", "Carlito-Bold.ttf"]
KINDS = ("svg", "png")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    for name in FONT_FILES:
        path = SHIPPED_TEMPLATES / "fonts" / name
        if path.is_file():
            font_manager.fontManager.addfont(str(path))
    return plt


STYLE = {  # applied while figures are drawn only (rc_context), never to the whole process
    "svg.hashsalt": "playbook-builder",
    "svg.fonttype": "path",
    "font.family": ["Carlito", "DejaVu Sans"],
    "font.size": 9,
    "axes.edgecolor": "#BFBFBF",
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
}


def _save(plt, fig, name: str, tight: bool = True, kinds: tuple[str, ...] = ("svg", "png")) -> Figure:
    """The figure as SVG (for HTML and PDF) and/or PNG (for Word): only the kinds asked for."""
    svg, png = io.BytesIO(), io.BytesIO()
    bbox = "tight" if tight else None
    if "svg" in kinds:
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches=bbox)
    if "png" in kinds:
        fig.savefig(png, format="png", dpi=200, metadata={"Software": None}, bbox_inches=bbox)
    width = fig.get_size_inches()[0]
    plt.close(fig)
    return Figure(name, svg.getvalue(), png.getvalue(), float(width))


def _role_name(context: Context, role_id: str) -> str:
    role = next((r for r in context.roles if r.id == role_id), None)
    if role is None:
        return role_id
    return role.short_title or role.title.split(" (")[0]


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def draw_transition(context: Context, kinds: tuple[str, ...] = KINDS) -> Figure:
    """Gantt chart of the transition: phases by oversight level, the sampling rate, milestones."""
    plt = _pyplot()
    from matplotlib.patches import Patch

    plan = context.transition
    levels = {level.id: (rank, level) for rank, level in enumerate(plan.oversight_levels)}
    last_end = max(p.end_month or p.start_month for p in plan.phases)
    horizon = last_end + max(3, last_end * 0.25)
    rows = len(plan.phases)
    fig, (gantt, rate) = plt.subplots(2, 1, figsize=(6.6, 1.6 + 0.42 * rows + 1.4), sharex=True,
                                      gridspec_kw={"height_ratios": [rows + 0.8, 2]})
    for row, phase in enumerate(plan.phases):
        rank, _ = levels.get(phase.oversight, (0, None))
        end = phase.end_month if phase.end_month is not None else horizon
        gantt.barh(row, end - phase.start_month, left=phase.start_month, height=0.62,
                   color=PALETTE[min(rank, len(PALETTE) - 2)], edgecolor=PALETTE[0], linewidth=0.6,
                   hatch="///" if phase.end_month is None else None)
    gantt.set_yticks(range(rows), [_wrap(phase.name, 22) for phase in plan.phases], fontsize=8)
    for number, milestone in enumerate(plan.milestones, start=1):
        gantt.axvline(milestone.month, color="#C00000", linewidth=0.5, linestyle=":")
        gantt.annotate(f"M{number}", (milestone.month, -0.75), ha="center", va="bottom", fontsize=7,
                       color="#C00000", annotation_clip=False)
    gantt.set_ylim(rows - 0.4, -0.9)
    gantt.set_title("Phases and oversight level", loc="left", fontsize=9.5, color=PALETTE[0], pad=12)
    legend = [Patch(facecolor=PALETTE[min(rank, len(PALETTE) - 2)], edgecolor=PALETTE[0], label=level.name)
              for level_id, (rank, level) in levels.items()]
    gantt.legend(handles=legend, loc="lower right", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False,
                 ncol=len(legend), borderaxespad=0.6)
    months, sampling = [], []
    for phase in plan.phases:
        _, level = levels.get(phase.oversight, (0, None))
        months.append(phase.start_month)
        sampling.append(level.sampling_percent if level else 0)
    months.append(horizon)
    sampling.append(sampling[-1])
    rate.step(months, sampling, where="post", color=PALETTE[0], linewidth=1.5)
    rate.fill_between(months, sampling, step="post", color=PALETTE[2], alpha=0.5)
    rate.set_ylim(0, 110)
    rate.set_ylabel("Sponsor review\n(% sampled)", fontsize=8)
    label = "Months from contract start"
    rate.set_xlim(0, horizon)
    for axis in (gantt, rate):
        for side in ("top", "right"):
            axis.spines[side].set_visible(False)
    if plan.milestones:
        label += "\n\n" + _wrap("   ".join(f"M{n}: {m.name} (month {m.month:g})"
                                         for n, m in enumerate(plan.milestones, start=1)), 130)
    rate.set_xlabel(label, fontsize=7.5)
    fig.tight_layout()
    return _save(plt, fig, "transition", kinds=kinds)


TIER_ORDER = {"executive": 0, "quality": 1, "operational": 1, "study": 2}  # quality sits beside operations


def draw_governance(context: Context, kinds: tuple[str, ...] = KINDS) -> Figure:
    """The governance bodies by tier, with the escalation links between them."""
    plt = _pyplot()
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    bodies = sorted(context.governance, key=lambda b: (TIER_ORDER[b.tier], context.governance.index(b)))
    tiers = sorted({TIER_ORDER[b.tier] for b in bodies})
    row_of = {tier: row for row, tier in enumerate(tiers)}
    per_row: dict[int, list] = {}
    for body in bodies:
        per_row.setdefault(row_of[TIER_ORDER[body.tier]], []).append(body)
    height = 1.1 * len(tiers)
    fig = plt.figure(figsize=(6.6, height + 0.2))
    axis = fig.add_axes((0, 0, 1, 1))
    axis.set_xlim(0, 6.6)
    axis.set_ylim(0, height + 0.2)
    box_h = 0.78
    centres = {}
    for row, members in per_row.items():
        slot = 6.6 / len(members)
        box_w = min(3.6, slot - 0.3)
        for index, body in enumerate(members):
            x = slot * (index + 0.5)
            y = height - 1.1 * row - 0.5
            centres[body.id] = (x, y)
            dark = row == 0
            axis.add_patch(FancyBboxPatch((x - box_w / 2, y - box_h / 2), box_w, box_h,
                                          boxstyle="round,pad=0.02", facecolor=PALETTE[0 if dark else 3],
                                          edgecolor=PALETTE[0], linewidth=0.8))
            colour = "white" if dark else INK
            width_chars = int(box_w * 15)
            axis.text(x, y + 0.12, _wrap(body.title, width_chars), ha="center", va="center", fontsize=8.5,
                      fontweight="bold", color=colour)
            detail = f"meets {body.frequency} · chair: {_role_name(context, body.chair)}"
            axis.text(x, y - 0.2, _wrap(detail, int(box_w * 19)), ha="center", va="center", fontsize=7,
                      color=colour)
    for body in bodies:
        if body.escalates_to and body.escalates_to in centres:
            (x1, y1), (x2, y2) = centres[body.id], centres[body.escalates_to]
            skips = abs(y2 - y1) > 1.2  # passes another tier: go round it on the right
            half = min(3.6, 6.6 / len(per_row[row_of[TIER_ORDER[body.tier]]]) - 0.3) / 2
            start, end = ((x1 + half, y1), (x2 + half, y2)) if skips else \
                ((x1, y1 + box_h / 2), (x2, y2 - box_h / 2))
            axis.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=10, color="#7F7F7F",
                                           linewidth=0.9, connectionstyle="bar,fraction=0.12" if skips else "arc3"))
    axis.set_axis_off()
    return _save(plt, fig, "governance", tight=False, kinds=kinds)


def draw_escalation(context: Context, kinds: tuple[str, ...] = KINDS) -> Figure:
    """The escalation ladder as rising steps, with response times; the urgent path beside it."""
    plt = _pyplot()
    from matplotlib.patches import Rectangle

    ladder = context.escalation
    levels = ladder.levels
    fig = plt.figure(figsize=(6.6, 0.5 + 0.7 * len(levels)))
    axis = fig.add_axes((0, 0, 1, 1))
    axis.set_xlim(0, 6.6)
    axis.set_ylim(-0.1, 0.7 * len(levels) + 0.3)
    step = 0.35
    for index, level in enumerate(levels):
        left, bottom = index * step, 0.1 + 0.7 * index
        width = 4.9 - left
        colour = PALETTE[min(len(levels) - 1 - index, len(PALETTE) - 2)]
        axis.add_patch(Rectangle((left, bottom), width, 0.6, facecolor=colour, edgecolor=PALETTE[0], linewidth=0.6))
        when = (f"resolve within {level.resolve_within.value:g} {level.resolve_within.unit.replace('-', ' ')}"
                if level.resolve_within else (level.decides or "per the master agreement"))
        text_colour = "white" if colour in PALETTE[:2] else INK
        axis.text(left + 0.1, bottom + 0.42, f"Level {level.level}: {level.name}", va="center", fontsize=8.5,
                  fontweight="bold", color=text_colour)
        summary = textwrap.shorten(when, width=int(width * 17) * 2, placeholder=" …")
        axis.text(left + 0.1, bottom + 0.17, _wrap(summary, int(width * 17)), va="center", fontsize=7,
                  color=text_colour)
    if ladder.urgent:
        notice = ladder.urgent.notify_within
        top = 0.7 * len(levels)
        axis.annotate("", xy=(5.15, top), xytext=(5.15, 0.1),
                      arrowprops={"arrowstyle": "-|>", "color": "#C00000", "linewidth": 1.2})
        axis.text(5.3, top / 2, _wrap(f"Urgent safety issue or serious breach: straight to the named contacts "
                                      f"within {notice.value:g} {notice.unit.replace('-', ' ')}", 22),
                  fontsize=7.5, color="#C00000", va="center")
    axis.set_axis_off()
    return _save(plt, fig, "escalation", tight=False, kinds=kinds)


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


def draw_figures(context: Context, names: list[str], kinds: tuple[str, ...] = KINDS) -> dict[str, Figure]:
    """Draw each named figure once, in the kinds of image asked for ("svg", "png")."""
    plt = _pyplot()
    with plt.rc_context(STYLE), warnings.catch_warnings():
        # a character the fonts lack is reported once, in words, by the text checks (text_checks.py)
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        return {name: FIGURES[name](context, kinds) for name in dict.fromkeys(names)}
