"""The sponsor's theme in the Word file, read back: logo on the cover, address, the primary colour on
headings, table headers and the running header, and the body and heading fonts in the styles."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from builder.compose.check import check_content
from builder.engine.pipeline import Pipeline
from builder.writers.docx_theme import tint
from builder.writers.svg_raster import rasterise, svg_size

ROOT = Path(__file__).resolve().parent.parent
W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
PAIRING = "northwind-meridian-phase3-oncology"
FONTS = ROOT / "templates" / "fonts"
SVG_LOGO = (b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30" viewBox="0 0 120 30">'
            b'<title>Acme logo</title><rect width="120" height="30" fill="#7A1F5C"/></svg>')
THEME = """\
logo: {logo}
colours: {{primary: "#7A1F5C", accent: "#2A9D8F"}}
fonts: {{body: Carlito, headings: Headline}}
address: "Northwind Therapeutics, Inc., 230 Harbor Point Boulevard, Boston"
"""


def themed_docx(tmp_path: Path, logo_name: str, logo: bytes) -> tuple[bytes, list]:
    folder = tmp_path / "tpl"
    (folder / "fonts").mkdir(parents=True)
    shutil.copy(FONTS / "Carlito-Bold.ttf", folder / "fonts" / "Headline-Bold.ttf")  # a second family
    named = folder / "themes" / "northwind"  # replaces the shipped theme the example sponsor names
    named.mkdir(parents=True)
    (named / logo_name).write_bytes(logo)
    (named / "theme.yaml").write_text(THEME.format(logo=logo_name))
    context = check_content(ROOT / "content").contexts[PAIRING]
    document, files = Pipeline.load(folder).make_document(context, "quality-agreement", ["docx"])
    return files["docx"], document.warnings


def png_logo() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (100, 25), "white").save(buffer, format="PNG")  # 2 x 0.5 inches at 50 dpi
    return buffer.getvalue()


def test_theme_colours_fonts_address_and_png_logo_in_the_word_file(tmp_path: Path) -> None:
    data, _ = themed_docx(tmp_path, "logo.png", png_logo())
    document = docx.Document(io.BytesIO(data))
    styles = document.styles
    for name in ("Heading 1", "Heading 2", "Title", "Cover Title", "Caption", "TOC Heading"):
        assert str(styles[name].font.color.rgb) == "7A1F5C", name
    for name in ("Heading 1", "Heading 2", "Heading 3", "Cover Title"):
        assert styles[name].font.name == "Headline", name
    defaults = styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    assert (defaults.get(qn("w:ascii")), defaults.get(qn("w:hAnsi"))) == ("Carlito", "Carlito")
    table_header = styles["Playbook Table"].element.xpath('./w:tblStylePr[@w:type="firstRow"]')[0]
    assert table_header.xpath("./w:rPr/w:color/@w:val", namespaces=W) == ["7A1F5C"]
    assert table_header.xpath("./w:tcPr/w:shd/@w:fill", namespaces=W) == [tint("#7A1F5C").lstrip("#")]
    header_runs = [run for run in document.sections[0].header.paragraphs[0].runs if run.text]  # not the watermark
    assert header_runs[0].text == "Quality Agreement" and str(header_runs[0].font.color.rgb) == "7A1F5C"
    package = zipfile.ZipFile(io.BytesIO(data))
    theme = etree.fromstring(package.read("word/theme/theme1.xml"))
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    assert theme.find(f".//{a}majorFont/{a}latin").get("typeface") == "Headline"
    assert theme.find(f".//{a}minorFont/{a}latin").get("typeface") == "Carlito"
    fonts = etree.fromstring(package.read("word/fontTable.xml"))
    carlito = fonts.xpath('//w:font[@w:name="Carlito"]', namespaces=W)
    assert carlito and carlito[0][0].get(qn("w:val")) == "Calibri"  # the metric twin, for readers without it
    cover = document.paragraphs[:8]
    pictures = [p for p in cover if p._p.xpath(".//pic:pic")]
    assert len(pictures) == 1 and pictures[0] is cover[0]  # the logo, above the title
    assert pictures[0]._p.xpath(".//wp:docPr/@descr") == ["Northwind Therapeutics logo"]
    assert [n for n in package.namelist() if n.startswith("word/media/")] == ["word/media/image1.png"]
    assert "Northwind Therapeutics, Inc., 230 Harbor Point Boulevard, Boston" in [p.text for p in document.paragraphs[:30]]


def test_an_svg_logo_is_embedded_with_a_png_fallback(tmp_path: Path) -> None:
    data, warnings = themed_docx(tmp_path, "logo.svg", SVG_LOGO)
    package = zipfile.ZipFile(io.BytesIO(data))
    assert package.read("word/media/image1.svg") == SVG_LOGO
    body = package.read("word/document.xml").decode()
    assert "<asvg:svgBlip " in body.split("Clinical outsourcing")[0]  # on the cover, before the kicker
    png = package.read("word/media/image1.png")
    assert png.startswith(b"\x89PNG")
    notes = [w for w in warnings if w.code == "docx-logo"]
    if shutil.which("rsvg-convert"):
        assert not notes
    else:  # Word 2016+ shows the SVG; the fallback is a transparent stand-in, and the build says so
        assert [str(n.location) for n in notes] == ["logo.svg"] and notes[0].level == "note"


def test_svg_sizes_and_stand_in_pngs() -> None:
    assert svg_size(SVG_LOGO) == (120, 30)
    assert svg_size(b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 10"/>') == (40, 10)
    assert svg_size(b'<svg xmlns="http://www.w3.org/2000/svg" width="2in" viewBox="0 0 40 10"/>') == (192, 48)
    assert svg_size(b"not svg") == (300, 150)
    raster = rasterise(SVG_LOGO, 240)
    assert raster.png.startswith(b"\x89PNG") and raster.png == rasterise(SVG_LOGO, 240).png
    if not raster.drawn:
        from PIL import Image

        image = Image.open(io.BytesIO(raster.png))
        assert image.size == (240, 60) and image.getextrema()[3] == (0, 0)  # fully transparent


@pytest.mark.parametrize("colour, expected", [("#1F4E79", "#E0E6EC"), ("#000000", "#DBDBDB")])
def test_table_header_fill_is_a_light_tint_of_the_primary_colour(colour: str, expected: str) -> None:
    assert tint(colour) == expected
