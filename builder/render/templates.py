"""Render a document's Markdown from its Jinja2 template and a pairing's context.

Templates run in a sandbox with StrictUndefined. Content text is data: it is inserted into
the Markdown, never compiled as a template, so ``{{ ... }}`` inside content stays literal.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound, TemplateSyntaxError,
)
from jinja2.sandbox import SandboxedEnvironment

from builder.compose.sourced import origin_of
from builder.diagnostics import Diagnostic, DiagnosticError, Location, display_path
from builder.render.folders import template_dirs
from builder.tree.marks import ANY_MARK_CHAR, mark, strip_marks

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>|#])")


def inline(text: Any) -> str:
    """Content text for one line (a table cell, a list item): newlines folded, pipes escaped."""
    if text is None:
        return ""
    folded = " ".join(str(text).split())
    return mark(folded.replace("|", "\\|"), origin_of(text))


def plain(text: Any) -> str:
    """Text that must not be read as Markdown (names, codes): specials escaped."""
    if text is None:
        return ""
    return mark(_MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(str(text).split()).replace("|", "\\|")), origin_of(text))


SENTENCE_BREAK = re.compile(r"(?<=[A-Za-z0-9)\]%][.!?])\s+(?=[A-Z(\"'“])")
LIST_MARKER = re.compile(r"^(?:[-*+]|\d+[.)])\s+")
NOT_PROSE = re.compile(r"^(?:\||#|>|§|```|    |\t)")


def one_sentence_per_line(text: str) -> str:
    """Re-flow Markdown prose so each sentence starts a line (the review snapshot diffs by sentence).

    Paragraphs and list items are re-split; tables, headings, quotes, clauses and code are kept.
    The rendered document does not change: a line break inside a paragraph is a space.
    """
    out: list[str] = []
    group: list[str] = []
    prefix = ""

    def flush() -> None:
        nonlocal group, prefix
        if group:
            sentences = SENTENCE_BREAK.split(" ".join(part.strip() for part in group))
            pad = " " * len(prefix)
            out.extend([prefix + sentences[0]] + [pad + sentence for sentence in sentences[1:]])
        group, prefix = [], ""

    previous = ""
    for line in text.splitlines():
        # a list starts after a blank line or another item, never in the middle of a paragraph
        starts_item = not previous.strip() or bool(prefix)
        marker = LIST_MARKER.match(line) if starts_item else None
        previous = line
        if not line.strip() or NOT_PROSE.match(line):
            flush()
            out.append(line)
        elif marker:
            flush()
            prefix, group = marker.group(0), [line[marker.end():]]
        elif prefix and line.startswith(" "):
            group.append(line)
        else:
            if prefix:
                flush()
            group.append(line)
    flush()
    return "\n".join(out)


def block(text: Any, indent: int = 0) -> str:
    """Multi-paragraph Markdown content, one sentence per line, indented by ``indent`` spaces
    after the first line (for content inside a list item)."""
    value = mark(one_sentence_per_line(str(text or "").strip()), origin_of(text), block=True)
    if not indent:
        return value
    pad = " " * indent
    return "\n".join((pad + line) if line.strip() and i else line for i, line in enumerate(value.splitlines()))


def unmarked(text: Any) -> str:
    """Rendered text without its source marks, for templates that inspect text (its first word,
    whether it ends in 's', which terms it uses) rather than print it."""
    return strip_marks(str(text or ""))


def lower_initial(text: Any) -> str:
    """The text with its first letter in lower case, source marks kept ("A metric" -> "a metric")."""
    value = str(text or "")
    for index, character in enumerate(value):
        if not ANY_MARK_CHAR.match(character):
            return value[:index] + character.lower() + value[index + 1:]
    return value


def long_date(value: dt.date | None) -> str:
    """A date as legal documents write it: 15 January 2027."""
    if value is None:
        return ""
    return f"{value.day} {value.strftime('%B')} {value.year}"


def number(value: float | int | None) -> str:
    """A number without a needless decimal part: 95.0 -> 95, 0.75 -> 0.75."""
    if value is None:
        return ""
    return mark(f"{value:g}" if isinstance(value, float) else str(value), origin_of(value))


def slug_title(value: str) -> str:
    """'business-days' -> 'business days'."""
    return str(value).replace("-", " ")


@dataclass
class TemplateRenderer:
    """A sandboxed Jinja2 environment over the shipped templates and a user's overrides."""

    user_dir: Path | None = None

    def __post_init__(self) -> None:
        self.env = SandboxedEnvironment(
            loader=ChoiceLoader([FileSystemLoader(str(d)) for d in template_dirs(self.user_dir)]),
            undefined=StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            # '{#' starts Markdown attribute lists ({#sec-id}), so Jinja comments are {## ... ##}
            comment_start_string="{##",
            comment_end_string="##}",
        )
        self.env.filters.update(
            inline=inline, plain=plain, block=block, long_date=long_date, number=number,
            words=slug_title, unmarked=unmarked, lower_initial=lower_initial,
        )

    def render(self, name: str, **variables: Any) -> str:
        """Render template ``name``; template errors become located diagnostics."""
        try:
            template = self.env.get_template(name)
            return template.render(**variables)
        except TemplateNotFound as exc:
            folders = ", ".join(display_path(d) for d in template_dirs(self.user_dir))
            raise DiagnosticError([self._diagnostic(
                str(exc.name), None, f"template '{exc.name}' not found in {folders}")]) from None
        except TemplateSyntaxError as exc:
            raise DiagnosticError([self._diagnostic(exc.filename or name, exc.lineno, str(exc.message))]) from None
        except TemplateError as exc:
            filename, line = self._template_frame(exc, name)
            raise DiagnosticError([self._diagnostic(filename, line, f"template error: {exc}")]) from None

    def _diagnostic(self, filename: str, line: int | None, message: str) -> Diagnostic:
        path = Path(filename)
        shown = display_path(path) if path.is_absolute() else filename
        return Diagnostic(Location(shown, line or 0, 1 if line else 0), "error", "template", message)

    def _template_frame(self, exc: Exception, name: str) -> tuple[str, int | None]:
        """The template file and line where a render error happened, from the traceback."""
        tb = exc.__traceback__
        found: tuple[str, int | None] = (name, None)
        while tb is not None:
            code = tb.tb_frame.f_code
            if code.co_filename.endswith((".j2", ".md", ".html")) or "template" in code.co_name:
                found = (code.co_filename, tb.tb_lineno)
            tb = tb.tb_next
        return found
