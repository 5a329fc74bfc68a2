"""The governance bodies by tier, with the escalation routes between them."""

from __future__ import annotations

from builder.compose.context import Context
from builder.render.figures.drawing import INK, KINDS, PALETTE, Font, names, pyplot, role_name, save
from builder.tree import Figure

TIER_ORDER = {"executive": 0, "quality": 1, "operational": 1, "study": 2}  # quality sits beside operations
TITLE, DETAIL = Font(8.5, bold=True), Font(7)


def _bodies(context: Context) -> list:
    return sorted(context.governance, key=lambda b: (TIER_ORDER[b.tier], context.governance.index(b)))


def describe_governance(context: Context) -> str:
    """The figure in words (its alternative text)."""
    titles = {body.id: body.title for body in context.governance}
    parts = [f"{body.title} ({body.tier} tier, meets {body.frequency}, chaired by {role_name(context, body.chair)}"
             + (f", escalates to the {titles[body.escalates_to]}" if body.escalates_to in titles else "") + ")"
             for body in _bodies(context)]
    return "Governance bodies from the top tier down: " + names(parts) + "."


def draw_governance(context: Context, kinds: tuple[str, ...] = KINDS) -> Figure:
    """The governance bodies by tier, with the escalation links between them."""
    plt = pyplot()
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    bodies = _bodies(context)
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
            axis.text(x, y + 0.12, "\n".join(TITLE.wrap(body.title, box_w - 0.2)), ha="center", va="center",
                      fontsize=TITLE.size, fontweight="bold", color=colour)
            detail = f"meets {body.frequency} · chair: {role_name(context, body.chair)}"
            axis.text(x, y - 0.2, "\n".join(DETAIL.wrap(detail, box_w - 0.2)), ha="center", va="center",
                      fontsize=DETAIL.size, color=colour)
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
    return save(plt, fig, "governance", describe_governance(context), kinds, tight=False)
