"""The sponsor theme (theme.yaml) in the PDF: logo, address, colours, fonts; a bad theme is a located error."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw

from builder.cli import main
from conftest import MINIMAL_FILES, write_content

ROOT = Path(__file__).resolve().parent.parent
PDF = Path("acme-cro") / "operating-manual.pdf"
WINE, GOLD = (0x8B, 0x1E, 0x3F), (0xD4, 0xA0, 0x17)
OTHER_THEME = """\
logo: acme.png
colours: {primary: "#8B1E3F", accent: "#D4A017"}
fonts: {body: Acmesans, headings: Acmesans}
address: "Acme Bio Inc., 1 Test Street, Cambridge, MA 02139, USA"
"""


def themed_sponsor(theme: str) -> str:
    """The minimal library's organizations, the sponsor naming a theme and giving its address."""
    return MINIMAL_FILES["organizations.yaml"].replace(
        "legal-name: Acme Bio Inc.\n",
        f"legal-name: Acme Bio Inc.\n          theme: {theme}\n"
        "          address: 230 Harbor Point Boulevard, Boston, MA 02210, USA\n")


def png_logo() -> bytes:
    image = Image.new("RGB", (120, 40), "white")
    ImageDraw.Draw(image).ellipse((4, 4, 36, 36), fill=WINE)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def renamed_font(source: Path, family: str) -> bytes:
    """Carlito under another family name, so the PDF shows which font the theme chose."""
    font = TTFont(source)
    for record in font["name"].names:
        if record.nameID in (1, 4, 6, 16):
            record.string = str(record).replace("Carlito", family)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def build(runner, root: Path, out: str, *extra: str) -> Path:
    result = runner.invoke(main, ["build", "--content", str(root / "content"), "--out", str(root / out),
                                  "--format", "pdf", "--format", "html", "--document", "operating-manual",
                                  "--jobs", "1", *extra])
    assert result.exit_code == 0, result.output
    return root / out


@pytest.fixture(scope="module")
def themed(tmp_path_factory) -> tuple[Path, Path]:
    """The same document built with the shipped Northwind theme (which the sponsor names) and with
    a --templates folder whose theme of that name replaces it."""
    from click.testing import CliRunner

    root = tmp_path_factory.mktemp("theme")
    letter = MINIMAL_FILES["pairings/acme-cro.yaml"].replace("master-agreement: MSA 1", "master-agreement: MSA 1\n"
                                                              + " " * 8 + "page-size: letter")
    write_content(root / "content", {**MINIMAL_FILES, "pairings/acme-cro.yaml": letter,  # the shorter page
                                     "organizations.yaml": themed_sponsor("northwind")})
    tpl = root / "tpl"
    (tpl / "fonts").mkdir(parents=True)
    (tpl / "themes" / "northwind").mkdir(parents=True)
    (tpl / "themes" / "northwind" / "theme.yaml").write_text(OTHER_THEME)
    (tpl / "themes" / "northwind" / "acme.png").write_bytes(png_logo())
    for style in ("Regular", "Bold"):
        (tpl / "fonts" / f"Acmesans-{style}.ttf").write_bytes(
            renamed_font(ROOT / "templates" / "fonts" / f"Carlito-{style}.ttf", "Acmesans"))
    runner = CliRunner()
    return build(runner, root, "shipped"), build(runner, root, "other", "--templates", str(tpl))


def colour_pixels(pdf: Path, colour: tuple[int, int, int], folder: Path) -> int:
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(folder / "cover")], check=True)
    image = Image.open(folder / "cover.png").convert("RGB")
    return sum(1 for pixel in image.get_flattened_data() if all(abs(a - b) <= 8 for a, b in zip(pixel, colour)))


