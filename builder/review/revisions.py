"""Read the content folder as it was at a git revision, without touching the working tree.

Only read-only plumbing is used (``rev-parse``, ``log``, ``ls-tree``, ``cat-file``): the
index, the checkout and the working tree stay exactly as they were. The blobs of the
content folder at the revision are written to a temporary folder, which the caller removes.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from builder.diagnostics import display_path
from builder.content.loader import YAML_SUFFIXES

WORKING_TREE = "working tree"
FOLDER_AUTHOR = "playbook-builder"
_BLOB_MODES = {"100644", "100755"}


class RevisionError(Exception):
    """A revision cannot be read: no repository, an unknown revision, a missing folder."""


@dataclass(frozen=True)
class Revision:
    """A commit as the review reports it: what was asked for, what it resolved to, who and when."""

    label: str
    sha: str
    author: str
    email: str
    date: dt.datetime
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:7]

    def to_json(self) -> dict:
        return {"revision": self.label, "commit": self.sha, "author": self.author, "email": self.email,
                "date": self.date.isoformat(), "subject": self.subject}


@dataclass(frozen=True)
class ContentSide:
    """One side of a comparison: a content folder on disk and how to name it and its files."""

    label: str  # what the user gave: "HEAD~1", "working tree", "old-content/"
    content_dir: Path  # where the files are now (a temporary folder for a revision)
    display_root: str  # how its files are shown: "HEAD~1:content", "content"
    revision: Revision | None = None

    @property
    def title(self) -> str:
        """'HEAD~1 (1a2b3c4)', 'the working tree' or 'folder old/'."""
        if self.revision is not None:
            return f"{self.label} ({self.revision.short})" if self.label != self.revision.short else self.label
        return "the working tree" if self.label == WORKING_TREE else f"folder {self.label}"

    def show(self, file: str) -> str:
        """A loader file name (relative to the working directory, or absolute) as the user should see it."""
        path = Path(file)
        root = self.content_dir.resolve()
        try:
            relative = (path if path.is_absolute() else Path.cwd() / path).resolve().relative_to(root)
        except ValueError:
            return file
        return f"{self.display_root}/{relative.as_posix()}" if relative.parts else self.display_root

    def relative(self, file: str) -> str:
        """A loader file name as a path inside the content folder ('metrics/sae.yaml')."""
        shown = self.show(file)
        return shown[len(self.display_root) + 1:] if shown.startswith(self.display_root + "/") else shown

    def to_json(self) -> dict:
        data = {"label": self.label, "content": self.display_root}
        if self.revision is not None:
            data.update(self.revision.to_json())
        return data


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """Run a read-only git command in ``repo``; never takes the index lock."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        return subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True, env=env,
                              check=False)
    except FileNotFoundError:
        raise RevisionError("git is not installed, so revisions cannot be read; "
                            "compare two content folders instead") from None


