"""What every figure shares: the palette, text measured with the shipped Carlito fonts to fit,
and the figure itself (figures/svg.py) saved as deterministic SVG and PNG."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from builder.compose.context import Context
from builder.fonts import FontFile, font_file
from builder.render.folders import SHIPPED_TEMPLATES

PALETTE = ["#1F4E79", "#2E75B6", "#9DC3E6", "#DEEBF7", "#F2F2F2"]
INK = "#262626"
ALERT = "#C00000"
AXIS = "#BFBFBF"
FONT_FILES = {False: "Carlito-Regular.ttf", True: "Carlito-Bold.ttf"}
FAMILY = "Carlito, Calibri, 'DejaVu Sans', sans-serif"  # Calibri has Carlito's metrics
KINDS = ("svg", "png")
LINE_SPACING = 1.3  # baseline to baseline, in font sizes
SLACK = 1.03  # room for a renderer placing glyphs a little differently from their advances


def role_name(context: Context, role_id: str) -> str:
    """A role's short title (for narrow places), else its title without the parenthesis."""
    if not context.has_role(role_id):
        return role_id
    role = context.role(role_id)
    return role.short_title or role.title.split(" (")[0]


def names(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``; ``a; b, c; d`` when a name has a comma of its own."""
    if any("," in item for item in items):
        return "; ".join(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@dataclass(frozen=True)
class Font:
    """A size (points) and weight of the figures' font; lengths in inches."""

    size: float
    bold: bool = False

    @property
    def line(self) -> float:
        """Height of one line, in inches."""
        return self.size * LINE_SPACING / 72

    def width(self, text: str) -> float:
        """Width of ``text`` on one line, in inches (with a little slack)."""
        return self.advance(text) * SLACK

    def advance(self, text: str) -> float:
        """The sum of the glyphs' advances, in inches (no slack)."""
        return _advance_units(text, self.bold) * self.size / (72 * face(self.bold).units)

    def wrap(self, text: str, width: float) -> list[str]:
        """``text`` broken into lines no wider than ``width`` inches (a word longer than that stays whole)."""
        lines: list[str] = []
        for word in text.split():
            if lines and self.width(lines[-1] + " " + word) <= width:
                lines[-1] += " " + word
            else:
                lines.append(word)
        return lines or [""]


@lru_cache(maxsize=2)
def face(bold: bool) -> FontFile:
    """The shipped Carlito face the figures' text is set in."""
    return font_file((SHIPPED_TEMPLATES / "fonts" / FONT_FILES[bold]).read_bytes())


@lru_cache(maxsize=1024)
def outline(bold: bool, glyph: str) -> str:
    """A glyph's outline as SVG path data, in font units, y up."""
    from fontTools.pens.svgPathPen import SVGPathPen

    font = face(bold)
    pen = SVGPathPen(font.pen_glyphs())
    font.draw(glyph, pen)
    return pen.getCommands()


@lru_cache(maxsize=4096)
def _advance_units(text: str, bold: bool) -> int:
    return face(bold).text_advance(text)
