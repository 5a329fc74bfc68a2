"""Read ``theme.yaml``: a sponsor's logo, colours, fonts and address, applied to every format.

``templates/theme.yaml`` ships a default; a ``--templates DIR`` overrides it like any template
file. Files it names (the logo, font files under ``fonts/``) are looked up beside it, a user's
folder first. Every mistake is a located error.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Annotated

from pydantic import StringConstraints

from builder.content.loader import load_file
from builder.content.model.common import Model, Text
from builder.content.validation import validate_model
from builder.diagnostics import DiagnosticError, Diagnostics, display_path, suggest
from builder.render.folders import template_dirs
from builder.tree.theme import DEFAULT_RACI, RACI_CODES, FontFace, Logo, Swatch, Theme

THEME_FILE = "theme.yaml"
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
FONT_SUFFIXES = (".ttf", ".otf")
LOGO_TYPES = {".png": "image/png", ".svg": "image/svg+xml"}


class RaciColour(Model):
    fill: Colour
    text: Colour


class ThemeColours(Model):
    primary: Colour = "#1F4E79"
    accent: Colour = "#C55A11"
    text: Colour = "#262626"
    raci: dict[str, RaciColour] = {}


class ThemeFonts(Model):
    body: Text = "Carlito"
    headings: Text = "Carlito"


class ThemeFile(Model):
    """What ``theme.yaml`` may hold."""

    logo: Text | None = None
    colours: ThemeColours = ThemeColours()
    fonts: ThemeFonts = ThemeFonts()
    address: Text | None = None


THEMES_FOLDER = "themes"


def theme_name(name: str | None) -> str:
    """The template name of a theme: ``theme.yaml`` (the default) or ``themes/<name>/theme.yaml``."""
    return f"{THEMES_FOLDER}/{name}/{THEME_FILE}" if name else THEME_FILE


def find_theme(user_dir: Path | None, name: str | None = None) -> Path | None:
    """The theme.yaml in use: the user's, else the shipped one (None if neither exists)."""
    for folder in template_dirs(user_dir):
        if (folder / theme_name(name)).is_file():
            return folder / theme_name(name)
    return None


def theme_names(user_dir: Path | None) -> list[str]:
    """The named themes the template folders hold (``themes/<name>/theme.yaml``)."""
    found = set()
    for folder in template_dirs(user_dir):
        if (folder / THEMES_FOLDER).is_dir():
            found.update(p.parent.name for p in (folder / THEMES_FOLDER).glob(f"*/{THEME_FILE}"))
    return sorted(found)


def theme_assets(user_dir: Path | None) -> tuple[str, ...]:
    """Files the default theme names beside itself (its logo), and the named themes' folder, as
    template names: inputs of the outputs they style."""
    path = find_theme(user_dir)
    blocks = load_file(path, Diagnostics()) if path else []
    logo = blocks[0].data.get("logo") if blocks and isinstance(blocks[0].data, dict) else None
    named = (THEMES_FOLDER,) if theme_names(user_dir) else ()
    if not isinstance(logo, str) or Path(logo).is_absolute() or ".." in Path(logo).parts:
        return named
    return (logo, *named)


def load_theme(user_dir: Path | None = None, name: str | None = None) -> Theme:
    """The default theme of a build, or a named one (a sponsor's); a broken theme is a located error."""
    path = find_theme(user_dir, name)
    if path is None:
        return Theme()
    diagnostics = Diagnostics()
    blocks = load_file(path, diagnostics)
    if not blocks:
        raise DiagnosticError(diagnostics.errors)
    source = blocks[0]
    declared = validate_model(ThemeFile, source.data, source, diagnostics)
    if declared is None:
        raise DiagnosticError(diagnostics.errors)
    raci = dict(DEFAULT_RACI)
    for code, colour in declared.colours.raci.items():
        if code not in RACI_CODES:
            diagnostics.error(source.locate(("colours", "raci", code), key=True), "theme",
                              f"unknown RACI code '{code}'{suggest(code, RACI_CODES)}; codes are {', '.join(RACI_CODES)}")
        else:
            raci[code] = Swatch(colour.fill.upper(), colour.text.upper())
    folders = [folder for folder in template_dirs(user_dir)]
    logo = _logo(declared.logo, path, folders, source, diagnostics) if declared.logo else None
    fonts = _fonts(declared.fonts, folders, source, diagnostics)
    if not diagnostics.ok:
        raise DiagnosticError(diagnostics.errors)
    colours = declared.colours
    return Theme(primary=colours.primary.upper(), accent=colours.accent.upper(), text=colours.text.upper(),
                 body_font=declared.fonts.body, heading_font=declared.fonts.headings, fonts=fonts, logo=logo,
                 address=declared.address or "", raci=tuple((code, raci[code]) for code in RACI_CODES))


