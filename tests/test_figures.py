"""Figures: every escalation level's text fits its box and names its contacts; milestones are named,
never 'M<n>'; every figure is described in words, and that description is the image's alt text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from pathlib import Path

import pytest

from builder.compose.check import check_content
from builder.engine.pipeline import Pipeline
from builder.render.figures import draw_figures
from builder.render.figures.drawing import STYLE, pyplot
from builder.render.figures.escalation import DETAIL, TITLE, draw_escalation, ladder_steps
from builder.render.figures.transition import draw_transition

ROOT = Path(__file__).resolve().parent.parent
PAIRINGS = ["northwind-meridian-phase3-oncology", "northwind-alvarez-medical-monitoring",
            "northwind-cobalt-central-lab", "northwind-helix-fsp-data"]


@pytest.fixture(scope="module")
def contexts():
    return check_content(ROOT / "content").contexts


def svg_texts(draw, context) -> list[str]:
    """The text of a figure drawn with real SVG text (not outlines), to read what it says."""
    plt = pyplot()
    with plt.rc_context({**STYLE, "svg.fonttype": "none"}):
        svg = draw(context, ("svg",)).svg
    root = etree.fromstring(svg)
    return ["".join(element.itertext()) for element in root.iter("{http://www.w3.org/2000/svg}text")]


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
