"""Outputs whose pairing or document the content no longer has: reported, and removed on request.

Only files that the previous manifest lists are ever considered, and ``--clean`` refuses to
remove anything when that would empty the output folder (a wrong ``--content`` looks like
every pairing was deleted).
"""

from __future__ import annotations

from pathlib import Path


def stale_outputs(out: Path, previous: dict, live: set[tuple[str, str]]) -> list[Path]:
    """Files the previous manifest lists for pairings or documents that no longer exist."""
    stale = []
    for entry in previous.get("outputs", []):
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            continue
        path = out / entry["path"]
        if (entry.get("pairing"), entry.get("document")) not in live and _inside(path, out) and path.is_file():
            stale.append(path)
    return sorted(stale)


def clean_stale(out: Path, stale: list[Path], kept: list[dict], removed: list[Path]) -> str | None:
    """Remove stale outputs, or say why not (nothing is removed then)."""
    if not kept:
        return (f"--clean would remove every output in {out} ({len(stale)} files): the content yields no "
                "pairing that is built there. Nothing was removed; check --content (run from the folder "
                "that holds content/, or pass --content DIR)")
    for path in stale:
        path.unlink(missing_ok=True)
        removed.append(path)
        folder = path.parent
        if folder != out and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return None


def _inside(path: Path, out: Path) -> bool:
    try:
        return path.resolve().is_relative_to(out.resolve())
    except OSError:
        return False
