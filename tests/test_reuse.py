"""Reuse: standard sets, party references in text, conditions, and the mistakes reuse invites."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.compose.check import check_content
from builder.engine.pipeline import Pipeline
from builder.render.documents import load_documents
from conftest import MINIMAL_FILES, write_content

PAIRING = MINIMAL_FILES["pairings/acme-cro.yaml"].rstrip(" ")
OTHER_CRO = """
    id: meridian
    kind: organization
    title: Meridian Clinical Research
    type: full-service-cro
    legal-name: Meridian Clinical Research Ltd.
    short-name: Meridian
    description: Another CRO of the library.
    """


def check(tmp_path: Path, documents: bool = False, **files: str | None):
    content = write_content(tmp_path / "content", {**MINIMAL_FILES, **files})
    return check_content(content, documents=load_documents().requirements() if documents else None)


def lines(result, level: str = "error") -> list[str]:
    return [f"{Path(d.location.file).name}:{d.location.line}:{d.location.column}: {d.code}: {d.message}"
            for d in result.diagnostics.sorted() if d.level == level]


def with_metric(**changes: str) -> str:
    text = MINIMAL_FILES["metrics/sae.yaml"]
    for old, new in changes.items():
        text = text.replace(old, new)
    return text


def test_party_references_resolve_to_the_pairings_parties(tmp_path: Path) -> None:
    metric = with_metric(**{"definition: SAEs reported within 24 hours.":
                            "definition: SAEs that <<provider>> (<<provider.legal>>) forwards to <<sponsor.short>>, "
                            "reviewed by the <<role:cro-safety-lead>> and the <<governance:joint-operations-committee>>."})
    result = check(tmp_path, **{"metrics/sae.yaml": metric})
    assert result.ok, lines(result)
    definition = result.contexts["acme-cro"].metrics[0].definition
    assert definition == ("SAEs that Good CRO (Good CRO Ltd) forwards to Acme Bio, reviewed by the CRO Safety Lead "
                          "and the Joint Operations Committee.")
    assert definition.origin.raw.startswith("SAEs that <<provider>>") and definition.origin.path == ("definition",)


@pytest.mark.parametrize("written, words", [
    ("<<provder>>", "unknown reference '<<provder>>' (did you mean 'provider'?)"),
    ("<<role:nobody>>", "'<<role:nobody>>': unknown role 'nobody'"),
    ("<<sponsor.legall>>", "unknown part '.legall' (did you mean 'legal'?)"),
    ("<<role>>", "'<<role>>' needs an id"),
])
def test_bad_references_are_located_at_the_token(tmp_path: Path, written: str, words: str) -> None:
    metric = with_metric(**{"source: safety database": f"source: the {written} safety database"})
    result = check(tmp_path, **{"metrics/sae.yaml": metric})
    (error,) = [d for d in result.diagnostics.errors]
    assert error.location.file.endswith("metrics/sae.yaml")
    assert (error.location.line, error.location.column) == (12, 13) and words in error.message


def test_a_governance_reference_the_pairing_lacks_is_an_error_naming_the_pairing(tmp_path: Path) -> None:
    governance = MINIMAL_FILES["governance.yaml"] + """
        ---
        """
    steering = """
        id: steering-committee
        kind: governance
        title: Steering Committee
        tier: executive
        mandate: Steers.
        chair: sponsor-lead
        members: [cro-pm]
        frequency: quarterly
        quorum: Both parties.
        decision-rights: [Decide]
        """
    metric = with_metric(**{"source: safety database": "source: reports to the <<governance:steering-committee>>"})
    result = check(tmp_path, **{"metrics/sae.yaml": metric, "steering.yaml": steering})
    assert governance
    assert any("names governance body 'steering-committee', which pairing 'acme-cro'" in line
               and line.startswith("sae.yaml:12:") for line in lines(result))


def test_another_providers_name_in_shared_text_is_a_leak_unless_declared(tmp_path: Path) -> None:
    metric = with_metric(**{"source: safety database": "source: Meridian CTMS"})
    result = check(tmp_path, **{"metrics/sae.yaml": metric, "meridian.yaml": OTHER_CRO})
    (leak,) = [line for line in lines(result) if "names-another-organization" in line]
    assert leak.startswith("sae.yaml:12:9: names-another-organization: 'Meridian' (Meridian Clinical Research Ltd.)")
    assert "pairing 'acme-cro'" in leak
    declared = PAIRING.replace("master-agreement: MSA 1", "other-providers: [meridian]\n        master-agreement: MSA 1")
    result = check(tmp_path, **{"metrics/sae.yaml": metric, "meridian.yaml": OTHER_CRO,
                                "pairings/acme-cro.yaml": declared})
    assert result.ok, lines(result)


def test_a_block_specific_to_another_provider_is_refused_at_the_include_line(tmp_path: Path) -> None:
    pricing = MINIMAL_FILES["provisions.yaml"].replace("category: pricing", "category: pricing\n        specific-to: meridian")
    result = check(tmp_path, **{"provisions.yaml": pricing, "meridian.yaml": OTHER_CRO})
    (error,) = [line for line in lines(result) if "specific-to-another-provider" in line]
    assert error.startswith("acme-cro.yaml:23:16:") and "specific to Meridian Clinical Research" in error


SET = """
    id: full-service-standard
    kind: standard-set
    title: Full-service standard set
    model: full-service
    description: What every full-service pairing starts from.
    include:
      roles: [sponsor-lead, cro-pm]
      responsibilities: [raci-safety]
      metrics: [sae-reporting-timeliness]
      governance: [joint-operations-committee]
      escalation: standard-escalation
      transition: standard-transition
      terms: [sae]
    owner: sponsor-lead
    approvers: [sponsor-lead, cro-pm]
    signatories: {sponsor: sponsor-lead, provider: cro-pm}
    """


def test_a_pairing_uses_a_standard_set_minus_its_excludes(tmp_path: Path) -> None:
    pairing = PAIRING.replace("        include:\n", "        standard-sets: [full-service-standard]\n        exclude:\n"
                              "          terms: [sae]\n        include:\n")
    pairing = pairing.replace("          roles: [sponsor-lead, cro-pm]\n          responsibilities: [raci-safety]\n"
                              "          metrics: [sae-reporting-timeliness]\n          governance: [joint-operations-committee]\n"
                              "          escalation: standard-escalation\n          transition: standard-transition\n", "")
    result = check(tmp_path, **{"sets.yaml": SET, "pairings/acme-cro.yaml": pairing})
    assert result.ok, lines(result)
    context = result.contexts["acme-cro"]
    assert [m.id for m in context.metrics] == ["sae-reporting-timeliness"] and context.transition is not None
    assert context.terms == [] and [p.id for p in context.provisions] == ["fixed-price"]


def test_duplicates_in_include_and_approver_lists_are_located(tmp_path: Path) -> None:
    pairing = PAIRING.replace("metrics: [sae-reporting-timeliness]", "metrics: [sae-reporting-timeliness, sae-reporting-timeliness]")
    pairing = pairing.replace("approvers: [sponsor-lead, cro-pm]", "approvers: [sponsor-lead, cro-pm, cro-pm]")
    found = lines(check(tmp_path, **{"pairings/acme-cro.yaml": pairing}))
    assert any(line.startswith("acme-cro.yaml:19:39:") and "'sae-reporting-timeliness' is listed twice" in line for line in found)
    assert any(line.startswith("acme-cro.yaml:30:37:") and "approver 'cro-pm' is listed twice" in line for line in found)


def test_an_override_that_breaks_a_rule_is_reported_at_the_override_naming_the_pairing(tmp_path: Path) -> None:
    overrides = "        overrides:\n          metrics:\n            sae-reporting-timeliness: {thresholds: {amber: 101}}\n"
    result = check(tmp_path, **{"pairings/acme-cro.yaml": PAIRING + overrides})
    errors = [d for d in result.diagnostics.errors]
    assert errors and all(e.location.file.endswith("pairings/acme-cro.yaml") for e in errors), lines(result)
    assert any("pairing 'acme-cro' overrides metric 'sae-reporting-timeliness'" in e.message and
               "target 100 is already past the amber threshold 101" in e.message for e in errors)
    notes = [d for d in result.diagnostics.notes if d.code == "target-past-threshold"]
    assert notes and notes[0].location.file.endswith("metrics/sae.yaml")


def test_renaming_a_role_without_its_short_title_is_flagged(tmp_path: Path) -> None:
    roles = MINIMAL_FILES["roles.yaml"].replace("title: CRO Project Manager,", "title: CRO Project Manager, short-title: CRO PM,")
    overrides = "        overrides:\n          roles:\n            cro-pm: {title: Project Director}\n"
    result = check(tmp_path, **{"roles.yaml": roles, "pairings/acme-cro.yaml": PAIRING + overrides})
    assert any("keeps its short title 'CRO PM'" in w for w in lines(result, "warning"))


def test_a_percentage_outside_0_to_100_is_refused(tmp_path: Path) -> None:
    result = check(tmp_path, **{"metrics/sae.yaml": with_metric(**{"{amber: 98, red: 95}": "{amber: 185, red: 95}"})})
    assert any("percent-range" in line and "must be between 0 and 100, not 185" in line for line in lines(result))


def test_conditional_blocks_and_clauses_follow_what_the_pairing_has(tmp_path: Path) -> None:
    provisions = MINIMAL_FILES["provisions.yaml"] + """
        ---
        """
    clauses = """
        id: qa-metrics
        kind: provision
        title: Quality metrics
        category: quality-clause
        section: metrics
        clauses:
          - The Provider reports the metrics monthly.
          - text: The Provider notifies the Sponsor when a quality tolerance limit is exceeded.
            requires: [qtl]
        """
    lab = """
        id: oncology-staffing
        kind: standard
        title: Oncology staffing
        applies-to: staff
        requires: [therapeutic-area.cardiology]
        requirements: [CRAs have two years of cardiology experience.]
        """
    pairing = PAIRING.replace("provisions: [fixed-price]", "provisions: [fixed-price, qa-metrics]").replace(
        "terms: [sae]", "terms: [sae]\n          standards: [oncology-staffing]")
    result = check(tmp_path, **{"qa.yaml": clauses, "lab.yaml": lab, "pairings/acme-cro.yaml": pairing})
    assert provisions and result.ok, lines(result)
    context = result.contexts["acme-cro"]
    qa = next(p for p in context.provisions if p.id == "qa-metrics")
    assert qa.clauses == ["The Provider reports the metrics monthly."] and context.standards == []
    assert {n.code for n in result.diagnostics.notes} >= {"left-out"}


def test_shared_text_about_a_qtl_in_a_pairing_without_one_is_an_error(tmp_path: Path) -> None:
    risk = """
        id: risk-data
        kind: risk
        title: Data quality
        description: Missing data could breach a quality tolerance limit.
        likelihood: low
        impact: high
        mitigation: Central monitoring.
        owner: sponsor-lead
        """
    pairing = PAIRING.replace("terms: [sae]", "terms: [sae]\n          risks: [risk-data]")
    (error,) = lines(check(tmp_path, **{"risk.yaml": risk, "pairings/acme-cro.yaml": pairing}))
    assert error.startswith("risk.yaml:4:42: condition-not-met: risk 'risk-data' mentions 'quality tolerance limit'")
    assert "requires: [qtl]" in error


def test_signatories_must_approve_and_a_signed_document_has_its_own_version(tmp_path: Path) -> None:
    pairing = PAIRING.replace("provider: {role: cro-pm,", "provider: {role: cro-safety-lead,").replace(
        "          documents:\n            quality-agreement:\n              version: 1.0.0\n              history: []\n", "")
    found = lines(check(tmp_path, documents=True, **{"pairings/acme-cro.yaml": pairing}))
    assert any("signatory-not-approver" in line and "Bob Jones signs the quality-agreement for the provider as "
               "'cro-safety-lead'" in line for line in found)
    assert any("signed-document-version" in line for line in found)


def test_the_role_accountable_for_maintaining_a_document_is_its_owner(tmp_path: Path) -> None:
    raci = MINIMAL_FILES["raci.yaml"].replace("            raci: {sponsor-lead: A, cro-safety-lead: R}",
                                              "            raci: {sponsor-lead: A, cro-safety-lead: R}\n"
                                              "          - id: maintain-qa\n            task: Maintain the quality agreement\n"
                                              "            document: quality-agreement\n            raci: {cro-pm: A/R, sponsor-lead: C}")
    (error,) = lines(check(tmp_path, **{"raci.yaml": raci}))
    assert "document-owner" in error and "'cro-pm' accountable for maintaining the quality-agreement" in error
    assert "names 'sponsor-lead' its owner" in error


def test_a_meeting_frequency_is_stated_once(tmp_path: Path) -> None:
    plan = """
        id: plan
        kind: communication
        title: Communication plan
        items:
          - {item: Operations meeting, from: sponsor-lead, to: [cro-pm], forum: joint-operations-committee, frequency: weekly, channel: Video call}
          - {item: Operations minutes, from: cro-pm, to: [sponsor-lead], forum: joint-operations-committee, channel: Email}
        """
    pairing = PAIRING.replace("escalation: standard-escalation", "escalation: standard-escalation\n          communication: plan")
    (error,) = lines(check(tmp_path, **{"plan.yaml": plan, "pairings/acme-cro.yaml": pairing}))
    assert error.startswith("plan.yaml:5:112:") and "meets weekly, but its charter says monthly" in error


def test_chained_safety_deadlines_that_cannot_all_be_met_are_refused(tmp_path: Path) -> None:
    safety = """
        id: qa-safety
        kind: provision
        title: Safety reporting
        category: quality-clause
        section: safety
        clauses: [The parties report serious adverse events as set out below.]
        deadlines:
          - {id: site-report, party: the investigator, action: report the SAE to the Provider, clock-starts: site awareness, within: {value: 24, unit: hours}}
          - {id: provider-forward, party: the Provider, action: forward the SAE to the Sponsor, clock-starts: site awareness, within: {value: 24, unit: hours}, handles: site-report}
        """
    pairing = PAIRING.replace("provisions: [fixed-price]", "provisions: [fixed-price, qa-safety]")
    (error,) = lines(check(tmp_path, **{"safety.yaml": safety, "pairings/acme-cro.yaml": pairing}))
    assert error.startswith("safety.yaml:9:103:") and "deadline-chain" in error and "cannot always be met" in error
    fixed = safety.replace("clock-starts: site awareness, within: {value: 24, unit: hours}, handles",
                           "clock-starts: Provider receipt, within: {value: 24, unit: hours}, handles")
    assert check(tmp_path, **{"safety.yaml": fixed, "pairings/acme-cro.yaml": pairing}).ok


def test_references_resolve_in_the_built_documents(tmp_path: Path) -> None:
    rationale = PAIRING.replace("rationale: One CRO runs the study.", "rationale: <<provider>> runs the study for <<sponsor>>.")
    result = check(tmp_path, **{"pairings/acme-cro.yaml": rationale})
    markdown = Pipeline.load().assemble(result.contexts["acme-cro"], "operating-manual").markdown
    assert "Good CRO runs the study for Acme Bio." in markdown and "<<" not in markdown


def test_a_step_counted_from_the_sites_awareness_in_prose_is_refused_at_its_words(tmp_path: Path) -> None:
    metric = with_metric(**{"definition: SAEs reported within 24 hours.":
                            "definition: SAEs the Provider forwards within 24 hours of site awareness."})
    (error,) = lines(check(tmp_path, **{"metrics/sae.yaml": metric}))
    assert error.startswith("sae.yaml:5:40: deadline-chain: 'within 24 hours of site awareness' counts a step "
                            "from the site's awareness"), error
    assert "pairing 'acme-cro'" in error and "'within 24 hours of receipt'" in error
    fixed = metric.replace("of site awareness", "of receipt of the site's report")
    assert check(tmp_path, **{"metrics/sae.yaml": fixed}).ok


def test_prose_that_gives_a_body_another_standing_frequency_is_a_warning(tmp_path: Path) -> None:
    transition = MINIMAL_FILES["transition.yaml"].replace(
        "activities: [Review every deliverable]", "activities: [Weekly joint operations committee, Review every deliverable]")
    result = check(tmp_path, **{"transition.yaml": transition})
    (warning,) = lines(result, "warning")
    assert result.ok and warning.startswith("transition.yaml:13:18: frequency-mismatch: 'Weekly joint operations "
                                            "committee' says the Joint Operations Committee meets weekly, but its "
                                            "charter says monthly (")
    temporary = transition.replace("Weekly joint operations committee", "Weekly joint operations committee until go-live")
    assert not lines(check(tmp_path, **{"transition.yaml": temporary}), "warning")


def test_an_activity_that_maintains_a_document_by_name_must_be_its_owners(tmp_path: Path) -> None:
    raci = MINIMAL_FILES["raci.yaml"].replace("            raci: {sponsor-lead: A, cro-safety-lead: R}",
                                              "            raci: {sponsor-lead: A, cro-safety-lead: R}\n"
                                              "          - id: maintain-qa\n"
                                              "            task: Maintain the Quality Agreement and review it yearly\n"
                                              "            raci: {sponsor-qa: A/R, sponsor-lead: C}")
    pairing = PAIRING.replace("roles: [sponsor-lead, cro-pm]", "roles: [sponsor-lead, sponsor-qa, cro-pm]")
    (error,) = lines(check(tmp_path, documents=True, **{"raci.yaml": raci, "pairings/acme-cro.yaml": pairing}))
    assert error.startswith("raci.yaml:14:11: document-owner: activity 'maintain-qa' makes 'sponsor-qa' accountable "
                            "for maintaining the quality-agreement (its task names the Quality Agreement)"), error
    assert "names 'sponsor-lead' its owner" in error


@pytest.mark.parametrize(("services", "reported"), [("[Central laboratory testing]", True), ("[Monitoring]", False),
                                                    ("[Medical monitoring]", True), ("[Site management]", False)])
def test_site_monitoring_text_needs_site_monitoring_in_scope(tmp_path: Path, services: str, reported: bool) -> None:
    standard = """
        id: staffing
        kind: standard
        title: Staffing
        applies-to: staff
        area: monitoring
        requirements:
          - CRAs have two years of independent monitoring experience.
        """
    pairing = PAIRING.replace("services: [Monitoring]", f"services: {services}").replace(
        "terms: [sae]", "terms: [sae]\n          standards: [staffing]")
    found = lines(check(tmp_path, **{"staffing.yaml": standard, "pairings/acme-cro.yaml": pairing}))
    assert bool(found) == reported, found
    if reported:
        (error,) = found
        assert error.startswith("staffing.yaml:7:5: condition-not-met: standard 'staffing' mentions 'CRAs', but "
                                "pairing 'acme-cro' has no site monitoring in its scope"), error
