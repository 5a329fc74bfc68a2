"""``playbook serve``: a live preview of every document, in the browser, updated on save."""

from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path

import click

from builder.cli.options import content_option, templates_option


@click.command()
@content_option
@templates_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default lets only this computer connect.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.pass_context
def serve(ctx: click.Context, content_dir: Path, templates_dir: Path | None, host: str, port: int) -> None:
    """Preview the documents in a browser; open pages update as you save content or templates.

    Content errors are shown over the page (file:line:col) until they are fixed. Ctrl-C stops.
    """
    debug = bool(ctx.find_root().obj and ctx.find_root().obj.get("debug"))
    abandoned = False
    try:
        abandoned = _serve(content_dir, templates_dir, host, port, debug)
    except KeyboardInterrupt:
        pass
    click.echo("playbook serve: stopped", err=True)
    if abandoned:  # a PDF layout is still running in a daemon thread: nothing to save, leave now
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def _serve(content_dir: Path, templates_dir: Path | None, host: str, port: int, debug: bool) -> bool:
    from builder.cli.report import print_diagnostics
    from builder.diagnostics import plural
    from builder.diagnostics import display_path
    from builder.serve.server import ServeError, ServeOptions, is_loopback, serve_preview
    from builder.serve.state import PreviewState, Update

    if not content_dir.is_dir():
        click.echo(f"{display_path(content_dir)}: " + click.style("error", fg="red") + ": content folder not "
                   "found; run from the folder that holds content/, or pass --content", err=True)
        sys.exit(1)
    state = PreviewState(content_dir, templates_dir).load()
    errors = state.errors()
    if errors:
        print_diagnostics(state.checked.diagnostics)
        for problem in state.template_errors:
            click.echo(str(problem))
        click.echo(f"{plural(len(errors), 'error')}: the preview shows them until they are fixed")

    def ready(url: str) -> None:
        click.echo(f"playbook serve: previewing {display_path(content_dir)} at {url} (Ctrl-C stops)")
        if not is_loopback(host):
            click.echo(f"playbook serve: warning: listening on {host}: other computers on the network "
                       "can read these documents", err=True)

    def updated(update: Update) -> None:
        names = update.changes.shown(Path.cwd())
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        errors = len(state.errors())
        done = (f"{plural(len(update.rendered), 'open document')} updated" if update.rendered else
                "no open document updated" if update.reached else "no open document uses it")
        problems = f"; {plural(errors, 'error')} (listed on the pages)" if errors else ""
        click.echo(f"{time.strftime('%H:%M:%S')} {shown}: {done} in {update.seconds:.2f} s{problems}")

    def failed(exc: BaseException) -> None:
        if debug:
            traceback.print_exception(exc)
        click.echo(f"playbook serve: internal error: {type(exc).__name__}: {exc}"
                   + ("" if debug else "; rerun with --debug for the traceback"), err=True)

    try:
        return serve_preview(state, ServeOptions(host, port, debug), on_ready=ready, on_update=updated,
                             on_error=failed)
    except ServeError as exc:
        click.echo(f"playbook serve: {exc}", err=True)
        sys.exit(1)
