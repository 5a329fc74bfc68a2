"""A PNG of an SVG image, for Word files: Word 2013 and LibreOffice 7 show a picture's PNG, not
its SVG, so an SVG logo needs a PNG beside it.

Rendered with ``rsvg-convert`` (Debian: librsvg2-bin) when it is installed. Without it, the
picture's PNG is a transparent one of the same shape: Word 2016 and later (and LibreOffice 25)
still show the SVG; older readers show a blank space, and the build says so.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
import xml.etree.ElementTree as etree
from dataclasses import dataclass

TIMEOUT_SECONDS = 30
_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px|pt|mm|cm|in)?\s*$")
_PIXELS_PER = {"px": 1.0, None: 1.0, "pt": 96 / 72, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}


@dataclass(frozen=True)
class Raster:
    """A PNG of an SVG, and whether it shows the drawing (False: a transparent stand-in)."""

    png: bytes
    drawn: bool


def svg_size(svg: bytes) -> tuple[float, float]:
    """The SVG's size in CSS pixels (width/height, else its viewBox; 300 x 150 when it says neither)."""
    try:
        root = etree.fromstring(svg)
    except etree.ParseError:
        return 300.0, 150.0
    width, height = _pixels(root.get("width")), _pixels(root.get("height"))
    box = [float(v) for v in re.split(r"[\s,]+", root.get("viewBox", "").strip()) if v] if root.get("viewBox") else []
    if len(box) == 4 and box[2] > 0 and box[3] > 0:
        if width and not height:
            height = width * box[3] / box[2]
        elif height and not width:
            width = height * box[2] / box[3]
        elif not width and not height:
            width, height = box[2], box[3]
    return (width or 300.0), (height or 150.0)


def rasterise(svg: bytes, width_px: int) -> Raster:
    """A PNG of `svg`, `width_px` wide: drawn by rsvg-convert, or a transparent stand-in."""
    width, height = svg_size(svg)
    height_px = max(round(width_px * height / width), 1)
    program = shutil.which("rsvg-convert")
    if program:
        try:
            done = subprocess.run([program, "--width", str(width_px), "--height", str(height_px), "--format", "png"],
                                  input=svg, capture_output=True, timeout=TIMEOUT_SECONDS, check=True)
            if done.stdout.startswith(b"\x89PNG"):
                return Raster(done.stdout, True)
        except (OSError, subprocess.SubprocessError):
            pass
    return Raster(_transparent_png(width_px, height_px), False)


def is_stand_in(png: bytes) -> bool:
    """Whether ``png`` is the transparent stand-in ``rasterise`` gives without rsvg-convert."""
    if len(png) < 24 or png[12:16] != b"IHDR":
        return False
    width, height = struct.unpack(">II", png[16:24])
    return png == _transparent_png(width, height)


def _pixels(value: str | None) -> float:
    match = _LENGTH.match(value or "")
    return float(match.group(1)) * _PIXELS_PER[match.group(2)] if match else 0.0


def _transparent_png(width: int, height: int) -> bytes:
    """A fully transparent RGBA PNG (the same bytes for the same size)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = (b"\x00" + b"\x00" * 4 * width) * height  # filter byte, then transparent pixels
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
