"""Both documents of the example full-service pairing, read back as a reader would.

PDF with pypdf (text, pages, bookmarks, metadata, "Page X of Y"); DOCX with python-docx and
its package XML (styles, automatic numbering, fields, TOC, tables, figures, properties).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import zipfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from builder.engine.build import BuildOptions, build
from builder.compose.check import check_content
from builder.engine.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
PAIRING = "northwind-meridian-phase3-oncology"
LETTER_PAIRING = "northwind-cobalt-central-lab"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("documents")
    result = build(BuildOptions(content=ROOT / "content", out=out, pairings=(PAIRING, LETTER_PAIRING),
                                formats=("pdf", "docx", "md"), jobs=2))
    assert result.ok, [str(d) for d in result.diagnostics.errors]
    return out


@pytest.fixture(scope="module")
def documents():
    context = check_content(ROOT / "content").contexts[PAIRING]
    pipeline = Pipeline.load()
    return {doc: pipeline.assemble(context, doc) for doc in ("operating-manual", "quality-agreement")}


def pdf(built: Path, document: str, pairing: str = PAIRING) -> PdfReader:
    return PdfReader(built / pairing / f"{document}.pdf")


def word(built: Path, document: str, pairing: str = PAIRING) -> docx.Document:
    return docx.Document(str(built / pairing / f"{document}.docx"))


def outline_titles(reader: PdfReader) -> list[tuple[int, str]]:
    titles: list[tuple[int, str]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                titles.append((depth, item.title))

    walk(reader.outline, 1)
    return titles


def effective_numbering(paragraph) -> tuple[int, int] | None:
    """(numId, ilvl) as Word resolves it: the paragraph's own w:numPr, else its style's (through
    basedOn); numId 0 means no number."""
    num_pr = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
    style = paragraph.style
    while num_pr is None and style is not None:
        p_pr = style.element.pPr
        num_pr = p_pr.numPr if p_pr is not None else None
        style = style.base_style
    if num_pr is None or num_pr.numId is None or num_pr.numId.val == 0:
        return None
    return num_pr.numId.val, num_pr.ilvl.val if num_pr.ilvl is not None else 0


def word_numbering(paragraphs) -> list[tuple[str, str]]:
    """The numbers Word shows for numbered headings and clauses (one multilevel list)."""
    counters = [0] * 9
    shown = []
    for paragraph in paragraphs:
        numbering = effective_numbering(paragraph)
        if numbering is None or not paragraph.style.name.startswith(("Heading", "Clause")):
            continue
        level = numbering[1]
        counters[level] += 1
        counters[level + 1:] = [0] * (8 - level)
        shown.append((".".join(str(n) for n in counters[: level + 1]), paragraph.text.strip()))
    return shown


@pytest.mark.parametrize("document", ["operating-manual", "quality-agreement"])
def test_pdf_has_cover_contents_page_numbers_and_metadata(built: Path, document: str) -> None:
    reader = pdf(built, document)
    pages = len(reader.pages)
    assert pages >= 10
    texts = [page.extract_text() for page in reader.pages]
    assert "Contents" in texts[1]
    assert "Page" not in texts[0]  # the cover has no footer
    for number, text in enumerate(texts[1:], start=2):
        assert f"Page {number} of {pages}" in text
    title = "Operating Manual" if document == "operating-manual" else "Quality Agreement"
    metadata = reader.metadata
    assert metadata.title.startswith(f"{title}: Northwind Therapeutics")
    assert metadata.author == "Northwind Therapeutics, Inc."
    assert "Meridian Clinical Research" in metadata.subject
    assert "clinical outsourcing" in metadata["/Keywords"]
    assert not any("DRAFT" in text for text in texts)  # the draft watermark is drawn, never text (test_watermark)
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4


def test_pdf_bookmarks_mirror_the_headings(built: Path, documents) -> None:
    for document_id, document in documents.items():
        bookmarks = [(level, title) for level, title in outline_titles(pdf(built, document_id)) if title != "Contents"]
        headings = [(e.level, f"{e.number} {e.text}".strip()) for e in document.tree.toc]
        assert bookmarks == headings


def test_pdf_fonts_are_the_shipped_carlito_embedded(built: Path) -> None:
    fonts = set()
    for page in pdf(built, "quality-agreement").pages[:3]:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()
            fonts.add(str(descriptor["/BaseFont"]).split("+")[-1])
            assert "/FontDescriptor" in descriptor or "/DescendantFonts" in descriptor
    assert fonts and all(name.startswith("/Carlito") or name.startswith("Carlito") for name in fonts)


def test_letter_pairing_is_letter_sized_and_approved_without_watermark(built: Path) -> None:
    reader = pdf(built, "quality-agreement", LETTER_PAIRING)
    assert (float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)) == (612, 792)
    assert all("DRAFT" not in page.extract_text() for page in reader.pages)


def test_docx_headings_are_styled_and_numbered_by_word_like_the_pdf(built: Path, documents) -> None:
    for document_id, document in documents.items():
        shown = word_numbering(word(built, document_id).paragraphs)
        expected_headings = [(e.number, e.text) for e in document.tree.toc if e.number]
        clauses = [(t.number, t.title) for t in document.tree.targets.values() if t.kind == "clause" and "." in t.number]
        assert [s for s in shown if (s[0], s[1]) in set(expected_headings)] == expected_headings
        if document_id == "quality-agreement":
            numbers = [number for number, _ in shown]
            assert numbers == sorted(set(numbers), key=numbers.index)  # each number once
            assert {number for number, _ in clauses} <= set(numbers)


def test_docx_clause_numbers_come_from_numbering_xml_not_typed_digits(built: Path) -> None:
    document = word(built, "quality-agreement")
    clauses = [p for p in document.paragraphs if p.style.name == "Clause 2"]
    assert len(clauses) > 40
    assert not [p.text for p in clauses if re.match(r"^\s*\d+(\.\d+)+\s", p.text)]
    assert not [p for p in clauses if p._p.pPr.numPr is not None]  # numbered by the style, as Word links it
    num_ids = {effective_numbering(p)[0] for p in clauses}
    assert len(num_ids) == 1
    numbering = document.part.numbering_part.element
    num = numbering.xpath(f'//w:num[@w:numId="{num_ids.pop()}"]')[0]
    abstract_id = num.xpath("./w:abstractNumId/@w:val")[0]
    levels = numbering.xpath(f'//w:abstractNum[@w:abstractNumId="{abstract_id}"]/w:lvl/w:lvlText/@w:val')
    assert levels[:3] == ["%1", "%1.%2", "%1.%2.%3"]


def test_docx_lists_restart_at_one(built: Path) -> None:
    document = word(built, "operating-manual")
    numbering = document.part.numbering_part.element
    list_paragraphs = [p for p in document.paragraphs if p.style.name in ("List Number", "List Bullet")]
    num_ids = {p._p.pPr.numPr.numId.val for p in list_paragraphs}
    assert len(num_ids) > 5
    for num_id in num_ids:
        starts = numbering.xpath(f'//w:num[@w:numId="{num_id}"]/w:lvlOverride/w:startOverride/@w:val')
        assert starts and set(starts) == {"1"}


def test_docx_fields_toc_and_settings(built: Path, documents) -> None:
    document = word(built, "quality-agreement")
    body = document.element.body
    instructions = [t.text.strip() for t in body.iter(qn("w:instrText"))]
    assert any(i.startswith("TOC \\o") for i in instructions)
    toc = [p for p in document.paragraphs if p.style.name.lower().startswith("toc")]
    texts = [p.text for p in toc]
    first = documents["quality-agreement"].tree.toc[0]
    assert any(first.text in t for t in texts)  # cached result already filled, not an empty box
    assert sum(1 for c in body.iter(qn("w:fldChar")) if c.get(qn("w:fldCharType")) == "begin") == \
        sum(1 for c in body.iter(qn("w:fldChar")) if c.get(qn("w:fldCharType")) == "end")
    settings = document.settings.element
    if shutil.which("soffice"):  # LibreOffice laid it out: page numbers are there, Word need not ask
        assert settings.find(qn("w:updateFields")) is None
    else:  # Word fills the page numbers in as it opens the file
        assert settings.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    assert not body.xpath('.//w:fldChar[@w:dirty="true"] | .//w:fldSimple[@w:dirty="true"]')
    footer = document.sections[0].footer._element
    footer_fields = " ".join(t.text for t in footer.iter(qn("w:instrText")))
    assert "PAGE" in footer_fields and "NUMPAGES" in footer_fields
    header = document.sections[0].header.paragraphs[0].text
    assert header.startswith("Quality Agreement") and "Meridian" in header


def test_cross_references_show_the_same_numbers_in_pdf_and_docx(built: Path, documents) -> None:
    document = documents["quality-agreement"]
    links = [a for a in document.tree.root.iter("a") if "xref" in (a.get("class") or "")]
    assert links
    pdf_text = " ".join(page.extract_text() for page in pdf(built, "quality-agreement").pages)
    for link in links:
        assert link.text in " ".join(pdf_text.split())
    body = word(built, "quality-agreement").element.body
    refs = []
    runs = list(body.iter(qn("w:r")))
    for index, run in enumerate(runs):
        instr = run.find(qn("w:instrText"))
        if instr is not None and instr.text.strip().startswith("REF "):
            cached = runs[index + 2].find(qn("w:t"))
            refs.append((instr.text.split()[1], cached.text if cached is not None else ""))
    assert refs
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    targets = {t.number for t in document.tree.targets.values()}
    for bookmark, cached in refs:
        assert bookmark in bookmarks and cached in targets


def test_docx_tables_repeat_header_rows_and_signatures(built: Path) -> None:
    document = word(built, "quality-agreement")
    assert len(document.tables) > 10
    for table in document.tables[1:]:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
    signature = document.tables[-1]
    text = " ".join(cell.text for row in signature.rows for cell in row.cells)
    assert "Signature" in text and "Date" in text


def test_docx_figures_have_captions_and_core_properties(built: Path, documents) -> None:
    document = word(built, "operating-manual")
    pictures = [p for p in document.paragraphs if p._p.xpath(".//w:drawing")]
    logo = [p for p in pictures if p.style.name == "Cover Meta"]  # the sponsor's, on the cover
    assert len(logo) == 1 and logo[0]._p.xpath(".//wp:docPr/@descr") == ["Northwind Therapeutics logo"]
    assert len(pictures) - 1 == len(documents["operating-manual"].tree.figures) == 3
    captions = [p for p in document.paragraphs if p.text.startswith("Figure")]
    assert len(captions) == 3
    for caption in captions:  # below the picture, in pandoc's "Image Caption" (based on Caption, centred)
        assert caption.style.name == "Image Caption" and caption.style.base_style.name == "Caption"
        assert caption.style.paragraph_format.alignment == 1
    properties = document.core_properties
    assert properties.title.startswith("Operating Manual: ") and properties.author == "Northwind Therapeutics, Inc."
    assert properties.created.date().isoformat() == "2027-01-15" and properties.revision == 1
    package = zipfile.ZipFile(built / PAIRING / "operating-manual.docx")
    body = package.read("word/document.xml").decode()
    # the three figures and the SVG logo: vector, PNG fallback, alternative text
    assert body.count("<asvg:svgBlip ") == 4 and body.count('descr="') >= 4
    assert len([n for n in package.namelist() if n.startswith("word/media/") and n.endswith(".svg")]) == 4
    app = package.read("docProps/app.xml").decode()
    assert "<Application>playbook-builder</Application>" in app
    assert not re.search(r"AppVersion|Microsoft|<Words>|<Template>", app)
    assert ("<Pages>" in app) == (shutil.which("soffice") is not None)  # counted only when laid out


def test_docx_raci_role_headers_read_upwards_in_whole_words(built: Path) -> None:
    document = word(built, "operating-manual")
    matrices = [t for t in document.tables if t.rows[0].cells[0].text == "Activity" and len(t.columns) > 4]
    assert matrices
    for table in matrices:
        header = table.rows[0]
        assert header.height_rule == 1 and header.height > docx.shared.Inches(0.5)  # at least, tall enough
        for cell in header.cells[1:]:
            assert cell._tc.tcPr.find(qn("w:textDirection")).get(qn("w:val")) == "btLr"
        assert header.cells[0]._tc.tcPr.find(qn("w:textDirection")) is None


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_quality_agreement(built: Path, tmp_path: Path) -> None:
    source = built / PAIRING / "quality-agreement.docx"
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    reader = PdfReader(tmp_path / "quality-agreement.pdf")
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "1.1" in text and "Parties and relation to the Master Agreement" in text
    assert re.search(r"Page \d+ of \d+", text)
    assert len(reader.pages) >= 10


def libreoffice_pdf(source: Path, folder: Path) -> PdfReader:
    """LibreOffice's own PDF of a DOCX, with the shipped Carlito visible to it (as the build does)."""
    conf = folder / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    f'<dir>{ROOT / "templates" / "fonts"}</dir><cachedir>{folder / "fc"}</cachedir></fontconfig>')
    environment = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    subprocess.run(["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=180, env=environment)
    return PdfReader(folder / f"{source.stem}.pdf")


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed: the build leaves the page numbers to Word")
@pytest.mark.parametrize("document", ["operating-manual", "quality-agreement"])
def test_docx_contents_page_numbers_are_those_of_libreoffices_layout_of_the_same_file(
        built: Path, document: str, tmp_path: Path) -> None:
    source = built / PAIRING / f"{document}.docx"
    entries = [p.text.rsplit("\t", 1) for p in word(built, document).paragraphs
               if re.fullmatch(r"toc \d", p.style.name.lower())]
    assert entries and all(len(entry) == 2 and entry[1].isdigit() for entry in entries)
    pages = [" ".join(page.extract_text().split()) for page in libreoffice_pdf(source, tmp_path).pages]
    found, after = [], 2
    for heading, page in entries:
        title = " ".join(heading.replace("\t", " ").split())
        where = next(n for n in range(after, len(pages) + 1) if "....." not in pages[n - 1] and title in pages[n - 1])
        found.append((title, str(where)))
        after = where
    assert found == [(" ".join(heading.replace("\t", " ").split()), page) for heading, page in entries]
    package = zipfile.ZipFile(source)
    assert b"updateFields" not in package.read("word/settings.xml")


def pandoc_blocks(source: Path) -> list[dict]:
    """The DOCX as pandoc reads it (its JSON document tree), top-level blocks."""
    pypandoc = pytest.importorskip("pypandoc", reason="pandoc (pypandoc-binary, the test extra) is not installed")
    return json.loads(pypandoc.convert_file(str(source), "json"))["blocks"]


def plain(value) -> str:
    """The text of a pandoc JSON fragment."""
    if isinstance(value, dict):
        if value.get("t") == "Str":
            return value["c"]
        if value.get("t") in ("Space", "SoftBreak", "LineBreak"):
            return " "
        return plain(value.get("c", ""))
    return "".join(plain(item) for item in value) if isinstance(value, list) else ""


def test_pandoc_reads_clauses_as_continuing_lists_with_their_bullets_inside(built: Path, documents) -> None:
    """pandoc cannot print "2.5" (Markdown list markers cannot say it), but it sees what makes it:
    each section's clauses form one list that never restarts (after a table it continues), and
    bullets under a clause are nested in that clause's item rather than ending the list."""
    blocks = pandoc_blocks(built / PAIRING / "quality-agreement.docx")
    tree = documents["quality-agreement"].tree
    expected = {}
    for target in tree.targets.values():
        if target.kind == "clause" and target.number.count(".") == 1:
            section = target.number.split(".")[0]
            expected[section] = expected.get(section, 0) + 1
    numbered = iter(entry.number for entry in tree.toc if entry.level == 1 and entry.number)
    seen, section, counted = {}, None, 0
    for block in blocks[next(i for i, b in enumerate(blocks) if b["t"] == "Header" and plain(b["c"]) != "Contents"):]:
        if block["t"] == "Header" and block["c"][0] == 1:
            section = next(numbered, None) if plain(block["c"][2]) in {e.text for e in tree.toc if e.number} else None
            counted = 0
        elif block["t"] == "OrderedList" and section:
            (start, _, _), items = block["c"]
            assert start == counted + 1, (section, start, counted)  # continues, never restarts
            counted += len(items)
            seen[section] = counted
        assert block["t"] != "BulletList", plain(block["c"])[:80]  # lists stay inside their clause
    assert seen == expected


def test_pandoc_attaches_every_caption_to_its_table_or_figure(built: Path) -> None:
    for document, figures in (("quality-agreement", 0), ("operating-manual", 3)):
        blocks = pandoc_blocks(built / PAIRING / f"{document}.docx")
        captions = [plain(block["c"][1]) for block in blocks if block["t"] == "Table"][1:]  # not the cover's
        assert captions and all(caption.startswith(f"Table {n}: ") for n, caption in enumerate(captions, 1))
        assert not [plain(b["c"]) for b in blocks if b["t"] == "Para" and re.match(r"(Table|Figure) \d+: ", plain(b["c"]))]
        drawn = [plain(block["c"][1]) for block in blocks if block["t"] == "Figure"]
        assert [caption.split(":")[0] for caption in drawn] == [f"Figure {n}" for n in range(1, figures + 1)]


SOURCES = "{urn:playbook-builder:sources:1}"


def source_map(package: zipfile.ZipFile) -> ElementTree.Element:
    """The custom XML part that maps source bookmarks to content fields, found by its namespace."""
    for name in package.namelist():
        if name.startswith("customXml/item") and "Props" not in name:
            root = ElementTree.fromstring(package.read(name))
            if root.tag == f"{SOURCES}sources":
                return root
    raise AssertionError("no source map")


@pytest.mark.parametrize("document", ["operating-manual", "quality-agreement"])
def test_docx_paragraphs_carry_hidden_marks_of_their_content_fields(built: Path, documents, document: str) -> None:
    package = zipfile.ZipFile(built / PAIRING / f"{document}.docx")
    body = ElementTree.fromstring(package.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    marked = {}  # bookmark name -> the text of the paragraph it starts in
    for paragraph in body.iter(f"{w}p"):
        for start in paragraph.iter(f"{w}bookmarkStart"):
            if start.get(f"{w}name").startswith("_pb_"):
                marked[start.get(f"{w}name")] = "".join(t.text or "" for t in paragraph.iter(f"{w}t"))
    assert marked and all(len(name) <= 40 and re.fullmatch(r"_pb_[0-9a-f]{10}(_\d+)?", name) for name in marked)
    tree = documents[document].tree
    sourced = {source.split(":")[0] for element in tree.root.iter()
               for source in (element.get("data-source") or "").split()}
    assert {name[4:14] for name in marked} == sourced  # every field that shows has its marks
    marks = {mark.get("name"): mark for mark in source_map(package)}
    assert set(marks) == set(marked)
    for name, mark in marks.items():
        origin = tree.origins[name[4:14]]
        assert (mark.get("kind"), mark.get("id"), json.loads(mark.get("path"))) == \
            (origin.kind, origin.id, list(origin.path))
        # the paragraph's text with its white space collapsed, as the importer reads it back
        assert mark.get("text") == hashlib.sha256(" ".join(marked[name].split()).encode()).hexdigest()[:16]
    properties = ElementTree.fromstring(package.read("docProps/custom.xml"))
    values = {p.get("name"): "".join(p.itertext()) for p in properties}
    manifest = json.loads((built / "manifest.json").read_text())
    key = next(e["key"] for e in manifest["outputs"] if e["path"] == f"{PAIRING}/{document}.docx")
    own_version = {"operating-manual": "0.10.0", "quality-agreement": "0.5.0"}[document]  # each document its own
    assert values == {"playbook.pairing": PAIRING, "playbook.document": document, "playbook.version": own_version,
                      "playbook.build": key}


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_source_marks_survive_a_save_in_libreoffice(built: Path, tmp_path: Path) -> None:
    source = built / PAIRING / "quality-agreement.docx"
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "saved"), str(source)],
                   check=True, capture_output=True, timeout=180)
    before, after = zipfile.ZipFile(source), zipfile.ZipFile(tmp_path / "saved" / "quality-agreement.docx")
    names = [set(re.findall(r'w:name="(_pb_[^"]+)"', package.read("word/document.xml").decode()))
             for package in (before, after)]
    assert names[0] and names[0] == names[1]
    assert {m.get("name") for m in source_map(after)} == names[0]
    assert b"playbook.build" in after.read("docProps/custom.xml")


