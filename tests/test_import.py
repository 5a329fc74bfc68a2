"""``playbook import``: a lawyer's round in Word comes back into the content, and what cannot is listed."""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from builder.cli import main
from builder.compose.check import check_content
from builder.compose.textrefs import TextReference, unresolve_text
from builder.negotiate.fields import field_value
from builder.tree.origins import Origin
from word_edits import AUTHOR, Q, WordFile, paragraph_texts, save_through_libreoffice

ROOT = Path(__file__).resolve().parent.parent
PAIRING = "northwind-meridian-phase3-oncology"
SOURCES = "urn:playbook-builder:sources:1"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The example library and the Meridian documents built from it (Word only)."""
    folder = tmp_path_factory.mktemp("built")
    shutil.copytree(ROOT / "content", folder / "content")
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["build", "--content", str(folder / "content"), "--out", str(folder / "out"),
                                       "--pairing", PAIRING, "--format", "docx", "--jobs", "1"],
                                env={"PLAYBOOK_SOFFICE": "none"})
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def project(built: Path, tmp_path: Path, monkeypatch) -> Path:
    """A fresh copy of the content and the built documents, as the working folder."""
    shutil.copytree(built / "content", tmp_path / "content")
    shutil.copytree(built / "out", tmp_path / "out")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PLAYBOOK_SOFFICE", "none")
    return tmp_path


def docx(project: Path, document: str) -> Path:
    return project / "out" / PAIRING / f"{document}.docx"


def source_map(path: Path) -> dict[str, dict]:
    """Bookmark name -> its field, from the file's source map."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("customXml/item") and "Props" not in name:
                root = etree.fromstring(archive.read(name))
                if etree.QName(root).namespace == SOURCES:
                    return {m.get("name"): {"kind": m.get("kind"), "id": m.get("id"), "path": json.loads(m.get("path"))}
                            for m in root}
    raise AssertionError("no source map")


def marked_paragraph(word: WordFile, pattern: str, style: str | None = None,
                     skip: object = None) -> tuple[object, re.Match]:
    """The first paragraph with a source mark whose text matches ``pattern`` in the words of its content
    field (a paragraph that also holds text the template writes, as clause 1.2 does, may match there)."""
    marks = source_map(word.path)
    context = check_content(Path("content")).contexts[PAIRING]
    for paragraph in word.paragraphs():
        if paragraph is skip:
            continue
        names = [b.get(f"{Q}name") for b in paragraph.iter(f"{Q}bookmarkStart")]
        style_node = paragraph.find(f"{Q}pPr/{Q}pStyle")
        fields = [marks[n] for n in names if (n or "").startswith("_pb_") and n in marks]
        if not fields:
            continue
        if style and (style_node is None or style_node.get(f"{Q}val") != style):
            continue
        match = re.search(pattern, word.text(paragraph))
        if match and any(match.group(0) in str(field_value(context, Origin(f["kind"], f["id"], tuple(f["path"]))))
                         for f in fields):
            return paragraph, match
    raise AssertionError(f"no marked paragraph matching {pattern!r}")


def run_import(runner, path: Path, *args: str):
    return runner.invoke(main, ["import", str(path), "--content", "content", *args])


def lawyers_round(project: Path) -> tuple[Path, dict[str, str]]:
    """Tracked edits, an untracked edit, a comment, template text edited, a paragraph added."""
    word = WordFile(docx(project, "quality-agreement"))
    clause, match = marked_paragraph(word, r"within (\d+) business days", "Clause2")
    word.replace(clause, match.group(0), "within 2 business days")
    tracked, tracked_match = marked_paragraph(word, r"\bshall (\w+)", "Clause2", skip=clause)
    word.track(tracked, tracked_match.group(1), tracked_match.group(1) + " promptly")
    word.comment(clause, "Two business days is what our SOP allows.")
    word.append(word.template_clause(), " (as negotiated)")
    word.add_paragraph_after(clause, "The Provider shall also keep a register of training waivers.")
    expected = {"untracked": word.text(clause), "tracked": None}
    path = word.save(project / "negotiated.docx")
    accepted = paragraph_texts(path)
    expected["tracked"] = next(t for t in accepted if tracked_match.group(1) + " promptly" in t)
    expected["untracked"] = next(t for t in accepted if "within 2 business days" in t)
    return path, expected


def test_pending_tracked_changes_are_listed_and_nothing_changes(project: Path, runner) -> None:
    path, _ = lawyers_round(project)
    before = {p: p.read_bytes() for p in (project / "content").rglob("*.yaml")}
    result = run_import(runner, path)
    assert result.exit_code == 1
    assert "Tracked changes still pending" in result.output and f"insertion by {AUTHOR}, 2027-01-10 09:30" in result.output
    assert f"deletion by {AUTHOR}" in result.output and "nothing was changed" in result.output
    assert "Two business days is what our SOP allows." in result.output  # comments are listed too
    assert {p: p.read_bytes() for p in (project / "content").rglob("*.yaml")} == before


