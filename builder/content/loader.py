"""Read YAML content files into plain data that remembers where each value came from."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from builder.diagnostics import Diagnostics, Location, display_path
from builder.content.limits import LIMITS
from builder.content.yaml_errors import explain

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


@functools.lru_cache(maxsize=1)
def _new_yaml() -> YAML:
    """A YAML 1.2 parser; the C parser (ruamel.yaml.clib) when available, for speed. Made once:
    making one looks up plug-ins on disk."""
    return YAML(typ="safe", pure=False)


class _LimitExceeded(Exception):
    def __init__(self, message: str, path: Path_ = ()):
        super().__init__(message)
        self.path = path


class _NodeError(Exception):
    """A problem at one node that stops the block, e.g. a duplicate key."""

    def __init__(self, code: str, message: str, node: Node):
        super().__init__(message)
        self.code = code
        self.node = node


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Flattener:
    """Turn composed YAML nodes into plain data, recording locations and enforcing limits."""

    def __init__(self, block: SourceBlock, constructor: Any):
        self.block = block
        self.constructor = constructor
        self.count = 0

    def convert(self, node: Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > LIMITS.max_nodes_per_file:
            raise _LimitExceeded(
                f"file has more than {LIMITS.max_nodes_per_file:,} values "
                "(alias expansion or generated content?)"
            )
        if depth > LIMITS.max_depth:
            raise _LimitExceeded(f"values nested deeper than {LIMITS.max_depth} levels", path)
        self.block.values.setdefault(path, _mark(node))
        if isinstance(node, MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            return [self.convert(item, path + (index,), depth + 1) for index, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise _NodeError("yaml-syntax", "a key must be plain text, not a list or mapping", key_node)
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _NodeError("yaml-syntax", "merge keys ('<<') are not supported; write the fields out", key_node)
            key = str(key_node.value)
            if key in seen:
                first_line, first_col = _mark(seen[key])
                raise _NodeError(
                    "duplicate-key",
                    f"duplicate key '{key}' (first defined at line {first_line}, column {first_col}); "
                    "each key may appear once in a mapping",
                    key_node,
                )
            seen[key] = key_node
            child = path + (key,)
            self.block.keys[child] = _mark(key_node)
            self.block.values[child] = _mark(value_node)
            result[key] = self.convert(value_node, child, depth + 1)
        return result

    def _scalar(self, node: ScalarNode, path: Path_) -> Any:
        if node.tag == "tag:yaml.org,2002:timestamp":
            return str(node.value)  # dates stay text, so the models can say which are not real
        if node.tag == "tag:yaml.org,2002:str" or not node.tag.startswith("tag:yaml.org,2002:"):
            value = str(node.value)
            if len(value) > LIMITS.max_string_chars:
                raise _LimitExceeded(
                    f"a text value is {len(value):,} characters long "
                    f"(the limit is {LIMITS.max_string_chars:,})",
                    path,
                )
            return value
        try:
            value = self.constructor.construct_object(node)
        except (YAMLError, ValueError, TypeError) as exc:
            raise _NodeError("yaml-syntax", f"cannot read value {node.value!r}: {exc}", node) from None
        if isinstance(value, (bool, int, float)) or value is None:
            return value
        return str(value)


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
    return decode_text(raw, shown, diagnostics)


def decode_text(raw: bytes, shown: str, diagnostics: Diagnostics) -> str | None:
    """A content file's bytes as text: UTF-8, with or without a byte-order mark."""
    if raw.startswith(b"\xef\xbb\xbf"):  # UTF-8 with a byte-order mark (Windows Notepad) is still UTF-8
        raw = raw[3:]
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
    yaml = _new_yaml()
    try:
        document = yaml.compose(text)
    except MarkedYAMLError as exc:
        _report_yaml_error(exc, text, shown, diagnostics)
        return []
    except (YAMLError, ValueError, TypeError, RecursionError) as exc:
        diagnostics.error(Location(shown, 1, 1), "yaml-syntax", f"cannot parse YAML: {exc}")
        return []
    if document is None or (isinstance(document, ScalarNode) and document.tag == "tag:yaml.org,2002:null"):
        diagnostics.error(
            Location(shown, 1, 1), "empty-file",
            "file is empty; a content file holds one block (a mapping) or a list of blocks",
        )
        return []
    if isinstance(document, SequenceNode):
        nodes = list(document.value)
        if not nodes:
            diagnostics.error(Location(shown, 1, 1), "empty-file", "file holds an empty list of blocks")
    else:
        nodes = [document]
    blocks = []
    for node in nodes:
        if not isinstance(node, MappingNode):
            line, col = _mark(node)
            diagnostics.error(
                Location(shown, line, col), "not-a-block",
                "expected a block (a mapping with 'id', 'kind' and 'title'), "
                f"found {_describe(node)}",
            )
            continue
        line, col = _mark(node)
        block = SourceBlock({}, shown, line, col)
        try:
            block.data = _Flattener(block, yaml.constructor).convert(node, (), 0)
        except _LimitExceeded as exc:
            diagnostics.error(block.locate(exc.path), "limit-exceeded", str(exc))
            continue
        except _NodeError as exc:
            line, col = _mark(exc.node)
            diagnostics.error(Location(shown, line, col), exc.code, str(exc))
            continue
        except RecursionError:
            diagnostics.error(block.location, "limit-exceeded", "values nested too deeply")
            continue
        blocks.append(block)
    return blocks


