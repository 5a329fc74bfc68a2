"""The DRAFT watermark: drawn on every page as outlines, never extractable as text."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from builder.cli import main
from builder.tree import Theme
from builder.tree.theme import FontFace
from builder.writers.watermark import watermark_css
from conftest import MINIMAL_FILES, write_content

ROOT = Path(__file__).resolve().parent.parent
WATERMARK_PINK = (0xF2, 0xDC, 0xDB)


def build(runner, root: Path, status: str) -> Path:
    approval = "\n" + " " * 10 + "approved: 2027-01-10" if status == "approved" else ""
    pairing = MINIMAL_FILES["pairings/acme-cro.yaml"].replace("status: draft", f"status: {status}{approval}")
    write_content(root / "content", {**MINIMAL_FILES, "pairings/acme-cro.yaml": pairing})
    result = runner.invoke(main, ["build", "--content", str(root / "content"), "--out", str(root / "out"),
                                  "--format", "pdf", "--document", "operating-manual", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return root / "out" / "acme-cro" / "operating-manual.pdf"


def pink_pixels(pdf: Path, page: int, folder: Path) -> int:
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(folder / "page")], check=True)
    image = Image.open(folder / "page.png").convert("RGB")
    return sum(1 for pixel in image.get_flattened_data() if all(abs(a - b) <= 6 for a, b in zip(pixel, WATERMARK_PINK)))


@pytest.fixture(scope="module")
def draft(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    return build(CliRunner(), tmp_path_factory.mktemp("draft"), "draft")


def test_the_watermark_is_drawn_on_every_page(draft: Path, tmp_path: Path) -> None:
    pages = len(PdfReader(draft).pages)
    assert pages >= 3
    assert all(pink_pixels(draft, page, tmp_path) > 500 for page in range(1, pages + 1))


def test_no_watermark_text_can_be_extracted(draft: Path) -> None:
    texts = [page.extract_text() for page in PdfReader(draft).pages]
    assert not any(re.search(r"DRAFT|\bDR\b|\bAF\b", text) for text in texts)
    layout = subprocess.run(["pdftotext", "-layout", str(draft), "-"], capture_output=True, text=True,
                            check=True).stdout
    assert not re.search(r"DRAFT|^\s*(DR|AF|T)\s*$", layout, flags=re.M)


def test_an_approved_document_has_no_watermark(runner, tmp_path: Path) -> None:
    approved = build(runner, tmp_path, "approved")
    assert pink_pixels(approved, 2, tmp_path) == 0


def test_the_watermark_is_path_data_from_the_heading_font_only() -> None:
    bold = (ROOT / "templates" / "fonts" / "Carlito-Bold.ttf").read_bytes()
    theme = Theme(fonts=(FontFace("Carlito", "Carlito-Bold.ttf", bold, bold=True),))
    css = watermark_css("IN REVIEW", theme, "letter")
    assert css.startswith("@page { background: url(\"data:image/svg+xml;base64,") and "fixed" in css
    assert "IN REVIEW" not in css
    assert watermark_css("", theme, "A4") == "" and watermark_css("DRAFT", Theme(), "A4") == ""
