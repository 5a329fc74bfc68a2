"""The import report, as text for a person and as JSON for scripts."""

from __future__ import annotations

from pathlib import Path

from builder.diagnostics import display_path, plural
from builder.negotiate.importer import ImportResult


def _date(stamp: str) -> str:
    return stamp.replace("T", " ").removesuffix("Z")[:16] if stamp else "no date"


def report_text(result: ImportResult, file: Path, dry_run: bool) -> str:
    lines = [f"playbook import: {display_path(file)}: the {result.document} of pairing '{result.pairing}'"
             + (f" (built as version {result.built_version})" if result.built_version else "")]
    for item in result.diagnostics:
        lines.append(f"{item.location}: {item.level}: {item.message}")
    if result.pending:
        lines.append("Tracked changes still pending (accept or reject them in Word, or import with --accept-all "
                     "or --reject-all); nothing was changed:")
        for change in result.pending:
            text = f": '{change.text[:80]}'" if change.text else ""
            lines.append(f"  paragraph {change.paragraph + 1}: {change.kind} by {change.author}, "
                         f"{_date(change.date)}{text}")
    if result.comments:
        lines.append("Comments:")
        for comment, where in result.comments:
            lines.append(f"  {where}: {comment.author}, {_date(comment.date)}: \"{comment.text}\"")
    if result.plan and result.plan.written:
        lines.append("Changes " + ("that would be brought back:" if dry_run else "brought back:"))
        for item in result.plan.written:
            how = "an override in" if item.into == "override" else "the block in"
            lines.append(f"  {item.where}: {item.kind} '{item.id}' {item.path}, as {how} {item.file}")
            lines.append(f"    - {str(item.old).strip()[:200]}")
            lines.append(f"    + {str(item.new).strip()[:200]}")
    if result.not_absorbed:
        lines.append("Not brought back:")
        for item in result.not_absorbed:
            lines.append(f"  {item.where}: {item.why}")
            lines.append(f"    \"{item.text[:160]}\"")
    if dry_run and result.plan and result.plan.texts:
        lines.append(result.plan.unified_diff().rstrip("\n"))
    absorbed = len(result.plan.written) if result.plan else 0
    if any(d.level == "error" for d in result.diagnostics):
        lines.append("the content would not validate with these changes; nothing was written")
    lines.append(f"{plural(absorbed, 'change')} brought back{' (dry run: nothing written)' if dry_run else ''}, "
                 f"{len(result.not_absorbed)} not, {plural(len(result.pending), 'tracked change')} pending, "
                 f"{plural(len(result.comments), 'comment')}; {result.comparison.unchanged} paragraphs unchanged")
    return "\n".join(lines) + "\n"


def report_json(result: ImportResult) -> dict:
    return {
        "ok": result.ok, "pairing": result.pairing, "document": result.document, "built_version": result.built_version,
        "pending": [vars(change) for change in result.pending],
        "comments": [{**vars(comment), "where": where} for comment, where in result.comments],
        "absorbed": [vars(item) for item in (result.plan.written if result.plan else [])],
        "not_absorbed": [vars(item) for item in result.not_absorbed],
        "unchanged": result.comparison.unchanged,
        "written": [display_path(path) for path in result.written],
        "diagnostics": [d.to_json() for d in result.diagnostics],
    }
