"""Parse each content file once: by its bytes in memory, and across runs in a store on disk.

``FileBlocks`` is a ``load`` for ``check_content``. It parses a file again only when its bytes
changed since it was last parsed in this process (the live preview checks after every save) or,
when given a ``BlockStore``, since an earlier run on the same content folder parsed the same
bytes under the same name (``playbook new`` followed by ``playbook validate`` parse the library
once). Each content folder has a store of its own, holding its files as the last run found
them; the stores of folders not used for a while are deleted.

The store holds only files that parsed without a problem, as plain data: dicts, lists, tuples,
strings and numbers, pickled and read back by an unpickler that refuses every class or function
(so a tampered store cannot run code), keyed by the file's name as messages show it and a hash of its
bytes, and tagged with a fingerprint of the parser: a change of the loader, its limits or
ruamel.yaml discards it. Reading or writing it never fails a command: a missing, unreadable or
foreign store is an empty one.
"""

from __future__ import annotations

import functools
import hashlib
import io
import pickle
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from builder.content.limits import LIMITS
from builder.content.loader import SourceBlock, decode_text, load_file, parse_blocks, shown_path
from builder.diagnostics import Diagnostic, Diagnostics

STORE_ENV = "PLAYBOOK_CACHE_DIR"  # a folder for the stores, or "none" for none
STORE_PREFIX = "parsed-"
MAX_STORES = 32  # content folders whose store is kept (the most recently used)

_Key = tuple[str, bytes]  # (the file's name as shown, the SHA-256 of its bytes)
_Stored = list[tuple]  # each block's fields (SourceBlock, in order)


@dataclass
class _Loaded:
    digest: bytes
    blocks: list[SourceBlock]
    problems: list[Diagnostic]


class BlockStore:
    """Blocks of a content folder's files parsed by earlier runs, read from one file and written
    back when this run's files differ from what it holds."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._entries: dict[_Key, _Stored] = _read_store(path)
        self._used: set[_Key] = set()
        self._added = False

    def get(self, key: _Key) -> list[SourceBlock] | None:
        stored = self._entries.get(key)
        if stored is None:
            return None
        self._used.add(key)
        return [SourceBlock(*fields) for fields in stored]

    def put(self, key: _Key, blocks: list[SourceBlock]) -> None:
        self._entries[key] = [(block.data, block.file, block.line, block.column, block.keys, block.values)
                              for block in blocks]
        self._used.add(key)
        self._added = True

    def save(self) -> None:
        """Write the store when this run parsed something new or no longer met a file: the files
        this run used, and none other (a deleted or edited file's old blocks go)."""
        if not self._added and len(self._used) == len(self._entries):
            return
        entries = {key: self._entries[key] for key in self._entries if key in self._used}
        scratch = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, scratch = tempfile.mkstemp(prefix=".parsed-", dir=self.path.parent)
            with os.fdopen(handle, "wb") as out:
                pickle.dump((parser_fingerprint(), entries), out, protocol=5)
            os.replace(scratch, self.path)
            _prune(self.path.parent)
        except OSError:  # a read-only or full disk costs speed, never a result
            if scratch is not None:
                Path(scratch).unlink(missing_ok=True)
            return
        self._entries, self._added = entries, False


def _prune(folder: Path) -> None:
    """Delete the stores of all but the ``MAX_STORES`` content folders used most recently."""
    stores = sorted(folder.glob(f"{STORE_PREFIX}*.pickle"), key=lambda path: path.stat().st_mtime, reverse=True)
    for stale in stores[MAX_STORES:]:
        stale.unlink(missing_ok=True)


def default_store(content_dir: Path) -> BlockStore | None:
    """The store of a content folder, in the user's cache folder (or ``$PLAYBOOK_CACHE_DIR``);
    None when that is set to "none"."""
    folder = os.environ.get(STORE_ENV)
    if folder is None:
        from platformdirs import user_cache_dir

        folder = user_cache_dir("playbook-builder", appauthor=False)
    elif folder.strip().lower() == "none":
        return None
    name = hashlib.sha256(str(content_dir.resolve()).encode("utf-8")).hexdigest()[:16]
    return BlockStore(Path(folder) / f"{STORE_PREFIX}{name}.pickle")


@contextmanager
def stored_blocks(content_dir: Path) -> Iterator[FileBlocks]:
    """A ``FileBlocks`` backed by the content folder's store, saved when the block ends without an
    error; the store's copy is let go then (the blocks themselves live on in what was checked)."""
    files = FileBlocks(default_store(content_dir))
    yield files
    files.save()
    files.store = None


@functools.lru_cache(maxsize=1)
def parser_fingerprint() -> bytes:
    """What the stored blocks depend on besides the file: the loader's code, its limits, ruamel.yaml
    (worked out once: a run reads and writes its store with it)."""
    from ruamel.yaml import __version__ as yaml_version

    from builder.content import limits, loader, yaml_errors

    digest = hashlib.sha256(repr(LIMITS).encode() + yaml_version.encode())
    for module in (loader, limits, yaml_errors):
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.digest()


class _PlainUnpickler(pickle.Unpickler):
    """Reads plain data only: any class or function named in the file is refused."""

    def find_class(self, module: str, name: str) -> object:
        raise pickle.UnpicklingError(f"the store names {module}.{name}; it may hold plain data only")


def _read_store(path: Path) -> dict[_Key, _Stored]:
    try:
        fingerprint, entries = _PlainUnpickler(io.BytesIO(path.read_bytes())).load()
    except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):
        return {}
    return entries if fingerprint == parser_fingerprint() and isinstance(entries, dict) else {}


class FileBlocks:
    """A ``load`` for ``check_content`` that parses a file again only when its bytes changed."""

    def __init__(self, store: BlockStore | None = None) -> None:
        self._files: dict[Path, _Loaded] = {}
        self.store = store
        self.parsed = 0  # files parsed (not taken from memory or the store), for tests and reports
        # texts read in place of files (by resolved path): content as a command would leave it,
        # checked before anything is written (playbook import)
        self.stand_ins: dict[Path, str] = {}

    def __call__(self, path: Path, diagnostics: Diagnostics) -> list[SourceBlock]:
        stand_in = self.stand_ins.get(path.resolve()) if self.stand_ins else None
        if stand_in is not None:
            return parse_blocks(stand_in, shown_path(path), diagnostics)
        try:
            too_large = path.stat().st_size > LIMITS.max_file_bytes
            raw = b"" if too_large else path.read_bytes()
        except OSError:
            too_large, raw = True, b""
        if too_large:  # unreadable or oversized: load_file reports it, every time
            return load_file(path, diagnostics)
        digest = hashlib.sha256(raw).digest()
        known = self._files.get(path)
        if known is None or known.digest != digest:
            known = self._load(path, raw, digest)
            self._files[path] = known
        diagnostics.extend(known.problems)
        return known.blocks

    def _load(self, path: Path, raw: bytes, digest: bytes) -> _Loaded:
        shown = shown_path(path)
        stored = self.store.get((shown, digest)) if self.store is not None else None
        if stored is not None:
            return _Loaded(digest, stored, [])
        problems = Diagnostics()
        text = decode_text(raw, shown, problems)
        blocks = parse_blocks(text, shown, problems) if text is not None else []
        self.parsed += 1
        if self.store is not None and not list(problems):
            self.store.put((shown, digest), blocks)
        return _Loaded(digest, blocks, list(problems))

    def save(self) -> None:
        """Keep what this run parsed for the next run (when there is a store)."""
        if self.store is not None:
            self.store.save()
