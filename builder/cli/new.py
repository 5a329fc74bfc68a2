"""``playbook new``: start a pairing (or a whole library) from the standard sets."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from builder.cli.options import content_option

MODELS = ("full-service", "functional", "hybrid", "specialty", "contractor")


@click.group()
def new() -> None:
    """Start a new pairing, or a new library, that validates and builds at once."""


def _fail(message: str, usage: bool) -> None:
    click.echo(f"playbook new: error: {message}", err=True)
    click.echo("nothing was written", err=True)
    sys.exit(2 if usage else 1)


@new.command("pairing")
@click.argument("pairing_id", metavar="ID")
@click.option("--provider-name", required=True, metavar="NAME", help="The provider's name, as documents write it.")
@click.option("--model", type=click.Choice(MODELS), required=True, help="The outsourcing model.")
@click.option("--sponsor", "sponsor_id", metavar="ID", help="The sponsor (default: the library's only sponsor).")
@content_option
def new_pairing_command(pairing_id: str, provider_name: str, model: str, sponsor_id: str | None,
                        content_dir: Path) -> None:
    """Write a pairing ID (and the provider's organization block, when new) from the model's standard set.

    Lines marked DECIDE are yours to settle; `playbook validate` passes and `playbook build --pairing ID`
    works at once. Nothing is overwritten.
    """
    from builder.authoring.new_pairing import NewError, new_pairing
    from builder.authoring.yaml_files import FileConflict, write_all
    from builder.cli.report import print_diagnostics
    from builder.diagnostics import plural
    from builder.compose.check import check_content
    from builder.content.file_blocks import stored_blocks
    from builder.diagnostics import display_path
    from builder.render.documents import load_documents

    needs = load_documents().requirements()
    signed = {document for document, need in needs.items() if need.signed}
    with stored_blocks(content_dir) as files:  # the second check parses only the files written
        checked = check_content(content_dir, pairings=[], documents=needs, load=files)  # the blocks only
        if not checked.ok:
            print_diagnostics(checked.diagnostics)
            _fail(f"the content has {plural(len(checked.diagnostics.errors), 'error')}; fix them first",
                  usage=False)
        try:
            made = new_pairing(checked.library, content_dir, pairing_id, provider_name, model, sponsor_id, signed)
            written = write_all(made.files)
        except NewError as exc:
            _fail(str(exc), exc.usage)
        except FileConflict as exc:
            _fail(f"would overwrite {exc}", usage=False)
        after = check_content(content_dir, pairings=[pairing_id], documents=needs, load=files)
    if not after.ok:  # never leave a library that no longer validates (the new blocks, the new pairing)
        for path in written:
            path.unlink(missing_ok=True)
        print_diagnostics(after.diagnostics)
        _fail("the new pairing did not validate, so it was removed (this is a bug)", usage=False)
    for path in written:
        click.echo(f"wrote {display_path(path)}")
    click.echo(f"pairing '{pairing_id}' uses standard set '{made.standard_set}' with provider '{made.provider_id}'"
               f"{' (new)' if made.provider_is_new else ''}; settle the lines marked DECIDE, then run "
               f"playbook build --pairing {pairing_id}")


@new.command("library")
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path, file_okay=False))
def new_library_command(folder: Path) -> None:
    """Write a minimal library into DIR: the standard sets, one sponsor and one pairing; it builds at once."""
    from builder.authoring.new_library import new_library
    from builder.authoring.new_pairing import NewError
    from builder.diagnostics import display_path
    from builder.render.documents import load_documents

    signed = {document for document, need in load_documents().requirements().items() if need.signed}
    try:
        written = new_library(folder, signed)
    except NewError as exc:
        _fail(str(exc), exc.usage)
    click.echo(f"wrote {len(written)} files into {display_path(folder)}")
    click.echo(f"next: settle the lines marked DECIDE in {display_path(folder)}/organizations/sponsor.yaml and "
               f"{display_path(folder)}/pairings/, then run: playbook build --content {display_path(folder)}")
