"""A figure as SVG, written directly: shapes and text placed in inches (y down), saved with real
text (for the PDF and HTML: selectable, read by WeasyPrint with the page's Carlito) or with the
text as glyph outlines (for the PNG, so rsvg-convert needs no font installed). Same input, same
bytes: no ids but the glyphs' names, no dates, fixed number formats."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from builder.render.figures.drawing import FAMILY, Font, face, outline
from builder.tree import Figure
from builder.writers.svg_raster import rasterise

PT = 72.0  # SVG units (points) per inch
PNG_DPI = 200


def num(value: float) -> str:
    """A coordinate in points, at most two decimals, no trailing zeros."""
    text = f"{value * PT:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _attributes(options: dict[str, object]) -> str:
    return "".join(f" {key.replace('_', '-')}={quoteattr(str(value))}" for key, value in options.items()
                   if value is not None)


@dataclass(frozen=True)
class Text:
    """One line of text: its baseline starts (anchor start), centres (middle) or ends (end) at x."""

    x: float
    y: float
    text: str
    font: Font
    colour: str
    anchor: str = "start"
    rotate: float = 0.0  # degrees, about (x, y)


@dataclass
class Canvas:
    """Shapes and text of a figure ``width`` x ``height`` inches."""

    width: float
    height: float
    items: list[str | Text] = field(default_factory=list)

    def shape(self, tag: str, **options: object) -> None:
        """Any SVG shape, its attributes as given (lengths already written with ``num``)."""
        self.items.append(f"<{tag}{_attributes(options)}/>")

    def rect(self, x: float, y: float, w: float, h: float, fill: str, stroke: str | None = None,
             stroke_width: float = 0.6, radius: float = 0.0, **options: object) -> None:
        self.shape("rect", x=num(x), y=num(y), width=num(w), height=num(h), rx=num(radius) if radius else None,
                   fill=fill, stroke=stroke, stroke_width=stroke_width if stroke else None, **options)

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str, stroke_width: float = 0.8,
             **options: object) -> None:
        self.shape("line", x1=num(x1), y1=num(y1), x2=num(x2), y2=num(y2), stroke=stroke,
                   stroke_width=stroke_width, **options)

    def polyline(self, points: list[tuple[float, float]], stroke: str | None, fill: str = "none",
                 stroke_width: float = 0.8, **options: object) -> None:
        self.shape("polyline", points=" ".join(f"{num(x)},{num(y)}" for x, y in points), fill=fill, stroke=stroke,
                   stroke_width=stroke_width if stroke else None, stroke_linejoin="miter", **options)

    def circle(self, x: float, y: float, r: float, fill: str, stroke: str, stroke_width: float = 0.6) -> None:
        self.shape("circle", cx=num(x), cy=num(y), r=num(r), fill=fill, stroke=stroke, stroke_width=stroke_width)

    def arrow(self, points: list[tuple[float, float]], colour: str, stroke_width: float = 0.9,
              head: float = 0.08) -> None:
        """A line through ``points`` with a filled head at the last one."""
        (x1, y1), (x2, y2) = points[-2], points[-1]
        length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5 or 1.0
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        base = (x2 - ux * head, y2 - uy * head)
        self.polyline([*points[:-1], base], colour, stroke_width=stroke_width)
        half = head * 0.4
        corners = [(base[0] - uy * half, base[1] + ux * half), (base[0] + uy * half, base[1] - ux * half)]
        self.polyline([(x2, y2), *corners], None, fill=colour)

    def text(self, x: float, y: float, text: str, font: Font, colour: str, anchor: str = "start",
             rotate: float = 0.0) -> None:
        """One line of text, its baseline at ``y``."""
        if text.strip():
            self.items.append(Text(x, y, text, font, colour, anchor, rotate))

    def lines(self, lines: list[str], x: float, top: float, font: Font, colour: str, anchor: str = "start") -> float:
        """Lines of text downwards from ``top``; return the y below the last line."""
        for index, line in enumerate(lines):
            self.text(x, top + (index + 0.8) * font.line, line, font, colour, anchor)
        return top + len(lines) * font.line

    def svg(self, outlines: bool = False) -> bytes:
        """The figure as an SVG document; text as ``<text>``, or as glyph outlines."""
        used: dict[tuple[bool, str], str] = {}
        body = [item if isinstance(item, str) else _outlined(item, used) if outlines else _text(item)
                for item in self.items]
        defs = [f'<path id="{ref}" d="{outline(bold, glyph)}"/>' for (bold, glyph), ref in used.items()]
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                f'width="{num(self.width)}pt" height="{num(self.height)}pt" '
                f'viewBox="0 0 {num(self.width)} {num(self.height)}">')
        parts = [head, *(["<defs>", *defs, "</defs>"] if defs else []), *body, "</svg>\n"]
        return "\n".join(parts).encode("utf-8")

    def figure(self, name: str, description: str, kinds: tuple[str, ...]) -> Figure:
        """The figure in the kinds asked for: SVG with real text, and/or a PNG of its outlined SVG."""
        svg = self.svg() if "svg" in kinds else b""
        png = rasterise(self.svg(outlines=True), round(self.width * PNG_DPI)).png if "png" in kinds else b""
        return Figure(name, svg, png, self.width, description)


def _text(item: Text) -> str:
    options = {"x": num(item.x), "y": num(item.y), "font-family": FAMILY, "font-size": f"{item.font.size:g}",
               "font-weight": "bold" if item.font.bold else None,
               "text-anchor": item.anchor if item.anchor != "start" else None, "fill": item.colour,
               "transform": f"rotate({item.rotate:g} {num(item.x)} {num(item.y)})" if item.rotate else None}
    return f"<text{_attributes(options)}>{escape(item.text)}</text>"


def _outlined(item: Text, used: dict[tuple[bool, str], str]) -> str:
    """The line as glyph references: each glyph's outline defined once, placed by its advance."""
    font = face(item.font.bold)
    scale = item.font.size / font.units
    shift = {"start": 0.0, "middle": 0.5, "end": 1.0}[item.anchor] * item.font.advance(item.text)
    x = item.x - shift
    uses = []
    for char in item.text:
        glyph = font.glyph(char)
        if char != " ":
            ref = used.setdefault((item.font.bold, glyph), f"g{'b' if item.font.bold else 'r'}{len(used)}")
            uses.append(f'<use xlink:href="#{ref}" transform="translate({num(x)} {num(item.y)}) '
                        f'scale({scale:.5g} {-scale:.5g})"/>')
        x += font.advance(glyph) * item.font.size / (font.units * PT)
    rotate = f' transform="rotate({item.rotate:g} {num(item.x)} {num(item.y)})"' if item.rotate else ""
    return f'<g fill="{item.colour}"{rotate}>' + "".join(uses) + "</g>"
