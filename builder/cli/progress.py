"""Build progress: a Rich progress bar on a terminal, one plain line per output otherwise."""

from __future__ import annotations

import sys

import click

from builder.engine.events import Event


class BuildReporter:
    """Receives build events and shows them as a person at a terminal or a CI log wants them."""

    def __init__(self, quiet: bool = False, interactive: bool | None = None, console=None):
        self.quiet = quiet
        self.interactive = sys.stdout.isatty() if interactive is None else interactive
        self.console = console
        self.progress = None
        self.task = None

    def __enter__(self) -> "BuildReporter":
        return self

    def __exit__(self, *exc_info) -> None:
        if self.progress is not None:
            self.progress.stop()

    def event(self, event: Event) -> None:
        if self.quiet:
            return
        if event.status == "planned":
            if self.interactive and event.count:
                from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

                self.progress = Progress(TextColumn("[bold]building"), BarColumn(), MofNCompleteColumn(),
                                         TimeElapsedColumn(), TextColumn("{task.description}"),
                                         console=self.console)
                self.progress.start()
                self.task = self.progress.add_task("", total=event.count)
            return
        if self.progress is not None:
            if event.status != "up-to-date":
                self.progress.update(self.task, advance=1, description=f"{event.path.parent.name}/{event.path.name}")
                self.progress.refresh()
            return
        if event.status == "rendered":  # staged: renamed into place only when every output succeeded
            click.echo(f"rendered {event.path} ({event.seconds:.1f} s)")
        elif event.status == "failed":
            click.echo(f"failed {event.path}")
