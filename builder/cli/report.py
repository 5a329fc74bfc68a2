"""Reports of a content check, as text lines or JSON."""

from __future__ import annotations

import click

from builder.compose.check import CheckResult
from builder.diagnostics import Diagnostics


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
        colour = "red" if diagnostic.level == "error" else "yellow"
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
        click.echo(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
                   f"in {files} files ({blocks} blocks)")
    else:
        click.echo(f"ok: {blocks} blocks in {files} files, {pairings} pairings composed"
                   + (f", {warnings} warning{'s' * (warnings != 1)}" if warnings else ""))
