"""Redlines: the merged tree, native Word tracked changes (accept all = new, reject all = old),
the marked PDF after its summary page, same bytes every time, and LibreOffice opening it."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from builder.cli.diff import diff
from builder.review.merge import DELETED, INSERTED, changed_places, clause_changes, merge_trees
from builder.tree import parse_document
from test_diff import commit, edit, git, isolated_git, make_repo  # noqa: F401 - isolated_git is an autouse fixture

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PAIRING_DOCS = ("acme-cro/operating-manual", "acme-cro/quality-agreement")


# -- the merged tree ---------------------------------------------------------------------------
def _html(element) -> str:
    return ElementTree.tostring(element, encoding="unicode")


def test_paragraphs_are_matched_first_then_words() -> None:
    old = parse_document("# Audits\n\n§ Audit with 30 days' notice.\n\n§ Respond within 20 business days.\n\n"
                         "§ Attend inspections.\n\n# Safety\n\n§ Report SAEs.\n", "clause")
    new = parse_document("# Audits\n\n§ Audit with 30 days' notice.\n\n§ Keep an audit log.\n\n"
                         "§ Respond within 15 business days.\n\n# Safety\n\n§ Report SAEs.\n", "clause")
    root = merge_trees(old, new)
    children = list(root)
    assert [c.get("class", "").split()[-1] if c.get("class") else c.tag for c in children] == [
        "h1", "clause-level-2", INSERTED, "clause-level-2", DELETED, "h1", "clause-level-2"]
    changed = _html(children[3])
    assert "<del>20 </del><ins>15 </ins>business days." in changed
    assert '<span class="number">1.3</span>' in changed  # the new number, kept as the tree numbers it
    assert children[4].get("id") is None  # a deleted clause gives up its target id
    assert clause_changes(root) == (["1.2 Keep an audit log."], ["1.3 Attend inspections."])
    assert [p.label("clause") for p in changed_places(root)] == [
        "Clause 1.2 Keep an audit log.: inserted", "Clause 1.3 Respond within 15 business days.: changed",
        "Clause 1.3 Attend inspections.: deleted"]


def test_lists_and_tables_stay_whole_with_items_and_rows_marked() -> None:
    old = parse_document("- one\n- two\n- three\n\nTable: T {#tbl-t}\n\n| A | B |\n|---|---|\n| x | 1 |\n| y | 2 |\n")
    new = parse_document("- one\n- three\n- four\n\nTable: T {#tbl-t}\n\n| A | B |\n|---|---|\n| x | 1 |\n| y | 3 |\n| z | 4 |\n")
    root = merge_trees(old, new)
    items = root.find("ul").findall("li")
    assert [(li.text or "".join(li.itertext()), li.get("class")) for li in items] == [
        ("one", None), ("two", DELETED), ("three", None), ("four", INSERTED)]
    rows = root.find("table").find("tbody").findall("tr")
    assert [r.get("class") for r in rows] == [None, None, INSERTED]
    assert "<del>2</del><ins>3</ins>" in _html(rows[1])
    assert root.find("table").find("caption") is not None and root.find("table").get("id") == "tbl-t"


# -- tracked changes in Word -------------------------------------------------------------------
def paragraph_texts(docx: bytes, mode: str = "accept") -> list[str]:
    """Body paragraph texts after accepting (or rejecting) every tracked change."""
    drop = "del" if mode == "accept" else "ins"
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")).find(f"{W}body")
    texts = []
    for paragraph in body.iter(f"{W}p"):
        parts = []
        for node in paragraph.iter(f"{W}t", f"{W}delText"):
            owner = next((a for a in node.iterancestors() if a.tag in (f"{W}ins", f"{W}del") or a is paragraph), None)
            if owner is not None and owner.tag == f"{W}{drop}":
                continue
            parts.append(node.text or "")
        mark = paragraph.find(f"{W}pPr/{W}rPr/{W}{drop}")
        if mark is not None and not "".join(parts).strip():
            continue  # the paragraph itself goes
        texts.append("".join(parts))
    return texts


def plain_docx(content: Path, templates: Path, document: str) -> bytes:
    """The DOCX a normal build writes for a content folder."""
    from builder.compose.check import check_content
    from builder.engine.pipeline import Pipeline

    context = check_content(content).contexts["acme-cro"]
    return Pipeline.load(templates).make(context, document, ["docx"])["docx"]


@pytest.fixture
def changed_repo(tmp_path: Path, monkeypatch) -> Path:
    """Two commits: the second changes a value, rewords and adds a clause, removes another, adds a role."""
    repo = make_repo(tmp_path / "repo")
    monkeypatch.chdir(repo)
    edit(repo, "metrics/sae.yaml", "red: 95", "red: 94")
    edit(repo, "provisions-qa.yaml", "within 20 business days with a plan", "within 15 business days with a plan")
    edit(repo, "provisions-qa.yaml", "  - The Provider shall permit the Sponsor to audit the services with 30 days' notice.\n",
         "  - The Provider shall keep an audit log.\n")
    edit(repo, "pairings/acme-cro.yaml", "roles: [sponsor-lead, cro-pm]", "roles: [sponsor-lead, cro-pm, sponsor-qa]")
    edit(repo, "pairings/acme-cro.yaml", "version: 1.0.0", "version: 2.0.0")
    commit(repo, "Audit clauses for the 2027 contract")
    return repo


def redline(*args: str):
    result = CliRunner().invoke(diff, [*args, "--templates", "tpl", "--redline", "--out", "rl"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_redline_docx_has_native_tracked_changes_by_the_commit_author(changed_repo: Path) -> None:
    result = redline("HEAD~1", "HEAD")
    assert sorted(p.relative_to(changed_repo / "rl").as_posix() for p in (changed_repo / "rl").rglob("*.*")) == [
        f"{name}.redline.{ext}" for name in PAIRING_DOCS for ext in ("docx", "pdf")] + ["manifest.json"]
    manifest = json.loads((changed_repo / "rl" / "manifest.json").read_text())
    entry = next(e for e in manifest["outputs"] if e["path"] == "acme-cro/quality-agreement.redline.pdf")
    assert any(i["path"].endswith("redline.css") for i in entry["inputs"])
    assert "wrote rl/acme-cro/quality-agreement.redline.docx" in result.stderr
    package = zipfile.ZipFile(changed_repo / "rl" / "acme-cro" / "quality-agreement.redline.docx")
    xml = package.read("word/document.xml").decode()
    revisions = re.findall(r"<w:(ins|del) w:id=\"(\d+)\" w:author=\"([^\"]+)\" w:date=\"([^\"]+)\"", xml)
    assert {kind for kind, *_ in revisions} == {"ins", "del"}
    assert {(author, date) for _, _, author, date in revisions} == {("Ann Reviewer", "2027-02-01T10:00:00Z")}
    ids = [int(i) for _, i, _, _ in revisions]
    assert len(set(ids)) == len(ids)
    assert re.search(r"<w:del [^>]*><w:r>(?:<w:rPr/>)?<w:delText xml:space=\"preserve\">95 </w:delText>", xml)
    assert re.search(r"<w:ins [^>]*><w:r>(?:<w:rPr/>)?<w:t xml:space=\"preserve\">94 </w:t>", xml)
    assert "<w:delText>The Provider shall permit the Sponsor to audit the services with 30 days' notice.</w:delText>" in xml
    assert "<w:trackRevisions/>" in package.read("word/settings.xml").decode()
    # clauses keep Word's numbering: numbered by their style (numPr in styles.xml), no typed numbers
    clauses = re.findall(r'<w:pStyle w:val="Clause2"/>', xml)
    assert len(clauses) == 5 and not re.search(r"<w:t[^>]*>\d+\.\d+ ", xml)
    styles = package.read("word/styles.xml").decode()
    assert re.search(r'w:styleId="Clause2">.*?<w:numPr><w:ilvl w:val="1"/><w:numId w:val="\d+"/></w:numPr>', styles)
    # the cover's version row shows the old version deleted
    assert re.search(r"<w:del [^>]*><w:r><w:delText xml:space=\"preserve\">1.0.0</w:delText></w:r></w:del>", xml)


def test_accepting_all_gives_the_new_document_and_rejecting_all_the_old(changed_repo: Path, tmp_path: Path) -> None:
    from pathlib import PurePosixPath

    from builder.review.revisions import materialise, resolve_revision

    redline("HEAD~1", "HEAD")
    old = materialise(changed_repo, resolve_revision(changed_repo, "HEAD~1"), PurePosixPath("content"), tmp_path / "old")
    for document in ("operating-manual", "quality-agreement"):
        marked = (changed_repo / "rl" / "acme-cro" / f"{document}.redline.docx").read_bytes()
        new_text = paragraph_texts(plain_docx(changed_repo / "content", changed_repo / "tpl", document))
        old_text = paragraph_texts(plain_docx(old, changed_repo / "tpl", document))
        assert paragraph_texts(marked, "accept") == new_text
        body_start = next(i for i, t in enumerate(old_text) if t == "Parties" or t == "Purpose")
        rejected = paragraph_texts(marked, "reject")
        # the body and the cover rows are the old document's; the contents list stays the new one's
        assert rejected[-(len(old_text) - body_start):] == old_text[body_start:]
        assert "1.0.0" in rejected and "2.0.0" not in rejected


def test_redlines_are_the_same_bytes_every_time(changed_repo: Path) -> None:
    redline("HEAD~1", "HEAD")
    first = {p.name: p.read_bytes() for p in (changed_repo / "rl" / "acme-cro").iterdir()}
    shutil.rmtree(changed_repo / "rl")
    redline("HEAD~1", "HEAD")
    assert {p.name: p.read_bytes() for p in (changed_repo / "rl" / "acme-cro").iterdir()} == first


def test_working_tree_redline_is_by_playbook_builder_on_the_effective_date(changed_repo: Path) -> None:
    edit(changed_repo, "metrics/sae.yaml", "red: 94", "red: 93")
    redline("HEAD")
    xml = zipfile.ZipFile(changed_repo / "rl" / "acme-cro" / "quality-agreement.redline.docx").read("word/document.xml").decode()
    assert set(re.findall(r'w:author="([^"]+)" w:date="([^"]+)"', xml)) == {("playbook-builder", "2027-01-15T00:00:00Z")}


def test_redline_pdf_opens_with_a_summary_page_then_marks_the_changes(changed_repo: Path) -> None:
    from pypdf import PdfReader

    from builder.engine.pipeline import Pipeline
    from builder.review.redline import build_redline, redline_author
    from builder.review.redline_pdf import page as redline_page_html

    redline("HEAD~1", "HEAD")
    pages = PdfReader(changed_repo / "rl" / "acme-cro" / "quality-agreement.redline.pdf").pages
    summary = " ".join(pages[0].extract_text().split())
    assert "Changes to the Quality Agreement" in summary
    assert "From HEAD~1" in summary and "Ann Reviewer" in summary
    assert re.search(r"thresholds\.red ?: 95 94", summary) and "provision qa-audits changed" in summary
    assert "Clause 2.1 The Provider shall keep an audit log.: inserted" in summary
    assert "Audit clauses for the 2027 contract" in summary
    body = " ".join(" ".join(p.extract_text().split()) for p in pages[1:])
    assert "is 95 94 percent" in body  # deleted then inserted, both shown
    info = subprocess.run(["pdfinfo", str(changed_repo / "rl" / "acme-cro" / "quality-agreement.redline.pdf")],
                          capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info  # laid out by the PDF writer: tagged like every built PDF
    # the HTML the PDF is laid out from: colour plus underline / strike-through
    from builder.compose.check import check_content
    from builder.review.analysis import analyse
    from builder.review.revisions import folder_side, revision_side

    side_old = revision_side(changed_repo, "HEAD~1", Path("content"), changed_repo.parent / "old")
    side_new = folder_side(Path("content"))
    pipeline = Pipeline.load(Path("tpl"))
    report = analyse(side_old, check_content(side_old.content_dir), side_new, check_content(Path("content")),
                     pipeline)
    qa = report.changed_documents()[1]
    page = redline_page_html(build_redline(qa, report, redline_author(report, qa), pipeline), pipeline.assets)
    assert "<del>95 </del><ins>94 </ins>" in page
    assert '<link rel="stylesheet" href="redline.css">' in page
    assert page.index('class="rl-summary"') < page.index('<section class="cover">')


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not on PATH")
def test_libreoffice_converts_the_redline_docx(changed_repo: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    redline("HEAD~1", "HEAD")
    source = changed_repo / "rl" / "acme-cro" / "quality-agreement.redline.docx"
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                             "--outdir", str(tmp_path), str(source)], capture_output=True, text=True, timeout=180)
    converted = tmp_path / "quality-agreement.redline.pdf"
    assert result.returncode == 0 and converted.exists(), result.stderr
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(converted).pages)
    assert "The Provider shall keep an audit log." in text  # inserted
    assert "The Provider shall permit the Sponsor to audit" in text  # deleted, still shown as a change
    assert re.search(r"within 2 ?0 ?1 ?5 business days", text)


def test_real_example_content_redline(tmp_path: Path, monkeypatch) -> None:
    """The shipped example library: a threshold change traced to the pairings, a clean Word redline."""
    from builder.compose.check import check_content
    from builder.review.analysis import analyse
    from builder.review.report import render_text
    from builder.engine.pipeline import Pipeline
    from builder.review.redline import build_redline, redline_author
    from builder.review.redline_docx import write as redline_docx_bytes
    from builder.review.revisions import folder_side, revision_side

    examples = Path(__file__).resolve().parent.parent / "content"
    repo = tmp_path / "repo"
    shutil.copytree(examples, repo / "content")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Example library")
    monkeypatch.chdir(repo)
    metric = repo / "content" / "standard" / "metrics" / "lab-capa-on-time-closure.yaml"
    metric.write_text(metric.read_text().replace("red: 75", "red: 70"))
    old = revision_side(repo, "HEAD", Path("content"), tmp_path / "old")
    new = folder_side(Path("content"))
    old_check, new_check = check_content(old.content_dir), check_content(Path("content"))
    assert old_check.ok and new_check.ok
    pipeline = Pipeline.load()
    report = analyse(old, old_check, new, new_check, pipeline, ["northwind-cobalt-central-lab"])
    text = render_text(report)
    assert "metric lab-capa-on-time-closure: thresholds.red 75 -> 70" in text
    assert "affects northwind-cobalt-central-lab: operating-manual, quality-agreement" in text
    qa = next(d for d in report.changed_documents() if d.document == "quality-agreement")
    docx = redline_docx_bytes(build_redline(qa, report, redline_author(report, qa), pipeline), pipeline.assets)
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    # the number and the no-break space that joins it to its unit ("75 %") change; the unit stays
    assert re.findall(r"<w:delText[^>]*>([^<]*)</w:delText>", xml) == ["75\u00a0"]
    assert re.findall(r"<w:ins [^>]*><w:r>(?:<w:rPr/>)?<w:t[^>]*>([^<]*)</w:t>", xml) == ["70\u00a0"]


def test_a_refused_stylesheet_url_in_a_redline_is_a_located_error_and_writes_nothing(changed_repo: Path) -> None:
    from builder.render.folders import SHIPPED_TEMPLATES

    css = (SHIPPED_TEMPLATES / "print.css").read_text() + '\nbody { background: url("file:///etc/hosts"); }\n'
    (changed_repo / "tpl" / "print.css").write_text(css)
    result = CliRunner().invoke(diff, ["HEAD~1", "HEAD", "--templates", "tpl", "--redline", "--out", "rl"])
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if "refused to fetch" in line)
    assert line.startswith(f"tpl/print.css:{len(css.splitlines())}:") and "Traceback" not in result.output
    assert not any((changed_repo / "rl").rglob("*.redline.*")), "no Word redline without its PDF"


def test_redline_css_comes_from_the_templates_and_can_be_overridden(changed_repo: Path) -> None:
    (changed_repo / "tpl" / "redline.css").write_text("ins { color: #00AA00; }\n")
    redline("HEAD~1", "HEAD")
    manifest = json.loads((changed_repo / "rl" / "manifest.json").read_text())
    inputs = {i["path"] for e in manifest["outputs"] if e["format"] == "pdf" for i in e["inputs"]}
    assert any(path.endswith("tpl/redline.css") for path in inputs)


def test_a_redline_docx_imports_with_its_tracked_changes_decided(changed_repo: Path) -> None:
    from builder.cli import main

    redline("HEAD~1", "HEAD")
    path = changed_repo / "rl" / "acme-cro" / "quality-agreement.redline.docx"
    runner = CliRunner()
    pending = runner.invoke(main, ["import", str(path), "--content", "content"])
    assert pending.exit_code == 1 and "Tracked changes still pending" in pending.output
    accepted = runner.invoke(main, ["import", str(path), "--content", "content", "--accept-all"])
    assert accepted.exit_code == 0, accepted.output  # accepting every change gives the content as it is
    assert "0 changes brought back, 0 not" in accepted.output
