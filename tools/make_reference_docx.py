"""Generate templates/reference.docx: the style sheet the DOCX writer builds on.

Like pandoc's reference.docx, users may restyle it in Word; the writer only
refers to style names. Built from python-docx's default template, so the output
is byte-identical on every run:

    /work/venv/bin/python tools/make_reference_docx.py [output.docx]
"""

from __future__ import annotations

import copy
import datetime as dt
import sys
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER, WD_UNDERLINE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Length, Pt, RGBColor, Twips
from docx.styles.style import BaseStyle

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.writers.ooxml import (add_clause_numbering, link_styles, save_deterministic,  # noqa: E402
                                   set_app_properties, set_core_properties, set_style_numbering_off)

OUTPUT = ROOT / "templates" / "reference.docx"
FONT = "Calibri"  # LibreOffice substitutes the metric-compatible Carlito
BODY_SIZE = Pt(10.5)
ACCENT = RGBColor(0x1F, 0x4E, 0x79)
GREY = RGBColor(0x59, 0x59, 0x59)
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Twips(11906), Twips(16838), Twips(1417)  # A4, 2.5 cm
TEXT_WIDTH = Twips(11906 - 2 * 1417)  # A4 width less the margins, in twips
CLAUSE_HANG = Cm(1.27)  # matches the clause numbering's 720-twip hanging indent
TOC_NUMBER_COLUMN = Cm(1)  # TOC entries wrap before it: a page number never moves the text


def paragraph_style(doc: DocumentObject, name: str, *, builtin: bool = False,
                    base: str = "Normal", style_id: str | None = None) -> BaseStyle:
    """Return style `name`, adding it as a paragraph style based on `base` if absent."""
    if name in [s.name for s in doc.styles]:
        return doc.styles[name]
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH, builtin=builtin)
    style.base_style = doc.styles[base]
    style.next_paragraph_style = doc.styles["Normal"]
    if style_id:
        style.element.styleId = style_id
    return style


def configure(style: BaseStyle, *, size: Pt | None = None, bold: bool | None = None,
              italic: bool | None = None, colour: RGBColor | None = None,
              before: Pt | None = None, after: Pt | None = None,
              keep_next: bool | None = None) -> None:
    """Set the common character and paragraph properties of `style`.

    Theme-font references are dropped so every style inherits the body font from
    docDefaults (restyling Normal's font in Word then restyles everything).
    """
    remove_children(style, "./w:rPr/w:rFonts")
    font, fmt = style.font, style.paragraph_format
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if colour is not None:
        font.color.rgb = colour
    if before is not None:
        fmt.space_before = before
    if after is not None:
        fmt.space_after = after
    if keep_next is not None:
        fmt.keep_with_next = keep_next
        fmt.keep_together = keep_next


def set_tabs(style: BaseStyle, *stops: tuple[Length, WD_TAB_ALIGNMENT, WD_TAB_LEADER]) -> None:
    """Replace the tab stops of `style`."""
    tabs = style.paragraph_format.tab_stops
    tabs.clear_all()
    for position, alignment, leader in stops:
        tabs.add_tab_stop(position, alignment, leader)


def remove_children(style: BaseStyle, *paths: str) -> None:
    """Drop inherited template properties (theme borders, stray numPr...)."""
    for path in paths:
        for element in style.element.xpath(path):
            element.getparent().remove(element)


def style_defaults(doc: DocumentObject) -> None:
    """docDefaults: Calibri 10.5 pt, 6 pt after, 1.15 lines.

    Normal itself stays empty: paragraph-style values would override the table
    style's compact cell spacing and smaller font.
    """
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts"))
    rfonts.attrib.clear()
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{attr}"), FONT)
    rpr.get_or_add_sz().val = BODY_SIZE
    rpr.find(qn("w:szCs")).set(qn("w:val"), str(int(BODY_SIZE.pt * 2)))
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "120")
    spacing.set(qn("w:line"), "276")


def style_headings(doc: DocumentObject) -> None:
    """Title, Subtitle, Heading 1-3, TOC Heading, Caption, Cover Title, Cover Meta."""
    title = doc.styles["Title"]
    remove_children(title, "./w:pPr/w:pBdr", "./w:rPr/w:spacing", "./w:rPr/w:kern")
    configure(title, size=Pt(26), colour=ACCENT, after=Pt(6))
    subtitle = doc.styles["Subtitle"]
    remove_children(subtitle, "./w:pPr/w:numPr", "./w:rPr/w:spacing", "./w:rPr/w:iCs")
    configure(subtitle, size=Pt(14), italic=False, colour=GREY, after=Pt(12))
    for level, size, before, after in ((1, 15, 18, 6), (2, 12.5, 12, 4), (3, 11, 10, 3)):
        heading = doc.styles[f"Heading {level}"]
        configure(heading, size=Pt(size), bold=True, colour=ACCENT, before=Pt(before),
                  after=Pt(after), keep_next=True)
    toc_heading = doc.styles["TOC Heading"]
    configure(toc_heading, before=Pt(0), after=Pt(12))
    caption = doc.styles["Caption"]
    configure(caption, size=Pt(9), bold=True, colour=ACCENT, before=Pt(3), after=Pt(9))
    image_caption = paragraph_style(doc, "Image Caption", base="Caption")  # pandoc's name for it
    image_caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    image_caption.quick_style = True
    for linked in ("Heading 1 Char", "Heading 2 Char", "Heading 3 Char", "Title Char",
                   "Subtitle Char"):
        source = doc.styles[linked.removesuffix(" Char")].element.rPr
        char_style = doc.styles[linked].element
        remove_children(doc.styles[linked], "./w:rPr")
        char_style.append(copy.deepcopy(source))
    cover_title = paragraph_style(doc, "Cover Title", base="Title")
    configure(cover_title, size=Pt(28), bold=True, colour=ACCENT, before=Pt(120),
              after=Pt(18))
    cover_meta = paragraph_style(doc, "Cover Meta")
    configure(cover_meta, size=Pt(11), colour=GREY, after=Pt(4))