def cover_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_the_sponsors_named_theme_dresses_the_document(themed: tuple[Path, Path]) -> None:
    pdf = themed[0] / PDF
    assert "Acme Bio Inc., 230 Harbor Point Boulevard, Boston, MA 02210, USA" in cover_text(pdf)  # its own address
    with pikepdf.open(pdf) as document:
        figures = [o for o in document.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/Figure"]
        assert any(str(f.get("/Alt")) == "Northwind Therapeutics logo" for f in figures)  # the SVG's <title>
        fonts = {str(f.BaseFont).split("+")[-1] for page in document.pages for f in page.Resources.Font.values()}
    assert fonts and all(name.startswith("Carlito") for name in fonts)
    html = (themed[0] / PDF.with_suffix(".html")).read_text()
    assert "--primary: #1B4965;" in html and "--accent: #2A9D8F;" in html
    assert 'src: url("fonts/Carlito-Regular.ttf")' in html


def test_another_theme_changes_logo_colours_address_and_fonts(themed: tuple[Path, Path], tmp_path: Path) -> None:
    shipped, other = (folder / PDF for folder in themed)
    assert "Acme Bio Inc., 1 Test Street" in cover_text(other)
    with pikepdf.open(other) as document:
        images = [o for o in document.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
        assert any((int(i.Width), int(i.Height)) == (120, 40) for i in images)
        figures = [o for o in document.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/Figure"]
        assert any(str(f.get("/Alt")) == "Acme Bio logo" for f in figures)  # a PNG: the sponsor's name
        fonts = {str(f.BaseFont).split("+")[-1] for page in document.pages for f in page.Resources.Font.values()}
    # the theme's font everywhere but in the figures, which are set in Carlito (declared for them)
    assert any(name.startswith("Acmesans") for name in fonts)
    assert all(name.startswith("Acmesans") or name.startswith("Carlito") for name in fonts)
    html = (themed[1] / PDF.with_suffix(".html")).read_text()
    assert "--primary: #8B1E3F;" in html and "--accent: #D4A017;" in html
    assert colour_pixels(other, WINE, tmp_path) > 100 and colour_pixels(shipped, WINE, tmp_path) == 0
    assert colour_pixels(other, GOLD, tmp_path) > 20 and colour_pixels(shipped, GOLD, tmp_path) == 0


def test_the_address_sits_below_the_cover_content_on_a_letter_page(themed: tuple[Path, Path]) -> None:
    pdf = themed[0] / PDF
    words = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    boxes = [(float(top), float(bottom), word) for top, bottom, word in
             re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', words)]
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', words).group(1))
    address_top = min(top for top, _, word in boxes if word == "Harbor")
    content_bottom = max(bottom for top, bottom, word in boxes if top < address_top - 1)
    assert height == pytest.approx(792) and content_bottom < address_top < height


BAD_THEMES = [
    ("missing-logo", "logo: nowhere.svg\n", "theme.yaml:1:7", "logo file 'nowhere.svg' not found"),
    ("unknown-font", "fonts:\n  body: Calibri\n", "theme.yaml:2:9", "no font files for family 'Calibri'"),
    ("invalid-colour", 'colours:\n  accent: "#C55A1"\n', "theme.yaml:2:11", "'accent' is the text '#C55A1'"),
]


@pytest.mark.parametrize("case, theme, where, words", BAD_THEMES, ids=[case[0] for case in BAD_THEMES])
def test_a_bad_theme_is_a_located_error_in_build_and_redline(tmp_path: Path, runner, monkeypatch, case, theme,
                                                             where, words) -> None:
    monkeypatch.chdir(tmp_path)
    write_content(tmp_path / "content", MINIMAL_FILES)
    write_content(tmp_path / "old", MINIMAL_FILES)
    write_content(tmp_path / "content", {"terms.yaml": MINIMAL_FILES["terms.yaml"].replace("is serious", "is grave")})
    assert runner.invoke(main, ["build", "--out", "out", "--format", "md", "--jobs", "1"]).exit_code == 0
    before = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "theme.yaml").write_text(theme)
    commands = (["build", "--out", "out", "--format", "md", "--jobs", "1", "--templates", "tpl", "--force"],
                ["diff", "old", "content", "--redline", "--out", "rl", "--templates", "tpl"])
    for command in commands:
        result = runner.invoke(main, command)
        assert result.exit_code == 1, result.output
        assert f"tpl/{where}: error: " in result.output and words in result.output
        assert "Traceback" not in result.output
    assert {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()} == before
    assert not (tmp_path / "rl").exists()


def test_a_sponsor_without_a_theme_gets_the_neutral_default(tmp_path: Path, runner) -> None:
    write_content(tmp_path / "content", MINIMAL_FILES)
    result = runner.invoke(main, ["build", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "out"),
                                  "--format", "html", "--document", "operating-manual", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "out" / PDF.with_suffix(".html")).read_text()
    assert "--primary: #1F4E79;" in html and "--accent: #C55A11;" in html
    assert "cover-logo" not in html and "Northwind" not in html


def test_an_unknown_theme_is_an_error_at_the_sponsors_theme_line(tmp_path: Path, runner) -> None:
    write_content(tmp_path / "content", {**MINIMAL_FILES, "organizations.yaml": themed_sponsor("northwnd")})
    result = runner.invoke(main, ["build", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "out"),
                                  "--format", "md", "--jobs", "1"])
    assert result.exit_code == 1
    assert "organizations.yaml:6:10: error: no theme 'northwnd'" in result.output
    assert "did you mean 'northwind'?" in result.output and "Traceback" not in result.output
    assert not any(p.is_file() for p in (tmp_path / "out").rglob("*.md"))
