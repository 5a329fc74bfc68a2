"""The preview's routes; nothing else is served.

    /                               every pairing and its documents, and the content's problems
    /<pairing>/<document>/          the document's page (what the PDF is laid out from), live
    /<pairing>/<document>.pdf       its PDF, laid out on request, kept until the document changes
    /<pairing>/<document>/<file>    a template asset the page names relatively (print.css, fonts/...)
    /_assets/<file>                 a template asset (preview.css, print.css, fonts, images)
    /_serve/events                  Server-Sent Events: the preview changed
    /_serve/status[/<p>/<d>]        JSON: a page's version and the errors that keep it from being current
    /_serve/preview.js              the page's script

Work that takes time (checking, rendering, laying out a PDF) runs in worker threads, so
the event stream and other pages keep answering.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import AsyncIterator, Callable, TypeVar

from anyio import to_thread
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse,
)
from starlette.routing import Route

from builder.diagnostics import Diagnostic, DiagnosticError
from builder.serve.assets import media_type, resolve_asset
from builder.serve.events import Broadcaster
from builder.serve.pages import document_page, document_url, error_page, index_page
from builder.serve.state import PreviewState, Update

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SCRIPT = Path(__file__).with_name("preview.js")
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]
PAGE_POLICY = ("default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data:; font-src 'self' data:; base-uri 'none'; form-action 'none'; "
               "frame-ancestors 'none'")
NO_STORE = {"Cache-Control": "no-store"}
RETRY_WATCH_SECONDS = 2.0
T = TypeVar("T")


class Refresher:
    """Runs one refresh per batch of saved files and tells the open pages about it."""

    def __init__(self, state: PreviewState, events: Broadcaster, on_update: Callable[[Update], None],
                 on_error: Callable[[BaseException], None] | None) -> None:
        self.state, self.events, self.on_update, self.on_error = state, events, on_update, on_error

    async def __call__(self, paths: set[str]) -> None:
        self.events.publish({"type": "building"})
        update = None
        try:
            update = await to_thread.run_sync(self.state.refresh, paths)
        except Exception as exc:  # noqa: BLE001 - the preview keeps serving; the command reports it
            self._report(exc)
        if update is not None:
            self.on_update(update)
        self.events.publish({"type": "updated", "serial": self.state.serial,
                             "documents": [f"{p}/{d}" for p, d in (update.reached if update else [])],
                             "assets": bool(update and update.changes.templates)})

    async def watch(self, stop: asyncio.Event) -> None:
        """Watch the content and template folders until ``stop``; a failed watch is retried."""
        from builder.serve.watcher import watch_changes

        folders = [self.state.content_dir, *self.state.template_dirs]
        reported = ""
        while not stop.is_set():
            try:
                await watch_changes(folders, self, stop)
            except Exception as exc:  # noqa: BLE001 - e.g. a watched folder was removed
                if str(exc) != reported:
                    self._report(exc)
                    reported = str(exc)
                await asyncio.sleep(RETRY_WATCH_SECONDS)

    def _report(self, exc: Exception) -> None:
        if self.on_error is None:
            raise exc
        self.on_error(exc)


def create_app(state: PreviewState, *, broadcaster: Broadcaster | None = None, watch: bool = True,
               allowed_hosts: list[str] | None = None, on_update: Callable[[Update], None] = lambda update: None,
               on_error: Callable[[BaseException], None] | None = None) -> Starlette:
    """The preview application over a loaded state.

    ``watch`` starts the file watcher with the application (tests call ``app.state.refresher``
    instead); ``on_update`` hears about each refresh (the command prints a line); ``on_error``
    about an unexpected failure of a refresh or of the watcher (without it, it is raised)."""
    events = broadcaster or Broadcaster()
    refresher = Refresher(state, events, on_update, on_error)
    stopping = asyncio.Event()

    def stop() -> None:
        """Let open requests end now: event streams close, waiting PDF requests are answered."""
        stopping.set()
        events.close()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        watching = asyncio.Event()  # set: stop watching
        watcher = asyncio.create_task(refresher.watch(watching)) if watch else None
        try:
            yield
        finally:
            watching.set()
            if watcher is not None:
                watcher.cancel()
                await asyncio.gather(watcher, return_exceptions=True)

    hosts = allowed_hosts if allowed_hosts is not None else LOOPBACK_HOSTS
    app = Starlette(routes=ROUTES, lifespan=lifespan, exception_handlers={404: _not_found, 405: _not_found},
                    middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=hosts)])
    app.router.redirect_slashes = False  # never redirect a path that is not a document
    app.state.preview, app.state.events, app.state.refresher = state, events, refresher
    app.state.stopping, app.state.stop = stopping, stop
    app.state.layouts = set()  # PDF layouts running in daemon threads
    return app


# -- routes -------------------------------------------------------------------------------


async def index(request: Request) -> Response:
    state = _state(request)
    return _page(await _locked(state, index_page, state))


async def document(request: Request) -> Response:
    state, (pairing_id, document_id) = _state(request), _ids(request)
    page = await _locked(state, state.page, pairing_id, document_id) if pairing_id else None
    if page is None:
        return await _not_found(request)
    return _page(await _locked(state, document_page, state, page))


async def bare_document(request: Request) -> Response:
    """``/<pairing>/<document>`` (no slash): to the page, so its relative asset links resolve."""
    state, (pairing_id, document_id) = _state(request), _ids(request)
    if not pairing_id or document_id not in await _locked(state, state.documents_of, pairing_id):
        return await _not_found(request)
    return RedirectResponse(document_url(pairing_id, document_id))


async def pdf(request: Request) -> Response:
    state, (pairing_id, document_id) = _state(request), _ids(request)
    if not pairing_id:
        return await _not_found(request)
    try:
        data = await _in_daemon_thread(request.app.state, state.pdf, pairing_id, document_id)
    except Stopping:
        return PlainTextResponse("the preview is stopping", status_code=503)
    except KeyError:
        return await _not_found(request)
    except DiagnosticError as exc:
        return _page(error_page("The PDF cannot be made until these errors are fixed", exc.diagnostics),
                     status_code=409)
    name = f"{pairing_id}-{document_id}.pdf"
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"', **NO_STORE})


async def asset(request: Request) -> Response:
    """A template asset: ``/_assets/<name>``, or ``/<pairing>/<document>/<name>`` (a page's relative link)."""
    if "pairing" in request.path_params and not _ids(request)[0]:
        return await _not_found(request)
    path = resolve_asset(_state(request).template_dirs, request.path_params["name"])
    if path is None:
        return await _not_found(request)
    return FileResponse(path, media_type=media_type(path), headers={"Cache-Control": "no-cache"})


async def status(request: Request) -> Response:
    """The index's status: its version, and the content's errors."""
    def report(state: PreviewState) -> dict:
        errors = state.errors()
        warnings = len(state.checked.diagnostics.warnings)
        return {"version": state.serial, "errors": len(errors), "warnings": warnings,
                "diagnostics": [_json(d) for d in errors]}
    state = _state(request)
    return JSONResponse(await _locked(state, report, state), headers=NO_STORE)


async def document_status(request: Request) -> Response:
    """A page's status: its version, its own errors and the content's others."""
    def report(state: PreviewState, key: tuple[str, str]) -> dict | None:
        page = state.page(*key)
        if page is None:
            return None
        problems = state.problems(key)
        return {"version": page.version, "own": [_json(d) for d in problems.own],
                "others": [_json(d) for d in problems.others], "warnings": problems.warnings}
    state, key = _state(request), _ids(request)
    found = await _locked(state, report, state, key) if key[0] else None
    if found is None:
        return JSONResponse({"error": "not found"}, status_code=404, headers=NO_STORE)
    return JSONResponse(found, headers=NO_STORE)


async def events(request: Request) -> Response:
    stream = request.app.state.events.stream({"type": "hello", "serial": _state(request).serial})
    return StreamingResponse(stream, media_type="text/event-stream", headers={**NO_STORE, "X-Accel-Buffering": "no"})


async def script(request: Request) -> Response:
    return Response(SCRIPT.read_text(encoding="utf-8"), media_type="text/javascript; charset=utf-8",
                    headers=NO_STORE)


ROUTES = [
    Route("/", index),
    Route("/_serve/events", events),
    Route("/_serve/status", status),
    Route("/_serve/status/{pairing}/{document}", document_status),
    Route("/_serve/preview.js", script),
    Route("/_assets/{name:path}", asset),
    Route("/{pairing}/{document}.pdf", pdf),
    Route("/{pairing}/{document}", bare_document),
    Route("/{pairing}/{document}/", document),
    Route("/{pairing}/{document}/{name:path}", asset),
]


def _state(request: Request) -> PreviewState:
    return request.app.state.preview


def _ids(request: Request) -> tuple[str, str]:
    """The pairing and document ids of the path, or empty strings when they are not slugs."""
    pairing_id, document_id = request.path_params["pairing"], request.path_params["document"]
    if SLUG.match(pairing_id) and SLUG.match(document_id):
        return pairing_id, document_id
    return "", ""


async def _locked(state: PreviewState, function: Callable[..., T], *args) -> T:
    """Run ``function`` in a worker thread while the state is not being refreshed."""
    def run() -> T:
        with state.lock:
            return function(*args)
    return await to_thread.run_sync(run)


class Stopping(Exception):
    """The preview stopped while a request waited."""


async def _in_daemon_thread(app_state, function: Callable[..., T], *args) -> T:
    """Run a long job (a PDF layout) in a daemon thread, which never keeps a stopped preview
    alive (``layouts_running`` tells); Stopping when the preview stops first."""
    loop = asyncio.get_running_loop()
    result: asyncio.Future = loop.create_future()

    def settle(outcome: Callable[[], None]) -> None:
        if not result.done():
            outcome()

    def run() -> None:
        try:
            value = function(*args)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting request
            outcome = partial(result.set_exception, exc)
        else:
            outcome = partial(result.set_result, value)
        finally:
            app_state.layouts.discard(threading.current_thread())
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
            loop.call_soon_threadsafe(settle, outcome)

    thread = threading.Thread(target=run, name="playbook serve: layout", daemon=True)
    app_state.layouts.add(thread)
    thread.start()
    waiting = asyncio.ensure_future(app_state.stopping.wait())
    try:
        await asyncio.wait({result, waiting}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiting.cancel()
    if not result.done():
        raise Stopping
    return result.result()


def layouts_running(app: Starlette) -> bool:
    """Whether a PDF layout is still running (in a daemon thread) after the preview stopped."""
    return any(thread.is_alive() for thread in list(app.state.layouts))


def _page(html: str, status_code: int = 200) -> Response:
    return HTMLResponse(html, status_code=status_code,
                        headers={**NO_STORE, "Content-Security-Policy": PAGE_POLICY,
                                 "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"})


async def _not_found(request: Request, exc: Exception | None = None) -> Response:
    return _page(error_page("Not found"), status_code=404)


def _json(diagnostic: Diagnostic) -> dict:
    return {**diagnostic.to_json(), "text": str(diagnostic)}
