"""Figures drawn from a pairing's context, written as SVG (figures/svg.py): SVG for the PDF, and
a PNG of it for Word.

Each figure comes with a description in words, the alternative text of its image. Output is
deterministic: the same content gives the same bytes (no random ids, dates or software names).
"""

from __future__ import annotations

from typing import Callable

from builder.compose.context import Context
from builder.render.figures.drawing import KINDS
from builder.render.figures.escalation import draw_escalation
from builder.render.figures.governance import draw_governance
from builder.render.figures.transition import draw_transition
from builder.tree import Figure

FIGURES: dict[str, Callable[..., Figure]] = {
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
    # a character the fonts lack shows as the font's .notdef box; the text checks (text_checks.py) report it
    return {name: FIGURES[name](context, kinds) for name in dict.fromkeys(names)}


__all__ = ["FIGURES", "KINDS", "available_figures", "draw_figures"]
