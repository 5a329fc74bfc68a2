"""The store of parsed content files: a second run parses nothing that did not change, never
reports less than a fresh parse, and never trusts a store it did not write."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

from builder.compose.check import check_content
from builder.content.file_blocks import MAX_STORES, STORE_PREFIX, BlockStore, FileBlocks, parser_fingerprint
from builder.content.loader import load_content
from builder.diagnostics import Diagnostics

from tests.conftest import MINIMAL_FILES, write_content


def _check(content: Path, store_path: Path) -> tuple[FileBlocks, object]:
    files = FileBlocks(BlockStore(store_path))
    result = check_content(content, load=files)
    files.save()
    return files, result


def test_second_run_reads_the_store_and_finds_the_same(tmp_path: Path) -> None:
    content = write_content(tmp_path / "content", MINIMAL_FILES)
    store = tmp_path / "store" / "parsed-test.pickle"
    first, first_result = _check(content, store)
    assert first.parsed == len(list(content.rglob("*.yaml"))) and store.is_file()
    second, second_result = _check(content, store)
    assert second.parsed == 0
    assert [(e.block.id, e.block.kind) for e in second_result.library.all()] == \
        [(e.block.id, e.block.kind) for e in first_result.library.all()]
    assert [str(d) for d in second_result.diagnostics] == [str(d) for d in first_result.diagnostics]


def test_a_changed_file_is_parsed_again_and_its_problem_reported(tmp_path: Path) -> None:
    content = write_content(tmp_path / "content", MINIMAL_FILES)
    store = tmp_path / "parsed-test.pickle"
    _check(content, store)
    roles = content / "roles.yaml"
    roles.write_text(roles.read_text().replace("title: Sponsor Lead", "title: [Sponsor Lead"))
    for _ in range(2):  # a file with a problem is not stored: the problem is reported every time
        files, result = _check(content, store)
        assert files.parsed == 1
        assert any(d.location.file.endswith("roles.yaml") and d.level == "error" for d in result.diagnostics)


def test_blocks_from_the_store_keep_their_locations(tmp_path: Path) -> None:
    content = write_content(tmp_path / "content", MINIMAL_FILES)
    store = tmp_path / "parsed-test.pickle"
    _check(content, store)
    fresh = load_content(content, Diagnostics())
    stored = load_content(content, Diagnostics(), FileBlocks(BlockStore(store)))
    assert [(b.file, b.line, b.column, b.data, b.keys, b.values) for b in stored] == \
        [(b.file, b.line, b.column, b.data, b.keys, b.values) for b in fresh]


class _MakesAFolder:
    """Pickles as a call of os.mkdir: what a tampered store would try."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __reduce__(self):
        return (os.mkdir, (str(self.folder),))


def test_a_store_naming_code_is_ignored(tmp_path: Path) -> None:
    content = write_content(tmp_path / "content", MINIMAL_FILES)
    store, trap = tmp_path / "parsed-test.pickle", tmp_path / "made-by-the-store"
    store.write_bytes(pickle.dumps((parser_fingerprint(), {("x", b"y"): [_MakesAFolder(trap)]})))
    files, result = _check(content, store)
    assert not trap.exists()
    assert result.ok and files.parsed == len(list(content.rglob("*.yaml")))
    assert b"mkdir" not in store.read_bytes()  # rewritten with plain data only


def test_a_corrupt_or_foreign_store_is_an_empty_one(tmp_path: Path) -> None:
    content = write_content(tmp_path / "content", MINIMAL_FILES)
    store = tmp_path / "parsed-test.pickle"
    for junk in (b"", b"\x80\x05not a pickle", pickle.dumps((b"another parser", {}))):
        store.write_bytes(junk)
        files, result = _check(content, store)
        assert result.ok and files.parsed == len(list(content.rglob("*.yaml")))


def _validate(content: Path, cwd: Path, store_setting: str) -> None:
    done = subprocess.run([sys.executable, "-m", "builder", "validate", "--content", str(content)],
                          capture_output=True, text=True, cwd=cwd,
                          env={"PATH": "/usr/bin:/bin", "PLAYBOOK_CACHE_DIR": store_setting})
    assert done.returncode == 0, done.stderr


def test_validate_keeps_one_store_per_content_folder_where_it_is_told(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = write_content(tmp_path / "one" / "content", MINIMAL_FILES)
    second = write_content(tmp_path / "two" / "content", MINIMAL_FILES)
    _validate(first, tmp_path, str(cache))
    _validate(first, tmp_path, str(cache))
    assert len(list(cache.glob(f"{STORE_PREFIX}*.pickle"))) == 1
    _validate(second, tmp_path, str(cache))
    assert len(list(cache.glob(f"{STORE_PREFIX}*.pickle"))) == 2


def test_a_store_keeps_only_the_files_of_the_last_run(tmp_path: Path) -> None:
    content = write_content(tmp_path / "content", MINIMAL_FILES)
    store = tmp_path / "parsed-test.pickle"
    _check(content, store)
    (content / "raci.yaml").unlink()
    _check(content, store)
    _, entries = pickle.loads(store.read_bytes())
    assert sorted(Path(shown).name for shown, _ in entries) == sorted(
        path.name for path in content.rglob("*.yaml"))


def test_stores_of_folders_not_used_lately_are_deleted(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    for n in range(MAX_STORES + 3):
        old = cache / f"{STORE_PREFIX}old{n:02}.pickle"
        old.write_bytes(b"")
        os.utime(old, (1_000_000 + n, 1_000_000 + n))
    content = write_content(tmp_path / "content", MINIMAL_FILES)
    _validate(content, tmp_path, str(cache))
    kept = sorted(path.name for path in cache.glob(f"{STORE_PREFIX}*.pickle"))
    assert len(kept) == MAX_STORES and f"{STORE_PREFIX}old00.pickle" not in kept
    assert f"{STORE_PREFIX}old{MAX_STORES + 2:02}.pickle" in kept  # the newest of the old ones


def test_validate_keeps_no_store_when_told_none(tmp_path: Path) -> None:
    content = write_content(tmp_path / "content", MINIMAL_FILES)
    before = sorted(tmp_path.rglob("*"))
    _validate(content, tmp_path, "none")
    assert sorted(tmp_path.rglob("*")) == before
