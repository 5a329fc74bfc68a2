"""Random YAML-like text never crashes the loader: it loads, or gives a located diagnostic."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.check import check_content
from builder.diagnostics import Diagnostics
from builder.loader import parse_blocks

YAML_ALPHABET = st.sampled_from(list("abc:-_ {}[],'\"\n\t#&*!|>%@`?0123456789.\\") + ["kind", "id", "metric", "  ", "- "])
yaml_like = st.lists(YAML_ALPHABET, max_size=80).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yaml_like)
def test_loader_never_crashes(text: str) -> None:
    diagnostics = Diagnostics()
    blocks = parse_blocks(text, "fuzz.yaml", diagnostics)
    for diagnostic in diagnostics:
        assert diagnostic.location.file == "fuzz.yaml" and diagnostic.location.line >= 1
    assert blocks or diagnostics.errors


block_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=10,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["metric", "role", "pairing", "transition", "escalation", "governance", "nope"]),
       st.dictionaries(st.sampled_from(["id", "title", "target", "thresholds", "levels", "phases", "include", "raci", "x"]), block_value, max_size=5))
def test_random_blocks_give_located_errors_not_crashes(tmp_path_factory, kind, fields) -> None:
    import json
    root = tmp_path_factory.mktemp("fuzz")
    (root / "block.yaml").write_text(json.dumps({"kind": kind, **fields}))
    result = check_content(root)
    assert result.diagnostics.errors
    for diagnostic in result.diagnostics.errors:
        assert diagnostic.location.file.endswith("block.yaml") and diagnostic.location.line >= 1
