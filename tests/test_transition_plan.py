"""The Transition and Oversight Plan, the document declared only by templates/transition-plan/.

Every example pairing lists it in a temporary copy of the content (the shipped content is left as it
is); the plan is built to Markdown for all of them, and to PDF and Word for the full-service pairing,
and read back as a reader would. Small libraries from conftest show how it reads when the pairing has
no transition plan, and no metrics, governance or escalation either.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from builder.compose.check import check_content
from builder.engine.build import BuildOptions, build
from builder.engine.pipeline import Pipeline
from builder.render.templates import SENTENCE_BREAK
from conftest import MINIMAL_FILES, write_content

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = "transition-plan"
PAIRING = "northwind-meridian-phase3-oncology"
PAIRINGS = sorted(path.stem for path in (ROOT / "content" / "pairings").glob("*.yaml"))
CAPTION = "Transition plan: phases, oversight levels and milestones"
NBSP = "\u00a0"


def list_document(pairing_file: Path, document: str = DOCUMENT) -> None:
    """Add ``document`` to the pairing's ``documents:`` (flow or block list), as an editor would."""
    text = pairing_file.read_text(encoding="utf-8")
    if re.search(rf"^documents:(?: \[[^\]]*\b{document}\b[^\]]*\]|\n(?:[ \t]*- .*\n)*[ \t]*- {document}\n)", text,
                 re.MULTILINE):
        return  # listed already (the example pairings list it)
    flow = re.search(r"^documents: \[(.*)\]$", text, re.MULTILINE)
    if flow:
        text = text[:flow.end(1)] + f", {document}" + text[flow.end(1):]
    else:
        block = re.search(r"^documents:\n((?:([ \t]*)- .*\n)+)", text, re.MULTILINE)
        assert block, f"{pairing_file.name} has no documents list"
        text = text[:block.end()] + f"{block.group(2)}- {document}\n" + text[block.end():]
    pairing_file.write_text(text, encoding="utf-8")


def listing_the_plan(content: Path) -> Path:
    for pairing_file in (content / "pairings").glob("*.yaml"):
        list_document(pairing_file)
    return content


def plain(text: str) -> str:
    """Text as compared: no-break spaces as spaces, whitespace folded."""
    return " ".join(text.replace(NBSP, " ").split())


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("plan-content") / "content"
    shutil.copytree(ROOT / "content", copy)
    return listing_the_plan(copy)


