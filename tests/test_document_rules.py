"""Rules on the rendered text: no business terms in a quality agreement, defined terms used consistently."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from builder.cli import main
from conftest import MINIMAL_FILES, write_content, write_templates

QA_DECLARATION = """
    title: Quality Agreement
    numbering: clause
    toc-depth: 1
    clauses: true
    versioning: contract
    signed: true
    commercial: false
    text-rules: error
"""
QA_TEMPLATE = """
    # Parties {#sec-parties}

    § This agreement is between {{ ctx.sponsor.legal_name }} (the "Sponsor") and {{ ctx.provider.legal_name }} (the "Provider").

    # Clauses {#sec-clauses}

    {% for p in ctx.provisions %}{% for clause in p.clauses %}
    § {{ clause|block }}

    {% endfor %}{% endfor %}
    # Definitions {#sec-definitions}

    {% for term in ctx.terms %}
    § **{{ term.title|plain }}** ({{ term.abbreviation|plain }}): {{ term.definition|block }}

    {% endfor %}
"""
CLAUSES = """
    id: qa-clauses
    kind: provision
    title: Quality clauses
    category: quality-clause
    section: audits
    clauses:
      - The Provider reports every SAE to the Sponsor.
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    pairing = MINIMAL_FILES["pairings/acme-cro.yaml"].replace("provisions: [fixed-price]", "provisions: [qa-clauses]")
    write_content(tmp_path / "content", {**MINIMAL_FILES, "qa.yaml": CLAUSES, "pairings/acme-cro.yaml": pairing})
    write_templates(tmp_path / "tpl", {"quality-agreement/document.md.j2": QA_TEMPLATE,
                                       "quality-agreement/document.yaml": QA_DECLARATION})
    return tmp_path


def run(project: Path, runner, clause: str | None = None):
    if clause is not None:
        (project / "content" / "qa.yaml").write_text(textwrap.dedent(CLAUSES).replace(
            "The Provider reports every SAE to the Sponsor.", clause))
    return runner.invoke(main, ["build", "--content", str(project / "content"), "--out", str(project / "out"),
                                "--templates", str(project / "tpl"), "--document", "quality-agreement",
                                "--format", "md"])


def test_a_clean_quality_agreement_builds(project: Path, runner) -> None:
    result = run(project, runner)
    assert result.exit_code == 0, result.output


def test_an_invoice_clause_in_a_quality_agreement_is_an_error_at_the_clause(project: Path, runner) -> None:
    result = run(project, runner, "The Provider invoices the Sponsor monthly for the services.")
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if "commercial-term" in line or "says 'invoices'" in line)
    assert line.startswith(f"{project / 'content' / 'qa.yaml'}:8:18: error: the Quality Agreement of pairing "
                           "'acme-cro' says 'invoices'")
    assert "master agreement" in line


def test_a_business_matter_referred_to_the_master_agreement_is_fine(project: Path, runner) -> None:
    result = run(project, runner, "Fees and invoicing are governed by the Master Agreement, not by this agreement.")
    assert result.exit_code == 0, result.output


def test_a_defined_term_in_another_spelling_is_an_error(project: Path, runner) -> None:
    result = run(project, runner, "The Provider tells the sponsor of every SAE within one day.")
    assert result.exit_code == 1
    assert "'sponsor' in the Quality Agreement: the document defines \"Sponsor\"" in result.output


def test_undefined_abbreviations_and_unused_terms_are_warnings(project: Path, runner) -> None:
    result = run(project, runner, "The Provider reports every SAE and every SUSAR to the Sponsor.")
    assert result.exit_code == 0, result.output
    assert "warning: the Quality Agreement uses 'SUSAR' but does not define it" in result.output
    result = run(project, runner, "The Provider keeps records.")
    assert "warning: the Quality Agreement defines 'Serious adverse event' but never uses it" in result.output


def test_staff_turnover_is_a_business_measure_not_a_quality_clause(project: Path, runner) -> None:
    result = run(project, runner, "The Provider reports key staff turnover to the Sponsor every quarter.")
    assert result.exit_code == 1
    assert f"{project / 'content' / 'qa.yaml'}:8:26: error: the Quality Agreement of pairing 'acme-cro' says " \
           "'key staff turnover'" in result.output, result.output


def test_a_second_name_for_a_defined_term_is_an_error_but_its_own_name_is_not(project: Path, runner) -> None:
    defined = 'The services are performed under the master agreement of the parties (the "Master Agreement").'
    second = "\n  - The Master Services Agreement prevails where the two conflict."
    result = run(project, runner, defined + second)
    assert result.exit_code == 1
    assert "error: 'Master Services Agreement' in the Quality Agreement is a second name for what the document " \
           'defines as "Master Agreement": call it "Master Agreement" throughout' in result.output, result.output
    result = run(project, runner, defined + second.replace("Agreement prevails", "Agreement ACM-MSA-01 prevails"))
    assert result.exit_code == 0, result.output


def test_a_limited_liability_company_is_a_name_not_a_liability_clause(project: Path, runner) -> None:
    result = run(project, runner, "The Provider, a Delaware limited liability company, reports every SAE to the Sponsor.")
    assert result.exit_code == 0, result.output
    result = run(project, runner, "The Provider's liability for a late SAE report is capped.")
    assert result.exit_code == 1 and "says 'liability'" in result.output
