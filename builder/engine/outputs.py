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
    """An exclusive lock on an output folder for the length of a build; the lock file is removed
    at the end, so a finished build leaves only its outputs and manifest."""

    def __init__(self, out_dir: Path):
        self.path = out_dir / LOCK_NAME
        self.handle = None

    def __enter__(self) -> "OutputLock":
        while True:
            handle = open(self.path, "a+", encoding="utf-8")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                handle.close()
                raise BuildLocked(f"another build (pid {holder}) is writing to {self.path.parent}; "
                                  "wait for it to finish or use another --out folder") from None
            if self._still_linked(handle):
                break
            handle.close()  # the previous holder removed the file as we opened it: lock the new one
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self.handle = handle
        return self

    def _still_linked(self, handle) -> bool:
        try:
            return os.stat(self.path).st_ino == os.fstat(handle.fileno()).st_ino
        except FileNotFoundError:
            return False

    def __exit__(self, *exc_info) -> None:
        if self.handle is not None:
            self.path.unlink(missing_ok=True)  # while still holding the lock
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


def remove_stale_temporaries(out_dir: Path) -> list[Path]:
    """Delete temporary files an interrupted build left behind (only under the lock)."""
    removed = []
    for path in sorted(out_dir.rglob(f".*{TEMPORARY_SUFFIX}")):
        if path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
