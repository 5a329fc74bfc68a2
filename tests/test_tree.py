"""The document tree: numbering, clauses, cross-references, captions and figures, made once."""

from __future__ import annotations

from pathlib import Path

from builder.tree import parse_document
from builder.tree.document_tree import element_text

QA = """# Parties {#sec-parties}

§ The agreement is made between the parties.

§ {#clause-msa} The master agreement prevails, see [@clause-breach].

§§ A sub-clause.

§§ {#clause-sub} Another sub-clause.

# Deviations {#sec-deviations}

§ {#clause-breach} Serious breaches are notified within 1 business day; see [@clause-sub] and [@sec-parties].
"""


def test_clauses_are_numbered_under_their_heading() -> None:
    tree = parse_document(QA, "clause")
    numbers = {t.id: t.number for t in tree.targets.values()}
    assert numbers["sec-parties"] == "1" and numbers["sec-deviations"] == "2"
    assert numbers["clause-msa"] == "1.2"
    assert numbers["clause-sub"] == "1.2.2"
    assert numbers["clause-breach"] == "2.1"
    clauses = [el for el in tree.root if el.get("class", "").startswith("clause")]
    assert [el.get("data-number") for el in clauses] == ["1.1", "1.2", "1.2.1", "1.2.2", "2.1"]
    assert element_text(clauses[0]).startswith("1.1 The agreement")


def test_cross_references_resolve_forward_and_backward() -> None:
    tree = parse_document(QA, "clause")
    links = [(a.get("href"), a.text) for a in tree.root.iter("a")]
    assert ("#clause-breach", "clause 2.1") in links
    assert ("#clause-sub", "clause 1.2.2") in links
    assert ("#sec-parties", "clause 1") in links
    assert tree.unresolved == []


def test_unknown_cross_reference_is_recorded() -> None:
    tree = parse_document("# A\n\nSee [@nowhere].\n")
    assert tree.unresolved == ["nowhere"]


def test_headings_numbered_unnumbered_and_in_the_toc() -> None:
    tree = parse_document("# Control {#sec-control .unnumbered}\n\n# Purpose\n\n## Scope\n\n### Detail\n\n# Roles\n")
    assert [(e.level, e.number, e.text) for e in tree.toc] == [
        (1, "", "Control"), (1, "1", "Purpose"), (2, "1.1", "Scope"), (3, "1.1.1", "Detail"), (1, "2", "Roles"),
    ]
    assert tree.toc[1].anchor == "sec-purpose"


def test_table_caption_numbers_the_table_and_takes_its_id_and_class() -> None:
    text = "# A\n\nTable: RACI matrix {#tbl-raci .raci}\n\n| a | b |\n|---|---|\n| A | R |\n\nSee [@tbl-raci].\n"
    tree = parse_document(text)
    table = tree.root.find("table")
    assert table.get("id") == "tbl-raci" and table.get("class") == "data raci"
    assert element_text(table.find("caption")) == "Table 1: RACI matrix"
    assert [a.text for a in tree.root.iter("a")] == ["Table 1"]


def test_figures_are_numbered_and_listed() -> None:
    text = "![Transition plan](figure:transition){#fig-transition}\n\n![Ladder](figure:escalation)\n\nSee [@fig-transition].\n"
    tree = parse_document(text)
    figures = tree.root.findall("figure")
    assert [f.get("id") for f in figures] == ["fig-transition", "fig-2"]
    assert element_text(figures[1].find("figcaption")) == "Figure 2: Ladder"
    assert tree.figures == ["transition", "escalation"]


def test_raw_html_and_jinja_syntax_stay_literal_text() -> None:
    tree = parse_document("A <script>alert(1)</script> and {{ x }} {% if %} & more.\n")
    paragraph = tree.root.find("p")
    assert paragraph.find("script") is None
    assert element_text(paragraph) == "A <script>alert(1)</script> and {{ x }} {% if %} & more."


