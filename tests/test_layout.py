"""Page layout of the example Operating Manual and Quality Agreement, read back from the PDF:
no short page unless a chapter ends there, never one table row alone on a page, and no word of
a RACI column header broken over two lines."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from builder.compose.check import check_content
from builder.engine.build import BuildOptions, build
from builder.engine.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
PAIRING = "northwind-meridian-phase3-oncology"
DOCUMENTS = ("operating-manual", "quality-agreement")
MIN_LINES = 5  # of body text (running header and footer not counted)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("layout")
    result = build(BuildOptions(content=ROOT / "content", out=out, pairings=(PAIRING,), formats=("pdf",), jobs=2))
    assert result.ok, [str(d) for d in result.diagnostics.errors]
    return out / PAIRING


def page_text(pdf: Path, page: int, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def chapter_starts(pdf: Path) -> set[int]:
    """Pages (1-based) where a top-level bookmark points: a chapter starts there."""
    reader = PdfReader(pdf)
    return {reader.get_destination_page_number(item) + 1 for item in reader.outline if not isinstance(item, list)}


@pytest.mark.parametrize("document", DOCUMENTS)
def test_no_short_page_unless_a_chapter_ends_there(built: Path, document: str) -> None:
    pdf = built / f"{document}.pdf"
    pages, starts = len(PdfReader(pdf).pages), chapter_starts(pdf)
    short = []
    for page in range(2, pages + 1):
        lines = [line for line in page_text(pdf, page, "-layout").splitlines() if line.strip()][1:-1]
        if len(lines) < MIN_LINES and page + 1 not in starts and page != pages:
            short.append((page, lines))
    assert short == []


def _body_rows(table: pikepdf.Dictionary) -> int:
    return sum(1 for group in _kids(table) if group.get("/S") == "/TBody"
               for row in _kids(group) if row.get("/S") == "/TR")


def _kids(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    kids = element.get("/K", [])
    kids = kids if isinstance(kids, pikepdf.Array) else [kids]
    return [kid for kid in kids if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]


def _tables(element: pikepdf.Dictionary):
    for kid in _kids(element):
        if kid.get("/S") == "/Table":
            yield kid
        else:
            yield from _tables(kid)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_a_table_never_leaves_one_row_alone_on_a_page(built: Path, document: str) -> None:
    """Tagged PDFs keep a table's part on each page as its own Table element: a part with one body
    row is a lone row, unless it is a whole table of one row (captioned, not continued overleaf)."""
    with pikepdf.open(built / f"{document}.pdf") as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        parts = [(pages[table.Pg.objgen], table) for table in _tables(pdf.Root.StructTreeRoot.K[0])]
        lone = []
        for index, (page, table) in enumerate(parts):
            captioned = any(kid.get("/S") == "/Caption" for kid in _kids(table))
            continued = index + 1 < len(parts) and parts[index + 1][0] == page + 1 and not any(
                kid.get("/S") == "/Caption" for kid in _kids(parts[index + 1][1]))
            if _body_rows(table) == 1 and (not captioned or continued):
                lone.append(page)
    assert lone == []


def test_raci_header_words_are_never_broken(built: Path) -> None:
    context = check_content(ROOT / "content").contexts[PAIRING]
    tree = Pipeline.load().assemble(context, "operating-manual").tree
    words = {word for table in tree.root.iter("table") if "raci" in (table.get("class") or "")
             for th in table.iter("th") for word in "".join(th.itertext()).split() if len(word) > 3}
    assert {"Operations", "Outsourcing"} <= words
    pdf = built / "operating-manual.pdf"
    text = "".join(page_text(pdf, page, "-raw") for page in range(1, len(PdfReader(pdf).pages) + 1))
    broken = {word for word in words for cut in range(2, len(word) - 1) if word[cut - 1] != "-"
              and (f"{word[:cut]}-\n{word[cut:]}" in text or f"\n{word[:cut]}\n{word[cut:]}\n" in text)}
    assert broken == set()
