"""Where templates are looked up: the user's ``--templates`` folder first, then the shipped one.

A module of its own, without Jinja2, so that commands which only read document declarations
(validate, new, list) start quickly."""

from __future__ import annotations

from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_TEMPLATES = PACKAGE_ROOT / "templates"  # inside an installed wheel
if not SHIPPED_TEMPLATES.is_dir():  # running from a source checkout or an editable install
    SHIPPED_TEMPLATES = PACKAGE_ROOT.parent / "templates"


def template_dirs(user_dir: Path | None = None) -> list[Path]:
    """Template folders in lookup order: the user's overrides first, then the shipped ones."""
    return ([user_dir] if user_dir else []) + [SHIPPED_TEMPLATES]
