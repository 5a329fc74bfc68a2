"""``playbook diff``: what changed between two revisions (or folders) of the content, for review.

    playbook diff OLD [NEW] [--content DIR] [--pairing ID]... [--format text|json|markdown]
                  [--redline [--out DIR]] [--templates DIR]

OLD and NEW are git revisions, read without touching the working tree, or content folders
(an argument naming an existing folder is a folder). NEW defaults to the working tree's
content folder. Exit codes: 0 the report was made, 1 content errors in either side,
2 usage errors (no git repository, an unknown revision).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import click

from builder.cli.options import templates_option

FORMATS = ("text", "json", "markdown")


def _open_side(spec: str, content_dir: Path, target: Path):
    """A ContentSide for a folder or a revision."""
    from builder.review.revisions import folder_side, repository_root, revision_side

    if Path(spec).is_dir():
        return folder_side(Path(spec))
    return revision_side(repository_root(content_dir), spec, content_dir, target)


def _check(side, documents):
    """Check one side's content; diagnostics name files as the user knows them."""
    from builder.compose.check import check_content
    from builder.review.analysis import relabel

    result = check_content(side.content_dir, documents=documents)
    result.diagnostics.items = relabel([item for item in result.diagnostics if item.level != "note"], side)
    return result


def _fail(diagnostics, output_format: str, code: int = 1) -> None:
    """Report diagnostics (JSON on stdout, or lines on stderr) and exit."""
    if output_format == "json":
        click.echo(json.dumps({"ok": False, "diagnostics": [d.to_json() for d in diagnostics.sorted()]}, indent=2))
    else:
        _print_diagnostics(diagnostics)
    sys.exit(code)


def _print_diagnostics(diagnostics) -> None:
    for item in diagnostics.sorted():
        colour = "red" if item.level == "error" else "yellow"
        click.echo(f"{item.location}: " + click.style(item.level, fg=colour) + f": {item.message}", err=True)


@click.command()
@click.argument("old")
@click.argument("new", required=False)
@click.option("--content", "content_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("content"),
              show_default=True, help="The content folder (its path in the repository, for revisions).")
@click.option("--pairing", "pairings", multiple=True, metavar="ID",
              help="Report only changes that affect this pairing (repeatable).")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Report format; markdown is ready to paste into a pull request.")
@click.option("--redline", is_flag=True,
              help="Also write OUT/<pairing>/<document>.redline.docx and .redline.pdf for each changed document.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("output/redline"),
              show_default=True, help="Folder the redlines are written to.")
@templates_option
def diff(old: str, new: str | None, content_dir: Path, pairings: tuple[str, ...], output_format: str,
         redline: bool, out_dir: Path, templates_dir: Path | None) -> None:
    """Show what changed in the content between OLD and NEW, and which pairings and documents it affects.

    OLD and NEW are git revisions (NEW defaults to the working tree) or two content folders.
    """
    from builder.diagnostics import DiagnosticError, Diagnostics, display_path
    from builder.engine.pipeline import Pipeline
    from builder.review.analysis import analyse
    from builder.review.report import render_json, render_markdown, render_text
    from builder.review.revisions import WORKING_TREE, RevisionError, folder_side

    try:
        pipeline = Pipeline.load(templates_dir)
    except DiagnosticError as exc:
        problems = Diagnostics()
        problems.extend(exc.diagnostics)
        _fail(problems, output_format)

    with tempfile.TemporaryDirectory(prefix="playbook-diff-") as scratch:
        try:
            old_side = _open_side(old, content_dir, Path(scratch) / "old")
            new_side = _open_side(new, content_dir, Path(scratch) / "new") if new else \
                folder_side(content_dir, WORKING_TREE)
        except RevisionError as exc:
            click.echo(f"playbook diff: error: {exc}", err=True)
            sys.exit(2)
        checked = Diagnostics()
        documents = pipeline.documents.requirements()
        old_check, new_check = _check(old_side, documents), _check(new_side, documents)
        checked.extend(old_check.diagnostics)
        checked.extend(new_check.diagnostics)
        if not checked.ok:
            _fail(checked, output_format)
        report = analyse(old_side, old_check, new_side, new_check, pipeline, pairings)
        report.diagnostics.items[:0] = checked.items
        if not report.diagnostics.ok:
            _fail(report.diagnostics, output_format)
        written: list[Path] = []
        if redline:
            written = _write_redlines(report, out_dir, pipeline, output_format)
        if output_format != "json":
            _print_diagnostics(report.diagnostics)
        if output_format == "json":
            data = render_json(report)
            if redline:
                data["redlines"] = [display_path(path) for path in written]
            click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        elif output_format == "markdown":
            click.echo(render_markdown(report), nl=False)
        else:
            click.echo(render_text(report), nl=False)


def _write_redlines(report, out_dir: Path, pipeline, output_format: str) -> list[Path]:
    """Write the redlines; a document that cannot be written is a located error (exit 1)."""
    from builder.diagnostics import DiagnosticError, Diagnostics, Location, display_path
    from builder.engine.outputs import BuildLocked
    from builder.review.redlines import write_redlines

    try:
        written = write_redlines(report, out_dir, pipeline)
    except BuildLocked as exc:
        click.echo(f"playbook diff: error: {exc}", err=True)
        sys.exit(1)
    except DiagnosticError as exc:
        failed = Diagnostics()
        failed.extend(exc.diagnostics)
        _fail(failed, output_format)
    except OSError as exc:
        failed = Diagnostics()
        failed.error(Location(display_path(Path(exc.filename or out_dir))), "write-failed",
                     f"cannot write the redline: {exc.strerror or exc}")
        _fail(failed, output_format)
    if not written:
        click.echo("no document changed, so no redline was written", err=True)
    for path in written:
        click.echo(f"wrote {display_path(path)}", err=True)
    return written
