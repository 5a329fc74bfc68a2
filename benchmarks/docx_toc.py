"""Benchmark: the cost of the Word contents' page numbers.

Writes the example Operating Manual and Quality Agreement as DOCX with and without the
LibreOffice pass, counts LibreOffice runs per DOCX (goal: at most one), and prints the
pass's cost against LibreOffice converting the same finished DOCX to PDF (goal <= 1.1).

Run: python benchmarks/docx_toc.py   (needs LibreOffice: soffice on PATH)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from library import BIG_PAIRING, ROOT  # noqa: E402

DOCUMENTS = ("operating-manual", "quality-agreement")
REPEAT = 5


def timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def main() -> int:
    from builder.compose.check import check_content
    from builder.engine.pipeline import Pipeline
    from builder.writers import docx_layout

    office = docx_layout.find_libreoffice()
    if office is None:
        print("LibreOffice (soffice) is not installed: nothing to measure")
        return 1
    context = check_content(ROOT / "content").contexts[BIG_PAIRING]
    plain = Pipeline.load()
    numbered = Pipeline.load(None, {docx_layout.PAGE_NUMBERS_OPTION: office.label})
    runs = 0
    convert = docx_layout._convert

    def counting(*args, **kwargs):
        nonlocal runs
        runs += 1
        return convert(*args, **kwargs)

    docx_layout._convert = counting
    print(f"{office.label}; best of {REPEAT}")
    print(f"{'document':<20}{'pages':>6}{'without':>10}{'with':>9}{'pass':>8}{'LO->PDF':>9}{'ratio':>7}{'LO runs':>9}")
    worst = 0.0
    for document_id in DOCUMENTS:
        docx = numbered.make(context, document_id, ["docx"])["docx"]  # the finished file, converted plainly
        without, with_pass, to_pdf, pages = [], [], [], 0
        runs = 0
        for _ in range(REPEAT):  # alternating, so a busy machine slows all three alike
            without.append(timed(lambda: plain.make(context, document_id, ["docx"]))[0])
            with_pass.append(timed(lambda: numbered.make(context, document_id, ["docx"]))[0])
            seconds, pages = libreoffice_to_pdf(office.program, docx)
            to_pdf.append(seconds)
        per_docx = runs / REPEAT
        best_without, best_with, best_pdf = min(without), min(with_pass), min(to_pdf)
        ratio = (best_with - best_without) / best_pdf
        worst = max(worst, ratio)
        print(f"{document_id:<20}{pages:>6}{best_without:>9.2f}s{best_with:>8.2f}s{best_with - best_without:>7.2f}s"
              f"{best_pdf:>8.2f}s{ratio:>7.2f}{per_docx:>9.0f}")
        if per_docx > 1:
            print(f"  goal missed: {per_docx:.0f} LibreOffice runs per DOCX")
    print(f"pass / LibreOffice PDF conversion of the same file: worst {worst:.2f} (goal <= 1.1)")
    return 0


def libreoffice_to_pdf(program: str, docx: bytes) -> tuple[float, int]:
    """The time of one plain ``soffice --convert-to pdf`` of a DOCX (the shipped fonts visible, a
    fresh private profile, as the pass has), and the PDF's page count."""
    from pypdf import PdfReader

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "in.docx").write_bytes(docx)
        conf = folder / "fonts.conf"
        conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                        f'<cachedir>{folder / "fc"}</cachedir><include ignore_missing="yes">/etc/fonts/fonts.conf'
                        f'</include><dir>{ROOT / "templates" / "fonts"}</dir></fontconfig>')
        command = [program, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                   "--convert-to", "pdf", "--outdir", str(folder), str(folder / "in.docx")]
        environment = {**os.environ, "FONTCONFIG_FILE": str(conf)}
        seconds, _ = timed(lambda: subprocess.run(command, check=True, capture_output=True, env=environment))
        return seconds, len(PdfReader(folder / "in.pdf").pages)

if __name__ == "__main__":
    raise SystemExit(main())
