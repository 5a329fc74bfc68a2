"""The first release's example library (git 9f6a2ce) against today's rules (issue 13).

A legal review of the first release's documents found impossible safety timelines, business terms
in the Quality Agreement, contradictions, boilerplate that did not fit the provider and loose
drafting. ``fixtures/first-release/content`` is that content, migrated only as far as today's
schema requires (its README says exactly how). Checked as a user meets it: ``playbook validate``
(and ``playbook build``, which stops at the same errors), then every document rendered by the
build pipeline, whose text rules report at the content field that wrote the text. Each defect the
review found must be reported at the file, line and column of the text that has it, with a
message that says what is wrong. A separate test shows that each defect a rule must catch is in what
today's build renders from the old content, so that a report is the rule's doing, not the fixture's
or the templates'.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.compose.check import check_content
from builder.compose.context import Context
from builder.compose.pairing_rules import check_listed_terms_shown
from builder.diagnostics import Diagnostic, DiagnosticError, Diagnostics
from builder.engine.pipeline import Pipeline
from builder.render.documents import load_documents

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "first-release"
CONTENT = FIXTURE / "content"
MERIDIAN = "northwind-meridian-phase3-oncology"  # full service, oncology, measures QTLs
COBALT = "northwind-cobalt-central-lab"  # a specialty provider: a central laboratory
OM, QA = "operating-manual", "quality-agreement"
MERIDIAN_PAIRING = f"pairings/{MERIDIAN}.yaml"
COBALT_PAIRING = f"pairings/{COBALT}.yaml"

# Where the old content has the defects that the rules added for it report: a fixture file and
# words of the lines in question.
WHERE = {
    "sae-clause": ("provisions/qa-safety-cro.yaml", "within 24 hours of site awareness"),
    "qa-maintenance": ("responsibilities/raci-quality-assurance.yaml", "id: qa-agreement"),
    "qa-owner": (MERIDIAN_PAIRING, "owner: clinical-programme-lead"),
    "smt-weekly-transition": ("transition/meridian-transition.yaml", "Weekly study management team"),
    "smt-weekly-metric": ("metrics/database-lock-cycle-time.yaml", "study management team meets weekly"),
    "oncology-cras": ("standards/staff-qualifications-and-training.yaml", "CRAs assigned to oncology sites"),
    "deviation-classification": ("provisions/qa-deviations-capa.yaml", "classify and track protocol deviations"),
    "msa-term": ("terms/outsourcing.yaml", "aster services agreement"),
}


@dataclass(frozen=True)
class Reported:
    """One diagnostic as a reader gets it: ``file:line:col: level: message``, and its rule's code."""

    code: str
    level: str
    path: Path
    line: int
    column: int
    message: str
    printed: str

    @classmethod
    def of(cls, file: str, line: int, column: int, level: str, code: str, message: str) -> "Reported":
        path = Path(file) if Path(file).is_absolute() else Path.cwd() / file
        return cls(code, level, path.resolve(), line, column, message, f"{file}:{line}:{column}: {level}: {message}")

    @classmethod
    def of_diagnostic(cls, diagnostic: Diagnostic) -> "Reported":
        loc = diagnostic.location
        found = cls.of(loc.file, loc.line, loc.column, diagnostic.level, diagnostic.code, diagnostic.message)
        assert found.printed == str(diagnostic)
        return found

    def source_line(self) -> str:
        return self.path.read_text(encoding="utf-8").splitlines()[self.line - 1]

    def points_at(self, text: str) -> bool:
        """The reported line and column are where ``text`` is written."""
        return self.source_line()[self.column - 1:].startswith(text)

    def is_in(self, name: str) -> bool:
        return self.path == (CONTENT / name).resolve()


def lines_with(name: str, text: str) -> set[int]:
    """The lines of a fixture file that contain ``text``."""
    lines = (CONTENT / name).read_text(encoding="utf-8").splitlines()
    return {number for number, line in enumerate(lines, 1) if text in line}


def places(*keys: str) -> set[tuple[Path, int]]:
    """The (file, line) places of ``WHERE``."""
    return {((CONTENT / WHERE[key][0]).resolve(), line) for key in keys for line in lines_with(*WHERE[key])}


