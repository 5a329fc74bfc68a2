"""``playbook import``: bring a negotiated Word document's changes back into the content."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from builder.cli.options import content_option


@click.command("import")
@click.argument("negotiated", metavar="NEGOTIATED.docx", type=click.Path(path_type=Path, dir_okay=False))
@content_option
@click.option("--accept-all", "decision", flag_value="accept", help="Accept every tracked change first.")
@click.option("--reject-all", "decision", flag_value="reject", help="Reject every tracked change first.")
@click.option("--into", type=click.Choice(["pairing", "library"]), default="pairing", show_default=True,
              help="Write changes as overrides in the pairing's file, or into the blocks themselves.")
@click.option("--dry-run", is_flag=True, help="Show the changes as a diff of the YAML files; write nothing.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Report format.")
def import_command(negotiated: Path, content_dir: Path, decision: str | None, into: str, dry_run: bool,
                   output_format: str) -> None:
    """Bring the changes made to a built DOCX (in Word or LibreOffice) back into the content.

    Exit codes: 0 every change was brought back; 1 tracked changes are pending, something could not
    be brought back, or the content would not validate (nothing is written then); 2 the file is not
    a DOCX built by playbook-builder for this content.
    """
    from builder.negotiate.importer import ImportOptions, run_import
    from builder.negotiate.package import NotPlaybookDocx
    from builder.negotiate.report import report_json, report_text

    try:
        result = run_import(ImportOptions(negotiated, content_dir, decision, into, dry_run))
    except NotPlaybookDocx as exc:
        click.echo(f"playbook import: error: {exc}", err=True)
        click.echo("nothing was written", err=True)
        sys.exit(2)
    if output_format == "json":
        click.echo(json.dumps(report_json(result), indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(report_text(result, negotiated, dry_run), nl=False)
    sys.exit(0 if result.ok else 1)
