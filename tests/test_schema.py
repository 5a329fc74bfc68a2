"""Editor support: the committed JSON Schema is the one the models make, and it checks overrides."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from jsonschema.exceptions import best_match

from builder.content.loader import load_file
from builder.content.schema import content_schema
from builder.diagnostics import Diagnostics

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "schema" / "playbook.schema.json"


def test_the_committed_schema_is_up_to_date() -> None:
    assert json.loads(COMMITTED.read_text()) == content_schema(), (
        "schema/playbook.schema.json is stale: run `playbook schema --out schema/playbook.schema.json`")


def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(COMMITTED.read_text()))


def test_every_example_content_file_passes_the_schema() -> None:
    validator = _validator()
    for path in sorted((ROOT / "content").rglob("*.yaml")):
        for block in load_file(path, Diagnostics()):
            error = best_match(validator.iter_errors(block.data))
            assert error is None, f"{path}: {list(error.absolute_path)}: {error.message[:200]}"


def test_overrides_are_typed_by_group_and_kind() -> None:
    schema = json.loads(COMMITTED.read_text())
    overrides = schema["$defs"]["Pairing"]["properties"]["overrides"]
    assert set(overrides["properties"]) >= {"metrics", "roles", "escalation", "provisions"}
    assert overrides["properties"]["metrics"]["additionalProperties"] == {"$ref": "#/$defs/PartialMetric"}
    assert "required" not in json.dumps(schema["$defs"]["PartialThresholds"])
    partial = jsonschema.Draft202012Validator({"$defs": schema["$defs"], "$ref": "#/$defs/PartialMetric"})
    assert not list(partial.iter_errors({"thresholds": {"amber": 99}}))
    assert [e.message for e in partial.iter_errors({"thresholds": {"ambr": 99}})] == \
        ["Additional properties are not allowed ('ambr' was unexpected)"]
    assert [e.message for e in partial.iter_errors({"target": "high"})] == ["'high' is not of type 'number'"]
