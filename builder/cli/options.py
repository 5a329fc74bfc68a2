"""Options several commands share."""

from __future__ import annotations

from pathlib import Path

import click

content_option = click.option(
    "--content", "content_dir", type=click.Path(path_type=Path, file_okay=False),
    default=Path("content"), show_default=True, help="Folder of YAML content blocks.",
)
templates_option = click.option(
    "--templates", "templates_dir", type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Folder whose files override the shipped templates, file by file (and may declare documents).",
)
