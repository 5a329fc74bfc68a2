"""The build engine: same bytes every time, manifest, incremental and parallel builds, atomic outputs."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder.engine.build import BuildOptions, build
from builder.cli import main
from builder.engine.outputs import OutputLock
from conftest import MINIMAL_FILES, write_content, write_templates

SECOND_PAIRING = MINIMAL_FILES["pairings/acme-cro.yaml"].rstrip(" ").replace("id: acme-cro", "id: acme-cro-two").replace(
    "metrics: [sae-reporting-timeliness]", "metrics: [other-metric]").replace(
    "exit-criteria", "exit-criteria")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Content with two pairings (the second does not use the SAE metric) and tiny templates."""
    other = MINIMAL_FILES["metrics/sae.yaml"].replace("id: sae-reporting-timeliness", "id: other-metric")
    transition_two = MINIMAL_FILES["transition.yaml"].replace("id: standard-transition", "id: transition-two").replace(
        "sae-reporting-timeliness", "other-metric")
    files = {**MINIMAL_FILES, "metrics/other.yaml": other, "transition-two.yaml": transition_two,
             "pairings/acme-cro-two.yaml": SECOND_PAIRING.replace("transition: standard-transition", "transition: transition-two")}
    write_content(tmp_path / "content", files)
    write_templates(tmp_path / "tpl")
    return tmp_path


def options(project: Path, out: str = "out", **changes) -> BuildOptions:
    values = dict(content=project / "content", out=project / out, templates=project / "tpl",
                  formats=("md", "html"), jobs=1)
    values.update(changes)
    return BuildOptions(**values)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def test_two_builds_give_the_same_bytes_whatever_the_folder_and_jobs(project: Path) -> None:
    all_formats = ("pdf", "docx", "html", "md")
    first = build(options(project, "a", formats=all_formats, jobs=1))
    assert first.ok, [str(d) for d in first.diagnostics]
    time.sleep(1.1)  # a different clock second must not change anything
    second = build(options(project, "b", formats=all_formats, jobs=2))
    assert second.ok
    a, b = snapshot(project / "a"), snapshot(project / "b")
    assert len(a) == 17  # 2 pairings x 2 documents x 4 formats + manifest
    assert a == b


def test_manifest_lists_outputs_with_hashes_and_inputs(project: Path) -> None:
    assert build(options(project)).ok
    manifest = json.loads((project / "out" / "manifest.json").read_text())
    assert manifest["builder"]["name"] == "playbook-builder"
    paths = [entry["path"] for entry in manifest["outputs"]]
    assert paths == sorted(paths) and len(paths) == 8
    entry = next(e for e in manifest["outputs"] if e["path"] == "acme-cro/operating-manual.md")
    data = (project / "out" / entry["path"]).read_bytes()
    assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["size"] == len(data)
    assert (entry["pairing"], entry["document"], entry["format"]) == ("acme-cro", "operating-manual", "md")
    inputs = [i["path"] for i in entry["inputs"]]
    assert "content/metrics/sae.yaml" in inputs and "content/pairings/acme-cro.yaml" in inputs
    assert "content/metrics/other.yaml" not in inputs
    assert any(p.endswith("operating-manual/document.md.j2") for p in inputs)


def test_no_op_rebuild_does_nothing_and_a_change_rebuilds_only_what_uses_it(project: Path) -> None:
    first = build(options(project))
    assert len(first.built) == 8
    again = build(options(project))
    assert (len(again.built), len(again.up_to_date)) == (0, 8)
    sae = project / "content" / "metrics" / "sae.yaml"
    sae.write_text(sae.read_text().replace("source: safety database", "source: Argus safety database"))
    changed = build(options(project))
    assert sorted(p.relative_to(project / "out").as_posix() for p in changed.built) == [
        "acme-cro/operating-manual.html", "acme-cro/operating-manual.md",
        "acme-cro/quality-agreement.html", "acme-cro/quality-agreement.md",
    ]
    forced = build(options(project, force=True))
    assert len(forced.built) == 8


def test_a_failing_write_leaves_the_previous_file_and_no_temporary(project: Path, monkeypatch) -> None:
    assert build(options(project)).ok
    target = project / "out" / "acme-cro" / "operating-manual.md"
    before = target.read_bytes()
    (project / "content" / "pairings" / "acme-cro.yaml").write_text(
        (project / "content" / "pairings" / "acme-cro.yaml").read_text().replace("One CRO runs the study.", "Changed."))

    import builder.engine.outputs as outputs_module

    monkeypatch.setattr(outputs_module.os, "fdopen", lambda fd, mode: _FailingStream(fd))
    result = build(options(project))
    assert not result.ok
    assert any("No space left on device" in d.message and d.location.file.endswith("operating-manual.md")
               for d in result.diagnostics.errors)
    assert target.read_bytes() == before
    assert not list((project / "out").rglob("*.tmp"))


