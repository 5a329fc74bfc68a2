"""Build documents: check the content, then write each pairing's documents.

Reads top to bottom: lock the output folder -> check the content -> plan which outputs are
out of date (manifest) -> build those, in a process pool when --jobs > 1 -> write each file
atomically -> write the manifest. A failed or interrupted build never leaves a truncated file
where a good one was, and leaves no temporary files behind for the next run.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TypeVar

from builder.compose.check import CheckResult, check_content
from builder.diagnostics import Diagnostic, DiagnosticError, Diagnostics, Location, display_path, suggest
from builder.render.assemble import assemble_document
from builder.engine.manifest import (
    MANIFEST_NAME, Input, build_key, content_inputs, manifest_text, read_manifest, sha256_file,
    template_inputs,
)
from builder.content.model import DOCUMENT_IDS
from builder.engine.outputs import OutputLock, remove_stale_temporaries, stage, stale_outputs, write_atomically
from builder.render.templates import TemplateRenderer

FORMATS = ("pdf", "docx", "html", "md")
T = TypeVar("T")


@dataclass(frozen=True)
class BuildOptions:
    """What to build and where."""

    content: Path = Path("content")
    out: Path = Path("output")
    pairings: tuple[str, ...] = ()
    formats: tuple[str, ...] = FORMATS
    templates: Path | None = None
    jobs: int = 1
    force: bool = False
    clean: bool = False

    def recorded(self) -> dict:
        """The options that change what an output contains (recorded in the manifest)."""
        return {"templates": self.templates.as_posix() if self.templates else None}


@dataclass(frozen=True)
class Event:
    """Progress of one output: built, up to date, or failed."""

    status: str  # planned | rendered | up-to-date | failed
    path: Path
    seconds: float = 0.0
    count: int = 0


@dataclass
class BuildResult:
    """What the build did and what went wrong."""

    built: list[Path] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    failed: list[Path] = field(default_factory=list)
    stale: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.diagnostics.ok


@dataclass
class Job:
    """One document of one pairing, and the formats of it that must be (re)built."""

    pairing: str
    document: str
    formats: list[str]
    entries: dict[str, dict]  # format -> manifest entry without size/sha256


def build_document(context, document_id: str, formats: list[str], renderer: TemplateRenderer) -> dict[str, bytes]:
    """Assemble one document and render the requested formats, in memory.

    Each writer is imported only when a format needs it; the HTML page is rendered once for
    both the html and the pdf format."""
    from builder.render.figures import draw_figures

    document = assemble_document(context, document_id, renderer)
    kinds = (("svg",) if "pdf" in formats or "html" in formats else ()) + (("png",) if "docx" in formats else ())
    figures = draw_figures(context, document.tree.figures, kinds) if kinds else {}
    files: dict[str, bytes] = {}
    if "md" in formats:
        files["md"] = document.markdown.encode("utf-8")
    if "docx" in formats:
        from builder.writers.docx import docx_bytes

        files["docx"] = docx_bytes(document, figures, renderer)
        gc.collect()  # free the Word object tree before the PDF layout, the biggest step
    if "html" in formats or "pdf" in formats:
        from builder.writers.html import page_html

        html = page_html(document, figures, renderer)
        if "html" in formats:
            files["html"] = html.encode("utf-8")
        if "pdf" in formats:
            from builder.writers.pdf import layout_pdf

            files["pdf"] = layout_pdf(html, document, renderer)
    return {fmt: files[fmt] for fmt in formats}


def select_pairings(options: BuildOptions, available: list[str], diagnostics: Diagnostics) -> list[str]:
    """The pairings to build: all, or those asked for (unknown ones are errors)."""
    if not options.pairings:
        return available
    for pairing_id in options.pairings:
        if pairing_id not in available:
            diagnostics.error(Location(display_path(options.content)), "unknown-pairing",
                              f"no pairing '{pairing_id}' in the content{suggest(pairing_id, available)}")
    return [p for p in dict.fromkeys(options.pairings) if p in available]


def plan(checked: CheckResult, pairings: list[str], options: BuildOptions, previous: dict,
         result: BuildResult, on_event: Callable[[Event], None]) -> tuple[list[Job], list[dict]]:
    """Split the wanted outputs into jobs to run and manifest entries that are up to date."""
    old = {entry.get("path"): entry for entry in previous.get("outputs", []) if isinstance(entry, dict)}
    jobs, current = [], []
    templates: dict[tuple[str, str], list[Input]] = {}  # the same for every pairing
    hashed: dict[str, Input] = {}  # content files shared by several pairings are hashed once
    for pairing_id in pairings:
        context = checked.contexts[pairing_id]
        sources = content_inputs(context.sources, options.content, hashed)
        for document_id in context.pairing.documents:
            job = Job(pairing_id, document_id, [], {})
            for output_format in options.formats:
                if (document_id, output_format) not in templates:
                    templates[document_id, output_format] = template_inputs(document_id, output_format,
                                                                            options.templates)
                inputs: list[Input] = sources + templates[document_id, output_format]
                recorded = {"format": output_format, **options.recorded()}
                relative = f"{pairing_id}/{document_id}.{output_format}"
                entry = {"path": relative, "pairing": pairing_id, "document": document_id,
                         "format": output_format, "key": build_key(inputs, recorded),
                         "inputs": [{"path": i.path, "sha256": i.sha256} for i in inputs]}
                if not options.force and _up_to_date(options.out / relative, old.get(relative), entry["key"]):
                    current.append(old[relative])
                    result.up_to_date.append(options.out / relative)
                    on_event(Event("up-to-date", options.out / relative))
                else:
                    job.formats.append(output_format)
                    job.entries[output_format] = entry
            if job.formats:
                jobs.append(job)
    return jobs, current


def _up_to_date(path: Path, entry: dict | None, key: str) -> bool:
    if not entry or entry.get("key") != key or not path.is_file():
        return False
    return path.stat().st_size == entry.get("size") and sha256_file(path) == entry.get("sha256")


# -- workers: each process checks the content once, then builds documents ---------------------
_WORKER: dict = {}


def _worker_init(content: Path, templates: Path | None) -> None:
    _WORKER["checked"] = check_content(content)
    _WORKER["renderer"] = TemplateRenderer(templates)


def _run_job(pairing: str, document: str, formats: list[str]) -> tuple[dict[str, bytes], list[Diagnostic], float]:
    start = time.perf_counter()
    context = _WORKER["checked"].contexts[pairing]
    try:
        files = build_document(context, document, formats, _WORKER["renderer"])
    except DiagnosticError as exc:
        return {}, exc.diagnostics, time.perf_counter() - start
    finally:
        gc.collect()  # layout leaves large reference cycles; free them before the next document
    return files, [], time.perf_counter() - start


def _weight(job: Job, checked: CheckResult) -> int:
    """A rough size of a job: the blocks its pairing uses, doubled for the longer manual."""
    sources = len(checked.contexts[job.pairing].sources)
    return sources * (2 if job.document == "operating-manual" else 1) * len(job.formats)


def _execute(jobs: list[Job], options: BuildOptions, checked: CheckResult):
    """Yield (job, files, diagnostics, seconds) as jobs finish, in a pool when jobs > 1."""
    _WORKER["checked"], _WORKER["renderer"] = checked, TemplateRenderer(options.templates)
    if options.jobs <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield (job, *_run_job(job.pairing, job.document, job.formats))
        return
    # Largest documents first, so the last to finish are short ones and the workers stay busy.
    jobs = sorted(jobs, key=lambda job: -_weight(job, checked))
    if "fork" in multiprocessing.get_all_start_methods():  # workers inherit the checked content
        pool = ProcessPoolExecutor(max_workers=min(options.jobs, len(jobs)),
                                   mp_context=multiprocessing.get_context("fork"))
    else:
        pool = ProcessPoolExecutor(max_workers=min(options.jobs, len(jobs)), initializer=_worker_init,
                                   initargs=(options.content, options.templates))
    with pool:
        futures = {pool.submit(_run_job, job.pairing, job.document, job.formats): job for job in jobs}
        try:
            for future in as_completed(futures):
                yield (futures[future], *future.result())
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def build(options: BuildOptions, on_event: Callable[[Event], None] = lambda event: None) -> BuildResult:
    """Check the content, then build the selected pairings' documents that are out of date."""
    start = time.perf_counter()
    result = BuildResult()
    checked = check_content(options.content)
    result.diagnostics.extend(checked.diagnostics)
    pairings = select_pairings(options, checked.library.ids("pairing"), result.diagnostics)
    if result.ok:
        options.out.mkdir(parents=True, exist_ok=True)
        with OutputLock(options.out):
            remove_stale_temporaries(options.out)
            previous = read_manifest(options.out)
            jobs, entries = plan(checked, pairings, options, previous, result, on_event)
            on_event(Event("planned", options.out, count=sum(len(job.formats) for job in jobs)))
            staged: list[Staged] = []
            try:
                staged = _render(jobs, options, checked, result, on_event)
                if result.ok:  # all or nothing: a failed build leaves every previous output as it was
                    entries += _commit(staged, result)
                    staged = []
            finally:
                _discard(staged, result)
            if result.ok:
                _finish(options, checked, previous, entries, result)
    result.seconds = time.perf_counter() - start
    return result


