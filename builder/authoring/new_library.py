"""``playbook new library DIR``: a minimal, valid library that builds at once.

It holds the provider-neutral standard library (roles, RACI, metrics, escalation, governance,
transition plans, clauses, terms and a standard set per outsourcing model: the same files as
the example library's ``standard/`` folder), one sponsor, and one pairing made as
``playbook new pairing`` makes it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from builder.authoring.new_pairing import NewError, new_pairing
from builder.authoring.yaml_files import MODELINE, dump, write_all
from builder.compose.check import check_content
from builder.render.folders import PACKAGE_ROOT

STANDARD_FOLDER = "standard"
STARTER = PACKAGE_ROOT / "starter" / STANDARD_FOLDER  # inside an installed wheel
if not STARTER.is_dir():  # a source checkout or an editable install: the example library's own
    STARTER = PACKAGE_ROOT.parent / "content" / STANDARD_FOLDER
FIRST_PAIRING = ("sponsor-provider", "Provider Company", "full-service")


def _sponsor() -> str:
    sponsor = CommentedMap()
    sponsor["id"] = "sponsor"
    sponsor["kind"] = "organization"
    sponsor["title"] = "Sponsor Company"
    sponsor.yaml_add_eol_comment("DECIDE: your company's name", "title")
    sponsor["type"] = "sponsor"
    sponsor["legal-name"] = "Sponsor Company, Inc."
    sponsor.yaml_add_eol_comment("DECIDE: as your contracts write it", "legal-name")
    sponsor["description"] = "A biopharmaceutical company that outsources clinical trials to its partners."
    sponsor.yaml_add_eol_comment("DECIDE: who you are, in a sentence or two", "description")
    policy = CommentedMap()
    policy["minimum-transition-months"] = 6
    policy["review-cycle-months"] = 12
    sponsor["policy"] = policy
    sponsor.yaml_set_start_comment(f"{MODELINE}\nThe sponsor: rename it, and every document follows.")
    return dump(sponsor)


def starter_files(folder: Path) -> dict[Path, str]:
    """The standard library's files, to be copied under ``folder``."""
    if not STARTER.is_dir():
        raise NewError(f"the standard library is missing from this installation ({STARTER})")
    return {folder / STANDARD_FOLDER / path.relative_to(STARTER): path.read_text(encoding="utf-8")
            for path in sorted(STARTER.rglob("*.yaml"))}


def new_library(folder: Path, signed_documents: set[str], today: dt.date | None = None) -> list[Path]:
    """Write a new library into ``folder`` (which must not exist or be empty); return what was written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise NewError(f"{folder} exists and is not an empty folder; 'playbook new library' writes only into a "
                       "new or empty folder")
    files = starter_files(folder)
    files[folder / "organizations" / "sponsor.yaml"] = _sponsor()
    created = not folder.exists()
    written = write_all(files)
    try:
        checked = check_content(folder)
        if not checked.ok:
            raise NewError("the standard library does not validate: " + "; ".join(str(d) for d in checked.diagnostics.errors[:3]))
        pairing_id, provider, model = FIRST_PAIRING
        made = new_pairing(checked.library, folder, pairing_id, provider, model, "sponsor", signed_documents, today)
        written += write_all(made.files)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        for path in sorted({p for w in written for p in w.parents if p.is_relative_to(folder)}, reverse=True):
            if path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        if created and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
        raise
    return written
