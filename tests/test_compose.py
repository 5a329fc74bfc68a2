"""Composition: a pairing's blocks selected, overrides deep-merged and validated again."""

from __future__ import annotations

from pathlib import Path

from builder.compose.check import check_content
from builder.compose.composer import deep_merge
from conftest import MINIMAL_FILES, write_content

PAIRING = MINIMAL_FILES["pairings/acme-cro.yaml"].rstrip(" ")


def test_context_holds_the_selected_blocks(minimal_content: Path) -> None:
    result = check_content(minimal_content)
    assert result.ok, [str(d) for d in result.diagnostics]
    context = result.contexts["acme-cro"]
    assert context.sponsor.id == "acme" and context.provider.id == "cro"
    assert [m.id for m in context.metrics] == ["sae-reporting-timeliness"]
    assert context.escalation.id == "standard-escalation"
    assert context.transition.id == "standard-transition"
    assert [g.id for g in context.governance] == ["joint-operations-committee"]


def test_roles_named_by_blocks_are_pulled_in_sponsor_first(minimal_content: Path) -> None:
    context = check_content(minimal_content).contexts["acme-cro"]
    roles = [role.id for role in context.roles]
    # sponsor-qa (a JOC member) and cro-safety-lead (metric owner) are not listed in include
    assert set(roles) == {"sponsor-lead", "sponsor-qa", "cro-pm", "cro-safety-lead"}
    parties = [context.role(r).party for r in roles]
    assert parties == sorted(parties, key=lambda p: p != "sponsor")


def test_override_is_deep_merged_and_leaves_the_library_unchanged(tmp_path: Path) -> None:
    overrides = (
        "        overrides:\n          metrics:\n"
        "            sae-reporting-timeliness: {thresholds: {amber: 99}, frequency: weekly}\n"
    )
    content = write_content(tmp_path / "c", {**MINIMAL_FILES, "pairings/acme-cro.yaml": PAIRING + overrides})
    result = check_content(content)
    assert result.ok, [str(d) for d in result.diagnostics]
    (metric,) = result.contexts["acme-cro"].metrics
    assert (metric.thresholds.amber, metric.thresholds.red, metric.frequency) == (99, 95, "weekly")
    original = result.library.block("metric", "sae-reporting-timeliness")
    assert (original.thresholds.amber, original.frequency) == (98, "monthly")


def test_override_with_wrong_type_is_located_in_the_pairing(tmp_path: Path) -> None:
    overrides = (
        "        overrides:\n          metrics:\n"
        "            sae-reporting-timeliness: {target: high}\n"
    )
    content = write_content(tmp_path / "c", {**MINIMAL_FILES, "pairings/acme-cro.yaml": PAIRING + overrides})
    result = check_content(content)
    (error,) = result.diagnostics.errors
    assert error.location.file.endswith("pairings/acme-cro.yaml")
    assert error.location.line == 40
    assert "'target' must be a number" in error.message


def test_override_cannot_change_the_id(tmp_path: Path) -> None:
    overrides = "        overrides:\n          metrics:\n            sae-reporting-timeliness: {id: other}\n"
    content = write_content(tmp_path / "c", {**MINIMAL_FILES, "pairings/acme-cro.yaml": PAIRING + overrides})
    (error,) = check_content(content).diagnostics.errors
    assert error.code == "override-fixed" and error.location.line == 40


def test_unknown_override_group_suggests_the_right_one(tmp_path: Path) -> None:
    overrides = "        overrides:\n          metric:\n            sae-reporting-timeliness: {target: 99}\n"
    content = write_content(tmp_path / "c", {**MINIMAL_FILES, "pairings/acme-cro.yaml": PAIRING + overrides})
    (error,) = check_content(content).diagnostics.errors
    assert "did you mean 'metrics'" in error.message and error.location.line == 39


def test_provider_must_not_be_a_sponsor(tmp_path: Path) -> None:
    content = write_content(tmp_path / "c", {**MINIMAL_FILES, "pairings/acme-cro.yaml": PAIRING.replace("provider: cro", "provider: acme")})
    errors = check_content(content).diagnostics.errors
    assert any("must be a provider" in e.message and e.location.line == 5 for e in errors)


def test_approvers_must_come_from_both_parties(tmp_path: Path) -> None:
    content = write_content(tmp_path / "c", {**MINIMAL_FILES, "pairings/acme-cro.yaml": PAIRING.replace("approvers: [sponsor-lead, cro-pm]", "approvers: [sponsor-lead]")})
    errors = check_content(content).diagnostics.errors
    assert any(e.code == "approvers-parties" and "provider" in e.message for e in errors)


def test_deep_merge_replaces_lists_and_merges_mappings() -> None:
    base = {"a": {"x": 1, "y": [1, 2]}, "b": 2}
    merged = deep_merge(base, {"a": {"y": [3]}, "c": 4})
    assert merged == {"a": {"x": 1, "y": [3]}, "b": 2, "c": 4}
    assert base == {"a": {"x": 1, "y": [1, 2]}, "b": 2}


def test_an_override_can_change_one_item_of_a_list_by_its_index(tmp_path: Path) -> None:
    activities = "        overrides:\n          responsibilities:\n            raci-safety:\n              activities:\n" \
                 "                1: {id: signal-review, task: Review safety signals monthly, raci: {sponsor-lead: A, cro-safety-lead: R}}\n"
    content = write_content(tmp_path / "c", {**MINIMAL_FILES, "pairings/acme-cro.yaml": PAIRING + activities})
    result = check_content(content)
    assert result.ok, [str(d) for d in result.diagnostics.errors]
    tasks = [a.task for a in result.contexts["acme-cro"].responsibilities[0].activities]
    assert tasks == ["Process SAE reports", "Review safety signals monthly"]
    beyond = activities.replace("                1:", "                5:")
    content = write_content(tmp_path / "d", {**MINIMAL_FILES, "pairings/acme-cro.yaml": PAIRING + beyond})
    (error,) = check_content(content).diagnostics.errors
    assert error.code == "override-item" and error.location.line == 42 and "item 5 of a list of 2" in error.message
