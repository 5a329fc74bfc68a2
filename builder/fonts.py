"""Font files read once with fontTools: which characters a font has, their glyphs' advances and
outlines. The figures measure and outline their text with it, the watermark draws the status
with it, and the text checks find characters a theme's fonts cannot show."""

from __future__ import annotations

import functools
import io
import logging
import threading
from typing import Any


class FontFile:
    """One TrueType or OpenType font: glyph names by character, advances and outlines in font units."""

    def __init__(self, data: bytes) -> None:
        from fontTools.ttLib import TTFont

        font = TTFont(io.BytesIO(data), lazy=True)
        head = logging.getLogger("fontTools.ttLib.tables._h_e_a_d")
        level, head.level = head.level, logging.ERROR  # not "'created' timestamp seems very low"
        try:
            self.units: int = font["head"].unitsPerEm
            self._glyphs = font.getGlyphSet()
        finally:
            head.setLevel(level)
        self.cmap: dict[int, str] = font.getBestCmap() or {}
        self.advances: dict[str, int] = {name: advance for name, (advance, _) in font["hmtx"].metrics.items()}
        self.ascent, self.descent = font["hhea"].ascent, font["hhea"].descent
        self._drawing = threading.Lock()  # outlines are read from the file lazily

    def glyph(self, char: str) -> str:
        """The glyph name of a character (``.notdef`` when the font lacks it)."""
        return self.cmap.get(ord(char), ".notdef")

    def advance(self, glyph: str) -> int:
        return self.advances.get(glyph, self.advances.get(".notdef", self.units // 2))

    def text_advance(self, text: str) -> int:
        """The sum of the advances of the text's glyphs, in font units."""
        return sum(self.advance(self.glyph(char)) for char in text)

    @functools.cached_property
    def characters(self) -> frozenset[str]:
        """Every character the font has a glyph for."""
        return frozenset(chr(point) for point in self.cmap)

    def draw(self, glyph: str, pen: Any) -> None:
        """Draw a glyph's outline with a fontTools pen (font units, y up)."""
        with self._drawing:
            self._glyphs[glyph].draw(pen)

    def pen_glyphs(self) -> Any:
        """The glyph set, for pens that need it (SVGPathPen)."""
        return self._glyphs


@functools.lru_cache(maxsize=16)
def font_file(data: bytes) -> FontFile:
    """The font in ``data``, read once per process."""
    return FontFile(data)
