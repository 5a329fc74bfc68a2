"""builder.writers.docx_layout: LibreOffice lays the DOCX out, the build writes the contents' page
numbers from that layout; without LibreOffice, or when it fails, Word is left to fill them in."""

from __future__ import annotations

import io
import json
import shutil
import stat
import time
import zipfile
from pathlib import Path

import pytest

from builder.cli import main
from builder.compose.check import check_content
from builder.engine.build import BuildOptions, build
from builder.engine.pipeline import Pipeline
from builder.writers import docx_layout
from conftest import MINIMAL_FILES, write_content, write_templates

SOFFICE = shutil.which("soffice")


def fake_soffice(folder: Path, body: str) -> Path:
    """A stand-in for soffice: prints a version, then runs `body` for a conversion."""
    script = folder / "soffice"
    script.write_text('#!/bin/sh\nif [ "$1" = --version ]; then echo "LibreOffice 9.9.9.9 fake"; exit 0; fi\n'
                      + body + "\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_content(tmp_path / "content", MINIMAL_FILES)
    write_templates(tmp_path / "tpl")
    return tmp_path


def settings_xml(docx: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(docx)).read("word/settings.xml").decode()


def test_destination_names_follow_libreoffices_pdf_export() -> None:
    assert docx_layout.destination_name("_Refsec_control") == "5FRefsec5Fcontrol"
    assert docx_layout.destination_name("_pb_3f2a-x") == "5Fpb5F3f2a-x"


def test_the_soffice_variable_chooses_or_turns_off_libreoffice(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(docx_layout.SOFFICE_VARIABLE, "none")
    assert docx_layout.find_libreoffice() is None and docx_layout.page_numbers_option() == "none"
    monkeypatch.setenv(docx_layout.SOFFICE_VARIABLE, str(fake_soffice(tmp_path, "exit 0")))
    assert docx_layout.page_numbers_option() == "libreoffice 9.9.9.9"


def test_a_libreoffice_that_hangs_is_stopped_at_the_timeout(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    office = docx_layout.LibreOffice(str(fake_soffice(tmp_path, f"sleep 60 & echo $! > {pid_file}; wait")), "9")
    with pytest.raises(docx_layout.LayoutError, match="did not finish within 1 s"):
        docx_layout.lay_out(b"PK", ["_Ref1"], office=office, timeout=1)
    stat_file = Path(f"/proc/{int(pid_file.read_text())}/stat")  # its whole process group went with it
    time.sleep(0.2)
    assert not stat_file.exists() or stat_file.read_text().split(")")[-1].split()[0] == "Z"  # gone or a zombie


def test_a_libreoffice_that_fails_is_a_located_warning_and_word_fills_the_numbers(project: Path, monkeypatch) -> None:
    monkeypatch.setenv(docx_layout.SOFFICE_VARIABLE, str(fake_soffice(project, "echo 'cannot load' >&2; exit 3")))
    context = check_content(project / "content").contexts["acme-cro"]
    pipeline = Pipeline.load(project / "tpl", {"docx-page-numbers": "libreoffice 9.9.9.9"})
    document, files = pipeline.make_document(context, "operating-manual", ["docx"])
    assert [str(w) for w in document.warnings] == [
        "acme-cro/operating-manual.docx: warning: LibreOffice failed (exit status 3): cannot load; "
        "the contents shows no page numbers until Word updates its fields"]
    assert '<w:updateFields w:val="true"/>' in settings_xml(files["docx"])
    assert b">00<" not in zipfile.ZipFile(io.BytesIO(files["docx"])).read("word/document.xml")  # no placeholder left


def test_without_libreoffice_the_summary_says_so_once_and_the_manifest_records_it(project: Path, runner,
                                                                                   monkeypatch) -> None:
    monkeypatch.setenv(docx_layout.SOFFICE_VARIABLE, "none")
    args = ["build", "--content", str(project / "content"), "--templates", str(project / "tpl"),
            "--out", str(project / "out"), "--format", "docx", "--format", "md", "--jobs", "1"]
    result = runner.invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.count("no LibreOffice (soffice)") == 1
    manifest = json.loads((project / "out" / "manifest.json").read_text())
    assert manifest["options"]["docx-page-numbers"] == "none"
    docx = (project / "out" / "acme-cro" / "quality-agreement.docx").read_bytes()
    assert '<w:updateFields w:val="true"/>' in settings_xml(docx)
    # another LibreOffice rebuilds the Word files, and only them
    monkeypatch.setenv(docx_layout.SOFFICE_VARIABLE, str(fake_soffice(project, "exit 1")))
    result = build(BuildOptions(content=project / "content", out=project / "out", templates=project / "tpl",
                                formats=("docx", "md")))
    assert sorted(p.name for p in result.built) == ["operating-manual.docx", "quality-agreement.docx"]
    assert [d.code for d in result.diagnostics] == ["docx-page-numbers"] * 2 and not result.notes
    manifest = json.loads((project / "out" / "manifest.json").read_text())
    assert manifest["options"]["docx-page-numbers"] == "libreoffice 9.9.9.9"


def test_a_pdf_only_build_keeps_the_word_files_up_to_date(project: Path, monkeypatch) -> None:
    monkeypatch.setenv(docx_layout.SOFFICE_VARIABLE, "none")
    common = dict(content=project / "content", out=project / "out", templates=project / "tpl")
    assert build(BuildOptions(**common, formats=("docx", "md"))).ok
    assert not build(BuildOptions(**common, formats=("md",))).built
    assert not build(BuildOptions(**common, formats=("docx", "md"))).built


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_layout_gives_the_page_of_every_bookmark(project: Path, monkeypatch) -> None:
    monkeypatch.delenv(docx_layout.SOFFICE_VARIABLE, raising=False)
    context = check_content(project / "content").contexts["acme-cro"]
    pipeline = Pipeline.load(project / "tpl", {"docx-page-numbers": docx_layout.page_numbers_option()})
    document, files = pipeline.make_document(context, "operating-manual", ["docx"])
    assert not document.warnings
    assert "updateFields" not in settings_xml(files["docx"])
    layout = docx_layout.lay_out(files["docx"], ["_Refsec_purpose", "_Refsec_metrics", "_Refnothing"],
                                 document.theme.fonts)
    assert layout.pages == {"_Refsec_purpose": 3, "_Refsec_metrics": 4} and layout.page_count == 4  # chapters
