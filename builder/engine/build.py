"""Build documents: check the content, then write each pairing's documents.

Reads top to bottom: load the templates -> check the content -> lock the output folder ->
plan which outputs are out of date (manifest) -> build those, in a process pool when
--jobs > 1 -> stage each file durably as it arrives -> rename all into place only when every
one succeeded -> write the manifest. A failed or interrupted build never leaves a truncated
file where a good one was, and leaves no temporary or lock files behind.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, TypeVar

from builder.compose.check import CheckResult, check_content
from builder.compose.pairing_rules import check_listed_terms_shown
from builder.content.file_blocks import stored_blocks
from builder.diagnostics import DiagnosticError, Diagnostics, Location, display_path, suggest
from builder.engine.events import Event
from builder.engine.jobs import Job, Workshop, execute
from builder.engine.manifest import MANIFEST_NAME, manifest_text, read_manifest
from builder.engine.outputs import OutputLock, remove_stale_temporaries, stage, write_atomically
from builder.engine.pipeline import Pipeline
from builder.engine.plan import plan
from builder.engine.shards import Shard, shard_pairings
from builder.engine.stale import clean_stale, stale_outputs
from builder.writers import format_names
from builder.writers.docx_layout import NO_PAGE_NUMBERS, PAGE_NUMBERS_OPTION, page_numbers_option

T = TypeVar("T")


@dataclass(frozen=True)
class BuildOptions:
    """What to build and where."""

    content: Path = Path("content")
    out: Path = Path("output")
    pairings: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()  # empty: every registered format
    templates: Path | None = None
    jobs: int = 1
    force: bool = False
    clean: bool = False
    shard: Shard | None = None
    pdf_variant: str | None = None  # pdf/a-3u, pdf/a-2u, ... (default: tagged PDF/UA)
    docx_page_numbers: str | None = None  # what lays the Word files out: "libreoffice 7.4.7.2" or "none"

    @property
    def selected_formats(self) -> tuple[str, ...]:
        return self.formats or format_names()

    def recorded(self) -> dict:
        """The options that change what an output contains (recorded in the manifest)."""
        recorded = {"templates": self.templates.as_posix() if self.templates else None}
        if self.pdf_variant:
            recorded["pdf-variant"] = self.pdf_variant
        if self.docx_page_numbers:
            recorded[PAGE_NUMBERS_OPTION] = self.docx_page_numbers
        return recorded

    def writer_options(self) -> dict[str, str]:
        options = {"pdf-variant": self.pdf_variant} if self.pdf_variant else {}
        if self.docx_page_numbers:
            options[PAGE_NUMBERS_OPTION] = self.docx_page_numbers
        return options

    def with_layout_engines(self) -> "BuildOptions":
        """These options with what lays out the Word files found on this machine (when they are built)."""
        if "docx" not in self.selected_formats or self.docx_page_numbers is not None:
            return self
        return replace(self, docx_page_numbers=page_numbers_option())


@dataclass
class BuildResult:
    """What the build did and what went wrong."""

    built: list[Path] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    failed: list[Path] = field(default_factory=list)
    stale: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    notes: list[str] = field(default_factory=list)  # said once in the summary
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.diagnostics.ok


@dataclass
class Staged:
    """An output rendered and written to its temporary file, waiting to be renamed into place."""

    path: Path
    temporary: Path
    entry: dict


def build(options: BuildOptions, on_event: Callable[[Event], None] = lambda event: None) -> BuildResult:
    """Check the content, then build the selected pairings' documents that are out of date."""
    start = time.perf_counter()
    result = BuildResult()
    options = options.with_layout_engines()
    try:
        pipeline = Pipeline.load(options.templates, options.writer_options())
    except DiagnosticError as exc:
        result.diagnostics.extend(exc.diagnostics)
        return _timed(result, start)
    with stored_blocks(options.content) as files:
        checked = check_content(options.content, documents=pipeline.documents.requirements(), load=files)
    result.diagnostics.extend(item for item in checked.diagnostics if item.level != "note")
    # an unknown --pairing is reported only when the content loaded: the pairing may be in a broken file
    wanted = options.pairings if checked.ok else tuple(p for p in options.pairings if p in checked.library.ids("pairing"))
    pairings = select(wanted, checked.library.ids("pairing"), "pairing", options.content, result.diagnostics)
    documents = tuple(select(options.documents, pipeline.documents.ids(), "document", options.content,
                             result.diagnostics))
    if not result.ok:
        return _timed(result, start)
    if options.shard is not None:
        pairings = shard_pairings(checked.contexts, pairings, documents, options.selected_formats, options.shard)
    options.out.mkdir(parents=True, exist_ok=True)
    with OutputLock(options.out):
        remove_stale_temporaries(options.out)
        previous = read_manifest(options.out)
        jobs, entries, current = plan(checked.contexts, pairings, documents, options.selected_formats,
                                      options.content, options.templates, options.recorded(), previous,
                                      options.force, options.out)
        for path in current:
            result.up_to_date.append(path)
            on_event(Event("up-to-date", path))
        on_event(Event("planned", options.out, count=sum(len(job.formats) for job in jobs)))
        staged: list[Staged] = []
        try:
            workshop = Workshop(checked.contexts, pipeline, options.recorded())
            shown: dict[tuple[str, str], frozenset[str]] = {}
            staged = _render(jobs, options, workshop, result, on_event, shown)
            _check_terms_shown(checked, shown, result)
            if result.ok:  # all or nothing: a failed build leaves every previous output as it was
                entries += _commit(staged, result)
                staged = []
        finally:
            _discard(staged, result)
        if result.ok:
            _finish(options, checked, previous, entries, result)
    if options.docx_page_numbers == NO_PAGE_NUMBERS and any(path.suffix == ".docx" for path in result.built):
        result.notes.append("no LibreOffice (soffice) to lay out the Word files, so their contents show no page "
                            "numbers until Word updates the fields as it opens them")
    return _timed(result, start)


