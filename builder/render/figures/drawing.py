"""What every figure shares: matplotlib with the shipped fonts, the palette, text measured to fit,
and saving as deterministic SVG and PNG."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

from builder.compose.context import Context
from builder.render.templates import SHIPPED_TEMPLATES
from builder.tree import Figure

PALETTE = ["#1F4E79", "#2E75B6", "#9DC3E6", "#DEEBF7", "#F2F2F2"]
INK = "#262626"
ALERT = "#C00000"
FONT_FILES = ["Carlito-Regular.ttf", "Carlito-Bold.ttf"]
FAMILY = ["Carlito", "DejaVu Sans"]
KINDS = ("svg", "png")
LINE_SPACING = 1.3  # baseline to baseline, in font sizes
RASTER_SLACK = 1.05  # hinted text in the PNG runs up to ~3 % wider than its outlines

STYLE = {  # applied while figures are drawn only (rc_context), never to the whole process
    "svg.hashsalt": "playbook-builder",
    "svg.fonttype": "path",
    "font.family": FAMILY,
    "font.size": 9,
    "axes.edgecolor": "#BFBFBF",
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "text.parse_math": False,  # content text is text: a "$" is a dollar sign
}


def pyplot():
    """matplotlib's pyplot on the Agg backend, with the shipped fonts registered."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    _register_fonts()
    return plt


@lru_cache(maxsize=1)
def _register_fonts() -> None:
    from matplotlib import font_manager

    for name in FONT_FILES:
        path = SHIPPED_TEMPLATES / "fonts" / name
        if path.is_file():
            font_manager.fontManager.addfont(str(path))


def save(plt, fig, name: str, description: str, kinds: tuple[str, ...], tight: bool = True) -> Figure:
    """The figure as SVG (for HTML and PDF) and/or PNG (for Word): only the kinds asked for."""
    svg, png = io.BytesIO(), io.BytesIO()
    bbox = "tight" if tight else None
    if "svg" in kinds:
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches=bbox)
    if "png" in kinds:
        fig.savefig(png, format="png", dpi=200, metadata={"Software": None}, bbox_inches=bbox)
    width = fig.get_size_inches()[0]
    plt.close(fig)
    return Figure(name, svg.getvalue(), png.getvalue(), float(width), description)


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
    """A size and weight of the figures' font."""

    size: float
    bold: bool = False

    @property
    def line(self) -> float:
        """Height of one line, in inches."""
        return self.size * LINE_SPACING / 72

    def width(self, text: str) -> float:
        """Width of ``text`` on one line, in inches (with room for the PNG's hinting)."""
        return _text_width(text, self.size, self.bold) * RASTER_SLACK

    def wrap(self, text: str, width: float) -> list[str]:
        """``text`` broken into lines no wider than ``width`` inches (a word longer than that stays whole)."""
        lines: list[str] = []
        for word in text.split():
            if lines and self.width(lines[-1] + " " + word) <= width:
                lines[-1] += " " + word
            else:
                lines.append(word)
        return lines or [""]


@lru_cache(maxsize=4096)
def _text_width(text: str, size: float, bold: bool) -> float:
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    _register_fonts()
    properties = FontProperties(family=FAMILY, size=size, weight="bold" if bold else "normal")
    width, _, _ = TextToPath().get_text_width_height_descent(text, properties, ismath=False)
    return width / 72


def draw_lines(axis, lines: list[str], x: float, top: float, font: Font, colour: str, **options) -> float:
    """Draw lines of text downwards from ``top`` (inches); return the y below the last line."""
    for index, line in enumerate(lines):
        axis.text(x, top - (index + 0.8) * font.line, line, fontsize=font.size, color=colour,
                  fontweight="bold" if font.bold else "normal", va="baseline", **options)
    return top - len(lines) * font.line
