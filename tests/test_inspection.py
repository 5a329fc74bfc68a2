"""``playbook list`` and ``playbook show``: what the library holds and what a pairing resolves to."""

from __future__ import annotations

import json
from pathlib import Path

from builder.cli import main
from conftest import MINIMAL_FILES, write_content

PAIRING = MINIMAL_FILES["pairings/acme-cro.yaml"].rstrip(" ")


def test_list_pairings_blocks_and_documents(minimal_content: Path, runner) -> None:
    pairings = runner.invoke(main, ["list", "--content", str(minimal_content), "--format", "json"])
    assert pairings.exit_code == 0, pairings.output
    (row,) = json.loads(pairings.output)
    assert row["id"] == "acme-cro" and row["model"] == "full-service" and row["composes"] is True
    text = runner.invoke(main, ["list", "pairings", "--content", str(minimal_content)]).output
    assert text.startswith("acme-cro  full-service  cro  operating-manual, quality-agreement  Acme Bio and Good CRO")
    blocks = json.loads(runner.invoke(main, ["list", "blocks", "--content", str(minimal_content), "--format", "json"]).output)
    sae = next(b for b in blocks if b["id"] == "sae-reporting-timeliness")
    assert sae["kind"] == "metric" and sae["pairings"] == ["acme-cro"] and sae["file"].endswith("metrics/sae.yaml:1:1")
    documents = runner.invoke(main, ["list", "documents"]).output
    assert "operating-manual" in documents and "quality-agreement" in documents and "signed" in documents


def test_show_a_block_with_its_pairings_and_the_documents_that_show_it(minimal_content: Path, runner) -> None:
    result = runner.invoke(main, ["show", "metric", "sae-reporting-timeliness", "--content", str(minimal_content),
                                  "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["file"].endswith("metrics/sae.yaml:1:1") and data["fields"]["target"] == 100
    assert data["used_by"] == [{"pairing": "acme-cro", "how": "included", "overridden": False,
                                "documents": ["operating-manual", "quality-agreement"]}]
    text = runner.invoke(main, ["show", "role", "cro-safety-lead", "--content", str(minimal_content)]).output
    assert "acme-cro (pulled in)" in text and "fields:\n  id: cro-safety-lead" in text


def test_show_a_pairing_with_overrides_applied_and_what_it_pulled_in(tmp_path: Path, runner) -> None:
    overrides = "        overrides:\n          metrics:\n            sae-reporting-timeliness: {thresholds: {amber: 99}}\n"
    content = write_content(tmp_path / "content", {**MINIMAL_FILES, "pairings/acme-cro.yaml": PAIRING + overrides})
    data = json.loads(runner.invoke(main, ["show", "pairing", "acme-cro", "--content", str(content), "--format",
                                           "json"]).output)
    (metric,) = data["blocks"]["metrics"]
    assert metric["overrides"] == [{"path": "thresholds.amber", "library": 98, "pairing": 99}]
    assert {item["id"] for item in data["pulled_in"]} == {"cro-safety-lead", "sponsor-qa"}
    assert data["documents"]["quality-agreement"]["version"] == "1.0.0"
    text = runner.invoke(main, ["show", "pairing", "acme-cro", "--content", str(content)]).output
    assert "overridden thresholds.amber: 98 -> 99" in text and "pulled in: role cro-safety-lead" in text


def test_show_unknown_kind_or_id(minimal_content: Path, runner) -> None:
    kind = runner.invoke(main, ["show", "metrik", "x", "--content", str(minimal_content)])
    assert kind.exit_code == 2 and "did you mean 'metric'" in kind.output
    block = runner.invoke(main, ["show", "metric", "sae-reporting", "--content", str(minimal_content)])
    assert block.exit_code == 1 and "no metric 'sae-reporting'" in block.output
    assert "did you mean 'sae-reporting-timeliness'" in block.output