def _timed(result: BuildResult, start: float) -> BuildResult:
    result.seconds = time.perf_counter() - start
    return result


def select(wanted: tuple[str, ...], available: list[str], what: str, content: Path,
           diagnostics: Diagnostics) -> list[str]:
    """The pairings (or documents) to build: all, or those asked for (unknown ones are errors)."""
    if not wanted:
        return available
    for name in wanted:
        if name not in available:
            diagnostics.error(Location(display_path(content)), f"unknown-{what}",
                              f"no {what} '{name}'{suggest(name, available)}; {what}s are: {', '.join(available)}")
    return [name for name in dict.fromkeys(wanted) if name in available]


def _render(jobs: list[Job], options: BuildOptions, workshop: Workshop, result: BuildResult,
            on_event: Callable[[Event], None], shown: dict[tuple[str, str], frozenset[str]]) -> list[Staged]:
    """Render every job and stage each output durably as it arrives; record in ``shown`` the
    glossary terms each rendered document shows."""
    staged = []
    for job, made in execute(jobs, workshop, options.jobs):
        result.diagnostics.extend(made.problems)
        if made.files:
            shown[(job.pairing, job.document)] = made.terms_shown
        for output_format in job.formats:
            path = options.out / job.entries[output_format]["path"]
            data = made.files.get(output_format)
            temporary = _guard(result, path, lambda: stage(path, data)) if data is not None else None
            if temporary is None:
                result.failed.append(path)
                on_event(Event("failed", path, made.seconds))
                continue
            entry = {**job.entries[output_format], "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            staged.append(Staged(path, temporary, entry))
            on_event(Event("rendered", path, made.seconds / len(job.formats)))
    return staged


def _check_terms_shown(checked: CheckResult, shown: dict[tuple[str, str], frozenset[str]],
                       result: BuildResult) -> None:
    """Terms a pairing lists that none of its documents shows, for each pairing whose documents
    were all rendered in this run."""
    for pairing_id, context in checked.contexts.items():
        if all((pairing_id, document) in shown for document in context.pairing.documents):
            terms = frozenset().union(*(shown[(pairing_id, document)] for document in context.pairing.documents))
            check_listed_terms_shown(context, checked.library.get("pairing", pairing_id).source, terms,
                                     result.diagnostics)


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
    live = {(p, d) for p, c in checked.contexts.items() for d in c.pairing.documents}
    done = {entry["path"] for entry in entries}
    kept = [entry for entry in previous.get("outputs", []) if _still_there(entry, done, live, options.out)]
    result.stale = stale_outputs(options.out, previous, live)
    if options.clean and result.stale:
        problem = clean_stale(options.out, result.stale, entries + kept, result.removed)
        if problem:
            result.diagnostics.error(Location(display_path(options.out)), "clean-refused", problem)
    # stale outputs stay listed until they are removed, so a later --clean still finds them
    stale = {path.relative_to(options.out).as_posix() for path in result.stale if path not in result.removed}
    kept += [entry for entry in previous.get("outputs", []) if isinstance(entry, dict) and entry.get("path") in stale]
    outputs = sorted(entries + kept, key=lambda entry: entry["path"])
    unchanged = outputs == previous.get("outputs") and previous.get("options") == options.recorded()
    if not unchanged or not (options.out / MANIFEST_NAME).is_file():  # a no-op build rewrites nothing
        text = manifest_text(outputs, options.recorded()).encode("utf-8")
        _guard(result, options.out / MANIFEST_NAME, lambda: write_atomically(options.out / MANIFEST_NAME, text))


def _still_there(entry: object, done: set[str], live: set[tuple[str, str]], out: Path) -> bool:
    """Whether a previous manifest entry stays: not rebuilt now, its file there, its document live."""
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
        return False
    if entry["path"] in done or not (out / entry["path"]).is_file():
        return False
    return (entry.get("pairing"), entry.get("document")) in live


def _guard(result: BuildResult, path: Path, write: Callable[[], T]) -> T | None:
    """Run a write and return what it returns; a failure (a full disk) becomes an error at the output."""
    try:
        return write()
    except OSError as exc:
        result.diagnostics.error(Location(display_path(path)), "write-failed",
                                 f"cannot write the output: {exc.strerror or exc}")
        return None
