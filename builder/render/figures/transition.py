"""The transition plan as a Gantt chart: phases coloured by oversight level, the share of
deliverables the sponsor reviews below it, and milestones as circled numbers with a key."""

from __future__ import annotations

from builder.compose.context import Context
from builder.render.figures.drawing import ALERT, KINDS, PALETTE, Font, names, pyplot, save
from builder.tree import Figure

KEY = Font(7.5)
KEY_WIDTH = 5.3  # inches: from the axis to the right edge


def _months(value: float) -> str:
    return f"month {value:g}"


def _milestone_key(plan) -> str:
    """One line per milestone: 'Milestone 2: Study plans approved (month 1)', wrapped to the figure."""
    lines = []
    for number, milestone in enumerate(plan.milestones, start=1):
        first, *rest = KEY.wrap(f"Milestone {number}: {milestone.name} ({_months(milestone.month)})", KEY_WIDTH)
        lines += [first, *("      " + line for line in rest)]
    return "\n".join(lines)


def describe_transition(context: Context) -> str:
    """The figure in words (its alternative text)."""
    plan = context.transition
    levels = {level.id: level for level in plan.oversight_levels}
    phases = []
    for phase in plan.phases:
        span = f"months {phase.start_month:g} to {phase.end_month:g}" if phase.end_month is not None else \
            f"from month {phase.start_month:g} on"
        level = levels.get(phase.oversight)
        oversight = f"{level.name}, sponsor reviews {level.sampling_percent:g}% of deliverables" if level else ""
        phases.append(f"{phase.name}, {span}: {oversight}")
    text = "Transition plan. Phases: " + "; ".join(phases) + "."
    if plan.milestones:
        text += " Milestones: " + names([f"{m.name} ({_months(m.month)})" for m in plan.milestones]) + "."
    return text


def draw_transition(context: Context, kinds: tuple[str, ...] = KINDS) -> Figure:
    """Gantt chart of the transition: phases by oversight level, the sampling rate, milestones."""
    plt = pyplot()
    from matplotlib.patches import Patch

    plan = context.transition
    levels = {level.id: (rank, level) for rank, level in enumerate(plan.oversight_levels)}
    last_end = max(p.end_month or p.start_month for p in plan.phases)
    horizon = last_end + max(3, last_end * 0.25)
    rows = len(plan.phases)
    fig, (gantt, rate) = plt.subplots(2, 1, figsize=(6.6, 1.6 + 0.42 * rows + 1.4),
                                      sharex=True, gridspec_kw={"height_ratios": [rows + 0.8, 2]})
    for row, phase in enumerate(plan.phases):
        rank, _ = levels.get(phase.oversight, (0, None))
        end = phase.end_month if phase.end_month is not None else horizon
        gantt.barh(row, end - phase.start_month, left=phase.start_month, height=0.62,
                   color=PALETTE[min(rank, len(PALETTE) - 2)], edgecolor=PALETTE[0], linewidth=0.6,
                   hatch="///" if phase.end_month is None else None)
    labels = [_wrap_label(phase.name) for phase in plan.phases]
    if plan.milestones:  # a row of circled numbers, named, so that no number reads as a month
        gantt.set_yticks([-0.75, *range(rows)], ["Milestones", *labels], fontsize=8)
        gantt.get_yticklabels()[0].set_color(ALERT)
    else:
        gantt.set_yticks(range(rows), labels, fontsize=8)
    for number, milestone in enumerate(plan.milestones, start=1):
        gantt.axvline(milestone.month, color=ALERT, linewidth=0.5, linestyle=":")
        gantt.annotate(str(number), (milestone.month, -0.75), ha="center", va="center", fontsize=6.5,
                       color=ALERT, fontweight="bold", annotation_clip=False,
                       bbox={"boxstyle": "circle,pad=0.25", "facecolor": "white", "edgecolor": ALERT,
                             "linewidth": 0.6})
    gantt.set_ylim(rows - 0.4, -1.0)
    gantt.set_title("Phases and oversight level", loc="left", fontsize=9.5, color=PALETTE[0], pad=14)
    legend = [Patch(facecolor=PALETTE[min(rank, len(PALETTE) - 2)], edgecolor=PALETTE[0], label=level.name)
              for level_id, (rank, level) in levels.items()]
    gantt.legend(handles=legend, loc="lower right", bbox_to_anchor=(1.0, 1.02), fontsize=7, frameon=False,
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
    rate.set_xlim(0, horizon)
    for axis in (gantt, rate):
        for side in ("top", "right"):
            axis.spines[side].set_visible(False)
    rate.set_xlabel("Months from contract start", fontsize=KEY.size)
    fig.tight_layout()
    if plan.milestones:  # the key, left-aligned under the axis label (the saved figure grows to hold it)
        rate.annotate(_milestone_key(plan), xy=(0, 0), xycoords=("axes fraction", rate.xaxis.label),
                      xytext=(0, -8), textcoords="offset points", ha="left", va="top", fontsize=KEY.size,
                      annotation_clip=False)
    return save(plt, fig, "transition", describe_transition(context), kinds)


def _wrap_label(text: str) -> str:
    return "\n".join(Font(8).wrap(text, 1.5))