def _beside(name: str, theme_path: Path, folders: list[Path]) -> Path | None:
    """A file named by the theme: beside theme.yaml first, then in the other template folders."""
    if Path(name).is_absolute() or ".." in Path(name).parts:
        return None
    for folder in [theme_path.parent, *folders]:
        candidate = (folder / name).resolve()
        if candidate.is_file() and candidate.is_relative_to(folder.resolve()):
            return candidate
    return None


def _logo(name: str, theme_path: Path, folders: list[Path], source, diagnostics: Diagnostics) -> Logo | None:
    suffix = Path(name).suffix.lower()
    if suffix not in LOGO_TYPES:
        diagnostics.error(source.locate(("logo",)), "theme",
                          f"logo '{name}' must be a .png or .svg file beside {THEME_FILE}")
        return None
    found = _beside(name, theme_path, folders)
    if found is None:
        diagnostics.error(source.locate(("logo",)), "theme",
                          f"logo file '{name}' not found beside {display_path(theme_path)}")
        return None
    data = found.read_bytes()
    if suffix == ".png" and not data.startswith(b"\x89PNG\r\n\x1a\n"):
        diagnostics.error(source.locate(("logo",)), "theme", f"logo '{name}' is not a PNG image")
        return None
    if suffix == ".svg" and b"<svg" not in data[:4096]:
        diagnostics.error(source.locate(("logo",)), "theme", f"logo '{name}' is not an SVG image")
        return None
    return Logo(Path(name).name, LOGO_TYPES[suffix], data, description=_svg_title(data) if suffix == ".svg" else "")


def _svg_title(data: bytes) -> str:
    """The text of an SVG's first <title> (what the logo shows, for its alternative text)."""
    found = re.search(rb"<title[^>]*>(.*?)</title>", data, flags=re.S)
    return " ".join(html.unescape(found.group(1).decode("utf-8", "replace")).split()) if found else ""


def _fonts(fonts: ThemeFonts, folders: list[Path], source, diagnostics: Diagnostics) -> tuple[FontFace, ...]:
    """The font files of the body and heading families, from the ``fonts/`` folders."""
    faces: list[FontFace] = []
    available = _font_files(folders)
    for key, family in (("body", fonts.body), ("headings", fonts.headings)):
        files = available.get(_family_key(family))
        if not files:
            known = sorted({name for name in (_family_name(p) for ps in available.values() for p in ps)})
            diagnostics.error(source.locate(("fonts", key)), "theme",
                              f"no font files for family '{family}' in fonts/ beside {THEME_FILE}"
                              f"{suggest(family, known)}; put its OFL .ttf files there")
            continue
        for path in files:
            if any(face.file_name == path.name for face in faces):
                continue
            style = path.stem.split("-", 1)[1].lower() if "-" in path.stem else "regular"
            faces.append(FontFace(family, path.name, path.read_bytes(),
                                  bold="bold" in style, italic="italic" in style))
    return tuple(faces)


def _family_name(path: Path) -> str:
    return path.stem.split("-", 1)[0]


def _family_key(family: str) -> str:
    return re.sub(r"[^a-z0-9]", "", family.lower())


def _font_files(folders: list[Path]) -> dict[str, list[Path]]:
    """Font files by family key (``Carlito-Bold.ttf`` is family Carlito), a user's folder first."""
    found: dict[str, dict[str, Path]] = {}
    for folder in reversed(folders):
        fonts = folder / "fonts"
        if not fonts.is_dir():
            continue
        for path in sorted(fonts.iterdir()):
            if path.suffix.lower() in FONT_SUFFIXES and path.is_file():
                found.setdefault(_family_key(_family_name(path)), {})[path.name] = path
    return {key: [files[name] for name in sorted(files)] for key, files in found.items()}
