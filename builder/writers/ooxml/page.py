"""Headers, footers and the text watermark."""

from __future__ import annotations

import re
import zlib
from xml.sax.saxutils import escape, quoteattr

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import RGBColor
from docx.text.paragraph import Paragraph

from builder.writers.ooxml.fields import add_field
from builder.writers.ooxml.schema import insert_after_ppr

# Word's own text-watermark markup: shape type 136 (WordArt) centred on the margins.
_WATERMARK_FORMULAS = (
    "sum #0 0 10800;prod #0 2 1;sum 21600 0 @1;sum 0 0 @2;sum 21600 0 @3;if @0 @3 0;"
    "if @0 21600 @1;if @0 0 @2;if @0 @4 21600;mid @5 @6;mid @8 @5;mid @7 @8;mid @6 @7;sum @6 0 @5"
)
_FIRST_SHAPE_ID = 2048  # Word's shapes are _x0000_s2049, _x0000_s2050, ...
_WATERMARK_RUN = (
    '<w:r {ns} xmlns:v="urn:schemas-microsoft-com:vml"'
    ' xmlns:o="urn:schemas-microsoft-com:office:office"'
    ' xmlns:w10="urn:schemas-microsoft-com:office:word"><w:rPr><w:noProof/></w:rPr><w:pict>'
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"'
    ' path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>{formulas}</v:formulas>'
    '<v:path textpathok="t" o:connecttype="custom"'
    ' o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/>'
    '<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>'
    '<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
    '<v:shape id="{shape_id}" o:spid="{spid}" type="#_x0000_t136" o:allowincell="f"'
    ' fillcolor="silver" stroked="f" style="position:absolute;margin-left:0;margin-top:0;'
    "width:{width}pt;height:{height}pt;rotation:315;z-index:-251657216;"
    "mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
    'mso-position-vertical:center;mso-position-vertical-relative:margin">'
    '<v:fill opacity=".5"/>'
    '<v:textpath style="font-family:&quot;{font}&quot;;font-size:1pt" string={text}/>'
    '<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>'
)


def add_page_number_footer(section: Section, text_before: str = "Page ",
                           text_between: str = " of ", *,
                           alignment: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER) -> Paragraph:
    """Write "Page {PAGE} of {NUMPAGES}", with real fields, as the section's footer."""
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    _clear_text_runs(paragraph)
    paragraph.alignment = alignment
    paragraph.add_run(text_before)
    add_field(paragraph, "PAGE", "1")
    paragraph.add_run(text_between)
    add_field(paragraph, "NUMPAGES", "1")
    return paragraph


def set_header_text(section: Section, left: str, right: str, *, left_colour: str | None = None) -> Paragraph:
    """Write `left` and `right` on one header line, split by a right tab at the margin;
    with `left_colour` ("#RRGGBB"), `left` is bold in that colour (a document title).

    The Header style's other tab stops (e.g. its centre tab) are cleared.
    """
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    _clear_text_runs(paragraph)
    width = section.page_width - section.left_margin - section.right_margin
    tab_stops = paragraph.paragraph_format.tab_stops
    for stop in paragraph.style.paragraph_format.tab_stops if paragraph.style else []:
        if stop.position != width:
            tab_stops.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)
    tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    if left_colour is None:
        paragraph.add_run(f"{left}\t{right}")
        return paragraph
    title = paragraph.add_run(left)
    title.bold = True
    title.font.color.rgb = RGBColor.from_string(left_colour.lstrip("#").upper())
    paragraph.add_run(f"\t{right}")
    return paragraph


def add_draft_watermark(section: Section, text: str = "DRAFT", *, first_page: bool = False,
                        font: str = "Calibri") -> None:
    """Put a diagonal, semi-transparent text watermark in the section's header (or the
    first-page header, when the first page has its own).

    The VML Word's Watermark command writes (LibreOffice renders it), with a shape id and
    o:spid of its own in each header, as Word numbers them. Idempotent.
    """
    header = section.first_page_header if first_page else section.header
    header.is_linked_to_previous = False
    if header.part.element.xpath('//*[starts-with(@id, "PowerPlusWaterMarkObject")]'):
        return
    part_name = str(header.part.partname)  # /word/header2.xml: unique and stable
    number = int(re.sub(r"\D", "", part_name) or 0)
    chars = max(len(text), 1)
    width = min(74.4 * chars, 460.0)  # 120 pt capitals at ~0.62 em each, capped at the margins
    run = parse_xml(_WATERMARK_RUN.format(
        ns=nsdecls("w"), width=f"{width:.1f}", height=f"{width / (0.62 * chars):.1f}",
        text=quoteattr(text), font=escape(font, {"\"": "&quot;"}),
        spid=f"_x0000_s{_FIRST_SHAPE_ID + number}",
        shape_id=f"PowerPlusWaterMarkObject{zlib.crc32(part_name.encode()) & 0x7FFFFFF}",
        formulas="".join(f'<v:f eqn="{eqn}"/>' for eqn in _WATERMARK_FORMULAS.split(";")),
    ))
    insert_after_ppr(header.paragraphs[0], run)
    _reserve_shape_ids(header.part.package.main_document_part.settings.element, _FIRST_SHAPE_ID + number)


def _reserve_shape_ids(settings: BaseOxmlElement, highest: int) -> None:
    """Keep o:shapedefaults' spidmax above the shape ids in use, so Word numbers new shapes after them."""
    for defaults in settings.xpath('.//*[local-name()="shapedefaults"][@spidmax]'):
        defaults.set("spidmax", str(max(int(defaults.get("spidmax")), highest + 1)))


def _clear_text_runs(paragraph: Paragraph) -> None:
    """Remove runs, simple fields and links from `paragraph`, keeping pictures (watermark)."""
    for child in list(paragraph._p):
        text_like = child.tag in (qn("w:r"), qn("w:hyperlink"), qn("w:fldSimple"))
        if text_like and not child.xpath(".//w:pict | .//w:drawing"):
            paragraph._p.remove(child)