def test_review_snapshot_is_deterministic_and_one_sentence_per_line(built: Path, documents) -> None:
    snapshot = (built / PAIRING / "operating-manual.md").read_text()
    assert snapshot == documents["operating-manual"].markdown
    assert "\n\n\n" not in snapshot and not snapshot.endswith("\n\n")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_urgent_contacts_keep_each_phone_number_and_e_mail_address_on_one_line(built: Path, tmp_path: Path) -> None:
    """Word breaks a word that does not fit its column anywhere; the contacts' columns are made
    wide enough for each address, and a phone number's no-break spaces hold it together."""
    contacts = check_content(ROOT / "content").contexts[PAIRING].pairing.contacts
    assert contacts
    lines = [" ".join(line.split()) for page in libreoffice_pdf(built / PAIRING / "quality-agreement.docx",
                                                                 tmp_path).pages
             for line in page.extract_text().splitlines()]
    for contact in contacts:
        for value in (contact.phone, contact.email):
            assert any(str(value) in line for line in lines), value


@pytest.mark.parametrize("document", ["operating-manual", "quality-agreement"])
def test_a_docx_paragraph_that_introduces_what_follows_stays_on_its_page(built: Path, document: str) -> None:
    """Clause 21.4 ("... chaired and minuted:") and labels such as "Mitigation:" never end a page."""
    lead_ins = [p for p in word(built, document).paragraphs if p.text.rstrip().endswith(":")]
    assert lead_ins
    for paragraph in lead_ins:
        assert paragraph.paragraph_format.keep_with_next, paragraph.text


def test_docx_tables_keep_their_header_with_two_rows_and_their_last_row_with_one(built: Path) -> None:
    """Word may break a table between rows; it never leaves the caption, the header and a single
    row at a page foot, or the last row alone on a page."""
    checked = 0
    for table in word(built, "operating-manual").tables:
        rows = table.rows
        header = sum(1 for row in rows if row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None)
        if not header or len(rows) - header < 3:  # the cover's fields table has no header and its own page
            continue
        keeps = [all(p.paragraph_format.keep_with_next for cell in row.cells for p in cell.paragraphs) for row in rows]
        assert keeps[:header + 1] == [True] * (header + 1) and keeps[-2] and not keeps[-1]
        assert not all(keeps[header + 1:-2]) or len(rows) - header == 3
        checked += 1
    assert checked >= 10