@pytest.fixture(scope="module")
def built(content: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("plan-out")
    markdown = build(BuildOptions(content=content, out=out, documents=(DOCUMENT,), formats=("md",), jobs=1))
    assert markdown.ok, [str(d) for d in markdown.diagnostics.errors]
    printed = build(BuildOptions(content=content, out=out, pairings=(PAIRING,), documents=(DOCUMENT,),
                                 formats=("pdf", "docx", "md"), jobs=1))
    assert printed.ok, [str(d) for d in printed.diagnostics.errors]
    return out


@pytest.fixture(scope="module")
def checked(content: Path):
    return check_content(content)


@pytest.fixture(scope="module")
def contexts(checked):
    return checked.contexts


@pytest.fixture(scope="module")
def meridian(contexts):
    return Pipeline.load().assemble(contexts[PAIRING], DOCUMENT)


def snapshot(built: Path, pairing: str) -> str:
    return (built / pairing / f"{DOCUMENT}.md").read_text(encoding="utf-8")


def section(markdown: str, heading_id: str) -> str:
    """The text of one heading's section, up to the next heading of the same or a higher level."""
    match = re.search(r"^(#+) .*\{#" + re.escape(heading_id) + r"[ }]", markdown, re.MULTILINE)
    assert match, f"no heading {heading_id}"
    level = len(match.group(1))
    rest = markdown[match.end():]
    end = re.search(r"^#{1," + str(level) + r"} ", rest, re.MULTILINE)
    return rest[:end.start()] if end else rest


def tables(markdown: str) -> dict[str, list[str]]:
    """Each captioned table's data rows, by table id."""
    found = {}
    for match in re.finditer(r"^Table: .*\{#(tbl-[\w-]+)[^}]*\}\n\n((?:\|.*\n)+)", markdown, re.MULTILINE):
        lines = match.group(2).splitlines()
        found[match.group(1)] = lines[2:]
    return found


def pdf_text(built: Path) -> str:
    return plain(" ".join(page.extract_text() for page in PdfReader(built / PAIRING / f"{DOCUMENT}.pdf").pages))


def word(built: Path) -> docx.document.Document:
    return docx.Document(str(built / PAIRING / f"{DOCUMENT}.docx"))


# -- the declaration ------------------------------------------------------------------------------------

def test_the_plan_is_declared_by_its_template_folder_only() -> None:
    plan = Pipeline.load().documents.get(DOCUMENT)
    assert plan is not None
    assert (plan.title, plan.order, plan.numbering, plan.toc_depth) == ("Transition and Oversight Plan", 30, "section", 2)
    assert (plan.chapter_breaks, plan.clauses, plan.versioning, plan.signed) == (False, False, "manual", False)
    assert plan.kicker == "Provider operations" and plan.requires == ()
    assert plan.folder == ROOT / "templates" / DOCUMENT
    assert Pipeline.load().documents.ids()[:3] == ["operating-manual", "quality-agreement", DOCUMENT]


# -- every example pairing ------------------------------------------------------------------------------

@pytest.mark.parametrize("pairing", PAIRINGS)
def test_phases_come_in_order_with_their_months_and_oversight(built: Path, contexts, pairing: str) -> None:
    markdown = snapshot(built, pairing)
    plan = contexts[pairing].transition
    levels = {level.id: level for level in plan.oversight_levels}
    headings = re.findall(r"^## (.+) \{#sec-phase-([\w-]+)\}$", markdown, re.MULTILINE)
    assert [phase_id for _, phase_id in headings] == [phase.id for phase in plan.phases]
    rows = tables(markdown)["tbl-phases"]
    assert len(rows) == len(plan.phases)
    for row, phase in zip(rows, plan.phases):
        months = f"{phase.start_month:g}–{phase.end_month:g}" if phase.end_month is not None else \
            f"{phase.start_month:g} onwards"
        level = levels[phase.oversight]
        assert row.startswith(f"| {phase.name} | {months} | {level.name} | {level.sampling_percent:g}{NBSP}% |")
    for level in plan.oversight_levels:
        row = next(r for r in tables(markdown)["tbl-levels"] if r.startswith(f"| {level.name} |"))
        assert f"| {level.sampling_percent:g}{NBSP}% |" in row
    last = plan.phases[-1]
    assert f"{last.name} begins at month {last.start_month:g} and continues for the rest of the relationship." \
        in markdown


@pytest.mark.parametrize("pairing", PAIRINGS)
def test_exit_criteria_name_their_metrics_with_the_thresholds_in_words(built: Path, contexts, pairing: str) -> None:
    markdown = snapshot(built, pairing)
    context = contexts[pairing]
    metrics = context.by_id("metric")
    words = {1: "the latest", 2: "two consecutive", 3: "three consecutive", 4: "four consecutive"}
    for phase in context.transition.phases[:-1]:
        text = plain(section(markdown, f"sec-phase-{phase.id}"))
        checklist = plain(section(markdown, f"sec-checklist-{phase.id}"))
        for criterion in phase.exit_criteria:
            if criterion.criterion:
                assert plain(criterion.criterion) in text and plain(criterion.criterion) in checklist
                continue
            metric = metrics[criterion.metric]
            amber, red = f"{metric.thresholds.amber:g}", f"{metric.thresholds.red:g}"
            higher = metric.direction == "higher-is-better"
            asked = f"green (at {'least' if higher else 'most'} {amber}" if criterion.status == "green" else \
                f"within its limits (not red: at {'least' if higher else 'most'} {red}"
            assert f"**{metric.title}** {asked}" in text
            assert f"{metric.title} {asked}" in checklist
            assert f"in {words[criterion.periods]} monthly report" in text
            assert f"red {'below' if higher else 'above'} {red}" in text
    exit_metrics = {c.metric for p in context.transition.phases for c in p.exit_criteria if c.metric}
    assert {row.split(" | ")[0][2:] for row in tables(markdown)["tbl-exit-metrics"]} == \
        {metrics[m].title for m in exit_metrics}


@pytest.mark.parametrize("pairing", PAIRINGS)
def test_reads_as_a_plan_for_people(built: Path, contexts, pairing: str) -> None:
    markdown = snapshot(built, pairing)
    context = contexts[pairing]
    assert f"![{CAPTION}](figure:transition){{#fig-transition}}" in markdown
    plan = context.transition
    headings = ["Purpose and scope", "Who is involved", "Oversight levels", "Phases and exit criteria", "Reversion",
                "Governance during the transition", "Escalation", "Risks to watch", "Step-down checklists",
                "Document control"]
    headings += ["Milestones"] if plan.milestones else []
    headings += ["Urgent path"] if context.escalation and context.escalation.urgent else []
    for heading in headings:
        assert re.search(rf"^#+ {heading} \{{", markdown, re.MULTILINE), heading
    if plan.reversion:
        assert plain(plan.reversion) in plain(section(markdown, "sec-reversion"))
    for number, milestone in enumerate(plan.milestones, start=1):
        assert f"| M{number} | {milestone.month:g} | {plain(milestone.name)} |" in plain(markdown)
    assert "Applies to:" not in markdown and "Used by:" not in markdown
    assert not re.search(r"\bNone\b|\bnone\b|\\u00a0|\{\{|\}\}|\[\]", markdown)
    for table_id, rows in tables(markdown).items():
        assert rows, f"{table_id} is an empty table"
    # one sentence per line, outside tables and headings
    for line in markdown.splitlines():
        if line and not line.startswith(("|", "#", "Table:", "![")):
            assert len(SENTENCE_BREAK.split(line.removeprefix("- "))) == 1, line
    # the owners, and the party of every role that has a part
    for role_id in context.transition.owners:
        assert context.role(role_id).title in section(markdown, "sec-owners")
    assert {"tbl-roles-sponsor", "tbl-roles-provider"} <= set(tables(markdown))


@pytest.mark.parametrize("pairing", PAIRINGS)
def test_names_no_company_outside_the_pairing(built: Path, checked, pairing: str) -> None:
    context = checked.contexts[pairing]
    allowed = {org.id for org in (context.sponsor, context.provider, *context.other_providers)}
    markdown = plain(snapshot(built, pairing))
    organizations = [entry.block for entry in checked.library.entries["organization"].values()]
    assert len(organizations) > len(allowed)  # the library does hold others
    for org in organizations:
        if org.id not in allowed:
            for name in filter(None, (org.title, org.legal_name, org.short_name)):
                assert name not in markdown, f"the plan of {pairing} names {name}"


# -- the full-service pairing, as printed and in Word ---------------------------------------------------

def test_meridian_exit_criteria_and_decisions_read_as_written(built: Path) -> None:
    text = plain(snapshot(built, PAIRING))
    assert ("SAE reporting timeliness** green (at least 99 %) in three consecutive monthly reports. "
            "Amber is below 99 % but at least 97 %, and red below 97 %; the target is 100 %.") in text
    assert ("Eligibility violations** within its limits (not red: at most 2 %) in three consecutive monthly "
            "reports.") in text
    assert ("The move to qualification is decided by the Joint Operations Committee ([@sec-governance]); "
            "[@tbl-checklist-intensive-oversight] is the checklist for it.") in text
    assert ("From qualification to steady state, planned for month 6 ([@sec-phase-qualification]): decided by the "
            "Executive Steering Committee, which meets quarterly, on the recommendation of the Joint Operations "
            "Committee.") in text
    assert ("The Executive Steering Committee meets only quarterly, so the transition owners plan its meeting for "
            "month 6, when the move to steady state is due.") in text
    assert ("The transition is owned jointly by the Clinical Programme Lead (Northwind) and the "
            "Project Director, Oncology (Meridian).") in text  # the parties by their short names
    assert "| M5 | 6 | Decision to move to steady state" in text
    assert "Northwind Therapeutics' oversight steps down through three levels, from full oversight, with a " \
           "sample of 100 %, to risk-based oversight, with a sample of 10 %." in text


def test_pdf_shows_the_plan_with_its_figure_and_resolved_references(built: Path, meridian) -> None:
    reader = PdfReader(built / PAIRING / f"{DOCUMENT}.pdf")
    text = pdf_text(built)
    assert reader.metadata.title.startswith("Transition and Oversight Plan: Northwind Therapeutics")
    assert "Provider operations".upper() in text.upper() and "Contents" in text
    assert f"Figure 1: {CAPTION}" in text
    assert "[@" not in text and "figure:" not in text
    checklist = meridian.tree.targets["tbl-checklist-intensive-oversight"].number
    assert f"Table {checklist} is the checklist for it" in text
    assert "decided by the Joint Operations Committee (section 5)" in text
    assert "Full oversight" in text and "100 %" in text and "Sampled oversight" in text and "25 %" in text
    assert "Monitoring visit report timeliness green (at least 90 %) in two consecutive monthly reports" in text
    pages = len(reader.pages)
    assert f"Page {pages} of {pages}" in text
    assert not meridian.tree.unresolved
    links = [a.text for a in meridian.tree.root.iter("a") if "xref" in (a.get("class") or "")]
    assert links and all(plain(link) in text for link in links)


def test_word_has_numbered_headings_the_figure_and_ref_fields(built: Path, meridian) -> None:
    document = word(built)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:4] == ["Purpose and scope", "Studies and services", "Who is involved", "Owners of the plan"]
    assert "Qualification to steady state" in headings and headings[-1] == "Document control"
    figures = [p for p in document.paragraphs if p._p.xpath(".//w:drawing") and p.style.name != "Cover Meta"]
    assert len(figures) == 1  # the cover's logo aside
    captions = [p.text for p in document.paragraphs  # a figure's caption: Image Caption, based on Caption
                if p.style.name in ("Caption", "Image Caption") and p.text.startswith("Figure")]
    assert captions == [f"Figure 1: {CAPTION}"]
    body = document.element.body
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    refs = [t.text.split()[1] for t in body.iter(qn("w:instrText")) if t.text.strip().startswith("REF ")]
    assert refs and set(refs) <= bookmarks
    start = next(i for i, p in enumerate(document.paragraphs) if p.style.name.startswith("Heading"))
    prose = [p.text for p in document.paragraphs[start:]]  # the body, after the cover and the contents
    assert not [text for text in prose if "[@" in text or "  " in text]
    checklist = next(t for t in document.tables if t.rows[0].cells[-1].text == "Date and initials")
    kinds = [row.cells[0].text for row in checklist.rows[1:]]
    assert kinds[0] == "Activity" and "Exit criterion" in kinds and kinds[-1] == "Decision"
    assert all(row.cells[-1].text == "" for row in checklist.rows[1:])


