"""Every 'Structure' and 'Domain rules' case of bad-inputs.md: exit 1, located message, no traceback."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from builder.cli import main
from conftest import MINIMAL_FILES, write_content, write_templates

SAE = MINIMAL_FILES["metrics/sae.yaml"]
PAIRING = MINIMAL_FILES["pairings/acme-cro.yaml"].rstrip(" ")
TRANSITION = MINIMAL_FILES["transition.yaml"]
ESCALATION = MINIMAL_FILES["escalation.yaml"]
GOVERNANCE = MINIMAL_FILES["governance.yaml"]
RACI = MINIMAL_FILES["raci.yaml"]

# (case id, files to change, expected "file:line", expected words in the message)
STRUCTURE = [
    ("bad-indentation", {"terms.yaml": "- id: sae\n kind: term\n  title: x\n"}, "terms.yaml:2", "expected"),
    ("unclosed-quote", {"terms.yaml": '- {id: sae, kind: term, title: "Serious\n'}, "terms.yaml:1", "quotation mark opened on line 1 is never closed"),
    ("tab-indentation", {"terms.yaml": "id: sae\nkind: term\ndefinition:\n\tx: 1\n"}, "terms.yaml:4", "tabs"),
    ("empty-file", {"terms.yaml": ""}, "terms.yaml:1", "empty"),
    ("not-utf8", {"terms.yaml": b"id: sae\ntitle: caf\xe9\n"}, "terms.yaml:2", "UTF-8"),
    ("indented-more", {"terms.yaml": "id: sae\nkind: term\ntitle: x\n  definition: y\n"}, "terms.yaml:4:3", "line 4 ('definition:') is indented more (2 spaces) than line 3"),
    ("indented-less", {"metrics/sae.yaml": SAE.replace("thresholds: {amber: 98, red: 95}", "thresholds:\n          amber: 98\n         red: 95")}, "metrics/sae.yaml:12:2", "line 12 ('red:') is indented less (1 space) than the lines above it"),
    ("duplicate-key", {"terms.yaml": "id: sae\nkind: term\ntitle: A\ntitle: B\n"}, "terms.yaml:4", "duplicate key 'title'"),
    ("duplicate-id", {"more/sae-again.yaml": SAE}, "more/sae-again.yaml:1", "already defined at content/metrics/sae.yaml:1"),
    ("unknown-field", {"metrics/sae.yaml": SAE.replace("reviewed-by:", "reviwed-by:")}, "metrics/sae.yaml:14", "did you mean 'reviewed-by'"),
    ("missing-field", {"metrics/sae.yaml": SAE.replace("        formula: SAEs reported within 24 h / all SAEs x 100\n", "")}, "metrics/sae.yaml:1", "missing required field 'formula'"),
    ("wrong-type", {"metrics/sae.yaml": SAE.replace("target: 100", "target: full")}, "metrics/sae.yaml:9", "'target' must be a number"),
    ("outside-enumeration", {"metrics/sae.yaml": SAE.replace("type: KPI", "type: KPX")}, "metrics/sae.yaml:3", "expected one of: KPI, KRI, QTL"),
    ("unknown-kind", {"metrics/sae.yaml": SAE.replace("kind: metric", "kind: metrik")}, "metrics/sae.yaml:2", "did you mean 'metric'"),
    ("dangling-reference", {"metrics/sae.yaml": SAE.replace("owner: cro-safety-lead", "owner: cro-saftey-lead")}, "metrics/sae.yaml:13", "unknown role 'cro-saftey-lead' (did you mean 'cro-safety-lead'?)"),
    ("wrong-kind-reference", {"metrics/sae.yaml": SAE.replace("owner: cro-safety-lead", "owner: joint-operations-committee")}, "metrics/sae.yaml:13", "is a governance, but a role is expected"),
    ("reference-cycle", {"roles.yaml": MINIMAL_FILES["roles.yaml"].replace("qualifications: [MSc]}", "qualifications: [MSc], reports-to: sponsor-qa}").replace("qualifications: [GCP]}", "qualifications: [GCP], reports-to: sponsor-lead}")}, "roles.yaml:1", "cycle: sponsor-lead -> sponsor-qa -> sponsor-lead"),
    ("pairing-includes-nothing", {"pairings/acme-cro.yaml": PAIRING.split("        include:")[0] + "        include: {}\n" + "        control:" + PAIRING.split("        control:")[1]}, "pairings/acme-cro.yaml:16", "includes no blocks"),
    ("unknown-document", {"pairings/acme-cro.yaml": PAIRING.replace("quality-agreement]", "quality-agreemnt]")}, "pairings/acme-cro.yaml:15", "did you mean 'quality-agreement'"),
    ("override-unknown-field", {"pairings/acme-cro.yaml": PAIRING + "        overrides:\n          metrics:\n            sae-reporting-timeliness: {treshold: 1}\n"}, "pairings/acme-cro.yaml:40", "unknown field 'treshold'"),
    ("override-not-included", {"pairings/acme-cro.yaml": PAIRING + "        overrides:\n          metrics:\n            query-time: {target: 1}\n"}, "pairings/acme-cro.yaml:40", "does not include"),
]

DOMAIN = [
    ("percent-outside-0-100", {"metrics/sae.yaml": SAE.replace("{amber: 98, red: 95}", "{amber: 185, red: 95}")}, "metrics/sae.yaml:10", "must be between 0 and 100, not 185"),
    ("duplicate-in-include-list", {"pairings/acme-cro.yaml": PAIRING.replace("metrics: [sae-reporting-timeliness]", "metrics: [sae-reporting-timeliness, sae-reporting-timeliness]")}, "pairings/acme-cro.yaml:19", "listed twice"),
    ("duplicate-approver", {"pairings/acme-cro.yaml": PAIRING.replace("approvers: [sponsor-lead, cro-pm]", "approvers: [sponsor-lead, cro-pm, sponsor-lead]")}, "pairings/acme-cro.yaml:30", "approver 'sponsor-lead' is listed twice"),
    ("block-of-another-provider", {"provisions.yaml": MINIMAL_FILES["provisions.yaml"].replace("category: pricing", "category: pricing\n        specific-to: other-cro"), "other.yaml": "id: other-cro\nkind: organization\ntitle: Other Research\ntype: full-service-cro\nlegal-name: Other Research Ltd\ndescription: Another CRO.\n"}, "pairings/acme-cro.yaml:23", "is specific to Other Research"),
    ("names-another-organization", {"metrics/sae.yaml": SAE.replace("source: safety database", "source: Other Research safety database"), "other.yaml": "id: other-cro\nkind: organization\ntitle: Other Research\ntype: full-service-cro\nlegal-name: Other Research Ltd\ndescription: Another CRO.\n"}, "metrics/sae.yaml:12", "is not a party of pairing 'acme-cro'"),
    ("signatory-not-approver", {"pairings/acme-cro.yaml": PAIRING.replace("provider: {role: cro-pm,", "provider: {role: cro-safety-lead,")}, "pairings/acme-cro.yaml:37", "signatories must be approvers"),
    ("signed-document-without-own-version", {"pairings/acme-cro.yaml": PAIRING.replace("          documents:\n            quality-agreement:\n              version: 1.0.0\n              history: []\n", "")}, "pairings/acme-cro.yaml:26", "give it its own version and history"),
    ("two-owners-of-a-document", {"raci.yaml": RACI.replace("            raci: {sponsor-lead: A, cro-safety-lead: R}", "            raci: {sponsor-lead: A, cro-safety-lead: R}\n          - {id: maintain-qa, task: Maintain the quality agreement, document: quality-agreement, raci: {cro-pm: A/R}}")}, "raci.yaml:12", "one owner per document"),
    ("qtl-text-without-qtl", {"governance.yaml": GOVERNANCE.replace("mandate: Reviews performance.", "mandate: Reviews performance and quality tolerance limits.")}, "governance.yaml:5", "measures no quality tolerance limit"),
    ("threshold-order", {"metrics/sae.yaml": SAE.replace("{amber: 98, red: 95}", "{amber: 95, red: 98}")}, "metrics/sae.yaml:10", "red (98) must be below amber (95)"),
    ("target-past-red", {"metrics/sae.yaml": SAE.replace("target: 100", "target: 90")}, "metrics/sae.yaml:9", "past the red threshold"),
    ("override-breaks-threshold-order", {"pairings/acme-cro.yaml": PAIRING + "        overrides:\n          metrics:\n            sae-reporting-timeliness: {thresholds: {red: 99}}\n"}, "pairings/acme-cro.yaml:40", "must be below amber"),
    ("raci-no-accountable", {"raci.yaml": RACI.replace("{sponsor-lead: A, cro-safety-lead: R}", "{sponsor-lead: C, cro-safety-lead: R}")}, "raci.yaml:11", "no Accountable role"),
    ("raci-two-accountable", {"raci.yaml": RACI.replace("{sponsor-lead: A, cro-safety-lead: R}", "{sponsor-lead: A, cro-safety-lead: A/R}")}, "raci.yaml:11", "2 Accountable roles"),
    ("escalation-times-not-increasing", {"escalation.yaml": ESCALATION.replace("{value: 10, unit: business-days}", "{value: 3, unit: business-days}")}, "escalation.yaml:6", "more time than level 1"),
    ("escalation-no-final", {"escalation.yaml": ESCALATION.replace(", final: true, decides: Per the MSA", ", resolve-within: {value: 20, unit: business-days}")}, "escalation.yaml:7", "without a final decision-maker"),
    ("transition-overlap", {"transition.yaml": TRANSITION.replace("start-month: 6,", "start-month: 5,")}, "transition.yaml:16", "overlaps"),
    ("transition-gap", {"transition.yaml": TRANSITION.replace("start-month: 6,", "start-month: 7,")}, "transition.yaml:16", "gap"),
    ("reduction-without-exit-criteria", {"transition.yaml": TRANSITION.split("            exit-criteria:")[0] + "          - {id: steady-state, name: Steady state, start-month: 6, oversight: sampled, activities: [Sampled review]}\n"}, "transition.yaml:8", "no 'exit-criteria'"),
    ("exit-criterion-metric-not-measured", {"pairings/acme-cro.yaml": PAIRING.replace("metrics: [sae-reporting-timeliness]", "metrics: []"), "metrics/other.yaml": SAE.replace("id: sae-reporting-timeliness", "id: other")}, "transition.yaml:15", "does not include in 'metrics'"),
    ("transition-shorter-than-policy", {"transition.yaml": TRANSITION.replace("end-month: 6", "end-month: 3").replace("start-month: 6,", "start-month: 3,")}, "transition.yaml:8", "policy sets at least 6 months"),
    ("governance-no-chair", {"governance.yaml": GOVERNANCE.replace("        chair: sponsor-lead\n", "")}, "governance.yaml:1", "missing required field 'chair'"),
    ("governance-one-party", {"governance.yaml": GOVERNANCE.replace("[cro-pm, sponsor-qa]", "[sponsor-qa]")}, "governance.yaml:7", "no members from the provider"),
    ("not-a-real-date", {"pairings/acme-cro.yaml": PAIRING.replace("effective: 2027-01-15", "effective: 2027-02-30")}, "pairings/acme-cro.yaml:28", "not a real date"),
    ("effective-before-approval", {"pairings/acme-cro.yaml": PAIRING.replace("effective: 2027-01-15", "effective: 2027-01-15\n          approved: 2027-02-01")}, "pairings/acme-cro.yaml:28", "before the approval date"),
]


@pytest.mark.parametrize("case, changes, where, words", STRUCTURE + DOMAIN, ids=[c[0] for c in STRUCTURE + DOMAIN])
def test_bad_input_is_reported_at_its_source(tmp_path: Path, runner, monkeypatch, case, changes, where, words) -> None:
    content = write_content(tmp_path / "content", {**MINIMAL_FILES, **changes})
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["validate", "--content", "content"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.startswith(f"content/{where}")]
    assert lines, f"no diagnostic at content/{where}:\n{result.output}"
    assert any(words in line for line in lines), result.output
    assert content.exists()


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case, changes, where, words", STRUCTURE + DOMAIN, ids=[c[0] for c in STRUCTURE + DOMAIN])
def test_bad_input_leaves_previous_outputs_byte_identical(tmp_path: Path, runner, monkeypatch, case, changes, where, words) -> None:
    write_content(tmp_path / "content", MINIMAL_FILES)
    write_templates(tmp_path / "tpl")
    monkeypatch.chdir(tmp_path)
    args = ["build", "--templates", "tpl", "--format", "md", "--format", "html", "--jobs", "1"]
    assert runner.invoke(main, args).exit_code == 0
    before = _outputs(tmp_path / "output")
    write_content(tmp_path / "content", changes)
    result = runner.invoke(main, args)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert any(line.startswith(f"content/{where}") and words in line for line in result.output.splitlines()), result.output
    assert _outputs(tmp_path / "output") == before


def test_every_error_is_reported_at_once(tmp_path: Path, runner, monkeypatch) -> None:
    changes = {
        "metrics/sae.yaml": SAE.replace("type: KPI", "type: KPX").replace("target: 100", "target: full"),
        "terms.yaml": "id: sae\nkind: term\ntitle: A\ntitle: B\n",
        "governance.yaml": GOVERNANCE.replace("[cro-pm, sponsor-qa]", "[sponsor-qa]"),
    }
    write_content(tmp_path / "content", {**MINIMAL_FILES, **changes})
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["validate", "--format", "json"])
    report = json.loads(result.output)
    files = {(d["file"], d["code"]) for d in report["diagnostics"]}
    assert ("content/metrics/sae.yaml", "invalid-value") in files
    assert ("content/metrics/sae.yaml", "wrong-type") in files
    assert ("content/terms.yaml", "duplicate-key") in files
    assert ("content/governance.yaml", "governance-parties") in files


def test_internal_error_is_one_line_unless_debug(tmp_path: Path, runner, monkeypatch) -> None:
    write_content(tmp_path / "content", MINIMAL_FILES)
    monkeypatch.chdir(tmp_path)

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("builder.compose.check.check_references", explode)
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 1
    assert "internal error: RuntimeError: boom" in result.output
    assert "--debug" in result.output and "Traceback" not in result.output
    result = runner.invoke(main, ["--debug", "validate"])
    assert isinstance(result.exception, RuntimeError)


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path, runner) -> None:
    terms = MINIMAL_FILES["terms.yaml"]
    content = write_content(tmp_path / "content", {**MINIMAL_FILES, "terms.yaml": b"\xef\xbb\xbf" + textwrap.dedent(terms).lstrip("\n").encode()})
    result = runner.invoke(main, ["validate", "--content", str(content)])
    assert result.exit_code == 0, result.output


def test_a_missing_content_folder_says_where_to_run_from(tmp_path: Path, runner, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 1
    assert "content folder not found; run from the folder that holds content/, or pass --content DIR" in result.output
    (tmp_path / "content").mkdir()
    monkeypatch.chdir(tmp_path / "content")
    result = runner.invoke(main, ["validate"])
    assert "you are inside it: run from the folder that holds it, or pass --content ." in result.output


def test_a_broken_file_is_reported_before_an_unknown_pairing(tmp_path: Path, runner) -> None:
    broken = MINIMAL_FILES["pairings/acme-cro.yaml"].replace("sponsor: acme", "sponsor: {acme")
    content = write_content(tmp_path / "content", {**MINIMAL_FILES, "pairings/acme-cro.yaml": broken})
    result = runner.invoke(main, ["build", "--pairing", "acme-cro", "--content", str(content),
                                  "--out", str(tmp_path / "out"), "--format", "md"])
    assert result.exit_code == 1
    assert "acme-cro.yaml:4:" in result.output and "'{' opened on line 4 is not closed" in result.output
    assert "defines no pairing" not in result.output
    assert "no pairing 'acme-cro'" not in result.output


@pytest.mark.parametrize("data, words", [(b"not a zip", "it is not a Word document"),
                                         (b"PK\x03\x04garbage", "it is not a Word document")])
def test_a_broken_reference_docx_is_a_located_error(tmp_path: Path, runner, data: bytes, words: str) -> None:
    content = write_content(tmp_path / "content", MINIMAL_FILES)
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "reference.docx").write_bytes(data)
    result = runner.invoke(main, ["build", "--content", str(content), "--out", str(tmp_path / "out"),
                                  "--templates", str(tmp_path / "tpl"), "--format", "docx", "--jobs", "1"])
    assert result.exit_code == 1 and "Traceback" not in result.output and "internal error" not in result.output
    line = next(line for line in result.output.splitlines() if "reference.docx" in line and "error" in line)
    assert line.startswith(f"{tmp_path / 'tpl' / 'reference.docx'}: error: cannot use this reference.docx: {words}")
