"""Saved files, in batches: a burst of saves (an editor's save-all, a git checkout) is one rebuild.

watchfiles (inotify) reports changes already grouped over a short step; ``ChangeBatch`` adds a
quiet period on top, so saves that keep coming are gathered until they pause, and
``watch_changes`` runs one refresh per batch. Saves that arrive during a refresh make the
next batch.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import AsyncIterator, Awaitable, Callable, Iterable

QUIET_SECONDS = 0.05  # a batch closes once no save has come for this long...
LONGEST_SECONDS = 1.0  # ...or once it has been open this long, however busy the folder is


class ChangeBatch:
    """Changed paths gathered until saves pause (``clock`` is injectable for tests)."""

    def __init__(self, quiet: float = QUIET_SECONDS, longest: float = LONGEST_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.quiet, self.longest, self.clock = quiet, longest, clock
        self.paths: set[str] = set()
        self._first = self._last = 0.0

    def add(self, paths: Iterable[str | Path]) -> None:
        now = self.clock()
        if not self.paths:
            self._first = now
        self._last = now
        self.paths.update(str(path) for path in paths)

    def wait(self) -> float | None:
        """Seconds until the batch is ready (0: ready now); None when it is empty."""
        if not self.paths:
            return None
        now = self.clock()
        return max(0.0, min(self._last + self.quiet, self._first + self.longest) - now)

    def take(self) -> set[str]:
        paths, self.paths = self.paths, set()
        return paths


async def batch_changes(changes: AsyncIterator[Iterable[str | Path]], batch: ChangeBatch,
                        on_batch: Callable[[set[str]], Awaitable[None]]) -> None:
    """Feed each group of changes into ``batch`` and await ``on_batch`` once per closed batch."""
    queue: asyncio.Queue = asyncio.Queue()

    async def pump() -> None:
        try:
            async for group in changes:
                await queue.put(group)
        finally:
            await queue.put(None)

    pumping = asyncio.create_task(pump())
    try:
        while True:
            timeout = batch.wait()
            try:
                group = await (queue.get() if timeout is None else asyncio.wait_for(queue.get(), timeout))
            except (asyncio.TimeoutError, TimeoutError):
                await on_batch(batch.take())
                continue
            if group is None:
                break
            batch.add(group)
        if batch.paths:
            await on_batch(batch.take())
    finally:
        pumping.cancel()


async def watch_changes(folders: list[Path], on_batch: Callable[[set[str]], Awaitable[None]],
                        stop: asyncio.Event) -> None:
    """Watch the folders until ``stop`` is set; ``on_batch`` gets each batch of changed paths."""
    from watchfiles import DefaultFilter, awatch

    async def groups() -> AsyncIterator[list[str]]:
        async for group in awatch(*folders, watch_filter=DefaultFilter(), step=int(QUIET_SECONDS * 1000),
                                  debounce=int(LONGEST_SECONDS * 1000), stop_event=stop, recursive=True):
            yield [path for _, path in group]

    await batch_changes(groups(), ChangeBatch(), on_batch)