def test_ampersands_and_entity_like_text_stay_literal() -> None:
    tree = parse_document("| a |\n|---|\n| ICH E3 Q&A; R&D &amp; more |\n")
    cell = tree.root.find("table").find("tbody").find("tr").find("td")
    assert cell.text == "ICH E3 Q&A; R&D &amp; more"
    assert all(ord(c) >= 32 for el in tree.root.iter() for c in (el.text or "") + (el.tail or "") if c not in "\n\t")


def test_every_paragraph_cell_and_clause_knows_the_content_field_it_came_from() -> None:
    from builder.compose.check import check_content
    from builder.engine.pipeline import Pipeline

    root = Path(__file__).resolve().parent.parent
    context = check_content(root / "content").contexts["northwind-meridian-phase3-oncology"]
    document = Pipeline.load().assemble(context, "quality-agreement")
    tree = document.tree
    sourced = [element for element in tree.root.iter() if element.get("data-source")]
    assert len(sourced) > 100 and "\ue000" not in document.markdown
    clause = next(e for e in sourced if e.get("class", "").startswith("clause") and "permit the Sponsor" in "".join(e.itertext()))
    key = clause.get("data-source").split(":")[0]
    assert tree.origins[key].kind == "provision" and tree.origins[key].path[0] == "clauses"
    for element in tree.root.iter():
        text = (element.text or "") + (element.tail or "") + "".join(element.attrib.values())
        assert not any("\ue000" <= c <= "\ue01f" for c in text), "no source mark reaches a writer"


def test_a_field_of_several_paragraphs_marks_each_with_its_part() -> None:
    from builder.tree.marks import mark, recording_origins
    from builder.tree.origins import Origin

    origin = Origin("pairing", "acme", ("rationale",))
    with recording_origins() as origins:
        text = "# Why {#sec-why}\n\n" + mark("First part.\n\nSecond part.\n\n- a list item", origin, block=True) + "\n"
    tree = parse_document(text, "section", origins)
    marked = [(e.tag, e.get("data-source")) for e in tree.root.iter() if e.get("data-source")]
    assert marked == [("p", f"{origin.key}:0"), ("p", f"{origin.key}:1"), ("li", f"{origin.key}:2")]
    assert tree.origins == {origin.key: origin}


def test_chapter_cache_gives_the_tree_of_a_whole_parse_for_every_example_document() -> None:
    """The live preview parses chapter by chapter; every example document's tree, targets and
    sources are the same as a build's."""
    import xml.etree.ElementTree as etree

    from builder.compose.check import check_content
    from builder.engine.pipeline import Pipeline
    from builder.tree.markdown_parse import ChapterCache

    checked = check_content(Path(__file__).resolve().parents[1] / "content")
    whole, by_chapter = Pipeline.load(), Pipeline.load()
    by_chapter.chapters = ChapterCache()
    compared = 0
    for pairing_id, context in checked.contexts.items():
        for document_id in context.pairing.documents:
            a, b = whole.assemble(context, document_id), by_chapter.assemble(context, document_id)
            assert etree.tostring(a.tree.root) == etree.tostring(b.tree.root), (pairing_id, document_id)
            assert (a.tree.targets, a.tree.origins, a.tree.toc) == (b.tree.targets, b.tree.origins, b.tree.toc)
            compared += 1
    assert compared >= 15 and by_chapter.chapters.parsed > compared  # many chapters per document


def test_chapter_cache_parses_again_only_the_chapter_that_changed() -> None:
    from builder.tree.markdown_parse import ChapterCache, chapters

    cache = ChapterCache()
    first = parse_document(QA, "clause", chapters=cache)
    assert cache.parsed == len(chapters(QA)) == 2
    edited = QA.replace("within 1 business day", "within 2 business days")
    second = parse_document(edited, "clause", chapters=cache)
    assert cache.parsed == 3
    assert "2 business days" in element_text(second.root) and "1 business day" in element_text(first.root)
    assert parse_document(edited, "clause").targets == second.targets


def test_a_text_with_a_fenced_block_is_parsed_whole() -> None:
    from builder.tree.markdown_parse import chapters

    text = "# One\n\n```\nline\n\n# not a heading\n```\n\n# Two\n\nText.\n"
    assert chapters(text) == [text]
    assert len(chapters(text.replace("```", ""))) == 3
