"""The build manifest: what each output was made from, for reviewers and incremental builds."""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from builder import __version__
from builder.render.folders import template_dirs
from builder.render.theme import THEME_FILE, theme_assets
from builder.writers import FORMATS

MANIFEST_NAME = "manifest.json"

# Libraries whose versions shape the bytes of an output: an upgrade rebuilds everything.
OUTPUT_LIBRARIES = ("weasyprint", "pydyf", "fonttools", "python-docx", "lxml", "markdown", "jinja2", "nh3",
                    "pillow")


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes (cached while the file's size and time are unchanged)."""
    stat = path.stat()
    return _sha256_cached(str(path), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=8192)
def _sha256_cached(path: str, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@dataclass(frozen=True)
class Input:
    """A file an output was built from."""

    path: str
    sha256: str


def _template_files(name: str, user_dir: Path | None) -> list[tuple[str, Path]]:
    """Files under template ``name`` (a file or a folder), a user's override winning per file."""
    found: dict[str, tuple[str, Path]] = {}
    for folder in reversed(template_dirs(user_dir)):
        base = folder / name
        paths = sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else [base] if base.is_file() else []
        label = "templates" if folder == template_dirs(None)[0] else folder.as_posix()
        for path in paths:
            relative = path.relative_to(folder).as_posix()
            found[relative] = (f"{label}/{relative}", path)
    return [found[key] for key in sorted(found)]


def template_inputs(document_id: str, output_format: str, user_dir: Path | None,
                    extra: tuple[str, ...] = ()) -> list[Input]:
    """The template files one document in one format is rendered from (``extra``: more of them),
    with the files the theme names (its logo) when the format uses the theme."""
    assets = FORMATS[output_format].assets
    names = (document_id, "partials", *assets, *(theme_assets(user_dir) if THEME_FILE in assets else ()), *extra)
    return [Input(label, sha256_file(path)) for name in names for label, path in _template_files(name, user_dir)]


def content_inputs(sources: dict[tuple[str, str], str], content_dir: Path,
                   known: dict[str, Input] | None = None) -> list[Input]:
    """The content files a pairing's documents are composed from, named relative to the content folder.

    ``known`` carries inputs already hashed for other pairings of the same build."""
    known = {} if known is None else known
    root = os.path.abspath(content_dir)
    inputs = []
    for shown in sorted(set(sources.values())):
        if shown not in known:
            relative = os.path.relpath(os.path.abspath(shown), root)
            name = Path(relative).as_posix() if not relative.startswith("..") else Path(shown).as_posix()
            known[shown] = Input(f"{content_dir.name}/{name}", sha256_file(Path(shown)))
        inputs.append(known[shown])
    return inputs


@functools.cache
def library_versions() -> dict[str, str]:
    """The installed versions of the libraries that shape the outputs, and of the system fonts the
    layout may fall back to (a font installed or removed changes what a page looks like)."""
    from importlib import metadata

    versions = {}
    for name in OUTPUT_LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    versions["system-fonts"] = _system_fonts()
    return versions


def _system_fonts() -> str:
    """A short hash of the font files fontconfig knows, or 'absent' without fontconfig."""
    import shutil
    import subprocess

    if shutil.which("fc-list") is None:
        return "absent"
    try:
        listing = subprocess.run(["fc-list", "--format", "%{file}\\n"], capture_output=True, text=True,
                                 timeout=20, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "absent"
    return hashlib.sha256("\n".join(sorted(set(listing.split()))).encode()).hexdigest()[:12]


@functools.cache
def builder_fingerprint() -> str:
    """The builder's version, a hash of its own code and the versions of the libraries that
    shape its outputs, so a changed builder or an upgraded library rebuilds everything."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(json.dumps(library_versions(), sort_keys=True).encode())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def build_key(inputs: list[Input], options: dict) -> str:
    """One hash of everything an output depends on: inputs, builder version, options."""
    payload = json.dumps({"builder": builder_fingerprint(), "options": options,
                          "inputs": [[i.path, i.sha256] for i in inputs]}, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def read_manifest(out_dir: Path) -> dict:
    """The previous manifest, or an empty one when there is none (or it is unreadable)."""
    try:
        data = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"outputs": []}
    return data if isinstance(data, dict) and isinstance(data.get("outputs"), list) else {"outputs": []}


def builder_info() -> dict:
    """Who made the outputs: the builder's name, version, code fingerprint and library versions."""
    return {"name": "playbook-builder", "version": __version__, "fingerprint": builder_fingerprint(),
            "libraries": library_versions()}


def manifest_text(entries: list[dict], options: dict) -> str:
    """The manifest as sorted, stable JSON."""
    manifest = {
        "builder": builder_info(),
        "options": options,
        "outputs": sorted(entries, key=lambda e: e["path"]),
    }
    return json.dumps(manifest, indent=2, sort_keys=True) + "\n"