@functools.lru_cache(maxsize=256)
def _shown_folder(folder: Path, cwd: str) -> str:
    return display_path(folder)


def shown_path(path: Path) -> str:
    """How messages name a content file: its folder as display_path shows it (worked out once per
    folder), then its name."""
    folder = _shown_folder(path.parent, os.getcwd())
    name = "".join(c if c.isprintable() else repr(c)[1:-1] for c in path.name)
    return name if folder == "." else f"{folder}/{name}"


def load_file(path: Path, diagnostics: Diagnostics, root: Path | None = None) -> list[SourceBlock]:
    """Load the blocks of one YAML file; problems go to ``diagnostics``."""
    shown = shown_path(path) if root is None else display_path(path, root.parent)
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


FileLoader = Callable[[Path, Diagnostics], list[SourceBlock]]


def load_content(root: Path, diagnostics: Diagnostics, load: FileLoader | None = None) -> list[SourceBlock]:
    """Load every block under the content folder ``root``.

    ``load`` reads one file (default ``load_file``); the live preview passes one that keeps
    the blocks of files that did not change since the last check."""
    load = load or load_file
    if not root.is_dir():
        hint = ("; you are inside it: run from the folder that holds it, or pass --content ."
                if Path.cwd().name == root.name and not root.is_absolute() else
                "; run from the folder that holds content/, or pass --content DIR")
        diagnostics.error(Location(display_path(root)), "no-content", f"content folder not found{hint}")
        return []
    blocks: list[SourceBlock] = []
    files = content_files(root)
    if not files:
        diagnostics.error(
            Location(display_path(root)), "no-content", "no .yaml files in the content folder"
        )
    for path in files:
        blocks.extend(load(path, diagnostics))
        if len(blocks) > LIMITS.max_blocks:
            diagnostics.error(
                Location(display_path(path)), "limit-exceeded",
                f"more than {LIMITS.max_blocks:,} blocks in the content folder",
            )
            break
    return blocks


def _report_yaml_error(exc: MarkedYAMLError, text: str, shown: str, diagnostics: Diagnostics) -> None:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    context_line = exc.context_mark.line + 1 if exc.context_mark else None
    explained = explain(exc.problem or "", exc.context, line, col, context_line, text)
    if explained is not None:
        diagnostics.error(Location(shown, explained.line, explained.column), "yaml-indentation"
                          if "indented" in explained.message else "yaml-syntax", explained.message)
        return
    message = (exc.problem or "invalid YAML").strip()
    if exc.context and exc.context_mark:
        message += f" ({exc.context} started at line {exc.context_mark.line + 1})"
    lines = text.splitlines()
    if 0 < line <= len(lines) and "\t" in lines[line - 1][:col]:
        message += "; a tab character is used for indentation: indent with spaces, not tabs"
    diagnostics.error(Location(shown, line, col), "yaml-syntax", message)


def _describe(node: Node) -> str:
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == "tag:yaml.org,2002:null":
        return "nothing"
    return f"the value {str(node.value)[:40]!r}"
