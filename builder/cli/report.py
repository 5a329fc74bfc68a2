"""Reports of a content check, as text lines or JSON."""

from __future__ import annotations

import click

from builder.compose.check import CheckResult
from builder.diagnostics import Diagnostics, plural


def validation_json(result: CheckResult) -> dict:
    """The JSON report: ok, block counts by kind, and every diagnostic."""
    return {
        "ok": result.ok,
        "blocks": result.library.counts(),
        "diagnostics": [d.to_json() for d in result.diagnostics.sorted()],
    }


def print_diagnostics(diagnostics: Diagnostics) -> None:
    """One line per diagnostic, in file order."""
    for diagnostic in diagnostics.sorted():
        colour = {"error": "red", "warning": "yellow"}.get(diagnostic.level, "cyan")
        click.echo(f"{diagnostic.location}: " + click.style(diagnostic.level, fg=colour)
                   + f": {diagnostic.message}")


def print_text_report(result: CheckResult) -> None:
    """One line per diagnostic, then a summary line."""
    print_diagnostics(result.diagnostics)
    errors = len(result.diagnostics.errors)
    warnings = len(result.diagnostics.warnings)
    blocks = sum(result.library.counts().values())
    files = len(result.library.files)
    pairings = len(result.contexts)
    if errors:
        click.echo(f"{plural(errors, 'error')}, {plural(warnings, 'warning')} "
                   f"in {plural(files, 'file')} ({plural(blocks, 'block')})")
    else:
        notes = len(result.diagnostics.notes)
        click.echo(f"ok: {plural(blocks, 'block')} in {plural(files, 'file')}, {plural(pairings, 'pairing')} composed"
                   + (f", {plural(warnings, 'warning')}" if warnings else "") + (f", {plural(notes, 'note')}" if notes else ""))