# -- graceful without a transition plan, metrics or governance -------------------------------------------

def minimal_pairing(tmp_path: Path, drop: tuple[str, ...]) -> Path:
    """MINIMAL_FILES listing the plan, without the include groups (and their files) named in ``drop``."""
    files = {name: textwrap.dedent(text) for name, text in MINIMAL_FILES.items()}
    pairing = files["pairings/acme-cro.yaml"].replace(
        "documents: [operating-manual, quality-agreement]", f"documents: [operating-manual, quality-agreement, {DOCUMENT}]")
    sources = {"transition": "transition.yaml", "metrics": "metrics/sae.yaml", "governance": "governance.yaml",
               "escalation": "escalation.yaml"}
    for group in drop:
        pairing = re.sub(rf"^  {group}: .*\n", "", pairing, flags=re.MULTILINE)
        files[sources[group]] = None
    files["pairings/acme-cro.yaml"] = pairing
    return write_content(tmp_path / "content", files)


def build_plan(content: Path, out: Path) -> str:
    result = build(BuildOptions(content=content, out=out, documents=(DOCUMENT,), formats=("md",)))
    assert result.ok, [str(d) for d in result.diagnostics.errors]
    return (out / "acme-cro" / f"{DOCUMENT}.md").read_text(encoding="utf-8")


