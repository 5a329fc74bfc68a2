"""Run build jobs: one document of one pairing in some formats, serially or in a process pool.

Workers are forked from the process that checked the content, so they share it without
reading it again; each worker holds its own state, set by the pool's initializer, and
nothing of it is left in the parent process.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Iterator

from builder.compose.context import Context
from builder.diagnostics import Diagnostic, DiagnosticError
from builder.engine.manifest import builder_info
from builder.engine.pipeline import Pipeline


@dataclass
class Job:
    """One document of one pairing, and the formats of it that must be (re)built."""

    pairing: str
    document: str
    formats: list[str] = field(default_factory=list)
    entries: dict[str, dict] = field(default_factory=dict)  # format -> manifest entry without size/sha256
    cost: float = 1.0  # predicted relative cost, for ordering and sharding


@dataclass
class JobResult:
    """What one job made: its files by format (none when it failed), its problems, how long it
    took, and the defined terms its document shows (for the pairing's listed-terms check)."""

    files: dict[str, bytes]
    problems: list[Diagnostic]
    seconds: float
    terms_shown: frozenset[str] = frozenset()


@dataclass
class Workshop:
    """What a worker needs to build any job of a run."""

    contexts: dict[str, Context]
    pipeline: Pipeline
    options: dict = field(default_factory=dict)  # the build options recorded in the manifest

    def run(self, pairing: str, document: str, formats: list[str], entries: dict | None = None) -> JobResult:
        start = time.perf_counter()
        provenance = {"builder": builder_info(), "options": self.options, "outputs": entries or {}}
        try:
            made, files = self.pipeline.make_document(self.contexts[pairing], document, formats, provenance)
        except DiagnosticError as exc:
            return JobResult({}, exc.diagnostics, time.perf_counter() - start)
        finally:
            gc.collect()  # layout leaves large reference cycles; free them before the next document
        return JobResult(files, made.warnings, time.perf_counter() - start, made.terms_shown)


_workshop_of_this_worker: Workshop | None = None  # set in pool workers only, by the initializer


def _install(workshop: Workshop) -> None:
    global _workshop_of_this_worker
    _workshop_of_this_worker = workshop
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it ends the workers


def _run_in_worker(pairing: str, document: str, formats: list[str], provenance: dict) -> JobResult:
    assert _workshop_of_this_worker is not None
    return _workshop_of_this_worker.run(pairing, document, formats, provenance)


def execute(jobs: list[Job], workshop: Workshop, processes: int) -> Iterator[tuple[Job, JobResult]]:
    """Yield each job with its result as jobs finish, in a pool when processes > 1."""
    if processes <= 1 or len(jobs) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for job in jobs:
            yield job, workshop.run(job.pairing, job.document, job.formats, job.entries)
        return
    # Largest documents first, so the last to finish are short ones and the workers stay busy.
    ordered = sorted(jobs, key=lambda job: -job.cost)
    pool = ProcessPoolExecutor(max_workers=min(processes, len(jobs)), mp_context=multiprocessing.get_context("fork"),
                               initializer=_install, initargs=(workshop,))
    try:
        futures = {pool.submit(_run_in_worker, job.pairing, job.document, job.formats, job.entries): job
                   for job in ordered}
        for future in as_completed(futures):
            yield futures[future], future.result()
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop at once: cancel what has not started and end the workers (Ctrl-C must not wait for layouts)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(timeout=1)
