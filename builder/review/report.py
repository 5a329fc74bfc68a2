"""The ``playbook diff`` report written out: values on one line, word diffs, and the text, JSON and Markdown formats."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Callable

from builder.review.analysis import BlockChange, DiffReport, DocumentReport
from builder.review.field_diff import ARROW, FieldChange
from builder.review.revisions import ContentSide


# -- rendering: values -------------------------------------------------------------------------
_BARE = re.compile(r"[\w.@/+:%-]+")


def flow(value: Any, limit: int = 80) -> str:
    """A value on one line, YAML-flow style: 95, monthly, "two words", [a, b], {amber: 97}."""
    if value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (int, float)):
        text = json.dumps(value)
    elif isinstance(value, str):
        folded = " ".join(value.split())
        if len(folded) > limit:
            folded = folded[:limit - 3] + "…"
        text = folded if _BARE.fullmatch(folded) else json.dumps(folded, ensure_ascii=False)
    elif isinstance(value, list):
        text = "[" + ", ".join(flow(v, limit) for v in value) + "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {flow(v, limit)}" for k, v in value.items()) + "}"
    else:
        text = json.dumps(str(value), ensure_ascii=False)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def word_diff(old: str, new: str, deleted: tuple[str, str], inserted: tuple[str, str],
              escape=lambda s: s, context: int = 4) -> str:
    """Words of two texts with only the changes marked, long unchanged stretches elided."""
    a, b = old.split(), new.split()
    pieces: list[str] = []
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = a[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            keep_head = [] if first else words[:context]
            keep_tail = [] if last else words[-context:]
            if len(words) > len(keep_head) + len(keep_tail):
                pieces.extend(escape(w) for w in keep_head)
                pieces.append("…")
                pieces.extend(escape(w) for w in keep_tail)
            else:
                pieces.extend(escape(w) for w in words)
            continue
        if i2 > i1:
            pieces.append(deleted[0] + escape(" ".join(a[i1:i2])) + deleted[1])
        if j2 > j1:
            pieces.append(inserted[0] + escape(" ".join(b[j1:j2])) + inserted[1])
    return " ".join(pieces)


@dataclass(frozen=True)
class FieldStyle:
    """How one format writes a field change: templates per kind of change, and its markup."""

    added: str
    removed: str
    reordered: str
    reworded: str
    changed: str
    deleted: tuple[str, str]
    inserted: tuple[str, str]
    path: Callable[[str], str] = lambda text: text
    value: Callable[[str], str] = lambda text: text
    escape: Callable[[str], str] = lambda text: text
    limit: int = 80


TEXT_STYLE = FieldStyle(
    added="{path} added {new}", removed="{path} removed {old}",
    reordered="{path} reordered {old} " + ARROW + " {new}", reworded="{path} reworded: {diff}",
    changed="{path} {old} " + ARROW + " {new}", deleted=("[-", "-]"), inserted=("{+", "+}"),
)


def field_text(change: FieldChange, style: FieldStyle = TEXT_STYLE) -> str:
    """One field change in a format's style, e.g. ``thresholds.red 95 -> 94``."""
    old = style.value(flow(change.old, style.limit)) if change.old is not None else ""
    new = style.value(flow(change.new, style.limit)) if change.new is not None else ""
    path = style.path(change.dotted)
    if change.op in ("added", "removed", "reordered"):
        template = getattr(style, change.op)
    elif change.is_wording:
        diff = word_diff(change.old, change.new, style.deleted, style.inserted, escape=style.escape)
        return style.reworded.format(path=path, diff=diff)
    else:
        template = style.changed
    return template.format(path=path, old=old, new=new)


def field_line(change: FieldChange) -> str:
    """``thresholds.red 95 -> 94``, ``definition reworded: … [-24-]{+48+} hours``."""
    return field_text(change, TEXT_STYLE)


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
            lines.append(f"  {pairing.pairing}: {documents}; {pairing.version_note}")
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
                {**d.to_json(), **({"snapshot_diff": d.snapshot_diff("a", "b")} if snapshot_diffs and d.status != "unchanged" else {})}
                for d in p.documents]}
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
            lines += ["", f"_Review snapshot diffs left out: too long for a comment; run `playbook diff` locally._"]
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
