"""Styles, fonts and the theme part: what a sponsor's theme changes in a Word file."""

from __future__ import annotations

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import RGBColor
from lxml import etree

from builder.writers.ooxml.schema import HEX_COLOUR, get_or_insert

_DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"
# Children of CT_RPr after w:rFonts / w:color (schema order).
_AFTER_RFONTS = tuple(f"w:{tag}" for tag in (
    "b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid vanish "
    "webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs "
    "em lang eastAsianLayout specVanish oMath").split())
_AFTER_COLOR = _AFTER_RFONTS[_AFTER_RFONTS.index("w:color") + 1:]
_AFTER_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")


def set_fonts(run_properties, family: str) -> None:
    """Name `family` for Latin and complex-script text in a w:rPr (theme-font references dropped)."""
    fonts = get_or_insert(run_properties, "w:rFonts", _AFTER_RFONTS)
    for attribute in ("asciiTheme", "hAnsiTheme", "cstheme", "eastAsiaTheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "cs"):
        fonts.set(qn(f"w:{attribute}"), family)


def set_default_font(document: Document, family: str) -> None:
    """The document's default font (docDefaults), which every style without its own inherits."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = document.styles.element.insert(0, OxmlElement("w:docDefaults"))
    run_default = get_or_insert(defaults, "w:rPrDefault", ("w:pPrDefault",))
    set_fonts(get_or_insert(run_default, "w:rPr", ()), family)


def set_style_font(document: Document, style_name: str, family: str) -> None:
    """The font of one style (its own w:rFonts)."""
    set_fonts(document.styles[style_name].element.get_or_add_rPr(), family)


def set_style_colour(document: Document, style_name: str, colour: str) -> None:
    """The text colour of one style ("#RRGGBB")."""
    document.styles[style_name].font.color.rgb = RGBColor.from_string(_hex(colour))


def set_table_header_colours(document: Document, style_name: str, text: str, fill: str) -> None:
    """The header row (firstRow) of a table style: its text colour and its shading."""
    style = document.styles[style_name].element
    first_row = style.xpath('./w:tblStylePr[@w:type="firstRow"]')
    if first_row:
        conditional = first_row[0]
    else:
        conditional = parse_xml(f'<w:tblStylePr {nsdecls("w")} w:type="firstRow"/>')
        style.append(conditional)
    run_properties = get_or_insert(conditional, "w:rPr", ("w:tblPr", "w:trPr", "w:tcPr"))
    get_or_insert(run_properties, "w:color", _AFTER_COLOR).set(qn("w:val"), _hex(text))
    cell_properties = get_or_insert(conditional, "w:tcPr", ())
    shading = get_or_insert(cell_properties, "w:shd", _AFTER_SHD)
    for attribute, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", _hex(fill))):
        shading.set(qn(attribute), value)


def declare_font(document: Document, family: str, alternative: str | None = None) -> None:
    """List `family` in the font table, with the font a reader without it should use (w:altName:
    a metric-compatible twin, such as Calibri for Carlito, keeps the pages the same)."""
    table = document.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(table.blob)
    w = root.nsmap.get("w") or "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for existing in root.findall(f"{{{w}}}font"):
        if existing.get(f"{{{w}}}name") == family:
            root.remove(existing)
    font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": family})
    if alternative:
        etree.SubElement(font, f"{{{w}}}altName", {f"{{{w}}}val": alternative})
    etree.SubElement(font, f"{{{w}}}family", {f"{{{w}}}val": "swiss"})
    etree.SubElement(font, f"{{{w}}}pitch", {f"{{{w}}}val": "variable"})
    table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def set_theme_fonts(document: Document, headings: str, body: str) -> None:
    """The theme's major (headings) and minor (body) Latin fonts, as Word's Design > Fonts shows them."""
    theme = document.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme.blob)
    for which, family in (("majorFont", headings), ("minorFont", body)):
        for latin in root.iter(f"{{{_DRAWING}}}{which}"):
            typeface = latin.find(f"{{{_DRAWING}}}latin")
            if typeface is not None:
                typeface.set("typeface", family)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _hex(colour: str) -> str:
    value = colour.lstrip("#").upper()
    if not HEX_COLOUR.fullmatch(value):
        raise ValueError(f"a colour must be six hex digits, not {colour!r}")
    return value

