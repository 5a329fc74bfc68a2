"""``playbook build``: every pairing's documents, in every format, incrementally."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from builder.cli.options import content_option, templates_option
from builder.writers import format_names
from builder.writers.pdf_variants import DEFAULT_VARIANT, variant_names


class FormatChoice(click.Choice):
    """The registered output formats, read when the option is parsed (so plugins' formats count)."""

    def __init__(self) -> None:
        super().__init__(format_names())

    @property
    def choices(self):  # type: ignore[override]
        return format_names()

    @choices.setter
    def choices(self, value) -> None:
        pass


def _shard(ctx: click.Context, param: click.Parameter, value: str | None):
    if value is None:
        return None
    from builder.engine.shards import Shard

    try:
        return Shard.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command()
@content_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("output"),
              show_default=True, help="Folder the documents are written to.")
@click.option("--pairing", "pairings", multiple=True, metavar="ID", help="Build only this pairing (repeatable).")
@click.option("--document", "documents", multiple=True, metavar="ID",
              help="Build only this document (repeatable; default: every document each pairing lists).")
@click.option("--format", "formats", multiple=True, type=FormatChoice(),
              help="Build only this format (repeatable; default: all).")
@templates_option
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Parallel build processes (default: the number of cores).")
@click.option("--force", is_flag=True, help="Rebuild every output, even those up to date.")
@click.option("--clean", is_flag=True,
              help="Remove outputs the previous build made for pairings or documents no longer in the content.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems and the summary.")
@click.option("--shard", "shard", metavar="K/N", callback=_shard,
              help="Build share K of N of the pairings, balanced by predicted cost (join with playbook merge).")
@click.option("--pdf-variant", "pdf_variant", type=click.Choice(variant_names()), default=DEFAULT_VARIANT,
              show_default=True, help="PDF flavour, always tagged (PDF/UA-1): pdf/a-* are PDF/A for filing in an eTMF; "
              "pdf/a-3u embeds the output's build manifest entry.")
def build(content_dir: Path, out_dir: Path, pairings: tuple[str, ...], documents: tuple[str, ...],
          formats: tuple[str, ...], templates_dir: Path | None, jobs: int | None, force: bool, clean: bool,
          quiet: bool, shard, pdf_variant: str) -> None:
    """Build each pairing's documents into OUT/<pairing>/<document>.<ext>.

    Only outputs whose inputs changed are rebuilt (see OUT/manifest.json); --force rebuilds all.
    """
    from builder.cli.progress import BuildReporter
    from builder.cli.report import print_diagnostics
    from builder.diagnostics import plural
    from builder.engine.build import BuildOptions, build as run_build
    from builder.engine.outputs import BuildLocked

    options = BuildOptions(
        content=content_dir, out=out_dir, pairings=pairings, documents=documents,
        formats=tuple(dict.fromkeys(formats)), templates=templates_dir,
        jobs=jobs or os.cpu_count() or 1, force=force, clean=clean, shard=shard,
        pdf_variant=None if pdf_variant == DEFAULT_VARIANT else pdf_variant,  # the default is not recorded
    )
    try:
        with BuildReporter(quiet=quiet) as reporter:
            result = run_build(options, on_event=reporter.event)
    except BuildLocked as exc:
        click.echo(f"playbook: {exc}", err=True)
        sys.exit(1)
    print_diagnostics(result.diagnostics)
    for path in result.stale:
        action = "removed" if path in result.removed else \
            "stale (its pairing or document is gone; --clean removes it)"
        click.echo(f"{path}: {action}")
    summary = (f"built {len(result.built)}, up to date {len(result.up_to_date)}, "
               f"failed {len(result.failed)} in {result.seconds:.1f} s")
    if shard is not None:
        summary += f" (shard {shard})"
    if not result.ok:
        click.echo(f"build failed: {plural(len(result.diagnostics.errors), 'error')}; {summary}; "
                   "outputs that could not be built were left as they were")
        sys.exit(1)
    for note in result.notes:
        click.echo(f"note: {note}")
    click.echo(summary)
