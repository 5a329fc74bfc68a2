"""The sponsor's theme (theme.yaml) in the Word file, as in the PDF: fonts and colours set in the
document's styles, so a paragraph a lawyer adds in Word looks like its neighbours; the logo on
the cover.

- Fonts: the body font is the document default; the headings font is set on the heading, title
  and cover styles. Both are also the Word theme's body and headings fonts (Design > Fonts), and
  the font table names a metric-compatible twin for readers who lack them (Calibri for
  Carlito), so Word keeps the same line breaks.
- Colours: the primary colour on headings, titles, captions, the table header row (its text,
  over a light tint of it) and the running header's title; RACI cells keep their own swatches.
"""

from __future__ import annotations

from docx.document import Document as WordDocument

from builder.tree.theme import Logo, Theme
from builder.writers import ooxml
from builder.writers.svg_raster import Raster, rasterise, svg_size

HEADING_STYLES = ("Heading 1", "Heading 2", "Heading 3", "Title", "Subtitle", "Cover Title", "TOC Heading")
PRIMARY_STYLES = ("Heading 1", "Heading 2", "Heading 3", "Title", "Cover Title", "Caption", "TOC Heading")
TABLE_STYLE = "Playbook Table"
HEADER_TINT = 0.86  # the table header row's fill: the primary colour mixed with this much white
LOGO_HEIGHT_INCHES = 0.6  # on the cover, as the PDF's 15 mm
LOGO_PIXELS_PER_INCH = 300
# Open fonts made to take the place of Microsoft's, with the same widths.
METRIC_TWINS = {
    "carlito": "Calibri", "caladea": "Cambria", "liberation sans": "Arial", "liberation serif": "Times New Roman",
    "liberation mono": "Courier New", "arimo": "Arial", "tinos": "Times New Roman", "cousine": "Courier New",
}


def apply_theme(document: WordDocument, theme: Theme) -> None:
    """Set the theme's fonts and primary colour in the document's styles (missing styles are skipped)."""
    names = {style.name for style in document.styles}
    ooxml.set_default_font(document, theme.body_font)
    for name in HEADING_STYLES:
        if name in names:
            ooxml.set_style_font(document, name, theme.heading_font)
    ooxml.set_theme_fonts(document, headings=theme.heading_font, body=theme.body_font)
    for family in dict.fromkeys((theme.body_font, theme.heading_font)):
        ooxml.declare_font(document, family, METRIC_TWINS.get(family.lower()))
    for name in PRIMARY_STYLES:
        if name in names:
            ooxml.set_style_colour(document, name, theme.primary)
    if TABLE_STYLE in names:
        ooxml.set_table_header_colours(document, TABLE_STYLE, text=theme.primary, fill=tint(theme.primary))


def tint(colour: str, white: float = HEADER_TINT) -> str:
    """`colour` ("#RRGGBB") mixed with `white` parts of white."""
    channels = [int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(c + (255 - c) * white):02X}" for c in channels)


def logo_images(logo: Logo) -> tuple[bytes, bytes, bool]:
    """(png, svg, drawn) for the cover: a PNG logo as it is; an SVG logo with a PNG of it (the
    theme's own, else rendered; drawn is False when the PNG is only a transparent stand-in)."""
    if logo.media_type != "image/svg+xml":
        return logo.data, b"", True
    if logo.png:
        return logo.png, logo.data, True
    raster: Raster = rasterise(logo.data, round(LOGO_HEIGHT_INCHES * LOGO_PIXELS_PER_INCH * _aspect(logo.data)))
    return raster.png, logo.data, raster.drawn


def _aspect(svg: bytes) -> float:
    width, height = svg_size(svg)
    return width / height
