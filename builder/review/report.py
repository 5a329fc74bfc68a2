"""The ``playbook diff`` report written out as text, JSON and Markdown."""

from __future__ import annotations

import re

from builder.review.analysis import BlockChange, DiffReport, DocumentReport
from builder.review.field_diff import ARROW, FieldChange
from builder.review.field_text import FieldStyle, field_line, field_text
from builder.review.revisions import ContentSide
def _affects_text(change: BlockChange) -> str:
    if not change.pairings:
        return "used by no pairing"
    shown = [f"{p}: {', '.join(change.documents[p])}" for p in change.pairings if change.documents.get(p)]
    quiet = [p for p in change.pairings if not change.documents.get(p)]
    parts = []
    if shown:
        parts.append("affects " + "; ".join(shown))
    if quiet:
        parts.append(f"used by {', '.join(quiet)} without changing {'its' if len(quiet) == 1 else 'their'} documents")
    return "; ".join(parts)


def _summary_line(report: DiffReport) -> str:
    counts = report.counts()
    total = sum(counts.values())
    documents = report.changed_documents()
    pairings = {d.pairing for d in documents}
    return (f"{total} block{'s' * (total != 1)} changed ({counts['added']} added, {counts['removed']} removed, "
            f"{counts['changed']} changed); {len(documents)} document{'s' * (len(documents) != 1)} changed "
            f"in {len(pairings)} pairing{'s' * (len(pairings) != 1)}")


def _document_status(doc: DocumentReport) -> str:
    text = f"{doc.document} {doc.status}"
    extra = [f"clause {c.split()[0]} added" for c in doc.clauses_added] + \
        [f"old clause {c.split()[0]} removed" for c in doc.clauses_removed]
    if len(extra) > 4:
        extra = extra[:4] + [f"{len(extra) - 4} more"]
    return text + (f" ({'; '.join(extra)})" if extra else "")


# -- rendering: formats ------------------------------------------------------------------------
def render_text(report: DiffReport) -> str:
    """The report for a terminal: one line per block and field change, then documents and versions."""
    lines = [f"playbook diff: {report.old.title} {ARROW} {report.new.title}", ""]
    if not report.changes:
        lines.append("no content changes")
        return "\n".join(lines) + "\n"
    for change in report.changes:
        where = change.new_file if change.op != "removed" else f"was in {change.old_file}"
        if change.moved:
            where = f"moved from {change.old_file} to {change.new_file}"
        lines.append(f"{change.name}: {change.op} ({where})")
        lines.extend(f"{change.name}: {field_line(item)}" for item in change.fields)
        lines.append(f"  {_affects_text(change)}")
    if report.pairings:
        lines += ["", "Documents"]
        for pairing in report.pairings:
            documents = ", ".join(_document_status(d) for d in pairing.documents) or "no documents"
            lines.append(f"  {pairing.pairing}: {documents}; {pairing.versions_note}")
    lines += ["", _summary_line(report)]
    return "\n".join(lines) + "\n"


def render_json(report: DiffReport, snapshot_diffs: bool = True) -> dict:
    """The report as JSON-ready data (stable key order)."""
    return {
        "ok": report.diagnostics.ok,
        "old": report.old.to_json(),
        "new": report.new.to_json(),
        "summary": {**report.counts(), "documents_changed": len(report.changed_documents())},
        "changes": [c.to_json() for c in report.changes],
        "pairings": [
            {**p.to_json(), "documents": [
                {**data, **({"snapshot_diff": d.snapshot_diff("a", "b")} if snapshot_diffs and d.status != "unchanged" else {})}
                for d, data in zip(p.documents, p.to_json()["documents"])]}
            for p in report.pairings
        ],
        "diagnostics": [d.to_json() for d in report.diagnostics.sorted()],
    }


_MD_SPECIALS = re.compile(r"([\\`*_\[\]<>|#~])")
MARKDOWN_SNAPSHOT_LINES = 120
MARKDOWN_BUDGET = 60_000


def md(text: str) -> str:
    """Text that Markdown shows as written (one line)."""
    return _MD_SPECIALS.sub(r"\\\1", " ".join(str(text).split()))


def code(text: str) -> str:
    """An inline code span that survives backticks in the text."""
    text = " ".join(str(text).split())
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


