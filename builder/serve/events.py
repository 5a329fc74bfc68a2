"""Server-Sent Events: every open page hears when the preview changed.

Each event is one JSON object: ``{"type": "building"}`` when a refresh starts, and
``{"type": "updated", "serial": n, "documents": ["pairing/document", ...], "assets": bool}``
when it is done. Pages ask for their own status then (see ``app``), so events stay small.
"""

from __future__ import annotations

import asyncio
import json
from typing import AsyncIterator

KEEP_ALIVE_SECONDS = 15.0
RETRY_MILLISECONDS = 1000  # how soon a browser reconnects after the server went away


class Broadcaster:
    """Hands every published event to every subscribed stream; ``close`` ends them all."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue] = set()
        self.closed = False

    @property
    def listeners(self) -> int:
        return len(self._queues)

    def publish(self, event: dict) -> None:
        """Send an event to every stream (call from the event loop's thread)."""
        data = json.dumps(event, separators=(",", ":"))
        for queue in self._queues:
            queue.put_nowait(data)

    def close(self) -> None:
        """End every stream, so that the server can stop without waiting for open pages."""
        self.closed = True
        for queue in self._queues:
            queue.put_nowait(None)

    async def stream(self, hello: dict, keep_alive: float = KEEP_ALIVE_SECONDS) -> AsyncIterator[str]:
        """One page's event stream: a greeting with the current state, then each event."""
        queue: asyncio.Queue = asyncio.Queue()
        self._queues.add(queue)
        try:
            yield f"retry: {RETRY_MILLISECONDS}\ndata: {json.dumps(hello, separators=(',', ':'))}\n\n"
            while not self.closed:
                try:
                    data = await asyncio.wait_for(queue.get(), keep_alive)
                except (asyncio.TimeoutError, TimeoutError):
                    yield ": keep-alive\n\n"  # a comment: lets the browser notice a dead server
                    continue
                if data is None:
                    break
                yield f"data: {data}\n\n"
        finally:
            self._queues.discard(queue)