def reported_at(found: list[Reported], where: set[tuple[Path, int]]) -> list[Reported]:
    return [item for item in found if (item.path, item.line) in where]


def section(markdown: str, anchor: str) -> str:
    """The text of the section whose heading has ``{#anchor}``, up to the next heading of its level."""
    heading = re.search(r"^(#+) .*\{#" + re.escape(anchor) + r"[ }]", markdown, re.MULTILINE)
    assert heading, anchor
    rest = markdown[heading.end():]
    end = re.search(r"^#{1," + str(len(heading.group(1))) + r"} ", rest, re.MULTILINE)
    return rest[:end.start()] if end else rest


@dataclass
class Validation:
    exit_code: int
    output: str
    reported: list[Reported]


@pytest.fixture(scope="module")
def validation() -> Validation:
    """``playbook validate`` on the old content, as text (what a reader sees) and as JSON (the codes)."""
    runner = CliRunner()
    text = runner.invoke(main, ["validate", "--content", str(CONTENT)])
    data = runner.invoke(main, ["validate", "--content", str(CONTENT), "--format", "json"])
    report = json.loads(data.output)
    reported = [Reported.of(d["file"], d["line"], d["column"], d["level"], d["code"], d["message"])
                for d in report["diagnostics"]]
    return Validation(text.exit_code, text.output, reported)


@dataclass
class Rendered:
    errors: dict[tuple[str, str], list[Reported]]  # (pairing, document) -> what stops the build
    findings: dict[tuple[str, str], list[Reported]]  # every finding of the text rules, as warnings
    markdown: dict[tuple[str, str], str]  # the review snapshot of each document
    shown: dict[tuple[str, str], frozenset[str]]  # the glossary terms each document shows
    contexts: dict[str, Context]  # the composed pairings


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Rendered:
    """Every document of both pairings through the build pipeline, which ``playbook build`` only
    reaches once the content errors are fixed. With the shipped templates the text rules stop a
    document at its errors (which hide its warnings); with ``text-rules: warning`` (the documented
    setting of each document.yaml, in a --templates folder) every finding is reported and the
    document is rendered."""
    warn = tmp_path_factory.mktemp("templates")
    for document in load_documents():
        declaration = (document.folder / "document.yaml").read_text(encoding="utf-8")
        kept = [line for line in declaration.splitlines() if not line.startswith("text-rules:")]
        (warn / document.id).mkdir()
        (warn / document.id / "document.yaml").write_text("\n".join(kept + ["text-rules: warning", ""]),
                                                         encoding="utf-8")
    shipped, warning = Pipeline.load(), Pipeline.load(warn)
    checked = check_content(CONTENT, documents=shipped.documents.requirements())
    assert set(checked.contexts) == {MERIDIAN, COBALT}
    result = Rendered({}, {}, {}, {}, checked.contexts)
    for pairing_id, context in checked.contexts.items():
        for document_id in context.pairing.documents:
            key = (pairing_id, document_id)
            try:
                shipped.assemble(context, document_id)
                result.errors[key] = []
            except DiagnosticError as exc:
                result.errors[key] = [Reported.of_diagnostic(d) for d in exc.diagnostics]
            document = warning.assemble(context, document_id)
            result.findings[key] = [Reported.of_diagnostic(d) for d in document.warnings]
            result.markdown[key] = document.markdown
            result.shown[key] = document.terms_shown
    return result


def everything(validation: Validation, rendered: Rendered) -> list[Reported]:
    """Every diagnostic of the content check and of the text rules, at any level."""
    found = list(validation.reported)
    for group in (*rendered.errors.values(), *rendered.findings.values()):
        found += group
    return found


# How today's checks report the old content -------------------------------------------------------


def test_validate_prints_each_problem_at_its_place_and_fails(validation: Validation) -> None:
    assert validation.exit_code == 1
    assert [r for r in validation.reported if r.level == "error"]
    for found in validation.reported:
        assert found.printed in validation.output.splitlines()


def test_a_markdown_build_refuses_with_the_same_errors_and_writes_nothing(validation: Validation,
                                                                          tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--content", str(CONTENT), "--out", str(out), "--format", "md"],
                                env={"PLAYBOOK_SOFFICE": "none"})
    assert result.exit_code == 1, result.output
    printed = result.output.splitlines()
    for found in validation.reported:
        if found.level == "error":
            assert found.printed in printed
    assert not list(out.rglob("*.md"))


