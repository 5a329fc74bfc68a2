"""The DRAFT / IN REVIEW watermark as glyph outlines: a page background, never text.

The status is drawn with the theme's heading font (fontTools turns each glyph into SVG path
data) and painted as the @page background, so a reader copying or extracting the text gets
none of it, and a tagged PDF marks it as an artifact. Only path data reaches the CSS.
"""

from __future__ import annotations

import base64
import functools

from builder.fonts import font_file
from builder.tree.theme import FontFace, Theme

MM_PER_PT = 25.4 / 72
PAGE_SIZES = {"A4": (210.0, 297.0), "letter": (215.9, 279.4)}  # mm
BODY_MARGINS = (25.0, 22.0, 22.0, 22.0)  # print.css @page margin: top right bottom left (mm)
LOOK = {"size_pt": 120.0, "spacing_em": 0.08, "colour": "#F2DCDB", "angle": -50.0, "top": 0.42}


def watermark_css(text: str, theme: Theme, page_size: str) -> str:
    """An ``@page`` rule painting ``text`` across every page ("" for no text or no font)."""
    face = _heading_face(theme)
    if not text or face is None:
        return ""
    svg = _svg(text, face.data, PAGE_SIZES.get(page_size, PAGE_SIZES["A4"]))
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("ascii")).decode("ascii")
    # fixed: positioned on the whole page, not inside its margins
    return f'@page {{ background: url("{uri}") no-repeat fixed 0 0 / 100% 100%; }}'


def _heading_face(theme: Theme) -> FontFace | None:
    """The bold upright face of the heading family (else its first face, else any)."""
    faces = [face for face in theme.fonts if face.family == theme.heading_font] or list(theme.fonts)
    return next((face for face in faces if face.bold and not face.italic), faces[0] if faces else None)


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


@functools.lru_cache(maxsize=16)
def _svg(text: str, font_data: bytes, page: tuple[float, float]) -> str:
    """An SVG of the page with ``text`` drawn as one path, rotated about the body's centre."""
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.pens.transformPen import TransformPen

    font = font_file(font_data)
    size = LOOK["size_pt"] * MM_PER_PT
    scale = size / font.units  # font units -> mm
    pen = SVGPathPen(font.pen_glyphs(), ntos=_number)
    advance = 0.0
    for char in text:
        name = font.glyph(char)
        font.draw(name, TransformPen(pen, (scale, 0, 0, -scale, advance, 0)))
        advance += font.advance(name) * scale + LOOK["spacing_em"] * size
    ascent, descent = font.ascent * scale, -font.descent * scale
    baseline = (size - (ascent + descent)) / 2 + ascent  # in a line box as tall as the font size
    width, height = page
    top, right, bottom, left = BODY_MARGINS
    centre_x = left + (width - left - right) / 2
    centre_y = top + LOOK["top"] * (height - top - bottom) + size / 2
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}mm" height="{height}mm" '
            f'viewBox="0 0 {width} {height}"><g transform="translate({centre_x:.3f} {centre_y:.3f}) '
            f'rotate({LOOK["angle"]:g}) translate({-advance / 2:.3f} {baseline - size / 2:.3f})">'
            f'<path fill="{LOOK["colour"]}" d="{pen.getCommands()}"/></g></svg>')