def test_a_lawyers_round_is_absorbed_where_it_has_a_source_and_listed_where_not(project: Path, runner) -> None:
    path, expected = lawyers_round(project)
    pairing_file = project / "content" / "pairings" / f"{PAIRING}.yaml"
    modeline = pairing_file.read_text().splitlines()[0]
    result = run_import(runner, path, "--accept-all")
    assert result.exit_code == 1, result.output  # the template edit and the new paragraph stay out
    assert "2 changes brought back" in result.output and "2 not" in result.output
    assert "as an override in content/pairings/" in result.output
    assert "it has no content field: a new paragraph, or text the template writes" in result.output
    assert "(as negotiated)" in result.output and "register of training waivers" in result.output
    assert f"{AUTHOR}, 2027-01-10 09:30: \"Two business days is what our SOP allows.\"" in result.output
    text = pairing_file.read_text()
    assert text.splitlines()[0] == modeline and "overrides:" in text and "within 2 business days" in text
    assert runner.invoke(main, ["validate", "--content", "content"]).exit_code == 0
    rebuilt = runner.invoke(main, ["build", "--content", "content", "--out", "again", "--pairing", PAIRING,
                                   "--document", "quality-agreement", "--format", "docx"])
    assert rebuilt.exit_code == 0, rebuilt.output
    texts = paragraph_texts(project / "again" / PAIRING / "quality-agreement.docx")
    assert expected["untracked"] in texts and expected["tracked"] in texts


