"""``playbook validate`` and ``playbook schema``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from builder.cli.options import content_option


@click.command()
@content_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Report format.")
def validate(content_dir: Path, output_format: str) -> None:
    """Check every block and pairing; report every problem with its file:line:col."""
    from builder.cli.report import print_text_report, validation_json
    from builder.compose.check import check_content
    from builder.content.file_blocks import stored_blocks
    from builder.render.documents import load_documents

    with stored_blocks(content_dir) as files:
        result = check_content(content_dir, documents=load_documents(None).requirements(), load=files)
    if output_format == "json":
        click.echo(json.dumps(validation_json(result), indent=2, sort_keys=False))
    else:
        print_text_report(result)
    sys.exit(0 if result.ok else 1)


@click.command()
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