def test_every_problem_is_located_at_a_real_place_in_the_old_content(validation: Validation,
                                                                     rendered: Rendered) -> None:
    found = everything(validation, rendered)
    assert found
    for item in found:
        assert item.path.is_relative_to(CONTENT.resolve()), item.printed
        assert 1 <= item.line <= len(item.path.read_text(encoding="utf-8").splitlines()), item.printed
        assert 1 <= item.column <= len(item.source_line()) + 1, item.printed


def test_the_places_the_rules_must_report_at_are_in_the_fixture() -> None:
    for key, (name, text) in WHERE.items():
        assert lines_with(name, text), f"{key}: {name} does not say {text!r}"


@pytest.mark.parametrize(("pairing", "document", "anchor", "texts"), [
    pytest.param(MERIDIAN, QA, "clause-safety", [
        "§ The Provider shall ensure that investigators report every serious adverse event within 24 hours of "
        "awareness, and shall forward every initial SAE report to the Sponsor's safety mailbox within 24 hours of "
        "site awareness."], id="sae-chain"),
    pytest.param(MERIDIAN, QA, "clause-metrics", ["**Key staff turnover.**"], id="key-staff-turnover-in-qa"),
    pytest.param(MERIDIAN, QA, "sec-history", [
        "Its owner, who maintains it, is the Sponsor's Clinical Programme Lead;"], id="qa-owner"),
    pytest.param(MERIDIAN, QA, "clause-responsibilities", [
        "| Maintain the Quality Agreement and review it at least every 12 months | "
        "Sponsor: Executive Director, GCP Quality Assurance |"], id="qa-maintained-by-another"),
    pytest.param(MERIDIAN, OM, "gov-study-management-team", ["| Frequency | Every two weeks |"], id="smt-charter"),
    pytest.param(MERIDIAN, OM, "sec-transition", ["| Weekly study management team;",
                                                  "- Weekly study management team meetings"], id="smt-weekly"),
    pytest.param(COBALT, OM, "sec-standards", [
        "- CRAs assigned to oncology sites have at least 2 years of independent monitoring experience, including "
        "1 year in oncology."], id="lab-oncology-cras"),
    pytest.param(COBALT, QA, "clause-deviations", [
        "§ The Provider shall document, classify and track protocol deviations"], id="lab-classifies-deviations"),
    pytest.param(MERIDIAN, QA, "clause-parties", ['(the "Master Agreement")'], id="master-agreement-defined"),
    pytest.param(MERIDIAN, QA, "clause-definitions", ["§ **Master services agreement** (MSA):"], id="msa-term"),
    # the Quality Agreement defines the Work Order in clause 1.3, so only the manual's glossary shows its old entry
    pytest.param(MERIDIAN, OM, "sec-glossary", ["under the master services agreement"], id="msa-term-work-order"),
])
def test_the_defect_legal_found_is_in_todays_documents(rendered: Rendered, pairing: str, document: str,
                                                       anchor: str, texts: list[str]) -> None:
    """What the tests below expect a rule to report is in what the build renders today."""
    text = section(rendered.markdown[(pairing, document)], anchor)
    for words in texts:
        assert words in text, words


# 1. An impossible SAE reporting chain ---------------------------------------------------------------


def test_the_impossible_sae_chain_is_reported_at_the_quality_agreement_clause(validation: Validation,
                                                                                rendered: Rendered) -> None:
    found = [r for r in reported_at(validation.reported, places("sae-clause")) if r.code == "deadline-chain"]
    assert len(found) == 1, [r.printed for r in found]
    item = found[0]
    assert item.level == "error" and item.points_at("within 24 hours of site awareness"), item.printed
    assert f"in pairing '{MERIDIAN}'" in item.message and "count it from the receipt" in item.message
    # the standard and the metric that restate the chain are reported too, each at its words
    others = {r.path.name for r in validation.reported if r.code == "deadline-chain"}
    assert others == {"qa-safety-cro.yaml", "safety-case-processing.yaml", "sae-reporting-timeliness.yaml"}


# 2. Business terms in the Quality Agreement ---------------------------------------------------------


