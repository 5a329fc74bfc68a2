"""Run the preview with uvicorn on a socket bound here, and stop it cleanly on Ctrl-C.

The socket is bound before the server starts, so a port in use is one clear message and
``--port 0`` can report the port it got. Ctrl-C (or SIGTERM) ends the open event streams
first, so the server stops at once instead of waiting for the browser tabs to go away.
"""

from __future__ import annotations

import asyncio
import ipaddress
import signal
import socket
from dataclasses import dataclass
from types import FrameType
from typing import Callable

import uvicorn

from builder.serve.app import LOOPBACK_HOSTS, create_app, layouts_running
from builder.serve.state import PreviewState, Update


class ServeError(Exception):
    """The preview could not start (an address that cannot be listened on)."""


@dataclass
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    debug: bool = False


def serve_preview(state: PreviewState, options: ServeOptions, *, on_ready: Callable[[str], None],
                  on_update: Callable[[Update], None], on_error: Callable[[BaseException], None]) -> bool:
    """Serve until Ctrl-C; ``on_ready`` gets the address once the socket listens.

    Returns whether a PDF layout was still running when the preview stopped: its result is
    not wanted, and the process should then end without finalizing the interpreter, which
    can crash native libraries still at work in that thread (see ``builder.cli.serve``)."""
    sock = bind(options.host, options.port)
    app = create_app(state, on_update=on_update, on_error=on_error,
                     allowed_hosts=LOOPBACK_HOSTS if is_loopback(options.host) else ["*"])
    guarded = app if options.debug else InternalErrors(app, on_error)
    config = uvicorn.Config(guarded, log_level="info" if options.debug else "error", access_log=options.debug,
                            timeout_graceful_shutdown=2, lifespan="on")
    server = PreviewServer(config, app.state.stop)
    host, port = sock.getsockname()[:2]
    on_ready(f"http://{f'[{host}]' if ':' in host else host}:{port}/")
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    return layouts_running(app)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or a ServeError saying why not."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
    except (OSError, UnicodeError) as exc:
        raise ServeError(f"cannot listen on {host}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        hint = "; pass another --port" if exc.errno in (98, 48, 10048) else ""
        raise ServeError(f"cannot listen on {host}:{port}: {(exc.strerror or str(exc)).lower()}{hint}") from None
    sock.set_inheritable(True)
    return sock


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class PreviewServer(uvicorn.Server):
    """uvicorn's server, which ends the event streams and waiting requests as soon as it is asked to stop."""

    def __init__(self, config: uvicorn.Config, on_exit: Callable[[], None]) -> None:
        super().__init__(config)
        self.on_exit = on_exit  # called in the event loop: ends streams and waiting requests
        self.loop: asyncio.AbstractEventLoop | None = None

    async def serve(self, sockets: list[socket.socket] | None = None) -> None:
        self.loop = asyncio.get_running_loop()
        await super().serve(sockets=sockets)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        # As uvicorn does (a second Ctrl-C forces the exit), but the signal is not raised again
        # once stopped: the command reports the stop in one line instead of a KeyboardInterrupt.
        if self.should_exit and sig == signal.SIGINT:
            self.force_exit = True
        else:
            self.should_exit = True
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.on_exit)


class InternalErrors:
    """ASGI wrapper: an unexpected error in a request is reported in one line (no traceback)
    and answered with a plain 500, unless the command runs with --debug."""

    def __init__(self, app, report: Callable[[BaseException], None]) -> None:
        self.app, self.report = app, report

    async def __call__(self, scope, receive, send) -> None:
        started = False

        async def tracking(message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        except Exception as exc:  # noqa: BLE001 - reported, never shown as a traceback
            if scope["type"] != "http":
                raise
            self.report(exc)
            if not started:
                await send({"type": "http.response.start", "status": 500,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
                await send({"type": "http.response.body", "body": b"internal error; see the terminal"})
