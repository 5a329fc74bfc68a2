"""Work the preview keeps between saves, so a save costs only what it changed.

- ``FileBlocks`` remembers each content file's blocks and problems by the file's bytes:
  a check after a save parses only the files that changed.
- ``FigureCache`` remembers drawn figures by the blocks they are drawn from: an edit of a
  sentence does not redraw the transition chart.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from builder.compose.context import Context
from builder.content.loader import SourceBlock, load_file
from builder.diagnostics import Diagnostic, Diagnostics
from builder.render.figures import draw_figures
from builder.tree import Figure

# The context's block kinds the figures are drawn from (builder/render/figures.py reads the
# transition plan, governance bodies, the escalation ladder and role names). Every figure is
# keyed on all of them, so a figure that starts reading one of the others is still redrawn.
FIGURE_INPUT_KINDS = ("transition", "governance", "escalation", "role")


@dataclass
class _Loaded:
    digest: bytes
    blocks: list[SourceBlock]
    problems: list[Diagnostic]


class FileBlocks:
    """A ``load`` for ``check_content`` that parses a file again only when its bytes changed."""

    def __init__(self) -> None:
        self._files: dict[Path, _Loaded] = {}
        self.parsed = 0  # files parsed (not taken from memory), for tests and reports

    def __call__(self, path: Path, diagnostics: Diagnostics) -> list[SourceBlock]:
        try:
            digest = hashlib.sha256(path.read_bytes()).digest()
        except OSError:
            digest = b""  # unreadable: load_file reports it, every time
        known = self._files.get(path)
        if known is None or known.digest != digest or not digest:
            problems = Diagnostics()
            known = _Loaded(digest, load_file(path, problems), list(problems))
            self._files[path] = known
            self.parsed += 1
        diagnostics.extend(known.problems)
        return known.blocks


class FigureCache:
    """Drawn figures by name, image kinds and a fingerprint of the blocks they are drawn from."""

    def __init__(self, size: int = 48) -> None:
        self._figures: OrderedDict[tuple, Figure] = OrderedDict()
        self._size = size
        self.drawn = 0

    def figures(self, context: Context, names: list[str], kinds: tuple[str, ...]) -> dict[str, Figure]:
        """The named figures of a context, drawing only those not drawn before from the same blocks."""
        fingerprint = _fingerprint(context)
        keys = {name: (name, kinds, fingerprint) for name in dict.fromkeys(names)}
        missing = [name for name, key in keys.items() if key not in self._figures]
        if missing:
            for name, figure in draw_figures(context, missing, kinds).items():
                self._figures[keys[name]] = figure
                self.drawn += 1
        found = {}
        for name, key in keys.items():
            self._figures.move_to_end(key)
            found[name] = self._figures[key]
        while len(self._figures) > self._size:
            self._figures.popitem(last=False)
        return found


def _fingerprint(context: Context) -> str:
    data = {kind: [block.model_dump(mode="json") for block in context.blocks.get(kind, [])]
            for kind in FIGURE_INPUT_KINDS}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode("utf-8")).hexdigest()
