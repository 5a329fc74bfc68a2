"""The transition plan as a Gantt chart: phases coloured by oversight level, the share of
deliverables the sponsor reviews below it, and milestones as circled numbers with a key."""

from __future__ import annotations

from builder.compose.context import Context
from builder.render.figures.drawing import ALERT, AXIS, INK, KINDS, PALETTE, Font, names
from builder.render.figures.svg import Canvas
from builder.tree import Figure

KEY, LABEL, TICK, LEGEND, TITLE, NUMBER = Font(7.5), Font(8), Font(8), Font(7), Font(9.5), Font(6.5, bold=True)
WIDTH = 6.6  # inches, the text width of the page
KEY_WIDTH = 5.3  # inches: from the axis to the right edge
INDENT = 0.25  # a milestone's second line in the key
ROW = 0.5  # a phase's row in the Gantt chart
RATE_HEIGHT = 1.0  # the sampling-rate chart
TICK_LENGTH = 0.05
HATCH = 0.08  # between the lines of an open-ended phase's hatching


def _months(value: float) -> str:
    return f"month {value:g}"


def _milestone_key(plan, width: float) -> list[tuple[float, str]]:
    """'Milestone 2: Study plans approved (month 1)', wrapped to ``width``: (indent, line) pairs."""
    lines = []
    for number, milestone in enumerate(plan.milestones, start=1):
        first, *rest = KEY.wrap(f"Milestone {number}: {milestone.name} ({_months(milestone.month)})", width - INDENT)
        lines += [(0.0, first), *((INDENT, line) for line in rest)]
    return lines


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
    plan = context.transition
    levels = {level.id: (rank, level) for rank, level in enumerate(plan.oversight_levels)}
    last_end = max(p.end_month or p.start_month for p in plan.phases)
    horizon = last_end + max(3, last_end * 0.25)
    labels = [LABEL.wrap(phase.name, 1.5) for phase in plan.phases]
    label_need = max([LABEL.width(line) for lines in labels for line in lines]
                     + ([LABEL.width("Milestones") + 0.07] if plan.milestones else [])) + 0.15
    rate_need = 0.05 + 2 * TICK.line + 0.1 + TICK.width("100") + 0.1
    left, right = max(label_need, rate_need), WIDTH - 0.1
    canvas = Canvas(WIDTH, 0.0)
    top = _header(canvas, levels, left)
    ticks = _ticks(horizon)

    def x_of(month: float) -> float:
        return left + (right - left) * month / horizon

    def y_of(row: float) -> float:  # rows of the Gantt chart: the milestones' at -0.75, phases from 0
        return top + (row + 1.0) * ROW

    bottom = y_of(len(plan.phases) - 0.4)
    for row, phase in enumerate(plan.phases):
        rank, _ = levels.get(phase.oversight, (0, None))
        start, end = x_of(phase.start_month), x_of(phase.end_month if phase.end_month is not None else horizon)
        y = y_of(row) - 0.31 * ROW
        canvas.rect(start, y, end - start, 0.62 * ROW, _colour(rank), PALETTE[0])
        if phase.end_month is None:
            _hatch(canvas, start, y, end - start, 0.62 * ROW)
        middle = y_of(row) - len(labels[row]) * LABEL.line / 2
        canvas.lines(labels[row], left - 0.08, middle, LABEL, INK, anchor="end")
    _axes(canvas, left, right, top, bottom, [x_of(tick) for tick in ticks])
    if plan.milestones:  # a row of circled numbers, named, so that no number reads as a month
        canvas.text(left - 0.15, y_of(-0.75) + 0.35 * LABEL.size / 72, "Milestones", LABEL, ALERT, anchor="end")
    for milestone in plan.milestones:
        canvas.line(x_of(milestone.month), top, x_of(milestone.month), bottom, ALERT, 0.6, stroke_dasharray="1.5 1.5")
    for number, milestone in enumerate(plan.milestones, start=1):
        canvas.circle(x_of(milestone.month), y_of(-0.75), 0.07, "white", ALERT)
        canvas.text(x_of(milestone.month), y_of(-0.75) + 0.35 * NUMBER.size / 72, str(number), NUMBER, ALERT, "middle")
    rate_top = bottom + 0.25
    rate_bottom = rate_top + RATE_HEIGHT
    _rate(canvas, plan, levels, x_of, rate_top, rate_bottom, horizon)
    _axes(canvas, left, right, rate_top, rate_bottom, [x_of(tick) for tick in ticks])
    for tick in ticks:
        canvas.text(x_of(tick), rate_bottom + TICK_LENGTH + 0.13, f"{tick:g}", TICK, INK, "middle")
    for value in (0, 50, 100):
        y = rate_bottom - RATE_HEIGHT * value / 110
        canvas.line(left - TICK_LENGTH, y, left, y, AXIS)
        canvas.text(left - TICK_LENGTH - 0.04, y + 0.35 * TICK.size / 72, str(value), TICK, INK, "end")
    axis_label = left - TICK_LENGTH - 0.1 - TICK.width("100") - TICK.line * 0.3
    for index, line in enumerate(("(% sampled)", "Sponsor review")):
        canvas.text(axis_label - index * TICK.line, (rate_top + rate_bottom) / 2, line, TICK, INK, "middle", -90)
    below = rate_bottom + TICK_LENGTH + 0.31
    canvas.text((left + right) / 2, below, "Months from contract start", KEY, INK, "middle")
    key = _milestone_key(plan, min(KEY_WIDTH, WIDTH - left - 0.05))
    for index, (indent, line) in enumerate(key):
        canvas.text(left + indent, below + 0.1 + (index + 0.8) * KEY.line, line, KEY, INK)
    canvas.height = below + 0.1 + len(key) * KEY.line + 0.05
    return canvas.figure("transition", describe_transition(context), kinds)


