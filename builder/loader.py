"""Read YAML content files into plain data that remembers where each value came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from builder.diagnostics import Diagnostics, Location, display_path
from builder.limits import LIMITS

YAML_SUFFIXES = (".yaml", ".yml")
Path_ = tuple[str | int, ...]


@dataclass
class SourceBlock:
    """One block as plain data, with the file:line:col of every key and value in it."""

    data: dict[str, Any]
    file: str
    line: int
    column: int
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    @property
    def location(self) -> Location:
        return Location(self.file, self.line, self.column)

    def locate(self, path: Iterable[str | int], *, key: bool = False) -> Location:
        """Location of the value (or of its key) at ``path``, or of its nearest located parent."""
        path = tuple(path)
        if key and path in self.keys:
            line, col = self.keys[path]
            return Location(self.file, line, col)
        while path:
            if path in self.values:
                line, col = self.values[path]
                return Location(self.file, line, col)
            path = path[:-1]
        return self.location


class _ContentConstructor(RoundTripConstructor):
    """Round-trip constructor that keeps dates as text, so the models check they are real."""


_ContentConstructor.add_constructor(
    "tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str
)


def _new_yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _ContentConstructor
    yaml.allow_duplicate_keys = False
    return yaml


class _Flattener:
    """Turn ruamel's commented nodes into plain data, recording locations and enforcing limits."""

    def __init__(self, block: SourceBlock):
        self.block = block
        self.count = 0

    def convert(self, node: Any, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > LIMITS.max_nodes_per_file:
            raise _LimitExceeded(
                f"file has more than {LIMITS.max_nodes_per_file:,} values "
                "(alias expansion or generated content?)"
            )
        if depth > LIMITS.max_depth:
            raise _LimitExceeded(f"values nested deeper than {LIMITS.max_depth} levels")
        if isinstance(node, CommentedMap):
            result: dict[str, Any] = {}
            for key in node:
                child = path + (str(key),)
                self._record(node, key, child)
                result[str(key)] = self.convert(node[key], child, depth + 1)
            return result
        if isinstance(node, CommentedSeq):
            items = []
            for index, item in enumerate(node):
                child = path + (index,)
                try:
                    line, col = node.lc.item(index)
                    self.block.values[child] = (line + 1, col + 1)
                except (KeyError, TypeError, IndexError):
                    pass
                items.append(self.convert(item, child, depth + 1))
            return items
        if isinstance(node, str):
            if len(node) > LIMITS.max_string_chars:
                raise _LimitExceeded(
                    f"a text value is {len(node):,} characters long "
                    f"(the limit is {LIMITS.max_string_chars:,})",
                    path,
                )
            return str(node)
        if isinstance(node, bool) or node is None:
            return node
        if isinstance(node, int):
            return int(node)
        if isinstance(node, float):
            return float(node)
        return str(node)

    def _record(self, node: CommentedMap, key: Any, child: Path_) -> None:
        try:
            kline, kcol = node.lc.key(key)
            self.block.keys[child] = (kline + 1, kcol + 1)
            vline, vcol = node.lc.value(key)
            self.block.values[child] = (vline + 1, vcol + 1)
        except (KeyError, TypeError):
            pass


class _LimitExceeded(Exception):
    def __init__(self, message: str, path: Path_ = ()):
        super().__init__(message)
        self.path = path


def read_text(path: Path, shown: str, diagnostics: Diagnostics) -> str | None:
    """Read a content file as UTF-8 text, reporting size, encoding and BOM problems."""
    try:
        size = path.stat().st_size
        if size > LIMITS.max_file_bytes:
            diagnostics.error(
                Location(shown, 1, 1), "file-too-large",
                f"file is {size:,} bytes; content files are limited to {LIMITS.max_file_bytes:,}",
            )
            return None
        raw = path.read_bytes()
    except OSError as exc:
        diagnostics.error(Location(shown), "unreadable", f"cannot read file: {exc.strerror}")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        diagnostics.error(
            Location(shown, 1, 1), "byte-order-mark",
            "file starts with a byte-order mark; save it as UTF-8 without BOM",
        )
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        diagnostics.error(
            Location(shown, line, column), "not-utf8",
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
        )
        return None


def parse_blocks(text: str, shown: str, diagnostics: Diagnostics) -> list[SourceBlock]:
    """Parse one file's text into blocks: a file holds one mapping or a list of them."""
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        diagnostics.error(Location(shown, line, 1), "yaml-syntax", "file contains a NUL character")
        return []
    try:
        document = _new_yaml().load(text)
    except DuplicateKeyError as exc:
        _report_yaml_error(exc, shown, diagnostics, duplicate=True)
        return []
    except MarkedYAMLError as exc:
        _report_yaml_error(exc, shown, diagnostics)
        return []
    except (YAMLError, ValueError, TypeError, RecursionError) as exc:
        diagnostics.error(Location(shown, 1, 1), "yaml-syntax", f"cannot parse YAML: {exc}")
        return []
    if document is None:
        diagnostics.error(
            Location(shown, 1, 1), "empty-file",
            "file is empty; a content file holds one block (a mapping) or a list of blocks",
        )
        return []
    if isinstance(document, CommentedSeq):
        nodes = list(enumerate(document))
    else:
        nodes = [(None, document)]
    blocks = []
    for index, node in nodes:
        if not isinstance(node, CommentedMap):
            line, col = _position(document, index)
            diagnostics.error(
                Location(shown, line, col), "not-a-block",
                "expected a block (a mapping with 'id', 'kind' and 'title'), "
                f"found {_describe(node)}",
            )
            continue
        block = SourceBlock({}, shown, node.lc.line + 1, node.lc.col + 1)
        try:
            block.data = _Flattener(block).convert(node, (), 0)
        except _LimitExceeded as exc:
            diagnostics.error(block.locate(exc.path), "limit-exceeded", str(exc))
            continue
        except RecursionError:
            diagnostics.error(block.location, "limit-exceeded", "values nested too deeply")
            continue
        blocks.append(block)
    return blocks


def load_file(path: Path, diagnostics: Diagnostics, root: Path | None = None) -> list[SourceBlock]:
    """Load the blocks of one YAML file; problems go to ``diagnostics``."""
    shown = display_path(path, None if root is None else root.parent)
    text = read_text(path, shown, diagnostics)
    if text is None:
        return []
    return parse_blocks(text, shown, diagnostics)


def content_files(root: Path) -> list[Path]:
    """Every YAML file under ``root``, in a stable order, hidden files and folders skipped."""
    files = [
        path for path in root.rglob("*")
        if path.suffix in YAML_SUFFIXES and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(root).parts)
    ]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def load_content(root: Path, diagnostics: Diagnostics) -> list[SourceBlock]:
    """Load every block under the content folder ``root``."""
    if not root.is_dir():
        diagnostics.error(Location(display_path(root)), "no-content", "content folder not found")
        return []
    blocks: list[SourceBlock] = []
    files = content_files(root)
    if not files:
        diagnostics.error(
            Location(display_path(root)), "no-content", "no .yaml files in the content folder"
        )
    for path in files:
        blocks.extend(load_file(path, diagnostics))
        if len(blocks) > LIMITS.max_blocks:
            diagnostics.error(
                Location(display_path(path)), "limit-exceeded",
                f"more than {LIMITS.max_blocks:,} blocks in the content folder",
            )
            break
    return blocks