@pytest.mark.parametrize(("pairing", "file", "word", "sentence"), [
    pytest.param(MERIDIAN, "escalation/meridian-escalation.yaml", "contract value", "not resolved at level 2",
                 id="contract-value-in-escalation"),
    pytest.param(MERIDIAN, "metrics/budget-variance.yaml", "Budget", "Budget variance", id="budget-variance"),
    pytest.param(MERIDIAN, "metrics/budget-variance.yaml", "invoiced", "actual cost to date", id="invoices"),
    pytest.param(MERIDIAN, "terms/outsourcing.yaml", "price", "Change order", id="change-orders"),
    pytest.param(MERIDIAN, MERIDIAN_PAIRING, "risk-share", "risk-share terms", id="risk-share"),
    pytest.param(MERIDIAN, "responsibilities/raci-project-management.yaml", "budget", "study budget",
                 id="study-budget"),
    pytest.param(COBALT, COBALT_PAIRING, "service credits", "service credits", id="service-credits"),
    pytest.param(COBALT, "escalation/cobalt-escalation.yaml", "pricing", "not resolved at level 2",
                 id="pricing-in-escalation"),
])
def test_business_terms_in_the_quality_agreement_are_errors_at_their_words(
        rendered: Rendered, pairing: str, file: str, word: str, sentence: str) -> None:
    found = [r for r in rendered.errors[(pairing, QA)]
             if r.code == "commercial-term" and r.is_in(file) and f"says '{word}'" in r.message]
    assert found, f"no commercial-term error for '{word}' in {file}"
    for item in found:
        assert item.level == "error"
        assert item.points_at(word), item.printed
        assert sentence in item.message
        assert item.message.startswith(f"the Quality Agreement of pairing '{pairing}' says '{word}'")
        assert "belong in the master agreement" in item.message


def test_vendor_management_activities_no_longer_reach_the_quality_agreement(rendered: Rendered) -> None:
    """The rows that put invoices, the risk-share bonus or penalty and change orders in the first
    release's Quality Agreement come from the vendor-management RACI: today's template leaves that
    area out of the contract (so no rule needs to report them) and the Operating Manual keeps them."""
    block = rendered.contexts[MERIDIAN].by_id("responsibility")["raci-vendor-management"]
    tasks = [str(activity.task) for activity in block.activities]
    assert any("invoices" in task for task in tasks) and any("bonus or penalty" in task for task in tasks)
    assert any("change orders" in task for task in tasks)
    for task in tasks:
        assert task not in rendered.markdown[(MERIDIAN, QA)]
        assert task in rendered.markdown[(MERIDIAN, OM)]


def test_the_key_staff_turnover_metric_in_the_quality_agreement_is_reported(validation: Validation,
                                                                           rendered: Rendered) -> None:
    found = [r for r in rendered.errors[(MERIDIAN, QA)]
             if r.code == "commercial-term" and r.is_in("metrics/key-staff-turnover.yaml")]
    assert found, [r.printed for r in rendered.errors[(MERIDIAN, QA)]]
    for item in found:
        assert item.level == "error" and item.points_at("Key staff turnover"), item.printed
        assert f"the Quality Agreement of pairing '{MERIDIAN}' says 'Key staff turnover'" in item.message
        assert "staffing turnover and liability belong in the master agreement" in item.message


# 3. Contradictions ----------------------------------------------------------------------------------


def test_the_quality_agreement_owner_who_is_not_accountable_for_it_is_reported(validation: Validation,
                                                                              rendered: Rendered) -> None:
    raci, text = WHERE["qa-maintenance"]
    start = min(lines_with(raci, text))
    activity = {((CONTENT / raci).resolve(), line) for line in range(start, start + 4)}  # id, task, raci, deliverable
    found = [r for r in reported_at(validation.reported, activity | places("qa-owner")) if r.code == "document-owner"]
    assert len(found) == 1, [r.printed for r in found]
    item = found[0]
    assert item.level == "error" and item.is_in(raci), item.printed
    assert item.message.startswith("activity 'qa-agreement' makes 'sponsor-qa-lead' accountable for maintaining "
                                   "the quality-agreement (its task names the Quality Agreement), but pairing "
                                   f"'{MERIDIAN}' names 'clinical-programme-lead' its owner"), item.message