def _first_line(output: bytes) -> str:
    lines = [line.strip() for line in output.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[0].removeprefix("fatal: ") if lines else "git failed"


def existing_parent(path: Path) -> Path:
    """The nearest folder at or above ``path`` that exists."""
    path = (Path.cwd() / path).resolve()
    while not path.is_dir() and path != path.parent:
        path = path.parent
    return path


def repository_root(start: Path) -> Path:
    """The top folder of the git working tree holding ``start``; RevisionError outside one."""
    folder = existing_parent(start)
    result = _git(folder, "rev-parse", "--show-toplevel")
    if result.returncode != 0:
        message = _first_line(result.stderr)
        if "not a git repository" in message:
            raise RevisionError(f"not a git repository: {folder} (nor any of its parents); "
                                "give two content folders to compare without git")
        raise RevisionError(f"cannot use the git repository at {folder}: {message}")
    return Path(result.stdout.decode().strip()).resolve()


def resolve_revision(repo: Path, label: str) -> Revision:
    """The commit ``label`` names (a branch, tag, sha, HEAD~1...); RevisionError if none."""
    if not label or label.startswith("-"):
        raise RevisionError(f"unknown revision '{label}'")
    found = _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{label}^{{commit}}")
    if found.returncode != 0:
        hint = ""
        shallow = _git(repo, "rev-parse", "--is-shallow-repository")
        if shallow.stdout.strip() == b"true":
            hint = " (this is a shallow clone: fetch the revision first, e.g. git fetch --unshallow)"
        raise RevisionError(f"unknown revision '{label}' in the git repository {repo}{hint}")
    sha = found.stdout.decode().strip()
    log = _git(repo, "log", "-1", "--no-show-signature", "--format=%an%x00%ae%x00%aI%x00%s", sha)
    if log.returncode != 0:
        raise RevisionError(f"cannot read commit {sha[:7]}: {_first_line(log.stderr)}")
    author, email, date, subject = (log.stdout.decode("utf-8", "replace").rstrip("\n").split("\x00") + [""] * 4)[:4]
    return Revision(label, sha, author, email, dt.datetime.fromisoformat(date), subject)


def content_path_in_repo(repo: Path, content_dir: Path) -> PurePosixPath:
    """The content folder as a path inside the repository ('content', 'docs/content')."""
    absolute = (Path.cwd() / content_dir).resolve()
    try:
        return PurePosixPath(absolute.relative_to(repo).as_posix())
    except ValueError:
        raise RevisionError(f"the content folder {content_dir} is outside the git repository {repo}") from None


def materialise(repo: Path, revision: Revision, content_path: PurePosixPath, target: Path) -> Path:
    """Write the YAML files of ``content_path`` at ``revision`` under ``target``; return ``target``."""
    tree = revision.sha if str(content_path) in ("", ".") else f"{revision.sha}:{content_path}"
    kind = _git(repo, "cat-file", "-t", tree)
    if kind.returncode != 0 or kind.stdout.strip() != b"tree":
        raise RevisionError(f"the content folder '{content_path}' does not exist at revision '{revision.label}'")
    listing = _git(repo, "ls-tree", "-r", "-z", "--full-tree", tree)
    if listing.returncode != 0:
        raise RevisionError(f"cannot list '{content_path}' at revision '{revision.label}': "
                            f"{_first_line(listing.stderr)}")
    blobs: list[tuple[str, str]] = []
    for record in listing.stdout.split(b"\x00"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, kind_name, oid = meta.decode().split(" ")
        path = name.decode("utf-8", "surrogateescape")
        if mode in _BLOB_MODES and kind_name == "blob" and path.endswith(YAML_SUFFIXES):
            blobs.append((oid, path))
    target.mkdir(parents=True, exist_ok=True)
    for (oid, path), data in zip(blobs, _read_blobs(repo, [oid for oid, _ in blobs])):
        destination = target.joinpath(*PurePosixPath(path).parts)
        if ".." in PurePosixPath(path).parts or not destination.resolve().is_relative_to(target.resolve()):
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(data)
    return target


def _read_blobs(repo: Path, oids: list[str]) -> list[bytes]:
    """The contents of many blobs with one ``git cat-file --batch``."""
    if not oids:
        return []
    result = _git(repo, "cat-file", "--batch", stdin=("\n".join(oids) + "\n").encode())
    if result.returncode != 0:
        raise RevisionError(f"cannot read files from git: {_first_line(result.stderr)}")
    out, position, blobs = result.stdout, 0, []
    for _ in oids:
        header_end = out.index(b"\n", position)
        size = int(out[position:header_end].split(b" ")[2])
        blobs.append(out[header_end + 1:header_end + 1 + size])
        position = header_end + 1 + size + 1
    return blobs


def revision_side(repo: Path, label: str, content_dir: Path, target: Path) -> ContentSide:
    """The content folder at revision ``label``, materialised under ``target``."""
    revision = resolve_revision(repo, label)
    content_path = content_path_in_repo(repo, content_dir)
    materialise(repo, revision, content_path, target)
    return ContentSide(label, target, f"{label}:{content_path}", revision)


def folder_side(folder: Path, label: str | None = None) -> ContentSide:
    """A content folder on disk (the working tree's, or any other)."""
    shown = display_path(folder)
    return ContentSide(label or folder.as_posix(), folder, shown)
