"""Progress events a build sends to whoever shows them (a progress bar, a log, the preview server)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Event:
    """Progress of one output: planned, rendered, up to date, or failed."""

    status: str  # planned | rendered | up-to-date | failed
    path: Path
    seconds: float = 0.0
    count: int = 0
