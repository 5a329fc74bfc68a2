"""builder.writers.ooxml and templates/reference.docx, read back as a reader would."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import re
import shutil
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from builder.writers import ooxml

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "templates" / "reference.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
PPR_ORDER = [qn(f"w:{t}") for t in (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
    "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle "
    "rPr sectPr pPrChange").split()]
TRPR_ORDER = [qn(f"w:{t}") for t in (
    "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader "
    "tblCellSpacing jc hidden ins del trPrChange").split()]
TOC_ENTRIES = [(1, "Scope", "_Ref_scope", "1"), (2, "Purpose", "_Ref_purpose"),
               (1, "Responsibilities", "_Ref_resp")]


def build_sample() -> Document:
    """A small Quality Agreement-like document that uses every helper."""
    doc = Document(str(REFERENCE))
    section = doc.sections[0]
    ooxml.set_header_text(section, "Quality Agreement", "Acme / Good CRO")
    ooxml.add_page_number_footer(section)
    ooxml.add_draft_watermark(section)
    ooxml.enable_update_fields_on_open(doc)
    ooxml.set_core_properties(doc, title="QA", subject="Quality Agreement", author="tests",
                              keywords="qa", created=dt.date(2025, 3, 1))
    ooxml.add_toc(doc, TOC_ENTRIES)
    clauses = ooxml.add_clause_numbering(doc)

    def clause(text: str, style: str, level: int, bookmark: str | None = None):
        paragraph = doc.add_paragraph(text, style=style)
        ooxml.set_paragraph_numbering(paragraph, clauses, level)
        if bookmark:
            ooxml.add_bookmark(paragraph, bookmark)
        return paragraph

    clause("Scope", "Heading 1", 0, "_Ref_scope")
    clause("This agreement sets out quality duties.", "Clause 2", 1, "_Ref_purpose")
    para = clause("Escalation follows clause ", "Clause 2", 1)
    ooxml.add_cross_reference(para, "_Ref_oversight", "X.X")  # wrong on purpose
    para.add_run(" and ")
    ooxml.add_internal_hyperlink(para, "_Ref_resp", "Responsibilities")
    clause("Responsibilities", "Heading 1", 0, "_Ref_resp")
    clause("The sponsor oversees the provider.", "Clause 3", 2, "_Ref_oversight")
    for _ in range(2):
        num_id = ooxml.add_list_numbering(doc, ordered=True)
        for text in ("First step", "Second step"):
            ooxml.set_paragraph_numbering(doc.add_paragraph(text, style="List Number"), num_id, 0)
    caption = doc.add_paragraph("Table ", style="Caption")
    ooxml.add_field(caption, "SEQ Table \\* ARABIC", "1", bold=True)
    table = doc.add_table(rows=3, cols=2)
    table.style = doc.styles["Playbook Table"]
    ooxml.repeat_table_header(table.rows[0])
    ooxml.prevent_row_split(table.rows[0])
    ooxml.set_cell_shading(table.rows[1].cells[0], "#fff2cc")
    return doc


def saved(doc: Document) -> bytes:
    stream = io.BytesIO()
    ooxml.save_deterministic(doc, stream)
    return stream.getvalue()


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


@pytest.fixture(scope="module")
def sample() -> bytes:
    return saved(build_sample())


@pytest.fixture(scope="module")
def body(sample: bytes) -> etree._Element:
    return part(sample, "word/document.xml")


# ------------------------------------------------------------------------ reference.docx


def test_reference_has_the_styles_the_writer_uses() -> None:
    doc = Document(str(REFERENCE))
    names = {style.name.lower(): style for style in doc.styles}
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3",
                 "List Bullet", "List Number", "Caption", "TOC Heading", "toc 1", "toc 2",
                 "toc 3", "Header", "Footer", "Playbook Table", "Clause 2", "Clause 3",
                 "Cover Title", "Cover Meta", "Signature", "Hyperlink"):
        assert name.lower() in names, name
    assert names["toc 1"].style_id == "TOC1"  # Word's built-in TOC 1
    toc_tab = names["toc 1"].paragraph_format.tab_stops[0]
    section = doc.sections[0]
    assert toc_tab.position == section.page_width - section.left_margin - section.right_margin
    assert names["clause 2"].paragraph_format.first_line_indent < 0  # hanging indent
    assert names["heading 1"].paragraph_format.keep_with_next
    assert str(names["heading 1"].font.color.rgb) == "1F4E79"


def test_reference_page_fonts_and_empty_body() -> None:
    doc = Document(str(REFERENCE))
    section = doc.sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.1)
    assert section.left_margin.cm == pytest.approx(2.5, abs=0.01)
    assert section.top_margin.cm == pytest.approx(2.5, abs=0.01)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(".//" + qn("w:rFonts")).get(qn("w:ascii")) == "Calibri"
    assert defaults.find(".//" + qn("w:sz")).get(qn("w:val")) == "21"  # 10.5 pt
    assert not [p for p in doc.paragraphs if p.text]
    assert not doc.tables


def test_reference_generator_is_deterministic(tmp_path: Path) -> None:
    script = ROOT / "tools" / "make_reference_docx.py"
    spec = importlib.util.spec_from_file_location("make_reference_docx", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    module.main([str(first)])
    module.main([str(second)])
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as fresh, zipfile.ZipFile(REFERENCE) as committed:
        assert fresh.namelist() == committed.namelist()
        for name in fresh.namelist():  # stale template = script changed without regenerating
            assert fresh.read(name) == committed.read(name), name


# ------------------------------------------------------------------------------ numbering


def test_clause_numbering_is_multilevel_and_idempotent(sample: bytes, body) -> None:
    numbering = part(sample, "word/numbering.xml")
    abstracts = numbering.xpath('w:abstractNum[w:name/@w:val="PlaybookClauses"]', namespaces=NS)
    assert len(abstracts) == 1
    lvl_text = abstracts[0].xpath("w:lvl/w:lvlText/@w:val", namespaces=NS)
    assert lvl_text[:3] == ["%1", "%1.%2", "%1.%2.%3"]
    abstract_id = abstracts[0].get(qn("w:abstractNumId"))
    heading = body.xpath('//w:p[w:pPr/w:pStyle/@w:val="Heading1"]', namespaces=NS)[0]
    num_id = heading.xpath("w:pPr/w:numPr/w:numId/@w:val", namespaces=NS)[0]
    assert heading.xpath("w:pPr/w:numPr/w:ilvl/@w:val", namespaces=NS) == ["0"]
    target = numbering.xpath(f'w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val', namespaces=NS)
    assert target == [abstract_id]
    doc = Document(str(REFERENCE))
    assert ooxml.add_clause_numbering(doc) == ooxml.add_clause_numbering(doc)
    # schema: every abstractNum precedes every num
    tags = [etree.QName(child).localname for child in numbering]
    assert tags.index("num") > max(i for i, t in enumerate(tags) if t == "abstractNum")


def test_reference_numbers_headings_and_clauses_by_their_styles() -> None:
    """Levels 0-2 of the clause list name Heading 1-3; those styles and Clause 2/3 carry the
    list in their own w:numPr, so a paragraph given "Clause 2" in Word is numbered; TOC Heading
    (based on Heading 1) has numbering off."""
    doc = Document(str(REFERENCE))
    numbering = doc.part.numbering_part.element
    abstract = numbering.xpath('w:abstractNum[w:name/@w:val="PlaybookClauses"]')[0]
    linked = {lvl.get(qn("w:ilvl")): lvl.xpath("w:pStyle/@w:val", namespaces=NS) for lvl in abstract.xpath("w:lvl", namespaces=NS)}
    assert [linked[str(i)] for i in range(3)] == [["Heading1"], ["Heading2"], ["Heading3"]]
    num_id = str(ooxml.add_clause_numbering(doc))
    styles = doc.styles.element
    for style_id, level in (("Heading1", "0"), ("Heading2", "1"), ("Heading3", "2"), ("Clause2", "1"),
                            ("Clause3", "2"), ("TOCHeading", "0")):
        num_pr = styles.xpath(f'w:style[@w:styleId="{style_id}"]/w:pPr/w:numPr')[0]
        expected = "0" if style_id == "TOCHeading" else num_id
        assert (num_pr.xpath("w:numId/@w:val"), num_pr.xpath("w:ilvl/@w:val")) == ([expected], [level]), style_id
    image_caption = doc.styles["Image Caption"]
    assert image_caption.base_style.name == "Caption" and image_caption.paragraph_format.alignment == 1  # centred
    for level in (1, 2, 3):
        assert doc.styles[f"toc {level}"].paragraph_format.right_indent.cm == pytest.approx(1, abs=0.01)  # the number column


def test_link_styles_moves_a_level_to_another_style() -> None:
    doc = Document(str(REFERENCE))
    num_id = ooxml.add_clause_numbering(doc)
    ooxml.link_styles(doc, num_id, {1: "Clause2"}, {1: ["Heading2"]})
    ooxml.link_styles(doc, num_id, {1: "Clause2"}, {1: ["Heading2"]})  # idempotent
    numbering = doc.part.numbering_part.element
    abstract = numbering.xpath('w:abstractNum[w:name/@w:val="PlaybookClauses"]')[0]
    assert abstract.xpath('w:lvl[@w:ilvl="1"]/w:pStyle/@w:val', namespaces=NS) == ["Clause2"]
    assert abstract.xpath('w:lvl/w:pStyle[@w:val="Clause2"]/../@w:ilvl', namespaces=NS) == ["1"]
    assert len(doc.styles.element.xpath('w:style[@w:styleId="Heading2"]/w:pPr/w:numPr')) == 1


def test_lists_under_a_clause_sit_one_level_deeper_at_the_clause_text() -> None:
    doc = Document(str(REFERENCE))
    num_id = ooxml.add_list_numbering(doc, ordered=False, first_level=2, indent=720, step=360)
    numbering = doc.part.numbering_part.element
    abstract_id = numbering.xpath(f'w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')[0]
    abstract = numbering.xpath(f'w:abstractNum[@w:abstractNumId="{abstract_id}"]')[0]
    third = abstract.xpath('w:lvl[@w:ilvl="2"]', namespaces=NS)[0]
    assert third.xpath("w:lvlText/@w:val", namespaces=NS) == ["\u2022"]
    assert third.xpath("w:pPr/w:ind/@w:left", namespaces=NS) == ["1080"]
    assert third.xpath("w:pPr/w:ind/@w:hanging", namespaces=NS) == ["360"]
    assert abstract.xpath('w:lvl[@w:ilvl="3"]/w:lvlText/@w:val', namespaces=NS) == ["\u2013"]
    again = ooxml.add_list_numbering(doc, ordered=False, first_level=2, indent=720, step=360)
    assert numbering.xpath(f'w:num[@w:numId="{again}"]/w:abstractNumId/@w:val') == [abstract_id]


def test_each_ordered_list_restarts_at_one(sample: bytes, body) -> None:
    numbering = part(sample, "word/numbering.xml")
    ids = []
    for paragraph in body.xpath('//w:p[w:pPr/w:pStyle/@w:val="ListNumber"]', namespaces=NS):
        ids.append(paragraph.xpath("w:pPr/w:numPr/w:numId/@w:val", namespaces=NS)[0])
    first, second = ids[0], ids[2]
    assert ids == [first, first, second, second] and first != second
    for num_id in (first, second):
        num = numbering.xpath(f'w:num[@w:numId="{num_id}"]', namespaces=NS)[0]
        starts = num.xpath("w:lvlOverride/w:startOverride/@w:val", namespaces=NS)
        assert starts == ["1"] * 9
    shared = {numbering.xpath(f'w:num[@w:numId="{i}"]/w:abstractNumId/@w:val', namespaces=NS)[0]
              for i in (first, second)}
    assert len(shared) == 1


def test_bullet_lists_use_bullet_format() -> None:
    doc = Document(str(REFERENCE))
    num_id = ooxml.add_list_numbering(doc, ordered=False)
    numbering = doc.part.numbering_part.element
    abstract_id = numbering.xpath(f'w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')[0]
    abstract = numbering.xpath(f'w:abstractNum[@w:abstractNumId="{abstract_id}"]')[0]
    formats = abstract.xpath("w:lvl/w:numFmt/@w:val", namespaces=NS)
    assert set(formats) == {"bullet"}
    with pytest.raises(ValueError):
        ooxml.set_paragraph_numbering(doc.add_paragraph("x"), num_id, 9)


# --------------------------------------------------------------- fields, bookmarks, links


def field_instructions(root: etree._Element) -> list[str]:
    return [(instr.text or "").strip() for instr in root.iter(qn("w:instrText"))]


def assert_fields_balanced(root: etree._Element) -> None:
    """begin / separate / end nest properly in document order."""
    stack: list[str] = []
    for char in root.xpath("//w:fldChar/@w:fldCharType", namespaces=NS):
        if char == "begin":
            stack.append("begin")
        elif char == "separate":
            assert stack and stack[-1] == "begin"
            stack[-1] = "separate"
        else:
            assert stack and stack.pop() == "separate"
    assert not stack


def test_footer_has_page_and_numpages_fields(sample: bytes) -> None:
    footer = part(sample, "word/footer1.xml")
    assert field_instructions(footer) == ["PAGE", "NUMPAGES"]
    assert_fields_balanced(footer)
    assert "".join(footer.xpath("//w:t/text()", namespaces=NS)) == "Page 1 of 1"


def test_toc_cached_result_links_to_existing_bookmarks(body) -> None:
    assert_fields_balanced(body)
    bookmarks = set(body.xpath("//w:bookmarkStart/@w:name", namespaces=NS))
    paragraphs = body.xpath("//w:body/w:p", namespaces=NS)
    is_toc = './/w:instrText[starts-with(normalize-space(), "TOC ")]'
    begin = next(i for i, p in enumerate(paragraphs) if p.xpath(is_toc, namespaces=NS))
    entries = paragraphs[begin:begin + len(TOC_ENTRIES)]
    assert paragraphs[begin].xpath("w:pPr/w:pStyle/@w:val", namespaces=NS) == ["TOC1"]
    assert "".join(paragraphs[begin - 1].xpath(".//w:t/text()", namespaces=NS)) == "Contents"
    for paragraph, (level, text, anchor, *_) in zip(entries, TOC_ENTRIES):
        assert paragraph.xpath("w:pPr/w:pStyle/@w:val", namespaces=NS) == [f"TOC{level}"]
        link = paragraph.xpath("w:hyperlink", namespaces=NS)[0]
        assert link.get(qn("w:anchor")) == anchor and anchor in bookmarks
        assert text in "".join(link.xpath(".//w:t/text()", namespaces=NS))
        assert f"PAGEREF {anchor} \\h" in field_instructions(link)
    closing = paragraphs[begin + len(TOC_ENTRIES)]
    assert closing.xpath(".//w:fldChar/@w:fldCharType", namespaces=NS) == ["end"]
    assert body.xpath(is_toc[1:] + "/text()", namespaces=NS) == [' TOC \\o "1-3" \\h \\z \\u ']


def test_page_references_are_filled_in_the_fields_own_format() -> None:
    doc = build_sample()
    body = doc.element.body
    assert ooxml.page_references(body) == ["_Ref_scope", "_Ref_purpose", "_Ref_resp"]
    assert ooxml.set_page_references(body, {"_Ref_scope": "7", "_Ref_resp": "12"}) == ["_Ref_purpose"]
    results = {}
    for instruction, separate, end in ooxml.complex_fields(body):
        if instruction.strip().startswith("PAGEREF"):
            between = []
            node = separate.getnext()
            while node is not end:
                between.append(node)
                node = node.getnext()
            results[instruction.split()[1]] = ["".join(r.xpath(".//w:t/text()")) for r in between]
            assert all(r.xpath("w:rPr/w:webHidden") for r in between)  # formatted like the field
    assert results == {"_Ref_scope": ["7"], "_Ref_purpose": [], "_Ref_resp": ["12"]}
    assert_fields_balanced(part(saved(doc), "word/document.xml"))


def test_bookmarks_cross_references_and_links(body) -> None:
    starts = body.xpath("//w:bookmarkStart", namespaces=NS)
    ids = [start.get(qn("w:id")) for start in starts]
    assert ids == [str(i) for i in range(len(starts))]
    assert sorted(body.xpath("//w:bookmarkEnd/@w:id", namespaces=NS), key=int) == ids
    assert "REF _Ref_oversight \\r \\h" in field_instructions(body)
    assert "SEQ Table \\* ARABIC" in field_instructions(body)
    link = body.xpath('//w:hyperlink[@w:anchor="_Ref_resp"]', namespaces=NS)
    assert link[-1].xpath("w:r/w:rPr/w:rStyle/@w:val", namespaces=NS) == ["Hyperlink"]
    doc = Document(str(REFERENCE))
    paragraph = doc.add_paragraph("x")
    ooxml.add_bookmark(paragraph, ooxml.make_bookmark_name("clause-4.2/a"))
    with pytest.raises(ValueError):
        ooxml.add_bookmark(paragraph, ooxml.make_bookmark_name("clause-4.2/a"))
    with pytest.raises(ValueError):
        ooxml.add_bookmark(paragraph, "has space")
    assert len(ooxml.make_bookmark_name("x" * 80)) <= 40


def test_plain_cross_reference_switches() -> None:
    doc = Document(str(REFERENCE))
    paragraph = doc.add_paragraph()
    ooxml.add_cross_reference(paragraph, "_Ref_a", "Scope", paragraph_number=False)
    assert field_instructions(paragraph._p) == ["REF _Ref_a \\h"]


# -------------------------------------------------------------- settings, tables, schema


def test_update_fields_is_set_in_schema_position(sample: bytes) -> None:
    settings = part(sample, "word/settings.xml")
    tags = [etree.QName(child).localname for child in settings]
    assert settings.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    assert tags.index("savePreviewPicture") < tags.index("updateFields") < tags.index("compat")


def test_table_header_row_flags_and_shading(body) -> None:
    rows = body.xpath("//w:tbl/w:tr", namespaces=NS)
    tr_pr = rows[0].find(qn("w:trPr"))
    assert tr_pr.find(qn("w:tblHeader")) is not None
    assert [child.tag for child in tr_pr] == sorted((c.tag for c in tr_pr), key=TRPR_ORDER.index)
    assert rows[1].xpath(".//w:tcPr/w:shd/@w:fill", namespaces=NS) == ["FFF2CC"]
    assert body.xpath("//w:tbl/w:tblPr/w:tblStyle/@w:val", namespaces=NS) == ["PlaybookTable"]


def test_paragraph_properties_keep_schema_order(sample: bytes) -> None:
    for name in ("word/document.xml", "word/header1.xml", "word/footer1.xml", "word/styles.xml"):
        for p_pr in part(sample, name).iter(qn("w:pPr")):
            tags = [child.tag for child in p_pr if child.tag in PPR_ORDER]
            assert tags == sorted(tags, key=PPR_ORDER.index), (name, tags)


def test_header_text_watermark_and_core_properties(sample: bytes) -> None:
    header = part(sample, "word/header1.xml")
    tabs = header.xpath("//w:pPr/w:tabs/w:tab", namespaces=NS)
    assert [(t.get(qn("w:val")), t.get(qn("w:pos"))) for t in tabs] == [
        ("clear", "4536"), ("right", "9072")]
    header_text = Document(io.BytesIO(sample)).sections[0].header.paragraphs[0].text
    assert header_text == "Quality Agreement\tAcme / Good CRO"
    shapes = header.xpath('//*[local-name()="textpath"]/@string')
    assert shapes == ["DRAFT"]
    props = Document(io.BytesIO(sample)).core_properties
    midnight = dt.datetime(2025, 3, 1, tzinfo=dt.timezone.utc)
    assert (props.created, props.modified, props.revision) == (midnight, midnight, 1)
    assert props.last_modified_by == props.author == "tests"


def test_watermarks_have_shape_ids_of_their_own_in_each_header() -> None:
    doc = Document(str(REFERENCE))
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    ooxml.add_draft_watermark(section, "DRAFT")
    ooxml.add_draft_watermark(section, "DRAFT", first_page=True, font="Carlito")
    ooxml.add_draft_watermark(section, "DRAFT")  # idempotent
    data = saved(doc)
    shapes = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in sorted(n for n in archive.namelist() if n.startswith("word/header")):
            shapes += etree.fromstring(archive.read(name)).xpath('//*[local-name()="shape"]')
    ids = [shape.get("id") for shape in shapes]
    spids = [shape.get("{urn:schemas-microsoft-com:office:office}spid") for shape in shapes]
    assert len(shapes) == 2 and len(set(ids)) == 2 and len(set(spids)) == 2
    assert all(i.startswith("PowerPlusWaterMarkObject") for i in ids)
    highest = max(int(spid.removeprefix("_x0000_s")) for spid in spids)
    spidmax = part(data, "word/settings.xml").xpath('//*[local-name()="shapedefaults"]/@spidmax')
    assert int(spidmax[0]) > highest
    fonts = sorted(shape.xpath('.//*[local-name()="textpath"]/@style')[0].split(";")[0] for shape in shapes)
    assert fonts == ['font-family:"Calibri"', 'font-family:"Carlito"']


def test_app_properties_say_only_what_is_true() -> None:
    doc = Document(str(REFERENCE))
    ooxml.set_app_properties(doc, "playbook-builder", pages=12)
    app = part(saved(doc), "docProps/app.xml")
    assert [etree.QName(child).localname for child in app] == ["Application", "Pages"]
    assert app[0].text == "playbook-builder" and app[1].text == "12"
    ooxml.set_app_properties(doc, "playbook-builder")
    assert [etree.QName(child).localname for child in part(saved(doc), "docProps/app.xml")] == ["Application"]


def test_svg_pictures_carry_a_png_fallback_and_alt_text() -> None:
    doc = Document(str(REFERENCE))
    png = _tiny_png()
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    for _ in range(2):  # a repeated image reuses both parts
        ooxml.add_picture(doc.add_paragraph().add_run(), png, svg=svg, description="A black square")
    data = saved(doc)
    body = part(data, "word/document.xml")
    blips = body.xpath('//*[local-name()="blip"]')
    assert len(blips) == 2
    svg_ids = [b.xpath('.//*[local-name()="svgBlip"]/@*[local-name()="embed"]')[0] for b in blips]
    assert svg_ids[0] == svg_ids[1]
    assert body.xpath('//*[local-name()="docPr"]/@descr') == ["A black square"] * 2
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert [n for n in names if n.startswith("word/media/")] == ["word/media/image1.png", "word/media/image1.svg"]
        assert b'image/svg+xml' in archive.read("[Content_Types].xml")
        rels = archive.read("word/_rels/document.xml.rels").decode()
    assert re.search(rf'Id="{svg_ids[0]}"[^>]*Target="media/image1.svg"|Target="media/image1.svg"[^>]*Id="{svg_ids[0]}"', rels)


def test_custom_properties_and_a_custom_xml_part_of_our_own() -> None:
    doc = Document(str(REFERENCE))
    ooxml.set_custom_properties(doc, {"playbook.pairing": "acme-cro", "playbook.build": "a & b"})
    ooxml.add_custom_xml(doc, b'<sources xmlns="urn:test"/>', "{00000000-0000-0000-0000-000000000001}", "urn:test")
    with pytest.raises(ValueError, match="longer than 255"):
        ooxml.set_custom_properties(doc, {"too.long": "x" * 256})
    data = saved(doc)
    props = part(data, "docProps/custom.xml")
    assert [(p.get("name"), p.get("pid"), p[0].text) for p in props] == [
        ("playbook.pairing", "2", "acme-cro"), ("playbook.build", "3", "a & b")]
    assert props[0][0].tag.endswith("}lpwstr")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert "customXml/item1.xml" in names and archive.read("customXml/item2.xml") == b'<sources xmlns="urn:test"/>'
        item_props = archive.read("customXml/itemProps2.xml").decode()
        assert 'ds:itemID="{00000000-0000-0000-0000-000000000001}"' in item_props and "urn:test" in item_props
        assert "../customXml/item2.xml" in archive.read("word/_rels/document.xml.rels").decode()
        assert "docProps/custom.xml" in archive.read("_rels/.rels").decode()


def _tiny_png() -> bytes:
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = zlib.compress(b"\x00\x00\x00\x00")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


# ------------------------------------------------------------------------- determinism


def test_saves_are_byte_identical(tmp_path: Path) -> None:
    doc = build_sample()
    ooxml.save_deterministic(doc, tmp_path / "a.docx")
    ooxml.save_deterministic(doc, tmp_path / "b.docx")
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()
    assert saved(build_sample()) == (tmp_path / "a.docx").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.docx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}


# ------------------------------------------------------------------------- LibreOffice


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not on PATH")
def test_libreoffice_renders_numbers_fields_and_references(sample: bytes, tmp_path: Path) -> None:
    from pypdf import PdfReader

    source = tmp_path / "sample.docx"
    source.write_bytes(sample)
    profile = (tmp_path / "lo-profile").as_uri()  # private profile: safe alongside other runs
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=180,
    )
    pdf = tmp_path / "sample.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stderr
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert re.search(r"1\.1\s+This agreement sets out quality duties", text)  # from numbering.xml
    assert re.search(r"2\.1\.1\s+The sponsor oversees", text)
    assert re.search(r"Page\s*1\s*of\s*1", text)  # PAGE / NUMPAGES fields
    assert "Escalation follows clause 2.1.1" in text  # REF \r recomputed, not the cached X.X


@pytest.mark.parametrize("text", ["plain words", " leading and trailing ", "", "a\ttab", "a\nbreak",
                                  "control \x07 char", "ünïcödé & <markup>"])
@pytest.mark.parametrize("bold, italic, font", [(False, False, None), (True, False, None), (True, True, "Consolas")])
def test_text_runs_are_made_and_read_as_python_docx_does(text: str, bold: bool, italic: bool, font) -> None:
    """The writer's direct runs give the XML python-docx's own calls give, and cell_text reads a
    cell as cell.text does: the fast path changes no byte of a Word file."""
    def made(fast: bool):
        document = Document(str(REFERENCE))
        cell = document.add_table(rows=1, cols=1).rows[0].cells[0]
        paragraph = cell.paragraphs[0]
        if fast:
            try:
                ooxml.add_text_run(paragraph, text, bold=bold, italic=italic, font=font)
            except ValueError as error:  # XML cannot hold the character, as with python-docx
                return type(error).__name__, ""
        else:
            try:
                run = paragraph.add_run(text)
            except ValueError as error:
                return type(error).__name__, ""
            if bold:
                run.bold = True
            if italic:
                run.italic = True
            if font:
                run.font.name = font
        paragraph.add_run().add_break()
        cell.add_paragraph("second")
        return etree.tostring(paragraph._p), ooxml.cell_text(cell) if fast else cell.text

    assert made(fast=True) == made(fast=False)