def test_a_signatory_who_is_not_an_approver_is_an_error_at_the_signatory(validation: Validation,
                                                                         rendered: Rendered) -> None:
    approvers = [str(role) for role in rendered.contexts[MERIDIAN].pairing.control.for_document(QA).approvers]
    found = [r for r in validation.reported if r.code == "signatory-not-approver"]
    assert len(found) == 1, [r.printed for r in found]  # Cobalt's two signatories are approvers
    item = found[0]
    assert item.level == "error" and item.is_in(MERIDIAN_PAIRING)
    assert item.points_at("cro-vp-global-quality-assurance"), item.printed
    assert item.line - 1 in lines_with(MERIDIAN_PAIRING, "  provider:")
    assert item.message.startswith("Fiona McAllister signs the quality-agreement for the provider as "
                                   "'cro-vp-global-quality-assurance', which is not among its approvers")
    assert len(approvers) == 4 and f"({', '.join(approvers)})" in item.message
    assert "signatories must be approvers of what they sign" in item.message


def test_the_study_management_team_meeting_weekly_and_every_two_weeks_is_reported(validation: Validation,
                                                                                  rendered: Rendered) -> None:
    found = [r for r in validation.reported if r.code == "frequency-mismatch"]
    assert {(r.path, r.line) for r in found} == places("smt-weekly-transition"), [r.printed for r in found]
    for item in found:
        assert item.level == "warning" and item.points_at("Weekly study management team"), item.printed
        assert "says the Study Management Team meets weekly, but its charter says bi-weekly" in item.message
    # the metric's "meets weekly until lock" is a temporary change, which says how long it lasts
    assert not reported_at(found, places("smt-weekly-metric"))


# 4. Boilerplate that does not fit the pairing -------------------------------------------------------


def test_a_qtl_clause_in_a_pairing_without_a_qtl_is_an_error_at_its_words(validation: Validation) -> None:
    qa_metrics = "provisions/qa-metrics.yaml"
    found = [r for r in validation.reported if r.code == "condition-not-met" and r.is_in(qa_metrics)]
    clause = lines_with(qa_metrics, "a quality tolerance limit has been exceeded")
    title = lines_with(qa_metrics, "title: Quality metrics and quality tolerance limits")
    assert clause and title and {r.line for r in found} == clause | title, [r.printed for r in found]
    for item in found:
        assert item.level == "error"
        assert item.points_at("quality tolerance limit"), item.printed
        assert f"but pairing '{COBALT}' measures no quality tolerance limit (no QTL metric)" in item.message
        assert "'requires: [qtl]'" in item.message
    assert not [r for r in validation.reported if r.code == "condition-not-met" and MERIDIAN in r.message]


def test_oncology_cra_experience_in_a_central_laboratory_manual_is_reported(validation: Validation,
                                                                          rendered: Rendered) -> None:
    found = [r for r in reported_at(validation.reported, places("oncology-cras")) if r.code == "condition-not-met"]
    assert len(found) == 1, [r.printed for r in found]
    assert found[0].level == "error" and found[0].points_at("CRAs"), found[0].printed
    assert f"pairing '{COBALT}' has no site monitoring in its scope" in found[0].message
    assert not [r for r in validation.reported if r.code == "condition-not-met" and "site monitoring" in r.message
                and MERIDIAN in r.message]


def test_a_laboratory_asked_to_classify_protocol_deviations_is_reported(validation: Validation,
                                                                       rendered: Rendered) -> None:
    found = [r for r in reported_at(validation.reported, places("deviation-classification"))
             if r.code == "condition-not-met"]
    assert len(found) == 1, [r.printed for r in found]
    assert found[0].level == "error" and found[0].points_at("classify and track protocol deviations"), found[0].printed
    assert f"pairing '{COBALT}' has no site monitoring in its scope" in found[0].message


# 5. Drafting: defined terms -------------------------------------------------------------------------


