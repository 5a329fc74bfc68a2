"""Lay a DOCX out with LibreOffice, to learn the page each bookmark falls on.

Word keeps the page numbers of a table of contents as cached field results, which it only
recomputes when asked. So that a built DOCX opens with them filled in, the build converts
the file to PDF once with LibreOffice (headless, a private profile, the theme's fonts made
visible through a private fontconfig file, a timeout), with every bookmark exported as a PDF
named destination, and reads the destinations' pages back with pypdf. The numbers come from
the DOCX's own layout, not from the print PDF's.

``PLAYBOOK_SOFFICE`` names the LibreOffice program to use (default: ``soffice`` on PATH);
``PLAYBOOK_SOFFICE=none`` turns the pass off.
"""

from __future__ import annotations

import functools
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from builder.tree.theme import FontFace

SOFFICE_VARIABLE = "PLAYBOOK_SOFFICE"
PAGE_NUMBERS_OPTION = "docx-page-numbers"  # the build option (and manifest entry) that says what numbers pages
NO_PAGE_NUMBERS = "none"
TIMEOUT_SECONDS = 120.0
# Every Word bookmark becomes a named destination of the PDF (the option costs no time).
PDF_FILTER = 'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
# A fresh profile that never looks for updates; the DOCX has no external links to fetch.
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Jobs/Jobs/org.openoffice.Office.Jobs:Job['UpdateCheck']/Arguments">
<prop oor:name="AutoCheckEnabled" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
<prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""
# The private cache comes first: fontconfig writes to the first writable cache folder, and the
# system's must not collect caches of our temporary font folders.
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <cachedir>{cache}</cachedir>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{fonts}</dir>
</fontconfig>
"""


class LayoutError(Exception):
    """LibreOffice could not lay the file out (missing, failed, timed out, no PDF)."""


@dataclass(frozen=True)
class LibreOffice:
    """An installed LibreOffice: the program to run and its version."""

    program: str
    version: str

    @property
    def label(self) -> str:
        """How the manifest records it: ``libreoffice 7.4.7.2``."""
        return f"libreoffice {self.version}"


@dataclass(frozen=True)
class Layout:
    """Where LibreOffice put things: the page (1-based) of each bookmark, and the page count."""

    pages: dict[str, int] = field(default_factory=dict)
    page_count: int = 0
    seconds: float = 0.0


def find_libreoffice() -> LibreOffice | None:
    """The LibreOffice that lays out DOCX files here, or None (not installed, or turned off)."""
    return _libreoffice(os.environ.get(SOFFICE_VARIABLE, "").strip(), os.environ.get("PATH", ""))


@functools.cache
def _libreoffice(wanted: str, search_path: str) -> LibreOffice | None:
    if wanted.lower() == NO_PAGE_NUMBERS:
        return None
    program = shutil.which(wanted or "soffice", path=search_path)
    if program is None:
        return None
    try:
        shown = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=60,
                               env=_quiet_environment(Path(tempfile.gettempdir()))).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"LibreOffice\s+(\d+(?:\.\d+)+)", shown)
    return LibreOffice(program, found.group(1)) if found else None


def page_numbers_option() -> str:
    """What makes the DOCX contents' page numbers, as the manifest records it."""
    office = find_libreoffice()
    return office.label if office else NO_PAGE_NUMBERS


def lay_out(docx: bytes, bookmarks: Iterable[str], fonts: Sequence[FontFace] = (), *,
            office: LibreOffice | None = None, timeout: float = TIMEOUT_SECONDS) -> Layout:
    """The pages of `bookmarks` in LibreOffice's layout of `docx` (LayoutError when it fails).

    Bookmarks LibreOffice did not place (none are expected) are left out of the result."""
    import time

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    office = office or find_libreoffice()
    if office is None:
        raise LayoutError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="playbook-layout-") as scratch:
        folder = Path(scratch)
        source = folder / "document.docx"
        source.write_bytes(docx)
        start = time.perf_counter()
        _convert(office, source, folder, _fonts_folder(folder, fonts), timeout)
        seconds = time.perf_counter() - start
        pdf = folder / "out" / "document.pdf"
        if not pdf.is_file():
            raise LayoutError("LibreOffice wrote no PDF")
        try:
            reader = PdfReader(io.BytesIO(pdf.read_bytes()))
            destinations = {name.lstrip("/"): reader.get_destination_page_number(target) + 1
                            for name, target in reader.named_destinations.items()}
            count = len(reader.pages)
        except (PyPdfError, ValueError, KeyError) as exc:
            raise LayoutError(f"cannot read LibreOffice's PDF ({exc})") from None
    pages = {name: destinations[destination_name(name)] for name in bookmarks
             if destination_name(name) in destinations}
    return Layout(pages, count, seconds)


def destination_name(bookmark: str) -> str:
    """How LibreOffice's PDF export names a bookmark's destination: ASCII letters, digits and
    '-' kept, every other byte as two upper-case hex digits (``_Ref1`` -> ``5FRef1``)."""
    return "".join(chr(b) if chr(b).isascii() and (chr(b).isalnum() or chr(b) == "-") else f"{b:02X}"
                   for b in bookmark.encode("utf-8"))


def _fonts_folder(folder: Path, fonts: Sequence[FontFace]) -> Path:
    """A fontconfig file that shows LibreOffice the theme's fonts besides the system's."""
    fonts_dir = folder / "fonts"
    fonts_dir.mkdir()
    for face in fonts:
        (fonts_dir / Path(face.file_name).name).write_bytes(face.data)
    conf = folder / "fonts.conf"
    conf.write_text(FONTS_CONF.format(fonts=fonts_dir, cache=folder / "fontcache"), encoding="utf-8")
    return conf


def _quiet_environment(home: Path, fonts_conf: Path | None = None) -> dict[str, str]:
    """LibreOffice's environment: no display, a private home, our fonts; no proxy settings."""
    environment = {key: value for key, value in os.environ.items()
                   if not key.lower().endswith("_proxy") and key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    environment.update(HOME=str(home), SAL_USE_VCLPLUGIN="svp")
    if fonts_conf is not None:
        environment["FONTCONFIG_FILE"] = str(fonts_conf)
    return environment


def _convert(office: LibreOffice, source: Path, folder: Path, fonts_conf: Path, timeout: float) -> None:
    """One headless conversion to PDF in a private profile; the whole process group goes on timeout."""
    profile = folder / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE_SETTINGS, encoding="utf-8")
    command = [office.program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
               "--nologo", "--norestore", "--nolockcheck", "--convert-to", PDF_FILTER,
               "--outdir", str(folder / "out"), str(source)]
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env=_quiet_environment(folder, fonts_conf), start_new_session=True)
    except OSError as exc:
        raise LayoutError(f"cannot run {office.program}: {exc.strerror or exc}") from None
    try:
        _, errors = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        raise LayoutError(f"LibreOffice did not finish within {timeout:g} s") from None
    except BaseException:  # Ctrl-C: never leave a LibreOffice behind
        _kill(process)
        raise
    if process.returncode != 0:
        detail = errors.decode("utf-8", "replace").strip().splitlines()
        raise LayoutError(f"LibreOffice failed (exit status {process.returncode})"
                          + (f": {detail[-1]}" if detail else ""))


def _kill(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        pass
    process.wait()
