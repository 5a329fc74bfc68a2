"""Hypothesis fuzzing of the loader, the composer and the Markdown path: no crash, ever.

Profiles: the default ("ci") runs some thousands of cases in total within CI time;
HYPOTHESIS_PROFILE=long runs many more, for manual runs.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.compose.check import check_content
from builder.diagnostics import Diagnostics
from builder.content.loader import parse_blocks
from builder.tree import parse_document
from conftest import MINIMAL_FILES, write_content

YAML_ALPHABET = st.sampled_from(
    list("abc:-_ {}[],'\"\n\t#&*!|>%@`?0123456789.\\\x00\xe9") + ["kind", "id", "metric", "  ", "- ", "<<", "---"])
yaml_like = st.lists(YAML_ALPHABET, max_size=80).map("".join)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(yaml_like)
def test_loader_never_crashes(text: str) -> None:
    diagnostics = Diagnostics()
    blocks = parse_blocks(text, "fuzz.yaml", diagnostics)
    assert blocks or diagnostics.errors
    for diagnostic in diagnostics:
        assert diagnostic.location.file == "fuzz.yaml" and diagnostic.location.line >= 1


values = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 200) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12) | st.sampled_from(["cro-pm", "sponsor-lead", "2027-02-30", "KPI", "A/R"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
FIELDS = ["target", "thresholds", "owner", "direction", "members", "chair", "levels", "phases", "raci",
          "activities", "frequency", "x"]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(group=st.sampled_from(["metrics", "governance", "escalation", "transition", "responsibilities", "roles", "bogus"]),
       block=st.sampled_from(["sae-reporting-timeliness", "joint-operations-committee", "standard-escalation",
                              "standard-transition", "raci-safety", "cro-pm", "nope"]),
       override=st.dictionaries(st.sampled_from(FIELDS), values, max_size=3))
def test_composer_never_crashes_on_random_overrides(tmp_path_factory, group, block, override) -> None:
    root = tmp_path_factory.mktemp("compose")
    pairing = MINIMAL_FILES["pairings/acme-cro.yaml"].rstrip(" ")
    overrides = "        overrides: " + json.dumps({group: {block: override}}) + "\n"
    write_content(root, {**MINIMAL_FILES, "pairings/acme-cro.yaml": pairing + overrides})
    result = check_content(root)
    for diagnostic in result.diagnostics.errors:
        assert diagnostic.location.line >= 1, str(diagnostic)


MARKDOWN_PIECES = st.sampled_from([
    "# ", "## ", "### ", "§ ", "§§ ", "{#x}", "{#sec-a .unnumbered}", "[@x]", "[@sec-a]", "Table: T {#tbl-a}\n\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n", "- ", "1. ", "    ", "**", "_", "`", "![f](figure:transition)",
    "![f](figure:nope){#fig-a}", "<script>", "&amp;", "&", "\n", "\n\n", "text", "{{ x }}", "\\", "[l](#x)",
])
markdown_like = st.lists(MARKDOWN_PIECES, max_size=40).map("".join)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(markdown_like, st.sampled_from(["section", "clause"]))
def test_markdown_path_never_crashes(text: str, heading_kind: str) -> None:
    from builder.writers.html import sanitized_html

    tree = parse_document(text, heading_kind)
    numbers = [t.number for t in tree.targets.values() if t.kind in ("section", "clause") and t.number]
    assert all(part.isdigit() for number in numbers for part in number.split("."))
    for element in tree.root.iter():
        assert "\x02" not in (element.text or "") + (element.tail or "")
    assert isinstance(sanitized_html(tree.root), str)