@dataclass
class Staged:
    """An output rendered and written to its temporary file, waiting to be renamed into place."""

    path: Path
    temporary: Path
    entry: dict


def _render(jobs: list[Job], options: BuildOptions, checked: CheckResult, result: BuildResult,
            on_event: Callable[[Event], None]) -> list[Staged]:
    """Render every job and stage each output durably as it arrives."""
    staged = []
    for job, files, problems, seconds in _execute(jobs, options, checked):
        result.diagnostics.extend(problems)
        for output_format in job.formats:
            path = options.out / job.entries[output_format]["path"]
            data = files.get(output_format)
            temporary = _guard(result, path, lambda: stage(path, data)) if data is not None else None
            if temporary is None:
                result.failed.append(path)
                on_event(Event("failed", path, seconds))
                continue
            entry = {**job.entries[output_format], "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            staged.append(Staged(path, temporary, entry))
            on_event(Event("rendered", path, seconds / len(job.formats)))
    return staged


def _commit(staged: list[Staged], result: BuildResult) -> list[dict]:
    """Rename every staged output into place; return their manifest entries."""
    for item in staged:
        os.replace(item.temporary, item.path)
        result.built.append(item.path)
    return [item.entry for item in staged]


def _discard(staged: list[Staged], result: BuildResult) -> None:
    """Remove the temporary files of outputs that will not be committed."""
    for item in staged:
        item.temporary.unlink(missing_ok=True)
        result.failed.append(item.path)


def _finish(options: BuildOptions, checked: CheckResult, previous: dict, entries: list[dict],
            result: BuildResult) -> None:
    """Write the manifest; report (and with --clean remove) outputs the content no longer has."""
    kept = _entries_not_rebuilt(previous, entries, checked, options)
    outputs = sorted(entries + kept, key=lambda entry: entry["path"])
    unchanged = outputs == previous.get("outputs") and previous.get("options") == options.recorded()
    if not unchanged or not (options.out / MANIFEST_NAME).is_file():  # a no-op build rewrites nothing
        text = manifest_text(outputs, options.recorded()).encode("utf-8")
        _guard(result, options.out / MANIFEST_NAME, lambda: write_atomically(options.out / MANIFEST_NAME, text))
    live = {(p, d) for p, c in checked.contexts.items() for d in c.pairing.documents}
    result.stale = stale_outputs(options.out, live, DOCUMENT_IDS, FORMATS)
    if options.clean:
        for path in result.stale:
            path.unlink(missing_ok=True)
            result.removed.append(path)
            if path.parent != options.out and not any(path.parent.iterdir()):
                path.parent.rmdir()


def _guard(result: BuildResult, path: Path, write: Callable[[], T]) -> T | None:
    """Run a write and return what it returns; a failure (a full disk) becomes an error at the output."""
    try:
        return write()
    except OSError as exc:
        result.diagnostics.error(Location(display_path(path)), "write-failed",
                                 f"cannot write the output: {exc.strerror or exc}")
        return None


def _entries_not_rebuilt(previous: dict, entries: list[dict], checked: CheckResult,
                         options: BuildOptions) -> list[dict]:
    """Previous manifest entries of outputs this build did not touch but that still exist."""
    done = {entry["path"] for entry in entries}
    live = {f"{p}/{d}." for p, c in checked.contexts.items() for d in c.pairing.documents}
    kept = []
    for entry in previous.get("outputs", []):
        path = entry.get("path") if isinstance(entry, dict) else None
        if not path or path in done or not (options.out / path).is_file():
            continue
        if any(path.startswith(prefix) for prefix in live):
            kept.append(entry)
    return kept
