"""Figures the preview keeps between saves, so a save costs only what it changed.

``FigureCache`` remembers drawn figures by the blocks they are drawn from: an edit of a sentence
does not redraw the transition chart. (Parsed content files are kept by ``FileBlocks``, in
builder/content/file_blocks.py.)
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict

from builder.compose.context import Context
from builder.render.figures import draw_figures
from builder.tree import Figure

# The context's block kinds the figures are drawn from (builder/render/figures.py reads the
# transition plan, governance bodies, the escalation ladder and role names). Every figure is
# keyed on all of them, so a figure that starts reading one of the others is still redrawn.
FIGURE_INPUT_KINDS = ("transition", "governance", "escalation", "role")


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