def style_body(doc: DocumentObject) -> None:
    """Lists, clause paragraphs, signature lines, header/footer, hyperlinks."""
    for name in ("List Bullet", "List Number"):
        configure(doc.styles[name], after=Pt(3))
    for name, indent in (("Clause 2", CLAUSE_HANG), ("Clause 3", CLAUSE_HANG * 2)):
        clause = paragraph_style(doc, name)
        configure(clause, after=Pt(6))
        clause.paragraph_format.left_indent = indent
        clause.paragraph_format.first_line_indent = -CLAUSE_HANG
        clause.quick_style = True
    signature = paragraph_style(doc, "Signature")
    configure(signature, before=Pt(24), after=Pt(0))
    signature.paragraph_format.keep_together = True
    for name in ("Header", "Footer"):
        style = doc.styles[name]
        configure(style, size=Pt(8.5), colour=GREY)
        centre = Twips(TEXT_WIDTH.twips // 2)
        set_tabs(style, (centre, WD_TAB_ALIGNMENT.CENTER, WD_TAB_LEADER.SPACES),
                 (TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.SPACES))
    hyperlink = doc.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER, builtin=True)
    hyperlink.base_style = doc.styles["Default Paragraph Font"]
    hyperlink.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    hyperlink.font.underline = WD_UNDERLINE.SINGLE
    hyperlink.priority = 99
    hyperlink.unhide_when_used = True


def style_numbering(doc: DocumentObject) -> None:
    """Headings and clauses numbered by their styles (one multilevel list, levels linked to
    Heading 1-3; Clause 2 and 3 share levels 1 and 2), so a paragraph given "Clause 2" in Word
    is numbered like its neighbours. TOC Heading, based on Heading 1, is not numbered."""
    num_id = add_clause_numbering(doc)
    link_styles(doc, num_id, {0: "Heading1", 1: "Heading2", 2: "Heading3"}, {1: ["Clause2"], 2: ["Clause3"]})
    set_style_numbering_off(doc, "TOCHeading")
    doc.styles["TOC Heading"].paragraph_format.left_indent = 0
    doc.styles["TOC Heading"].paragraph_format.first_line_indent = 0


def style_toc(doc: DocumentObject) -> None:
    """TOC 1-3 under Word's internal names "toc 1".."toc 3" (ids TOC1..TOC3)."""
    for level in (1, 2, 3):
        toc = paragraph_style(doc, f"toc {level}", builtin=True, style_id=f"TOC{level}")
        configure(toc, bold=level == 1, before=Pt(6 if level == 1 else 0), after=Pt(2))
        toc.paragraph_format.left_indent = Cm(0.5 * (level - 1))
        toc.paragraph_format.right_indent = TOC_NUMBER_COLUMN
        set_tabs(toc, (TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS))
        toc.priority = 39
        toc.unhide_when_used = True


TABLE_STYLE = f"""
<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="PlaybookTable">
  <w:name w:val="Playbook Table"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="59"/>
  <w:qFormat/>
  <w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr>
  <w:tblPr>
    <w:tblBorders>
      <w:top w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>
      <w:left w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>
      <w:bottom w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>
      <w:right w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>
      <w:insideV w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="0" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>
      <w:bottom w:w="0" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:bCs/><w:color w:val="1F4E79"/></w:rPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="DEEAF6"/></w:tcPr>
  </w:tblStylePr>
</w:style>
"""


def style_table(doc: DocumentObject) -> None:
    """Add the "Playbook Table" style: light grey grid, shaded bold header row."""
    doc.styles.element.append(parse_xml(TABLE_STYLE))


def page_setup(doc: DocumentObject) -> None:
    """A4 portrait, 2.5 cm margins, header/footer 1.25 cm from the edge."""
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin = section.bottom_margin = MARGIN
    section.left_margin = section.right_margin = MARGIN
    section.header_distance = section.footer_distance = Cm(1.25)


def drop_unused_parts(doc: DocumentObject) -> None:
    """Drop the template's thumbnail and the stale stylesWithEffects copy of styles."""
    for rels in (doc.part.package.rels, doc.part.rels):
        for r_id, rel in list(rels.items()):
            if rel.reltype.endswith(("/thumbnail", "/stylesWithEffects")):
                del rels[r_id]


def build() -> DocumentObject:
    """Return the reference document, built from python-docx's default template."""
    doc = Document()
    style_defaults(doc)
    style_headings(doc)
    style_body(doc)
    style_toc(doc)
    style_numbering(doc)
    style_table(doc)
    page_setup(doc)
    drop_unused_parts(doc)
    doc.core_properties.comments = ""
    set_core_properties(doc, title="Playbook reference styles", subject="",
                        author="playbook-builder", keywords="", created=dt.date(2024, 1, 1))
    set_app_properties(doc, "playbook-builder")  # not python-docx template's "Microsoft Macintosh Word"
    return doc


def main(argv: list[str]) -> int:
    """Write the reference document to argv[0] or templates/reference.docx."""
    output = Path(argv[0]) if argv else OUTPUT
    output.parent.mkdir(parents=True, exist_ok=True)
    save_deterministic(build(), output)
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
