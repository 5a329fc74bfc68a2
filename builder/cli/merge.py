"""``playbook merge``: join the output folders of sharded builds."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
@click.argument("folders", nargs=-1, required=True, type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="The folder to write the joined outputs and manifest to (new or empty).")
def merge(folders: tuple[Path, ...], out_dir: Path) -> None:
    """Join the OUT folders of `playbook build --shard K/N` runs into one folder and one manifest.

    Refuses overlapping outputs, files whose bytes differ from their manifest, and shards built
    by another builder version or with other options; writes all or nothing.
    """
    from builder.cli.report import print_diagnostics
    from builder.diagnostics import plural
    from builder.engine.merge import merge_outputs

    result = merge_outputs(list(folders), out_dir)
    print_diagnostics(result.diagnostics)
    if not result.ok:
        click.echo(f"merge failed: {plural(len(result.diagnostics.errors), 'error')}; nothing was written")
        sys.exit(1)
    outputs = len(result.written) - 1
    click.echo(f"merged {plural(outputs, 'output')} from {plural(len(folders), 'folder')} into {out_dir}")
