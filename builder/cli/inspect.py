"""``playbook list`` and ``playbook show``: look inside the library without building."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from builder.cli.options import content_option

WHAT = ("pairings", "blocks", "documents")
format_option = click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
                             show_default=True, help="Output format.")


def _checked(content_dir: Path):
    """The checked content; content errors are printed and stop the command (exit 1)."""
    from builder.cli.report import print_diagnostics
    from builder.compose.check import check_content
    from builder.content.file_blocks import stored_blocks
    from builder.diagnostics import Diagnostics, plural
    from builder.render.documents import load_documents

    with stored_blocks(content_dir) as files:
        checked = check_content(content_dir, documents=load_documents().requirements(), load=files)
    if not checked.ok:
        problems = Diagnostics([d for d in checked.diagnostics if d.level == "error"])
        print_diagnostics(problems)
        click.echo(f"{plural(len(problems), 'error')} in the content; fix them first (playbook validate)", err=True)
        sys.exit(1)
    return checked


def _columns(rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))] if rows else []
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


@click.command("list")
@click.argument("what", type=click.Choice(WHAT), default="pairings", required=False)
@content_option
@format_option
def list_command(what: str, content_dir: Path, output_format: str) -> None:
    """List the pairings (default), the blocks or the documents of the library."""
    from builder import inspection
    from builder.engine.pipeline import Pipeline

    if what == "documents":
        rows = inspection.list_documents(Pipeline.load())
    else:
        checked = _checked(content_dir)
        rows = inspection.list_pairings(checked) if what == "pairings" else inspection.list_blocks(checked)
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if what == "pairings":
        _columns([[r["id"], r["model"], r["provider"], ", ".join(r["documents"]), r["title"]] for r in rows])
    elif what == "blocks":
        _columns([[r["kind"], r["id"], r["title"], f"{len(r['pairings'])} pairing(s)", r["file"]] for r in rows])
    else:
        _columns([[r["id"], r["title"], r["numbering"], "signed" if r["signed"] else "", r["folder"]] for r in rows])


@click.command()
@click.argument("kind")
@click.argument("block_id", metavar="ID")
@content_option
@format_option
def show(kind: str, block_id: str, content_dir: Path, output_format: str) -> None:
    """Show a block (KIND is its kind: metric, role, ...) with its file and every pairing and document that
    uses it, or a pairing (KIND: pairing) with everything it resolves to."""
    from builder import inspection
    from builder.content.model import KIND_MODELS
    from builder.diagnostics import suggest
    from builder.engine.pipeline import Pipeline

    if kind not in KIND_MODELS:
        raise click.BadParameter(f"unknown kind '{kind}'{suggest(kind, KIND_MODELS)}; kinds are: "
                                 f"{', '.join(KIND_MODELS)}", param_hint="KIND")
    checked = _checked(content_dir)
    if checked.library.get(kind, block_id) is None:
        click.echo(f"playbook show: error: no {kind} '{block_id}' in the content"
                   f"{suggest(block_id, checked.library.ids(kind))}", err=True)
        sys.exit(1)
    data = inspection.show_pairing(checked, block_id) if kind == "pairing" else \
        inspection.show_block(checked, Pipeline.load(), kind, block_id)
    if output_format == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    elif kind == "pairing":
        _print_pairing(data)
    else:
        _print_block(data)


def _print_block(data: dict) -> None:
    from builder.authoring.yaml_files import dump

    click.echo(f"{data['kind']} {data['id']}: {data['title']} ({data['file']})")
    click.echo("used by:" if data["used_by"] else "used by no pairing")
    for use in data["used_by"]:
        flags = ", ".join([use["how"]] + (["overridden"] if use["overridden"] else []))
        shown = ", ".join(use["documents"]) or "no document shows its text"
        click.echo(f"  {use['pairing']} ({flags}): {shown}")
    click.echo("fields:")
    for line in dump(data["fields"]).splitlines():
        click.echo(f"  {line}")


def _print_pairing(data: dict) -> None:
    click.echo(f"pairing {data['id']}: {data['title']} ({data['file']})")
    third = ", ".join(f"{o['name']} ({o['id']})" for o in data["third_parties"]) or "none"
    click.echo(f"  model {data['model']}; sponsor {data['sponsor']['name']} ({data['sponsor']['id']}); "
               f"provider {data['provider']['name']} ({data['provider']['id']}); third parties: {third}")
    if data["standard_sets"]:
        click.echo(f"  standard sets: {', '.join(data['standard_sets'])}")
    click.echo(f"  has: {', '.join(data['conditions'])}")
    click.echo("documents:")
    for document_id, control in data["documents"].items():
        click.echo(f"  {document_id}: version {control['version']}, {control['status']}, effective "
                   f"{control['effective']}, owner {control['owner']}, approvers {', '.join(control['approvers'])}")
    for group, blocks in data["blocks"].items():
        click.echo(f"{group} ({len(blocks)}):")
        for block in blocks:
            click.echo(f"  {block['id']}: {block['title']} ({block['file']})")
            for change in block.get("overrides", []):
                click.echo(f"    overridden {change['path']}: {change['library']!r} -> {change['pairing']!r}")
    for item in data["pulled_in"]:
        click.echo(f"pulled in: {item['kind']} {item['id']} (named by {item['named_by']})")
    for item in data["left_out"]:
        click.echo(f"left out: {item['kind']} {item['what']} (requires {item['requires']})")
