"""The document templates: what a reader finds in the rendered Markdown and the numbered tree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.compose.check import check_content
from builder.compose.context import Context
from builder.engine.pipeline import Pipeline
from builder.tree import Document
from conftest import MINIMAL_FILES, write_content

EXAMPLE_CONTENT = Path(__file__).resolve().parents[1] / "content"
EXAMPLE_PAIRING = "northwind-meridian-phase3-oncology"

QA_CLAUSES = [
    "Parties and relation to the Master Agreement",
    "Purpose and scope",
    "Definitions",
    "Regulatory framework",
    "Transfer of obligations",
    "Responsibilities",
    "Quality management system",
    "Personnel and training",
    "Debarment and disqualification",
    "Subcontracting",
    "Computerised systems and data integrity",
    "Data protection",
    "Blinding and unblinding",  # only where a study is blinded or the content writes blinding clauses
    "Quality metrics",  # "... and quality tolerance limits" where the pairing measures a QTL
    "Deviations, CAPA and serious breaches",
    "Audits and inspections",
    "Safety reporting",
    "Investigational product",  # only where the provider handles investigational product
    "Records, trial master file and retention",
    "Business continuity and disaster recovery",
    "Communication and escalation",
    "Change control and review",
    "Term and termination",
    "Signatures",
]

NBSP = "\u00a0"  # joins a value to its unit ("98 %") and a sign to its value


def qa_level1(context: Context) -> list[tuple[str, str]]:
    """The Quality Agreement's top-level headings for a pairing: the revision history first, unnumbered,
    then the numbered clauses, with the clauses about what the pairing may not have only where it has it."""
    sections = {p.section for p in context.provisions if p.category == "quality-clause"}
    qtl = any(m.type == "QTL" and not m.commercial for m in context.metrics)
    titles = []
    for title in QA_CLAUSES:
        if title == "Blinding and unblinding" and not ("blinded" in context.conditions or "blinding" in sections):
            continue
        if title == "Investigational product" and not (
                "investigational-product" in context.conditions or "investigational-product" in sections):
            continue
        titles.append("Quality metrics and quality tolerance limits" if title == "Quality metrics" and qtl else title)
    return [("", "Revision history")] + [(str(n), title) for n, title in enumerate(titles, 1)]


OM_CHAPTERS = [
    ("", "Document control"),
    ("1", "Purpose, scope and outsourcing model"),
    ("2", "Parties and retained competencies"),
    ("3", "Roles"),
    ("4", "Responsibilities"),
    ("5", "Standards"),
    ("6", "Communication and escalation"),
    ("7", "Metrics and review plan"),
    ("8", "Risk management"),
    ("9", "Governance"),
    ("10", "Transition plan"),
    ("11", "Contract provisions"),
    ("", "Glossary"),
]
JINJA_IN_CONTENT = "Uses {{ x }} and {% if %} and {# y #}"


def _context(content: Path, pairing_id: str) -> Context:
    result = check_content(content)
    assert result.ok, [str(d) for d in result.diagnostics]
    return result.contexts[pairing_id]


def _documents(context: Context) -> dict[str, Document]:
    pipeline = Pipeline.load()
    return {doc_id: pipeline.assemble(context, doc_id) for doc_id in context.pairing.documents}


def _minimal_files(**changes: str | None) -> dict[str, str | None]:
    roles = MINIMAL_FILES["roles.yaml"].replace(
        "purpose: Leads.", f"purpose: '{JINJA_IN_CONTENT}'")
    return {**MINIMAL_FILES, "roles.yaml": roles, **changes}


@pytest.fixture
def minimal(tmp_path: Path) -> tuple[Context, dict[str, Document]]:
    context = _context(write_content(tmp_path / "content", _minimal_files()), "acme-cro")
    return context, _documents(context)


@pytest.fixture(scope="module")
def example() -> tuple[Context, dict[str, Document]]:
    context = _context(EXAMPLE_CONTENT, EXAMPLE_PAIRING)
    return context, _documents(context)


@pytest.fixture(params=["minimal", "example"])
def pairing(request: pytest.FixtureRequest) -> tuple[Context, dict[str, Document]]:
    return request.getfixturevalue(request.param)


def _level1(document: Document) -> list[tuple[str, str]]:
    return [(entry.number, entry.text) for entry in document.tree.toc if entry.level == 1]


def _table_rows(markdown: str, table_id: str) -> list[list[str]]:
    """The body rows of the captioned table ``table_id``, cells stripped."""
    lines = markdown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Table:") and f"{{#{table_id}" in line)
    rows = []
    for line in lines[start + 4:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]])
    return rows


def test_quality_agreement_clauses_follow_the_domain_order(pairing) -> None:
    context, docs = pairing
    assert _level1(docs["quality-agreement"]) == qa_level1(context)


def test_example_quality_agreement_has_the_clauses_of_its_conditions(example) -> None:
    context, docs = example
    titles = [title for _, title in _level1(docs["quality-agreement"])]
    assert "investigational-product" in context.conditions and "Investigational product" in titles
    assert "Blinding and unblinding" in titles  # an open-label study with a firewall for results by arm
    assert "Quality metrics and quality tolerance limits" in titles


def test_quality_agreement_paragraphs_are_numbered_clauses(pairing) -> None:
    context, docs = pairing
    tree = docs["quality-agreement"].tree
    clauses = [t for t in tree.targets.values() if t.kind == "clause"]
    numbered = {t.number for t in clauses if re.fullmatch(r"\d+\.\d+", t.number)}
    # every numbered clause heading has at least one numbered paragraph below it
    headings = [number for number, _ in qa_level1(context) if number]
    assert {n.split(".")[0] for n in numbered} == set(headings)
    assert tree.targets["clause-precedence"].number == "1.3"
    assert "prevails" in tree.targets["clause-precedence"].title


def test_operating_manual_chapters_in_order_with_figures(pairing) -> None:
    _, docs = pairing
    manual = docs["operating-manual"]
    assert _level1(manual) == OM_CHAPTERS
    assert manual.tree.figures == ["escalation", "governance", "transition"]
    assert not manual.tree.unresolved and not docs["quality-agreement"].tree.unresolved


def test_every_metric_appears_with_its_thresholds(pairing) -> None:
    context, docs = pairing
    manual, agreement = docs["operating-manual"].markdown, docs["quality-agreement"].markdown
    for metric in context.metrics:
        higher = metric.direction == "higher-is-better"
        word, sign = ("Below", "<") if higher else ("Above", ">")
        fields = dict(row[:2] for row in _table_rows(manual, f"tbl-metric-{metric.id}"))
        assert fields["Amber threshold"].startswith(f"{word} {metric.thresholds.amber:g}"), metric.id
        assert fields["Red threshold"].startswith(f"{word} {metric.thresholds.red:g}"), metric.id
        assert fields["Review forum"].endswith(f"([@gov-{metric.reviewed_by}])")
        assert fields["Action at amber"] and fields["Action at red"]
        rows = [r for r in _table_rows(agreement, "tbl-qa-metrics") if r[0] == metric.title]
        if metric.commercial:  # a business measure: the Master Agreement's, never the Quality Agreement's
            assert not rows and f"#metric-{metric.id}" not in agreement, metric.id
            continue
        (row,) = rows
        assert row[1] == metric.type
        assert row[3].startswith(f"{sign}{NBSP}{metric.thresholds.amber:g}")  # a sign and its value never part
        assert row[4].startswith(f"{sign}{NBSP}{metric.thresholds.red:g}")
        reporters = {context.role(m.owner).party for m in context.metrics if not m.commercial}
        reported_by = context.role(metric.owner).party.capitalize()
        if len(reporters) > 1:
            assert row[5] == reported_by
        else:
            # the reporting party is stated in a numbered clause, not in a loose paragraph
            clause = docs["quality-agreement"].tree.targets["clause-metrics-list"].title
            assert f"The {reported_by} shall measure and report every metric" in clause
            assert f"The {reported_by} reports every metric." not in agreement
        assert f"{{#clause-metric-{metric.id}}} **{metric.title}.**" in agreement  # defined in the agreement


def test_pairing_override_reaches_the_documents(example) -> None:
    _, docs = example
    fields = dict(row[:2] for row in _table_rows(docs["operating-manual"].markdown,
                                                 "tbl-metric-sae-reporting-timeliness"))
    assert (fields["Target"], fields["Amber threshold"], fields["Red threshold"]) == (f"100{NBSP}%", f"Below 99{NBSP}%", f"Below 97{NBSP}%")


def test_default_threshold_actions_come_from_the_escalation_ladder(minimal) -> None:
    _, docs = minimal
    fields = dict(row[:2] for row in _table_rows(docs["operating-manual"].markdown,
                                                 "tbl-metric-sae-reporting-timeliness"))
    assert "action plan at the next meeting of the Joint Operations Committee" in fields["Action at amber"]
    assert "Escalate one level" in fields["Action at red"] and "CAPA" in fields["Action at red"]
    assert "[@sec-escalation]" in fields["Action at red"]


def test_quality_tolerance_limits_are_called_out(example) -> None:
    context, docs = example
    qtls = [m for m in context.metrics if m.type == "QTL"]
    assert qtls
    clause = docs["quality-agreement"].tree.targets["clause-qtl"]
    assert "quality tolerance limits" in clause.title
    for metric in qtls:
        assert f"- {metric.title}: limit above {metric.thresholds.red:g}{NBSP}%" in docs["quality-agreement"].markdown


def test_transferred_obligations_are_listed(example) -> None:
    context, docs = example
    agreement = docs["quality-agreement"]
    rows = _table_rows(agreement.markdown, "tbl-qa-obligations")
    obligations = [o for p in context.provisions for o in p.obligations]
    assert len(obligations) > 1
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (o.regulation, o.obligation, "Transferred" if o.transferred else "Retained") for o in obligations]
    assert "deemed not transferred" in agreement.tree.targets["clause-transfer-retained"].title
    for obligation in obligations:
        assert (obligation.obligation in docs["operating-manual"].markdown) == obligation.transferred


def test_no_transfer_provision_means_nothing_is_transferred(minimal) -> None:
    _, docs = minimal
    clause = docs["quality-agreement"].tree.targets["clause-transfer-none"]
    assert "transfers none of its obligations" in clause.title
    assert "deemed not transferred" in clause.title


def test_signatories_sign_the_quality_agreement(pairing) -> None:
    context, docs = pairing
    agreement = docs["quality-agreement"]
    table = agreement.tree.root.find(".//table[@id='tbl-signatures']")
    assert "signatures" in table.get("class").split()
    header = ["".join(th.itertext()).strip() for th in table.iter("th")][:3]
    assert header == ["", context.sponsor.legal_name, context.provider.legal_name]
    rows = {row[0]: row[1:] for row in _table_rows(agreement.markdown, "tbl-signatures")}
    signatories = context.pairing.signatories
    assert rows["Name"] == [signatories.sponsor.name, signatories.provider.name]
    assert rows["Title"] == [signatories.sponsor.title, signatories.provider.title]
    assert rows["Signature"] == ["", ""] and rows["Date"] == ["", ""]


def test_raci_tables_have_the_roles_of_their_area_as_columns(pairing) -> None:
    context, docs = pairing
    root = docs["operating-manual"].tree.root
    for resp in context.responsibilities:
        key = resp.id if resp.id.startswith("raci-") else f"raci-{resp.id}"
        table = root.find(f".//table[@id='tbl-{key}']")
        assert "raci" in table.get("class").split()
        columns = ["".join(th.itertext()).strip() for th in table.find("thead").iter("th")][1:]
        used = {role_id for activity in resp.activities for role_id in activity.raci}
        assert len(columns) == len(used)
        body = [["".join(td.itertext()).strip() for td in tr] for tr in table.find("tbody").iter("tr")]
        for activity, cells in zip(resp.activities, body):
            assert sorted(code for code in cells[1:] if code) == sorted(activity.raci.values())
        if resp.area == "vendor-management":  # contracts, budgets, invoices: left to the Master Agreement
            assert f"{{#tbl-qa-{key}}}" not in docs["quality-agreement"].markdown
            continue
        allocation = _table_rows(docs["quality-agreement"].markdown, f"tbl-qa-{key}")
        assert [row[0] for row in allocation] == [activity.task for activity in resp.activities]


def test_cross_references_render_as_numbers(example) -> None:
    _, docs = example
    tree = docs["operating-manual"].tree
    links = {a.get("href"): a.text for a in tree.root.iter("a") if "xref" in (a.get("class") or "")}
    metric = tree.targets["metric-sae-reporting-timeliness"]
    assert re.fullmatch(r"7\.2\.\d+", metric.number)
    assert links["#metric-sae-reporting-timeliness"] == f"section {metric.number}"
    assert links["#sec-escalation"] == "section 6.2"
    clauses = {a.get("href"): a.text for a in docs["quality-agreement"].tree.root.iter("a")
               if "xref" in (a.get("class") or "")}
    systems = docs["quality-agreement"].tree.targets["clause-systems"]
    assert systems.number.startswith("2.")
    assert clauses["#clause-systems"] == f"clause {systems.number}"
    assert clauses["#tbl-qa-obligations"].startswith("Table ")


def test_content_text_is_data_not_template_code(minimal) -> None:
    context, docs = minimal
    assert context.role("sponsor-lead").purpose == JINJA_IN_CONTENT
    assert JINJA_IN_CONTENT in docs["operating-manual"].markdown


def test_rendering_twice_gives_identical_markdown(pairing) -> None:
    context, docs = pairing
    again = _documents(context)
    for doc_id, document in docs.items():
        assert again[doc_id].markdown == document.markdown


def test_snapshot_is_tidy(pairing) -> None:
    _, docs = pairing
    for document in docs.values():
        assert "\n\n\n" not in document.markdown
        assert "{{" not in document.markdown.replace(JINJA_IN_CONTENT, "")


def test_missing_optional_blocks_degrade_to_plain_statements(tmp_path: Path) -> None:
    pairing = MINIMAL_FILES["pairings/acme-cro.yaml"]
    for line in ("escalation: standard-escalation", "transition: standard-transition",
                 "provisions: [fixed-price]", "terms: [sae]"):
        pairing = pairing.replace(line, "")
    content = write_content(tmp_path / "content", {**MINIMAL_FILES, "pairings/acme-cro.yaml": pairing})
    docs = _documents(_context(content, "acme-cro"))
    manual, agreement = docs["operating-manual"], docs["quality-agreement"]
    assert _level1(manual) == OM_CHAPTERS
    assert _level1(agreement) == qa_level1(_context(content, "acme-cro"))
    assert manual.tree.figures == ["governance"]
    assert "No escalation ladder is defined for this relationship." in manual.markdown
    assert "No staged transition applies to this relationship." in manual.markdown
    assert "No bonus or penalty is tied to performance in this relationship." in manual.markdown
    assert "This manual uses no term that needs a definition" in manual.markdown
    assert "immediately" in agreement.tree.targets["clause-urgent"].title
    assert "transfers none of its obligations" in agreement.tree.targets["clause-transfer-none"].title


def test_quality_agreement_defines_only_the_terms_it_uses_and_names_roles_in_full(example) -> None:
    context, docs = example
    agreement, manual = docs["quality-agreement"].markdown, docs["operating-manual"].markdown
    defined = re.findall(r"^§ \*\*(.+?)\*\*", agreement, re.M)
    assert defined and "Serious breach" in defined
    assert "Lean outsourcing model" not in defined and "| Lean outsourcing model |" in manual
    for role in context.roles:
        if role.short_title and role.short_title not in role.title:
            assert role.short_title not in agreement, role.short_title
    # the signed agreement keeps its own version and history, apart from the manual's
    own = context.pairing.control.for_document("quality-agreement")
    history = _table_rows(agreement, "tbl-qa-revision-history")
    assert [row[0] for row in history] == [revision.version for revision in own.history]
    assert own.version != context.pairing.control.version and f"This is version {own.version} (" in agreement
    # the version is document control, never part of an operative clause
    effective = docs["quality-agreement"].tree.targets["clause-effective"].title
    assert "takes effect on" in effective and own.version not in effective
    assert [row[0] for row in _table_rows(manual, "tbl-revision-history")] == [
        revision.version for revision in context.pairing.control.history]


def test_quality_agreement_leaves_commercial_terms_to_the_master_agreement(example) -> None:
    context, docs = example
    agreement = docs["quality-agreement"].markdown
    for provision in context.provisions:
        if provision.commercial:
            assert provision.title not in agreement, provision.id
    for word in ("bonus", "penalt", "change order", "budget", "risk share", "risk-share", "fixed price",
                 "contract value", "USD"):
        assert word not in agreement.lower().replace("usd", "USD"), word
    # confidentiality is a business term: the agreement refers to the Master Agreement's clause
    assert "confidentiality clause of the Master Agreement" in agreement
    assert "Confidentiality" not in [title for _, title in _level1(docs["quality-agreement"])]


def test_safety_timelines_count_each_party_from_its_own_receipt(example) -> None:
    context, docs = example
    rows = _table_rows(docs["quality-agreement"].markdown, "tbl-qa-safety-timelines")
    steps = {row[1]: row for row in rows[:2]}
    assert steps["Investigator"][3].startswith("Site awareness") and steps["Investigator"][4] == "24 hours"
    assert steps["Provider"][3].startswith("Provider receipt") and steps["Provider"][4] == "24 hours"
    metric = context.by_id("metric")["sae-reporting-timeliness"]
    assert "Provider's receipt" in metric.formula and "site awareness" not in metric.formula.lower()
    manual = docs["operating-manual"].markdown
    assert "within 24 hours of site awareness" not in manual and "within 24 hours of site awareness" not in \
        docs["quality-agreement"].markdown


def test_quality_agreement_names_urgent_contacts_and_approved_subcontractors(example) -> None:
    context, docs = example
    agreement = docs["quality-agreement"].markdown
    contacts = _table_rows(agreement, "tbl-qa-contacts")
    assert [row[0] for row in contacts] == [contact.name for contact in context.pairing.contacts]
    assert any("@" in row[3] and row[2].startswith("+") for row in contacts)
    subcontractors = _table_rows(agreement, "tbl-qa-subcontractors")
    assert [row[0] for row in subcontractors] == [sub.name for sub in context.pairing.subcontractors]


def test_owner_approvers_and_signatories_of_the_quality_agreement_agree(example) -> None:
    context, docs = example
    control = context.pairing.control.for_document("quality-agreement")
    (activity,) = [a for r in context.responsibilities for a in r.activities if a.document == "quality-agreement"]
    accountable = [role for role, code in activity.raci.items() if code in ("A", "A/R")]
    assert accountable == [control.owner]
    signatories = context.pairing.signatories
    assert {signatories.sponsor.role, signatories.provider.role} <= set(control.approvers)
    owner = context.role(control.owner).title
    assert f"its owner is the {owner} (" in docs["operating-manual"].markdown
    assert f"Its owner, who maintains it, is the Sponsor's {owner};" in docs["quality-agreement"].markdown


def test_operating_manual_reads_as_written_not_generated(example) -> None:
    _, docs = example
    manual = docs["operating-manual"].markdown
    for generated in ("Applies to:", "Used by:", "The restrictions on this role are listed", "Party: ",
                      "Key person: yes"):
        assert generated not in manual, generated
    assert "This standard governs the approved TMF plan" in manual


def test_the_parties_clause_describes_each_party_as_a_contract_does(pairing) -> None:
    """Legal name, then how the party is constituted and where its office is, when the
    organization block says so: the registered office of a company identified by its register entry,
    the principal office of any other; the legal name alone (with its address) otherwise."""
    context, docs = pairing
    clause = next(line for line in docs["quality-agreement"].markdown.splitlines() if "is made between" in line)
    for org, defined in ((context.sponsor, '(the "Sponsor")'), (context.provider, '(the "Provider")')):
        described = str(org.legal_name)
        if org.registration:
            office = "registered" if "registered" in org.registration.lower() else "principal"
            described += f", {org.registration}" + (f", whose {office} office is at {org.address}" if org.address else "")
        elif org.address:
            described += f", of {org.address}"
        assert f"{described} {defined}" in clause, clause