class _FailingStream:
    def __init__(self, fd: int):
        self.fd = fd

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        os.close(self.fd)

    def write(self, data):
        raise OSError(28, "No space left on device")


def test_a_killed_build_leaves_complete_files_and_no_strays_next_time(project: Path) -> None:
    assert build(options(project, formats=("md", "html", "pdf"))).ok
    before = snapshot(project / "out")
    pairing = project / "content" / "pairings" / "acme-cro.yaml"
    pairing.write_text(pairing.read_text().replace("One CRO runs the study.", "A changed rationale."))
    code = (
        "from builder.cli import main\n"
        f"main(['build', '--content', {str(project / 'content')!r}, '--out', {str(project / 'out')!r}, "
        f"'--templates', {str(project / 'tpl')!r}, '--format', 'md', '--format', 'html', '--format', 'pdf', '--jobs', '1'])\n"
    )
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    process.send_signal(signal.SIGKILL)
    process.wait()
    after = snapshot(project / "out")
    for name, data in after.items():
        if name.endswith(".pdf"):
            assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF"), name
        if name in before and data != before[name]:
            assert name.endswith((".md", ".html", ".pdf", ".json"))
    result = build(options(project, formats=("md", "html", "pdf")))
    assert result.ok
    assert not [p for p in (project / "out").rglob("*") if p.name.endswith(".tmp")]
    assert "A changed rationale." in (project / "out" / "acme-cro" / "operating-manual.md").read_text()


def test_a_second_build_into_a_locked_folder_is_refused(project: Path, runner) -> None:
    out = project / "out"
    out.mkdir()
    with OutputLock(out):
        result = runner.invoke(main, ["build", "--content", str(project / "content"), "--out", str(out),
                                      "--templates", str(project / "tpl"), "--format", "md"])
    assert result.exit_code == 1
    assert "another build" in result.output and "Traceback" not in result.output
    assert not (out / "acme-cro").exists()


def test_outputs_of_removed_pairings_are_reported_and_cleaned(project: Path, runner) -> None:
    assert build(options(project)).ok
    (project / "content" / "pairings" / "acme-cro-two.yaml").unlink()
    args = ["build", "--content", str(project / "content"), "--out", str(project / "out"),
            "--templates", str(project / "tpl"), "--format", "md", "--format", "html"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "acme-cro-two/operating-manual.md: stale" in result.output
    assert (project / "out" / "acme-cro-two" / "operating-manual.md").exists()
    result = runner.invoke(main, args + ["--clean"])
    assert "acme-cro-two/operating-manual.md: removed" in result.output
    assert not (project / "out" / "acme-cro-two").exists()
    manifest = json.loads((project / "out" / "manifest.json").read_text())
    assert all(not e["path"].startswith("acme-cro-two/") for e in manifest["outputs"])


def test_plain_progress_lines_quiet_and_summary(project: Path, runner) -> None:
    args = ["build", "--content", str(project / "content"), "--out", str(project / "out"),
            "--templates", str(project / "tpl"), "--format", "md", "--jobs", "1"]
    result = runner.invoke(main, args)
    lines = result.output.splitlines()
    assert sum(line.startswith("rendered ") and line.endswith(" s)") for line in lines) == 4
    assert lines[-1].startswith("built 4, up to date 0, failed 0 in ")
    result = runner.invoke(main, args + ["--quiet", "--force"])
    assert result.output.splitlines()[0].startswith("built 4, up to date 0, failed 0")


def test_unknown_pairing_is_an_error_with_a_suggestion(project: Path, runner) -> None:
    result = runner.invoke(main, ["build", "--content", str(project / "content"), "--out", str(project / "out"),
                                  "--pairing", "acme-cr", "--format", "md"])
    assert result.exit_code == 1 and "did you mean 'acme-cro'" in result.output


def test_terminal_progress_bar_counts_one_step_per_output(project: Path) -> None:
    import io

    from rich.console import Console

    from builder.cli.progress import BuildReporter

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100)
    with BuildReporter(interactive=True, console=console) as reporter:
        result = build(options(project), on_event=reporter.event)
        assert reporter.progress.tasks[0].total == 8
        assert reporter.progress.tasks[0].completed == 8
    assert result.ok and "building" in screen.getvalue() and "8/8" in screen.getvalue()


