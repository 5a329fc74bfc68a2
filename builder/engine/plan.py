"""Plan a build: which outputs are out of date, and how much each document costs to make."""

from __future__ import annotations

from pathlib import Path

from builder.compose.context import Context
from builder.engine.jobs import Job
from builder.engine.manifest import Input, build_key, content_inputs, sha256_file, template_inputs
from builder.writers import options_for

# Cost of writing a format: a fixed part per document (cover, contents, figures, the Word
# reference file) and a part per block or clause shown. Measured on the example library; the
# PDF layout dominates.
FORMAT_COST = {"pdf": (14.0, 1.0), "docx": (20.0, 0.35), "html": (2.0, 0.08), "md": (0.0, 0.01)}
OTHER_FORMAT_COST = (5.0, 0.2)


def document_cost(context: Context, formats: list[str]) -> float:
    """A predicted cost of one document of a pairing: the blocks and clauses it can show, and its
    formats' costs (the same for every document of a pairing: good enough to balance work)."""
    blocks = sum(len(group) for group in context.blocks.values())
    clauses = sum(len(getattr(p, "clauses", []) or []) + len(getattr(p, "obligations", []) or [])
                  for p in context.blocks.get("provision", []))
    size = max(blocks + clauses, 1)
    return sum(fixed + size * per_block for fixed, per_block in
               (FORMAT_COST.get(name, OTHER_FORMAT_COST) for name in formats))


def plan(contexts: dict[str, Context], pairings: list[str], documents: tuple[str, ...], formats: tuple[str, ...],
         content: Path, templates: Path | None, recorded: dict, previous: dict, force: bool,
         out: Path) -> tuple[list[Job], list[dict], list[Path]]:
    """Split the wanted outputs into jobs to run, manifest entries that are up to date, and their paths."""
    old = {entry.get("path"): entry for entry in previous.get("outputs", []) if isinstance(entry, dict)}
    jobs, current, up_to_date = [], [], []
    templates_of: dict[tuple[str, str], list[Input]] = {}  # the same for every pairing
    hashed: dict[str, Input] = {}  # content files shared by several pairings are hashed once
    for pairing_id in pairings:
        context = contexts[pairing_id]
        sources = content_inputs(context.sources, content, hashed)
        for document_id in context.pairing.documents:
            if documents and document_id not in documents:
                continue
            job = Job(pairing_id, document_id)
            for output_format in formats:
                if (document_id, output_format) not in templates_of:
                    templates_of[document_id, output_format] = template_inputs(document_id, output_format, templates)
                inputs = sources + templates_of[document_id, output_format]
                relative = f"{pairing_id}/{document_id}.{output_format}"
                entry = {"path": relative, "pairing": pairing_id, "document": document_id, "format": output_format,
                         "key": build_key(inputs, {"format": output_format, **options_for(output_format, recorded)}),
                         "inputs": [{"path": i.path, "sha256": i.sha256} for i in inputs]}
                if not force and _up_to_date(out / relative, old.get(relative), entry["key"]):
                    current.append(old[relative])
                    up_to_date.append(out / relative)
                else:
                    job.formats.append(output_format)
                    job.entries[output_format] = entry
            if job.formats:
                job.cost = document_cost(context, job.formats)
                jobs.append(job)
    return jobs, current, up_to_date


def _up_to_date(path: Path, entry: dict | None, key: str) -> bool:
    if not entry or entry.get("key") != key or not path.is_file():
        return False
    return path.stat().st_size == entry.get("size") and sha256_file(path) == entry.get("sha256")
