"""The ``playbook`` command line: validate, build, schema.

Heavy modules (WeasyPrint, python-docx, matplotlib) are imported only by the commands that
need them, so ``playbook --help`` and ``playbook validate`` start quickly.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from builder import __version__
from builder.cli.diff import diff


class DebugGroup(click.Group):
    """A group that turns unexpected errors into one line and exit code 1, unless --debug."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"playbook: internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo("playbook: this is a bug; rerun with --debug for the traceback", err=True)
            sys.exit(1)


@click.group(cls=DebugGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show Python tracebacks of internal errors.")
@click.version_option(__version__, prog_name="playbook")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Build outsourcing Operating Manuals and Quality Agreements from YAML content blocks."""
    ctx.obj = {"debug": debug}


content_option = click.option(
    "--content", "content_dir", type=click.Path(path_type=Path, file_okay=False),
    default=Path("content"), show_default=True, help="Folder of YAML content blocks.",
)


@main.command()
@content_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Report format.")
def validate(content_dir: Path, output_format: str) -> None:
    """Check every block and pairing; report every problem with its file:line:col."""
    from builder.compose.check import check_content
    from builder.cli.report import print_text_report, validation_json

    result = check_content(content_dir)
    if output_format == "json":
        click.echo(json.dumps(validation_json(result), indent=2, sort_keys=False))
    else:
        print_text_report(result)
    sys.exit(0 if result.ok else 1)


@main.command()
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the schema to this file instead of standard output.")
def schema(out_file: Path | None) -> None:
    """Write a JSON Schema of content files, for editors (yaml-language-server)."""
    from builder.content.schema import content_schema

    text = json.dumps(content_schema(), indent=2, sort_keys=True) + "\n"
    if out_file is None:
        click.echo(text, nl=False)
        return
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(text, encoding="utf-8")
    click.echo(f"wrote {out_file}", err=True)


@main.command()
@content_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("output"),
              show_default=True, help="Folder the documents are written to.")
@click.option("--pairing", "pairings", multiple=True, metavar="ID", help="Build only this pairing (repeatable).")
@click.option("--format", "formats", multiple=True, type=click.Choice(["pdf", "docx", "html", "md"]),
              help="Build only this format (repeatable; default: all).")
@click.option("--templates", "templates_dir", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Folder whose files override the shipped templates, file by file.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Parallel build processes (default: the number of cores).")
@click.option("--force", is_flag=True, help="Rebuild every output, even those up to date.")
@click.option("--clean", is_flag=True, help="Remove outputs of pairings or documents no longer in the content.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems and the summary.")
def build(content_dir: Path, out_dir: Path, pairings: tuple[str, ...], formats: tuple[str, ...],
          templates_dir: Path | None, jobs: int | None, force: bool, clean: bool, quiet: bool) -> None:
    """Build each pairing's Operating Manual and Quality Agreement into OUT/<pairing>/<document>.<ext>.

    Only outputs whose inputs changed are rebuilt (see OUT/manifest.json); --force rebuilds all.
    """
    from builder.engine.build import FORMATS, BuildOptions, build as run_build
    from builder.engine.outputs import BuildLocked
    from builder.cli.progress import BuildReporter
    from builder.cli.report import print_diagnostics

    options = BuildOptions(
        content=content_dir, out=out_dir, pairings=pairings,
        formats=tuple(dict.fromkeys(formats)) or FORMATS, templates=templates_dir,
        jobs=jobs or os.cpu_count() or 1, force=force, clean=clean,
    )
    try:
        with BuildReporter(quiet=quiet) as reporter:
            result = run_build(options, on_event=reporter.event)
    except BuildLocked as exc:
        click.echo(f"playbook: {exc}", err=True)
        sys.exit(1)
    print_diagnostics(result.diagnostics)
    for path in result.stale:
        action = "removed" if path in result.removed else "stale (its pairing or document is gone; --clean removes it)"
        click.echo(f"{path}: {action}")
    summary = (f"built {len(result.built)}, up to date {len(result.up_to_date)}, "
               f"failed {len(result.failed)} in {result.seconds:.1f} s")
    if not result.ok:
        click.echo(f"build failed: {len(result.diagnostics.errors)} errors; {summary}; "
                   "outputs that could not be built were left as they were")
        sys.exit(1)
    click.echo(summary)


main.add_command(diff)