MARKDOWN_STYLE = FieldStyle(
    added="{path} added: {new}", removed="{path} removed: ~~{old}~~",
    reordered="{path} reordered: {old} → {new}", reworded="{path} reworded: {diff}",
    changed="{path}: {old} → **{new}**", deleted=("~~", "~~"), inserted=("**", "**"),
    path=lambda text: code(text), value=lambda text: code(text), escape=lambda text: md(text),
)


def _field_markdown(change: FieldChange) -> str:
    return field_text(change, MARKDOWN_STYLE)


def _side_markdown(side: ContentSide) -> str:
    if side.revision is not None:
        return f"{code(side.label)} ({side.revision.short})" if side.label != side.revision.short else code(side.label)
    return md(side.title) if side.label == "working tree" else f"folder {code(side.label)}"


def render_markdown(report: DiffReport) -> str:
    """A pull-request description: summary, changes with their effects, documents and versions."""
    lines = [f"### Playbook changes: {_side_markdown(report.old)} → {_side_markdown(report.new)}", ""]
    if not report.changes:
        lines.append("No content changes.")
        return "\n".join(lines) + "\n"
    lines += [f"**{md(_summary_line(report))}**", "", "#### Content changes", ""]
    for change in report.changes:
        file = change.new_file if change.op != "removed" else change.old_file
        lines.append(f"- **{md(change.kind)} {code(change.id)}** {change.op} ({code(file or '')})")
        lines.extend(f"  - {_field_markdown(item)}" for item in change.fields)
        lines.append(f"  - {md(_affects_text(change))}")
    if report.pairings:
        lines += ["", "#### Documents and versions", "",
                  "| Pairing | Documents | Version | Proposed |", "|---|---|---|---|"]
        for pairing in report.pairings:
            documents = "<br>".join(md(_document_status(d)) for d in pairing.documents) or "none"
            version = md(pairing.new_version or pairing.old_version or "")
            if pairing.old_version and pairing.new_version and pairing.old_version != pairing.new_version:
                version = f"{md(pairing.old_version)} → {md(pairing.new_version)}"
            proposed = f"**{md(pairing.proposed)}** ({pairing.bump}: {md(pairing.reason)})" if pairing.bump != "none" \
                else md(pairing.version_note)
            if pairing.verdict == "lower":
                proposed += f" ⚠️ {md(pairing.new_version)} is lower"
            elif pairing.verdict == "ok":
                proposed += " ✓"
            lines.append(f"| {code(pairing.pairing)} | {documents} | {version} | {proposed} |")
            for document, own in pairing.own_versions.items():
                own_version = md(own.new or own.old or "")
                if own.old and own.new and own.old != own.new:
                    own_version = f"{md(own.old)} → {md(own.new)}"
                own_proposed = f"**{md(own.proposed)}** ({own.bump}: {md(own.reason)})" if own.bump != "none" \
                    else "no change proposed"
                lines.append(f"| {code(pairing.pairing)} | {md(document)} (its own version) | {own_version} | "
                             f"{own_proposed} |")
    lines += _snapshot_markdown(report)
    return "\n".join(lines) + "\n"


def _snapshot_markdown(report: DiffReport) -> list[str]:
    """Each changed document's review-snapshot diff, folded, within GitHub's comment size."""
    lines: list[str] = []
    budget = MARKDOWN_BUDGET
    for doc in report.changed_documents():
        diff_lines = doc.snapshot_diff("a", "b").splitlines()
        if not diff_lines:
            continue
        shown = diff_lines[:MARKDOWN_SNAPSHOT_LINES]
        body = "\n".join(shown)
        if len(body) > budget:
            lines += ["", "_Review snapshot diffs left out: too long for a comment; run `playbook diff` locally._"]
            break
        budget -= len(body)
        fence = "`" * max(3, max((len(r) for r in re.findall(r"`+", body)), default=0) + 1)
        more = len(diff_lines) - len(shown)
        lines += ["", f"<details><summary>Review snapshot diff: {md(doc.pairing)}/{md(doc.document)}.md</summary>", "",
                  f"{fence}diff", body, fence]
        if more:
            lines.append(f"_… {more} more lines_")
        lines += ["", "</details>"]
    return lines
