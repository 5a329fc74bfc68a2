"""Both documents of the example full-service pairing, read back as a reader would.

PDF with pypdf (text, pages, bookmarks, metadata, "Page X of Y"); DOCX with python-docx and
its package XML (styles, automatic numbering, fields, TOC, tables, figures, properties).
"""

from __future__ import annotations

import re
import shutil
import subprocess
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


def word_numbering(paragraphs) -> list[tuple[str, str]]:
    """The numbers Word shows for numbered headings and clauses (one multilevel list)."""
    counters = [0] * 9
    shown = []
    for paragraph in paragraphs:
        num_pr = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
        if num_pr is None or not paragraph.style.name.startswith(("Heading", "Clause")):
            continue
        level = int(num_pr.ilvl.val)
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
    num_ids = {p._p.pPr.numPr.numId.val for p in clauses}
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
    assert settings.find(qn("w:updateFields")).get(qn("w:val")) == "true"
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
    assert len(document.inline_shapes) == len(documents["operating-manual"].tree.figures) == 3
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption" and p.text.startswith("Figure")]
    assert len(captions) == 3
    properties = document.core_properties
    assert properties.title.startswith("Operating Manual: ") and properties.author == "Northwind Therapeutics, Inc."
    assert properties.created.date().isoformat() == "2027-01-15" and properties.revision == 1


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


def test_review_snapshot_is_deterministic_and_one_sentence_per_line(built: Path, documents) -> None:
    snapshot = (built / PAIRING / "operating-manual.md").read_text()
    assert snapshot == documents["operating-manual"].markdown
    assert "\n\n\n" not in snapshot and not snapshot.endswith("\n\n")
