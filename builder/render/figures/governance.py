"""The governance bodies by tier, with the escalation routes between them."""

from __future__ import annotations

from builder.compose.context import Context
from builder.render.figures.drawing import INK, KINDS, PALETTE, Font, names, role_name
from builder.render.figures.svg import Canvas
from builder.tree import Figure

TIER_ORDER = {"executive": 0, "quality": 1, "operational": 1, "study": 2}  # quality sits beside operations
TITLE, DETAIL = Font(8.5, bold=True), Font(7)
WIDTH, ROW, BOX_HEIGHT, MAX_BOX_WIDTH = 6.6, 1.1, 0.78, 3.6  # inches
ROUND = 0.02  # the boxes' rounded corners, outside the box
ARROW = "#7F7F7F"
MEETS = {  # "meets ..." for each charter frequency, as the text would say it
    "bi-weekly": "every two weeks", "semi-annual": "every six months", "annual": "once a year",
    "per-event": "when an event requires", "as-needed": "as needed",
}


def meets(frequency: str) -> str:
    """How often a body meets, as words after "meets": "monthly", "every six months"."""
    return MEETS.get(frequency, frequency)


def _bodies(context: Context) -> list:
    return sorted(context.governance, key=lambda b: (TIER_ORDER[b.tier], context.governance.index(b)))


def describe_governance(context: Context) -> str:
    """The figure in words (its alternative text)."""
    titles = {body.id: body.title for body in context.governance}
    parts = [f"{body.title} ({body.tier} tier, meets {meets(body.frequency)}, "
             f"chaired by {role_name(context, body.chair)}"
             + (f", escalates to the {titles[body.escalates_to]}" if body.escalates_to in titles else "") + ")"
             for body in _bodies(context)]
    return "Governance bodies from the top tier down: " + names(parts) + "."


def draw_governance(context: Context, kinds: tuple[str, ...] = KINDS) -> Figure:
    """The governance bodies by tier, with the escalation links between them."""
    bodies = _bodies(context)
    tiers = sorted({TIER_ORDER[b.tier] for b in bodies})
    row_of = {tier: row for row, tier in enumerate(tiers)}
    per_row: dict[int, list] = {}
    for body in bodies:
        per_row.setdefault(row_of[TIER_ORDER[body.tier]], []).append(body)
    canvas = Canvas(WIDTH, ROW * len(tiers) + 0.2)
    centres, halves = {}, {}
    for row, members in per_row.items():
        slot = WIDTH / len(members)
        box_w = min(MAX_BOX_WIDTH, slot - 0.3)
        for index, body in enumerate(members):
            x, y = slot * (index + 0.5), 0.7 + ROW * row
            centres[body.id], halves[body.id] = (x, y), box_w / 2
            dark = row == 0
            canvas.rect(x - box_w / 2 - ROUND, y - BOX_HEIGHT / 2 - ROUND, box_w + 2 * ROUND, BOX_HEIGHT + 2 * ROUND,
                        PALETTE[0 if dark else 3], PALETTE[0], stroke_width=0.8, radius=ROUND)
            colour = "white" if dark else INK
            _centred(canvas, TITLE.wrap(body.title, box_w - 0.2), x, y - 0.12, TITLE, colour)
            detail = f"meets {meets(body.frequency)} · chair: {role_name(context, body.chair)}"
            _centred(canvas, DETAIL.wrap(detail, box_w - 0.2), x, y + 0.2, DETAIL, colour)
    for body in bodies:
        if body.escalates_to and body.escalates_to in centres:
            (x1, y1), (x2, y2) = centres[body.id], centres[body.escalates_to]
            if abs(y2 - y1) > 1.2:  # passes another tier: go round it on the right
                start, end = (x1 + halves[body.id], y1), (x2 + halves[body.escalates_to], y2)
                bar = max(start[0], end[0]) + 0.12 * abs(y2 - y1)
                canvas.arrow([start, (bar, y1), (bar, y2), end], ARROW, head=0.07)
            else:
                canvas.arrow([(x1, y1 - BOX_HEIGHT / 2 - 0.03), (x2, y2 + BOX_HEIGHT / 2 + 0.03)], ARROW, head=0.07)
    return canvas.figure("governance", describe_governance(context), kinds)


def _centred(canvas: Canvas, lines: list[str], x: float, middle: float, font: Font, colour: str) -> None:
    """Lines centred on ``x``, the block of them centred on ``middle``."""
    canvas.lines(lines, x, middle - len(lines) * font.line / 2, font, colour, anchor="middle")