def test_a_finished_build_leaves_only_outputs_and_the_manifest(project: Path) -> None:
    assert build(options(project)).ok
    names = {p.name for p in (project / "out").iterdir()}
    assert names == {"acme-cro", "acme-cro-two", "manifest.json"}, "no lock or temporary file is left"
    first = snapshot(project / "out")
    assert build(options(project, force=True)).ok
    assert {p.relative_to(project / "out").as_posix() for p in (project / "out").rglob("*")} == \
        {p for p in first} | {"acme-cro", "acme-cro-two"}


def test_clean_refuses_when_the_content_yields_no_pairing(project: Path, runner) -> None:
    assert build(options(project)).ok
    before = snapshot(project / "out")
    empty = project / "elsewhere"
    write_content(empty, {"organizations.yaml": MINIMAL_FILES["organizations.yaml"]})
    result = runner.invoke(main, ["build", "--content", str(empty), "--out", str(project / "out"),
                                  "--templates", str(project / "tpl"), "--format", "md", "--clean"])
    assert result.exit_code == 1
    assert "--clean would remove every output" in result.output and "Nothing was removed" in result.output
    assert snapshot(project / "out") == before


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_stops_a_build_within_two_seconds_with_one_line(tmp_path: Path, jobs: str) -> None:
    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "out"
    args = [sys.executable, "-m", "builder", "build", "--content", str(root / "content"), "--out", str(out),
            "--format", "pdf", "--jobs", jobs, "--force"]
    out.mkdir()
    (out / "keep.txt").write_text("previous output\n")
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    time.sleep(4)  # well into the layouts
    assert process.poll() is None, process.communicate()
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    stopped = time.monotonic() - sent
    assert process.returncode == 130 and stopped < 2.0, (stopped, stderr)
    assert stderr.strip().splitlines() == ["playbook: interrupted; previous outputs were left as they were"]
    assert "Traceback" not in stdout + stderr
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]  # nothing half-written, no lock
    assert (out / "keep.txt").read_text() == "previous output\n"


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_listed_term_no_document_shows_is_a_warning_once_all_documents_are_built(tmp_path: Path, runner,
                                                                                jobs: int) -> None:
    terms = MINIMAL_FILES["terms.yaml"] + \
        "- {id: bicr, kind: term, title: Blinded independent central review, abbreviation: BICR,\n" \
        "   definition: Review of images by readers who do not know the treatment.}\n"
    pairing = MINIMAL_FILES["pairings/acme-cro.yaml"].replace("terms: [sae]", "terms: [sae, bicr]")
    content = write_content(tmp_path / "content", {**MINIMAL_FILES, "terms.yaml": terms,
                                                   "pairings/acme-cro.yaml": pairing})
    build_md = ["build", "--content", str(content), "--format", "md", "--jobs", str(jobs)]
    one = runner.invoke(main, [*build_md, "--out", str(tmp_path / "one"), "--document", "operating-manual"],
                        env={"PLAYBOOK_SOFFICE": "none"})
    assert one.exit_code == 0 and "warning: pairing" not in one.output, one.output  # the other document may use it
    both = runner.invoke(main, [*build_md, "--out", str(tmp_path / "both")], env={"PLAYBOOK_SOFFICE": "none"})
    assert both.exit_code == 0, both.output
    line = next(line for line in (content / "pairings/acme-cro.yaml").read_text().splitlines() if "terms:" in line)
    column = line.index("bicr") + 1
    number = (content / "pairings/acme-cro.yaml").read_text().splitlines().index(line) + 1
    warnings = [line for line in both.output.splitlines() if "term-unused" in line or "lists the term" in line]
    assert warnings == [f"{content / 'pairings/acme-cro.yaml'}:{number}:{column}: warning: pairing 'acme-cro' lists "
                        "the term 'Blinded independent central review' ('BICR'), but no glossary of its documents "
                        "(operating-manual, quality-agreement) shows it, as none of them uses it: remove it from "
                        "include.terms, or use it"]
    glossaries = [(tmp_path / "both/acme-cro" / f"{name}.md").read_text() for name in ("operating-manual",
                                                                                      "quality-agreement")]
    assert all("Serious adverse event" in text and "Blinded independent central review" not in text
               for text in glossaries)
