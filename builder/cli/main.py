"""The ``playbook`` command group: global options, and errors that never reach the user as tracebacks.

Each command lives in its own module of this package; heavy modules (WeasyPrint, python-docx,
the figures) are imported only by the commands that need them, so ``playbook --help`` and
``playbook validate`` start quickly.
"""

from __future__ import annotations

import os
import sys

import click

from builder import __version__
from builder.cli.build import build
from builder.cli.check import schema, validate
from builder.cli.diff import diff
from builder.cli.import_ import import_command
from builder.cli.inspect import list_command, show
from builder.cli.merge import merge
from builder.cli.new import new
from builder.cli.serve import serve


class DebugGroup(click.Group):
    """A group that turns unexpected errors into one line and exit code 1, unless --debug."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("playbook: interrupted; previous outputs were left as they were", err=True)
            sys.stderr.flush()
            os._exit(130)  # at once: no clean-up of half-done layouts (their finalizers print tracebacks)
        except BrokenPipeError:  # the output was piped into a reader that stopped (| head)
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"playbook: internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo("playbook: this is a bug; rerun with --debug for the traceback", err=True)
            sys.exit(1)


@click.group(cls=DebugGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show Python tracebacks of internal errors.")
@click.version_option(__version__, prog_name="playbook")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Build outsourcing Operating Manuals and Quality Agreements from YAML content blocks."""
    ctx.obj = {"debug": debug}


for command in (validate, build, diff, schema, new, import_command, serve, list_command, show, merge):
    main.add_command(command)
