"""The output folder: atomic writes, a lock against concurrent builds, stale and stray files."""

from __future__ import annotations

import fcntl
import os
import tempfile
from pathlib import Path

LOCK_NAME = ".playbook.lock"
TEMPORARY_SUFFIX = ".tmp"


class BuildLocked(Exception):
    """Another build is writing to the same output folder."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def stage(path: Path, data: bytes) -> Path:
    """Write ``data`` durably to a temporary file beside ``path``; return the temporary file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX, dir=path.parent)
    try:
        os.fchmod(handle, 0o666 & ~_umask())
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file in ``path``'s folder, then rename it into place."""
    temporary = stage(path, data)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


class OutputLock:
    """An exclusive lock on an output folder for the length of a build."""

    def __init__(self, out_dir: Path):
        self.path = out_dir / LOCK_NAME
        self.handle = None

    def __enter__(self) -> "OutputLock":
        self.handle = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.seek(0)
            holder = self.handle.read().strip() or "another process"
            self.handle.close()
            raise BuildLocked(f"another build (pid {holder}) is writing to {self.path.parent}; "
                              "wait for it to finish or use another --out folder") from None
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.write(str(os.getpid()))
        self.handle.flush()
        return self

    def __exit__(self, *exc_info) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()


def remove_stale_temporaries(out_dir: Path) -> list[Path]:
    """Delete temporary files an interrupted build left behind (only under the lock)."""
    removed = []
    for path in sorted(out_dir.rglob(f".*{TEMPORARY_SUFFIX}")):
        if path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def stale_outputs(out_dir: Path, live: set[tuple[str, str]], documents: tuple[str, ...],
                  formats: tuple[str, ...]) -> list[Path]:
    """Outputs of pairings or documents that the content no longer has."""
    stale = []
    for folder in sorted(p for p in out_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for document in documents:
            for output_format in formats:
                path = folder / f"{document}.{output_format}"
                if path.is_file() and (folder.name, document) not in live:
                    stale.append(path)
    return stale