@pytest.mark.parametrize(("pairing", "document", "written", "defined"), [
    pytest.param(MERIDIAN, QA, "sponsor", "Sponsor", id="meridian-qa-sponsor"),
    pytest.param(COBALT, QA, "sponsor", "Sponsor", id="cobalt-qa-sponsor"),
    pytest.param(MERIDIAN, OM, "master agreement", "Master Agreement", id="meridian-om-master-agreement"),
    pytest.param(COBALT, OM, "master agreement", "Master Agreement", id="cobalt-om-master-agreement"),
])
def test_a_defined_term_written_another_way_is_an_error_at_the_words(rendered: Rendered, pairing: str,
                                                                     document: str, written: str,
                                                                     defined: str) -> None:
    title = "Quality Agreement" if document == QA else "Operating Manual"
    found = [r for r in rendered.errors[(pairing, document)] if r.code == "term-spelling"
             and r.message.startswith(f"'{written}' in the {title}: the document defines \"{defined}\"")]
    assert len(found) == 1, [r.printed for r in rendered.errors[(pairing, document)]]
    assert found[0].level == "error"
    assert found[0].points_at(written), found[0].printed
    assert "write it the same way everywhere" in found[0].message


def test_master_services_agreement_beside_the_defined_master_agreement_is_reported(validation: Validation,
                                                                                 rendered: Rendered) -> None:
    found = [r for r in reported_at(everything(validation, rendered), places("msa-term"))
             if r.code == "term-spelling" and '"Master Agreement"' in r.message]
    assert found, "nothing reported that 'Master services agreement' names the defined Master Agreement"
    assert all(r.points_at("Master services agreement") for r in found), [r.printed for r in found]
    assert {title for title in (OM, QA) if any(r in found for r in rendered.errors[(MERIDIAN, title)])} == {OM, QA}


def _unused_terms(rendered: Rendered, pairing: str) -> list[tuple[str, str | None]]:
    """Terms the pairing lists that none of its documents uses or shows (a qualifier in brackets,
    as in 'Qualification (of a provider)', is not part of the term)."""
    texts = [text for (p, _), text in rendered.markdown.items() if p == pairing]
    unused = []
    for term in rendered.contexts[pairing].terms:
        title = str(term.title)
        abbreviation = str(term.abbreviation) if term.abbreviation else None
        patterns = [re.compile(r"(?<!\w)" + re.escape(re.sub(r"\s*\(.*\)$", "", title)) + r"(?!\w)", re.IGNORECASE)]
        patterns += [re.compile(r"(?<!\w)" + re.escape(abbreviation) + r"(?!\w)")] if abbreviation else []
        if not any(pattern.search(text) for pattern in patterns for text in texts):
            unused.append((title, abbreviation))
    return unused


def test_terms_a_pairing_lists_but_never_uses_are_in_the_old_content(rendered: Rendered) -> None:
    assert {title for title, _ in _unused_terms(rendered, MERIDIAN)} == {"Adverse event of special interest",
                                                                        "Source data verification"}
    assert {title for title, _ in _unused_terms(rendered, COBALT)} == {"Master services agreement"}


@pytest.mark.parametrize("pairing", [MERIDIAN, COBALT])
def test_a_term_the_pairing_lists_but_no_document_shows_is_a_warning_at_its_entry(rendered: Rendered,
                                                                                 pairing: str) -> None:
    """What ``playbook build`` reports once all of a pairing's documents are rendered."""
    context = rendered.contexts[pairing]
    shown = frozenset().union(*(rendered.shown[(pairing, document)] for document in context.pairing.documents))
    diagnostics = Diagnostics()
    source = check_content(CONTENT).library.get("pairing", pairing).source
    check_listed_terms_shown(context, source, shown, diagnostics)
    found = [Reported.of_diagnostic(d) for d in diagnostics]
    unused = _unused_terms(rendered, pairing)
    assert len(found) == len(unused), [r.printed for r in found]
    pairing_file = MERIDIAN_PAIRING if pairing == MERIDIAN else COBALT_PAIRING
    for (title, abbreviation), item in zip(sorted(unused), sorted(found, key=lambda r: r.message)):
        term_id = next(term.id for term in context.terms if str(term.title) == title)
        assert item.code == "term-unused" and item.level == "warning", item.printed
        assert item.is_in(pairing_file) and item.points_at(term_id), item.printed
        assert f"lists the term '{title}' ('{abbreviation}')" in item.message, item.printed
        assert "as none of them uses it" in item.message and "remove it from include.terms" in item.message
