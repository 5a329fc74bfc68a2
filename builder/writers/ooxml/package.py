"""Document properties and byte-stable saving."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path
from typing import IO

from docx.document import Document


def set_core_properties(document: Document, *, title: str, subject: str, author: str,
                        keywords: str, created: dt.date) -> None:
    """Fill docProps/core.xml deterministically: created = modified = `created` 00:00 UTC."""
    stamp = dt.datetime(created.year, created.month, created.day, tzinfo=dt.timezone.utc)
    props = document.core_properties
    props.title, props.subject, props.keywords = title, subject, keywords
    props.author = props.last_modified_by = author
    props.created = props.modified = stamp
    props.revision = 1


def save_deterministic(document: Document, path_or_stream: str | os.PathLike[str] | IO[bytes],
                       timestamp: tuple[int, ...] = (2000, 1, 1, 0, 0, 0)) -> None:
    """Save `document` so that the same content always gives the same bytes.

    python-docx writes parts in a stable order and its ids (rsids, w14:docId, rIds,
    our bookmark and numbering ids) come from the template or counters; only the
    zip entries carry the clock, so they are rewritten with a fixed date and mode.
    """
    raw, out = io.BytesIO(), io.BytesIO()
    document.save(raw)
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=timestamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    if isinstance(path_or_stream, (str, os.PathLike)):
        Path(path_or_stream).write_bytes(out.getvalue())
    else:
        path_or_stream.write(out.getvalue())
