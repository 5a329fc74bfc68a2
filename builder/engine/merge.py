"""Join the output folders of sharded builds into one folder and one manifest.

Each shard folder holds outputs and a manifest; the merge refuses shards built by another
builder or with other options, outputs listed by two shards, files a shard's manifest does
not list or whose bytes do not match it, and an output folder that already holds anything.
It writes all or nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from builder.diagnostics import Diagnostics, Location, display_path
from builder.engine.manifest import MANIFEST_NAME, manifest_text
from builder.engine.outputs import stage


@dataclass
class MergeResult:
    """What the merge wrote, and what stopped it."""

    written: list[Path] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)

    @property
    def ok(self) -> bool:
        return self.diagnostics.ok


def _read(folder: Path, diagnostics: Diagnostics) -> dict | None:
    path = folder / MANIFEST_NAME
    where = Location(display_path(path))
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        diagnostics.error(Location(display_path(folder)), "merge",
                          f"{display_path(folder)} holds no {MANIFEST_NAME}: it is not the output of a playbook build")
        return None
    except (OSError, ValueError) as exc:
        diagnostics.error(where, "merge", f"cannot read the manifest: {exc}")
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("outputs"), list):
        diagnostics.error(where, "merge", "not a playbook build manifest (no 'outputs' list)")
        return None
    return manifest


def _check_files(folder: Path, manifest: dict, diagnostics: Diagnostics) -> list[dict]:
    """The manifest's entries whose files are there with the bytes it records; strays are errors."""
    entries = []
    listed = set()
    for entry in manifest["outputs"]:
        relative = entry.get("path") if isinstance(entry, dict) else None
        path = folder / relative if isinstance(relative, str) else None
        if path is None or not path.resolve().is_relative_to(folder.resolve()):
            diagnostics.error(Location(display_path(folder / MANIFEST_NAME)), "merge",
                              f"the manifest lists an output outside its folder: {relative!r}")
            continue
        listed.add(path.resolve())
        if not path.is_file():
            diagnostics.error(Location(display_path(path)), "merge", "listed in the manifest but missing")
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != entry.get("sha256") or len(data) != entry.get("size"):
            diagnostics.error(Location(display_path(path)), "merge",
                              "its bytes differ from what the manifest records (changed after the build?)")
            continue
        entries.append(entry)
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST_NAME):
        if path.resolve() not in listed:
            diagnostics.error(Location(display_path(path)), "merge", "not listed in its folder's manifest")
    return entries


def merge_outputs(folders: list[Path], out: Path) -> MergeResult:
    """Copy every shard's outputs into ``out`` and write one manifest for all of them."""
    result = MergeResult()
    problems = result.diagnostics
    if out.exists() and any(out.iterdir()):
        problems.error(Location(display_path(out)), "merge",
                       "the output folder is not empty; merge into a new or empty folder")
    manifests = [(folder, _read(folder, problems)) for folder in folders]
    first: tuple[Path, dict] | None = None
    owners: dict[str, tuple[Path, dict]] = {}
    for folder, manifest in manifests:
        if manifest is None:
            continue
        if first is None:
            first = (folder, manifest)
        elif (manifest.get("builder"), manifest.get("options")) != (first[1].get("builder"), first[1].get("options")):
            problems.error(Location(display_path(folder / MANIFEST_NAME)), "merge",
                           f"built by another builder version or with other options than {display_path(first[0])}; "
                           "build every shard with the same playbook-builder and options")
        for entry in _check_files(folder, manifest, problems):
            if entry["path"] in owners:
                other, previous = owners[entry["path"]]
                same = previous.get("sha256") == entry.get("sha256")
                problems.error(Location(display_path(folder / entry["path"])), "merge",
                               f"also built by {display_path(other)} ({'same' if same else 'different'} bytes): "
                               "shards must not overlap")
                continue
            owners[entry["path"]] = (folder, entry)
    if not problems.ok or first is None:
        return result
    staged = []
    try:
        for relative, (folder, _) in sorted(owners.items()):
            target = out / relative
            staged.append((stage(target, (folder / relative).read_bytes()), target))
        entries = [entry for _, (_, entry) in sorted(owners.items())]
        text = manifest_text(entries, first[1].get("options", {}))
        if json.loads(text)["builder"] != first[1].get("builder"):
            problems.error(Location(display_path(first[0] / MANIFEST_NAME)), "merge",
                           "the shards were built by another playbook-builder than this one; merge with the same one")
            return result
        staged.append((stage(out / MANIFEST_NAME, text.encode("utf-8")), out / MANIFEST_NAME))
        for temporary, target in staged:
            os.replace(temporary, target)
            result.written.append(target)
        staged = []
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        if not result.ok and out.exists() and not any(out.rglob("*.*")):
            shutil.rmtree(out, ignore_errors=True)
    return result
