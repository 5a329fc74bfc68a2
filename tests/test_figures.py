"""Figures: every escalation level's text fits its box and names its contacts; milestones are named,
never 'M<n>'; the Gantt chart has a bar per phase, a marker per milestone and a legend entry per
oversight level; figures are the same bytes each time, their PNG shows the drawing; every figure
is described in words, and that description is the image's alt text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from pathlib import Path

import io
import shutil

import pytest
from PIL import Image

from builder.compose.check import check_content
from builder.engine.pipeline import Pipeline
from builder.render.figures import draw_figures
from builder.render.figures.drawing import ALERT, PALETTE, Font
from builder.render.figures.escalation import DETAIL, TITLE, draw_escalation, ladder_steps
from builder.render.figures.svg import Canvas
from builder.render.figures.transition import draw_transition

ROOT = Path(__file__).resolve().parent.parent
PAIRINGS = ["northwind-meridian-phase3-oncology", "northwind-alvarez-medical-monitoring",
            "northwind-cobalt-central-lab", "northwind-helix-fsp-data"]


@pytest.fixture(scope="module")
def contexts():
    return check_content(ROOT / "content").contexts


SVG = "{http://www.w3.org/2000/svg}"
NAMES = ["escalation", "governance", "transition"]


def svg_texts(draw, context) -> list[str]:
    """The text of a figure (its SVG has real text, not outlines), to read what it says."""
    root = etree.fromstring(draw(context, ("svg",)).svg)
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("pairing", PAIRINGS)
def test_every_escalation_level_fits_its_box_and_names_its_contacts(contexts, pairing: str) -> None:
    context = contexts[pairing]
    steps = ladder_steps(context)
    texts = " ".join(svg_texts(draw_escalation, context))
    for step, level in zip(steps, context.escalation.levels):
        assert all(TITLE.width(line) <= step.inner_width for line in step.title)
        assert all(DETAIL.width(line) <= step.inner_width for line in step.contacts + step.resolution)
        for role in level.contacts:
            shown = context.role(role).short_title or context.role(role).title
            assert shown in " ".join(step.contacts) and shown.split()[0] in texts
        if level.decides and not level.resolve_within:  # the final level's words, whole, never cut short
            assert " ".join(step.resolution).endswith(level.decides) and "…" not in texts
    assert " ".join(" ".join(steps[-1].resolution).split()[-3:]) in texts


@pytest.mark.parametrize("pairing", PAIRINGS)
def test_milestones_are_named_in_a_key_never_m_numbers(contexts, pairing: str) -> None:
    context = contexts[pairing]
    texts = svg_texts(draw_transition, context)
    assert not [text for text in texts if re.fullmatch(r"M\d+", text.strip())]
    joined = " ".join(texts)
    assert "Milestones" in texts
    for number, milestone in enumerate(context.transition.milestones, start=1):
        assert f"Milestone {number}: {milestone.name.split()[0]}" in joined
        assert str(number) in texts  # its circled number on the chart


def test_every_figure_has_a_description_used_as_its_alt_text(contexts) -> None:
    context = contexts[PAIRINGS[0]]
    figures = draw_figures(context, ["escalation", "governance", "transition"], ("svg",))
    assert "Contacts: Sponsor Study Manager" in figures["escalation"].description
    assert "Executive Steering Committee" in figures["governance"].description
    assert "Joint kick-off meeting (month 0)" in figures["transition"].description
    html = Pipeline.load().make(context, "operating-manual", ["html"])["html"].decode()
    alts = re.findall(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"', html)
    from html import escape

    for figure in figures.values():
        assert escape(figure.description, quote=True) in alts


@pytest.mark.parametrize("pairing", PAIRINGS)
def test_gantt_has_a_bar_per_phase_a_marker_per_milestone_and_a_legend_per_level(contexts, pairing: str) -> None:
    context = contexts[pairing]
    plan = context.transition
    root = etree.fromstring(draw_transition(context, ("svg",)).svg)
    rects = root.findall(f"{SVG}rect")
    outlined = [rect for rect in rects if rect.get("stroke") == PALETTE[0]]
    # one bar per phase, one swatch per oversight level (the swatches are the short ones)
    swatches = [rect for rect in outlined if float(rect.get("height")) < 8]
    bars = [rect for rect in outlined if float(rect.get("height")) >= 8]
    assert len(bars) == len(plan.phases) and len(swatches) == len(plan.oversight_levels)
    assert sorted(float(bar.get("x")) for bar in bars) == [float(bar.get("x")) for bar in bars]  # in time order
    texts = svg_texts(draw_transition, context)
    for level in plan.oversight_levels:
        assert level.name in texts
    for phase in plan.phases:
        assert phase.name.split()[0] in " ".join(texts)
    circles = [c for c in root.findall(f"{SVG}circle") if c.get("stroke") == ALERT]
    assert len(circles) == len(plan.milestones)
    assert {"Phases and oversight level", "Months from contract start", "Sponsor review", "(% sampled)"} <= set(texts)


@pytest.mark.parametrize("name", NAMES)
def test_figures_are_sane_svg_and_the_same_bytes_every_time(contexts, name: str) -> None:
    context = contexts[PAIRINGS[0]]
    first, second = (draw_figures(context, [name], ("svg", "png"))[name] for _ in range(2))
    assert first.svg == second.svg and first.png == second.png
    root = etree.fromstring(first.svg)
    width, height = float(root.get("width").removesuffix("pt")), float(root.get("height").removesuffix("pt"))
    assert root.get("viewBox") == f"0 0 {root.get('width')[:-2]} {root.get('height')[:-2]}"
    assert width == first.width_inches * 72 == 6.6 * 72 and 100 < height < 600
    for element in root.iter():  # everything drawn lies inside the picture
        for key in ("x", "x1", "x2", "cx"):
            if element.get(key) is not None:
                assert -1 <= float(element.get(key)) <= width + 1, (element.tag, element.attrib)
        for key in ("y", "y1", "y2", "cy"):
            if element.get(key) is not None:
                assert -1 <= float(element.get(key)) <= height + 1, (element.tag, element.attrib)
    text = root.find(f"{SVG}text")
    assert text is not None and text.get("font-family").startswith("Carlito")
    assert b"<script" not in first.svg and b"id=" not in first.svg  # no ids to collide in a page


def test_figure_text_is_escaped_and_outlined_for_the_png() -> None:
    canvas = Canvas(2, 1)
    line = 'R&D <board> "A" ' + chr(0x2013)
    canvas.text(0.1, 0.5, line, Font(8), "#000000")
    assert etree.fromstring(canvas.svg()).find(f"{SVG}text").text == line
    outlined = etree.fromstring(canvas.svg(outlines=True))  # glyphs, one per character but the spaces
    assert outlined.find(f".//{SVG}text") is None
    assert len(outlined.findall(f".//{SVG}use")) == len(line.replace(" ", ""))
    assert len(outlined.findall(f"{SVG}defs/{SVG}path")) == len(set(line.replace(" ", "")))


@pytest.mark.parametrize("name", NAMES)
def test_the_png_for_word_shows_the_drawing(contexts, name: str) -> None:
    figure = draw_figures(contexts[PAIRINGS[0]], [name], ("png",))[name]
    image = Image.open(io.BytesIO(figure.png)).convert("RGBA")
    assert image.width == round(6.6 * 200) and figure.svg == b""
    colours = image.getcolors(maxcolors=1 << 20) or []
    if shutil.which("rsvg-convert") is None:  # the transparent stand-in (svg_raster.py), the same shape
        assert image.getbbox() is None
        return
    assert len(colours) > 50 and image.getbbox() is not None  # antialiased text and shapes
    r, g, b = (int(PALETTE[0][i:i + 2], 16) for i in (1, 3, 5))
    assert any(abs(c[0] - r) < 4 and abs(c[1] - g) < 4 and abs(c[2] - b) < 4 and c[3] == 255 for _, c in colours), \
        "the palette's dark blue is drawn"


def test_the_page_declares_the_figures_font_when_the_theme_has_another() -> None:
    from builder.tree.theme import FontFace, Theme
    from builder.writers.theme_css import theme_css

    other = Theme(body_font="Headline", heading_font="Headline", fonts=(FontFace("Headline", "Headline.ttf", b""),))
    assert 'font-family: "Carlito"; src: url("fonts/Carlito-Bold.ttf")' in theme_css(other, figures=True)
    assert "Carlito" not in theme_css(other)  # no figures, no font for them
    carlito = Theme(fonts=(FontFace("Carlito", "Carlito-Regular.ttf", b""),))
    assert theme_css(carlito, figures=True).count("@font-face") == 1  # the theme's own, once


def test_a_transparent_stand_in_png_is_recognised() -> None:
    from builder.writers.svg_raster import _transparent_png, is_stand_in

    assert is_stand_in(_transparent_png(12, 7))
    assert not is_stand_in(draw_figures(check_content(ROOT / "content").contexts[PAIRINGS[0]], ["governance"],
                                        ("png",))["governance"].png) or shutil.which("rsvg-convert") is None


@pytest.mark.parametrize("pairing", PAIRINGS)
def test_the_governance_chart_says_how_often_each_body_meets_in_words(contexts, pairing: str) -> None:
    from builder.render.figures.governance import draw_governance

    context = contexts[pairing]
    text = " ".join(svg_texts(draw_governance, context))
    spoken = {"monthly": "meets monthly", "quarterly": "meets quarterly", "bi-weekly": "meets every two weeks",
              "semi-annual": "meets every six months", "weekly": "meets weekly", "annual": "meets once a year"}
    for body in context.governance:
        assert spoken[body.frequency] in text, (body.id, body.frequency)
    assert "semi-annual" not in text and "meets annual" not in text