def test_rejecting_all_tracked_changes_keeps_the_text_as_built(project: Path, runner) -> None:
    path, _ = lawyers_round(project)
    result = run_import(runner, path, "--reject-all", "--format", "json")
    report = json.loads(result.stdout)
    assert [item["path"] for item in report["absorbed"]] == [
        item["path"] for item in report["absorbed"] if "promptly" not in str(item["new"])]
    assert not any("promptly" in str(item["new"]) for item in report["absorbed"])
    assert len(report["absorbed"]) == 1 and report["pending"] == []


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not on PATH")
def test_a_round_saved_by_libreoffice_imports_the_same(project: Path, runner, tmp_path: Path) -> None:
    path, expected = lawyers_round(project)
    saved = save_through_libreoffice(path, tmp_path / "lo")
    result = run_import(runner, saved, "--accept-all", "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 1, result.output
    assert len(report["absorbed"]) == 2, report
    assert any("within 2 business days" in str(item["new"]) for item in report["absorbed"])
    assert any("(as negotiated)" in item["text"] for item in report["not_absorbed"])


def test_a_number_in_an_operating_manual_table_comes_back_as_a_number(project: Path, runner) -> None:
    path = docx(project, "operating-manual")
    marks = source_map(path)
    name = next(n for n, field in marks.items() if field["kind"] == "metric" and field["path"] == ["thresholds", "red"])
    word = WordFile(path)
    cell = next(p for p in word.paragraphs() if any(b.get(f"{Q}name") == name for b in p.iter(f"{Q}bookmarkStart")))
    old = re.search(r"\d+(?:\.\d+)?", word.text(cell)).group(0)  # the cell reads like "> 120 days"
    new = int(float(old)) - 1
    word.replace(cell, old, str(new))
    result = run_import(runner, word.save(project / "om.docx"), "--format", "json")
    assert result.exit_code == 0, result.output
    (item,) = json.loads(result.stdout)["absorbed"]
    assert item["path"] == "thresholds.red" and item["new"] == new
    assert item["into"] == "override"


def test_dry_run_shows_a_diff_and_writes_nothing(project: Path, runner) -> None:
    word = WordFile(docx(project, "quality-agreement"))
    clause, match = marked_paragraph(word, r"within (\d+) business days", "Clause2")
    word.replace(clause, match.group(0), "within 4 business days")
    before = {p: p.read_bytes() for p in (project / "content").rglob("*.yaml")}
    result = run_import(runner, word.save(project / "n.docx"), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "--- a/content/pairings/" in result.output and "+        " in result.output
    assert "within 4 business days" in result.output and "(dry run: nothing written)" in result.output
    assert {p: p.read_bytes() for p in (project / "content").rglob("*.yaml")} == before


def test_into_library_changes_the_block_itself(project: Path, runner) -> None:
    word = WordFile(docx(project, "quality-agreement"))
    clause, match = marked_paragraph(word, r"within (\d+) business days", "Clause2")
    word.replace(clause, match.group(0), "within 6 business days")
    result = run_import(runner, word.save(project / "n.docx"), "--into", "library", "--format", "json")
    assert result.exit_code == 0, result.output
    (item,) = json.loads(result.stdout)["absorbed"]
    assert item["into"] == "block" and "provisions" in item["file"]
    assert "within 6 business days" in Path(item["file"]).read_text()


def test_bold_text_and_cross_references_come_back_as_markdown(project: Path, runner) -> None:
    word = WordFile(docx(project, "quality-agreement"))
    clause, match = marked_paragraph(word, r"within (\d+) business days", "Clause2")
    run = next(r for r in clause.iter(f"{Q}r") if match.group(0) in (r.findtext(f"{Q}t") or ""))
    bold = etree.SubElement(etree.SubElement(run.getparent(), f"{Q}r"), f"{Q}rPr")
    etree.SubElement(bold, f"{Q}b")
    etree.SubElement(bold.getparent(), f"{Q}t").text = " Time is of the essence."
    result = run_import(runner, word.save(project / "n.docx"), "--format", "json")
    assert result.exit_code == 0, result.output
    (item,) = json.loads(result.stdout)["absorbed"]
    assert item["new"].endswith(" **Time is of the essence.**")


def test_deleting_a_sourced_paragraph_is_listed_not_guessed(project: Path, runner) -> None:
    word = WordFile(docx(project, "quality-agreement"))
    clause, _ = marked_paragraph(word, r"within (\d+) business days", "Clause2")
    word.delete(clause)
    result = run_import(runner, word.save(project / "n.docx"))
    assert result.exit_code == 1
    assert "a paragraph was deleted; remove or exclude provision" in result.output


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_files_that_cannot_be_imported_are_refused_with_exit_2(project: Path, runner) -> None:
    cases = {
        "not-a-zip.docx": b"plain text",
    }
    for name, data in cases.items():
        (project / name).write_bytes(data)
    built = docx(project, "quality-agreement")
    with zipfile.ZipFile(built) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    xxe = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + \
        parts["word/document.xml"].split(b"?>", 1)[1]
    _zip(project / "xxe.docx", {**parts, "word/document.xml": xxe})
    _zip(project / "bomb.docx", {**parts, "word/media/zeros.bin": b"\0" * (80 * 1024 * 1024)})
    plain = io.BytesIO()
    import docx as python_docx

    python_docx.Document().save(plain)
    (project / "plain.docx").write_bytes(plain.getvalue())
    props = parts["docProps/custom.xml"].replace(PAIRING.encode(), b"acme-nowhere")
    _zip(project / "other.docx", {**parts, "docProps/custom.xml": props})
    (project / "truncated.docx").write_bytes(built.read_bytes()[:5000])
    expected = {"not-a-zip.docx": "is not a Word document", "xxe.docx": "declares a DOCTYPE or entities",
                "bomb.docx": "zip bomb", "plain.docx": "was not built by playbook-builder",
                "other.docx": "pairing 'acme-nowhere', which the content", "truncated.docx": "is not a Word document"}
    before = {p: p.read_bytes() for p in (project / "content").rglob("*.yaml")}
    for name, words in expected.items():
        result = run_import(runner, project / name)
        assert result.exit_code == 2, (name, result.output)
        assert words in result.output and "nothing was written" in result.output and "Traceback" not in result.output
    assert {p: p.read_bytes() for p in (project / "content").rglob("*.yaml")} == before


def test_party_references_are_put_back_into_edited_text() -> None:
    names = {"provider": "Meridian Clinical Research", "sponsor": "Northwind Therapeutics"}

    def lookup(reference: TextReference) -> str:
        return names[reference.name]

    raw = "<<provider>> notifies <<sponsor>> within 24 hours."
    edited = "Meridian Clinical Research notifies Northwind Therapeutics within 12 hours of receipt."
    assert unresolve_text(edited, raw, lookup) == "<<provider>> notifies <<sponsor>> within 12 hours of receipt."


def test_an_imported_change_that_breaks_a_rule_is_reported_and_nothing_is_written(project: Path, runner) -> None:
    path = docx(project, "operating-manual")
    marks = source_map(path)
    name = next(n for n, field in marks.items() if field["kind"] == "metric" and field["path"] == ["target"])
    word = WordFile(path)
    cell = next(p for p in word.paragraphs() if any(b.get(f"{Q}name") == name for b in p.iter(f"{Q}bookmarkStart")))
    old = re.search(r"\d+(?:\.\d+)?", word.text(cell)).group(0)
    word.replace(cell, old, "500")  # past the red threshold (or above 100 %): a rule breaks
    before = {p: p.read_bytes() for p in (project / "content").rglob("*.yaml")}
    result = run_import(runner, word.save(project / "om.docx"))
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if ": error: " in line)
    assert line.startswith(f"content/pairings/{PAIRING}.yaml:") and "target" in line
    assert "the content would not validate with these changes; nothing was written" in result.output
    assert {p: p.read_bytes() for p in (project / "content").rglob("*.yaml")} == before
