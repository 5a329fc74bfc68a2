"""Write the redlines of a diff: OUT/<pairing>/<document>.redline.<ext> for every changed document,
in every format whose writer has a redline writer, and a manifest of what they were made from."""

from __future__ import annotations

import hashlib
import importlib
import os
from pathlib import Path

from builder.engine.manifest import MANIFEST_NAME, content_inputs, manifest_text, template_inputs
from builder.engine.outputs import OutputLock, stage
from builder.engine.pipeline import Pipeline
from builder.review.analysis import DiffReport
from builder.review.redline import build_redline, redline_author
from builder.writers import FORMATS

REDLINE_ASSETS = ("redline.css",)


def redline_formats() -> tuple[str, ...]:
    return tuple(name for name, output_format in FORMATS.items() if output_format.redline)


def redline_bytes(redline, format_name: str, pipeline: Pipeline) -> bytes:
    """The bytes of one redline in one format."""
    module = importlib.import_module(FORMATS[format_name].redline_module or "")
    return module.write(redline, pipeline.assets)


def write_redlines(diff: DiffReport, out_dir: Path, pipeline: Pipeline,
                   formats: tuple[str, ...] | None = None) -> list[Path]:
    """Write every changed document's redlines and their manifest; return the paths written."""
    formats = formats or redline_formats()
    written: list[Path] = []
    entries: list[dict] = []
    changed = diff.changed_documents()
    if not changed:
        return written
    out_dir.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    with OutputLock(out_dir):
        try:
            for report in changed:
                redline = build_redline(report, diff, redline_author(diff, report), pipeline, formats)
                context = report.new_context or report.old_context
                sources = content_inputs(context.sources, diff.new.content_dir) if context else []
                for format_name in formats:
                    relative = f"{report.pairing}/{report.document}.redline.{FORMATS[format_name].extension}"
                    data = redline_bytes(redline, format_name, pipeline)
                    staged.append((stage(out_dir / relative, data), out_dir / relative))
                    inputs = sources + template_inputs(report.document, format_name, pipeline.renderer.user_dir,
                                                       extra=REDLINE_ASSETS)
                    entries.append({"path": relative, "pairing": report.pairing, "document": report.document,
                                    "format": format_name, "redline": {"old": diff.old.title, "new": diff.new.title},
                                    "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                                    "inputs": [{"path": i.path, "sha256": i.sha256} for i in inputs]})
            text = manifest_text(entries, {"templates": pipeline.renderer.user_dir.as_posix()
                                           if pipeline.renderer.user_dir else None})
            staged.append((stage(out_dir / MANIFEST_NAME, text.encode("utf-8")), out_dir / MANIFEST_NAME))
            for temporary, target in staged:  # all or nothing: no Word redline without its PDF
                os.replace(temporary, target)
                written.append(target)
            staged = []
        finally:
            for temporary, _ in staged:
                temporary.unlink(missing_ok=True)
    return [path for path in written if path.name != MANIFEST_NAME]
