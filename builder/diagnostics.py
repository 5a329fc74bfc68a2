"""Diagnostics: located problems that every pipeline stage reports the same way."""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Literal

Level = Literal["error", "warning", "note"]


@dataclass(frozen=True, order=True)
class Location:
    """A position in a source file; line and column are 1-based (0 when unknown)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column or 1}"
        return self.file


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the content, a template or a build step."""

    location: Location
    level: Level
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.level}: {self.message}"

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.code, self.message)

    def to_json(self) -> dict:
        loc = asdict(self.location)
        return {**loc, "level": self.level, "code": self.code, "message": self.message}


@dataclass
class Diagnostics:
    """An ordered collection of diagnostics, gathered rather than raised one at a time."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, location: Location, code: str, message: str) -> None:
        self.items.append(Diagnostic(location, "error", code, message))

    def warning(self, location: Location, code: str, message: str) -> None:
        self.items.append(Diagnostic(location, "warning", code, message))

    def note(self, location: Location, code: str, message: str) -> None:
        """Information, not a problem: what composition did (a role pulled in, a block left out)."""
        self.items.append(Diagnostic(location, "note", code, message))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == "warning"]

    @property
    def notes(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == "note"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def sorted(self) -> list[Diagnostic]:
        """Unique diagnostics in file, line and column order."""
        unique = {(d.sort_key(), d.level): d for d in self.items}
        return [unique[key] for key in sorted(unique)]

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class DiagnosticError(Exception):
    """Raised by a stage that cannot go on; carries the diagnostics gathered so far."""

    def __init__(self, diagnostics: Diagnostics | Iterable[Diagnostic]):
        items = list(diagnostics)
        super().__init__("\n".join(str(d) for d in items))
        self.diagnostics = items


def plural(count: int, noun: str) -> str:
    """'1 error', '2 errors'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def suggest(word: str, candidates: Iterable[str]) -> str:
    """Return ` (did you mean 'x'?)` for the closest candidate, or an empty string."""
    matches = difflib.get_close_matches(str(word), sorted(set(candidates)), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def display_path(path: Path, root: Path | None = None) -> str:
    """Show a path relative to the working directory (or ``root``) where possible,
    with control characters escaped so a file name cannot garble the terminal."""
    shown = path.as_posix()
    for base in (root, Path.cwd()):
        if base is None:
            continue
        try:
            shown = path.resolve().relative_to(base.resolve()).as_posix()
            break
        except ValueError:
            continue
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in shown)


def find_in_file(path: Path, needle: str) -> tuple[int, int] | None:
    """Line and column (1-based) of the first ``needle`` in a text file, or None."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    offset = text.find(needle)
    if offset < 0:
        return None
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column