def _report_yaml_error(
    exc: MarkedYAMLError, shown: str, diagnostics: Diagnostics, duplicate: bool = False
) -> None:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (exc.problem or "invalid YAML").strip()
    if duplicate:
        key = problem.split('"')[1] if '"' in problem else problem
        first = exc.context_mark.line + 1 if exc.context_mark else None
        where = f" in the mapping that starts at line {first}" if first else ""
        message = f"duplicate key '{key}'{where}; each key may appear once"
        diagnostics.error(Location(shown, line, col), "duplicate-key", message)
        return
    message = problem
    if exc.context and exc.context_mark:
        message += f" ({exc.context} started at line {exc.context_mark.line + 1})"
    if "'\\t'" in problem:
        message += "; indent with spaces, not tabs"
    diagnostics.error(Location(shown, line, col), "yaml-syntax", message)


def _position(document: Any, index: int | None) -> tuple[int, int]:
    if index is None or not isinstance(document, CommentedSeq):
        return 1, 1
    try:
        line, col = document.lc.item(index)
        return line + 1, col + 1
    except (KeyError, TypeError, IndexError):
        return 1, 1


def _describe(node: Any) -> str:
    if isinstance(node, CommentedSeq):
        return "a list"
    if node is None:
        return "nothing"
    return f"the {type(node).__name__} value {str(node)[:40]!r}"