def test_minimal_pairing_with_a_transition_plan(tmp_path: Path) -> None:
    markdown = build_plan(minimal_pairing(tmp_path, ()), tmp_path / "out")
    text = plain(markdown)
    assert "The transition has two phases: intensive oversight and steady state." in text
    assert "| Intensive oversight | 0–6 | Intensive | 100 % | Confirmed by the owner of this plan |" in text
    assert "The transition plan names no owners of its own." in text
    assert "The transition plan sets no rule for returning to an earlier oversight level." in text
    assert "SAE reporting timeliness green (at least 98 %) in two consecutive monthly reports" in text
    assert "Milestones" not in markdown  # the plan has none: no heading, no empty table
    for table_id, rows in tables(markdown).items():
        assert rows, table_id


def test_without_a_transition_plan_the_oversight_is_stated_and_no_table_is_empty(tmp_path: Path) -> None:
    markdown = build_plan(minimal_pairing(tmp_path, ("transition",)), tmp_path / "out")
    text = plain(markdown)
    assert "No staged transition applies to this relationship: Acme Bio oversees Good CRO at one constant level" in text
    for absent in ("figure:transition", "tbl-levels", "tbl-phases", "Step-down checklists", "Reversion",
                   "Milestones", "transition owners"):
        assert absent not in markdown
    assert "| SAE reporting timeliness | At least 98 % | Below 98 % but at least 95 % | Below 95 % |" in text
    assert "# Governance of the oversight" in markdown and "# Escalation" in markdown
    for table_id, rows in tables(markdown).items():
        assert rows, table_id


def test_without_metrics_governance_or_escalation_each_part_says_so(tmp_path: Path) -> None:
    markdown = build_plan(minimal_pairing(tmp_path, ("transition", "metrics", "governance", "escalation")),
                          tmp_path / "out")
    text = plain(markdown)
    assert "No metric is defined for this relationship yet" in text
    assert "No governance body is defined for this relationship." in text
    assert "No escalation ladder is defined for this relationship." in text
    assert "No risk is recorded in the joint register yet." in text
    assert set(tables(markdown)) <= {"tbl-studies", "tbl-roles-sponsor", "tbl-roles-provider", "tbl-terms",
                                     "tbl-control"}
    assert "| Sponsor Lead | Owns this plan and keeps it current. |" in text
    for table_id, rows in tables(markdown).items():
        assert rows, table_id
