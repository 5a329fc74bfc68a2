"""Template rendering helpers: content as data, prose one sentence per line for the review snapshot."""

from __future__ import annotations

import datetime as dt

from builder.render.templates import TemplateRenderer, block, inline, long_date, number, one_sentence_per_line
from builder.tree import parse_document
from builder.tree.document_tree import element_text

PROSE = """The provider runs the study. It reports monthly (see the plan). Risks are reviewed, e.g. at the JOC.
A second line. Done!

- A list item. With two sentences.
  A continuation.
- Second item.

| a | b. C |
|---|---|
| 1 | 2 |
"""


def test_prose_is_split_one_sentence_per_line() -> None:
    lines = one_sentence_per_line(PROSE).splitlines()
    assert lines[:5] == ["The provider runs the study.", "It reports monthly (see the plan).",
                         "Risks are reviewed, e.g. at the JOC.", "A second line.", "Done!"]
    assert lines[6:9] == ["- A list item.", "  With two sentences.", "  A continuation."]
    assert "| a | b. C |" in lines  # tables are left alone


def test_resplitting_does_not_change_the_rendered_document() -> None:
    before = parse_document(PROSE)
    after = parse_document(one_sentence_per_line(PROSE))
    assert [element_text(e) for e in before.root] == [element_text(e) for e in after.root]


def test_block_indents_continuation_lines_for_list_items() -> None:
    assert block("One. Two.\n\nThree.", indent=2) == "One.\n  Two.\n\n  Three."


def test_inline_and_small_filters() -> None:
    assert inline("a |\n b") == "a \\| b"
    assert long_date(dt.date(2027, 1, 5)) == "5 January 2027"
    assert (number(95.0), number(0.75), number(3)) == ("95", "0.75", "3")


def test_content_is_never_compiled_as_a_template(tmp_path) -> None:
    (tmp_path / "t.md.j2").write_text("{{ text | block }}\n")
    rendered = TemplateRenderer(tmp_path).render("t.md.j2", text="{{ 7 * 7 }} {% raw %}")
    assert rendered.strip() == "{{ 7 * 7 }} {% raw %}"


def test_a_number_at_a_line_start_mid_paragraph_is_not_a_list() -> None:
    text = "The plan was agreed in March\n2027. It runs for six months."
    assert one_sentence_per_line(text) == "The plan was agreed in March 2027.\nIt runs for six months."