def _colour(rank: int) -> str:
    return PALETTE[min(rank, len(PALETTE) - 2)]


def _header(canvas: Canvas, levels: dict, left: float) -> float:
    """The chart's title at the left, the legend of oversight levels at the right; return the y below."""
    canvas.text(left, 0.17, "Phases and oversight level", TITLE, PALETTE[0])
    entries = [(rank, level.name) for rank, level in levels.values()]
    widths = [0.28 + LEGEND.width(name) for _, name in entries]
    room = WIDTH - 0.05 - (left + TITLE.width("Phases and oversight level") + 0.3)
    y = 0.12 if sum(widths) + 0.2 * (len(entries) - 1) <= room else 0.37  # beside the title, else below it
    x = WIDTH - 0.05 - sum(widths) - 0.2 * (len(entries) - 1)
    for (rank, name), width in zip(entries, widths):
        canvas.rect(x, y - 0.06, 0.22, 0.1, _colour(rank), PALETTE[0])
        canvas.text(x + 0.28, y + 0.035, name, LEGEND, INK)
        x += width + 0.2
    return y + 0.15


def _hatch(canvas: Canvas, x: float, y: float, w: float, h: float) -> None:
    """Lines rising to the right (///) across a box, clipped to it."""
    offset = x - h
    while offset < x + w:
        x1, y1, x2, y2 = offset, y + h, offset + h, y
        if x1 < x:
            x1, y1 = x, y1 - (x - x1)
        if x2 > x + w:
            x2, y2 = x + w, y2 + (x2 - x - w)
        if x2 > x1:
            canvas.line(x1, y1, x2, y2, PALETTE[0], 0.6)
        offset += HATCH


def _ticks(horizon: float) -> list[float]:
    """Round months from 0 to the horizon, at most ten steps."""
    step = next(s * 10 ** p for p in range(6) for s in (1, 2, 5) if horizon / (s * 10 ** p) <= 10)
    return [index * step for index in range(int(horizon // step) + 1)]


def _axes(canvas: Canvas, left: float, right: float, top: float, bottom: float, ticks: list[float]) -> None:
    """The left and bottom spines, with tick marks below the bottom one."""
    canvas.polyline([(left, top), (left, bottom), (right, bottom)], AXIS)
    for x in ticks:
        canvas.line(x, bottom, x, bottom + TICK_LENGTH, AXIS)


def _rate(canvas: Canvas, plan, levels: dict, x_of, top: float, bottom: float, horizon: float) -> None:
    """The share of deliverables the sponsor reviews, as a step line over a filled area."""
    points = []
    for phase in plan.phases:
        _, level = levels.get(phase.oversight, (0, None))
        y = bottom - (bottom - top) * (level.sampling_percent if level else 0) / 110
        if points:
            points.append((x_of(phase.start_month), points[-1][1]))
        points.append((x_of(phase.start_month), y))
    points.append((x_of(horizon), points[-1][1]))
    area = [(points[0][0], bottom), *points, (points[-1][0], bottom)]
    canvas.polyline(area, None, fill=PALETTE[2], fill_opacity=0.5)
    canvas.polyline(points, PALETTE[0], stroke_width=1.5)
