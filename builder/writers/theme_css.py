"""The theme as CSS for the page: custom properties print.css reads, and the theme's font faces.

Nothing from theme.yaml is pasted into CSS raw: colours are validated ``#RRGGBB`` values,
family and file names are written as escaped CSS strings.
"""

from __future__ import annotations

from urllib.parse import quote

from builder.tree.theme import Theme, raci_class


def css_string(text: str) -> str:
    """``text`` as a double-quoted CSS string; anything but ASCII letters, digits and `` -_./%``
    is written as a hex escape (so no quote, backslash or ``</style>`` gets through)."""
    return '"' + "".join(c if c.isalnum() and c.isascii() or c in " -_./%" else f"\\{ord(c):x} " for c in text) + '"'


# The figures' font (builder/render/figures): declared for the page when the theme's fonts lack it
FIGURE_FAMILY = "Carlito"
FIGURE_FACES = (("Carlito-Regular.ttf", False), ("Carlito-Bold.ttf", True))


def theme_css(theme: Theme, figures: bool = False) -> str:
    """The theme's font faces (and the figures' font, when there are figures), then its colours and
    families as custom properties (``var(--primary)``)."""
    rules = [f"--primary: {theme.primary};", f"--accent: {theme.accent};", f"--text: {theme.text};",
             f"--body-font: {css_string(theme.body_font)};", f"--heading-font: {css_string(theme.heading_font)};"]
    rules += [f"--{raci_class(code)}-fill: {swatch.fill}; --{raci_class(code)}-text: {swatch.text};"
              for code, swatch in theme.raci]
    faces = font_face_rules(theme)
    if figures and not any(face.family.lower() == FIGURE_FAMILY.lower() for face in theme.fonts):
        faces += [f"@font-face {{ font-family: {css_string(FIGURE_FAMILY)}; src: url({css_string('fonts/' + name)}); "
                  f"font-weight: {'bold' if bold else 'normal'}; font-style: normal; }}" for name, bold in FIGURE_FACES]
    return "\n".join([*faces, ":root { " + " ".join(rules) + " }"])


def font_face_rules(theme: Theme) -> list[str]:
    """One @font-face per font file of the theme. The file is named relative to the templates
    folder (``fonts/<file>``), which the PDF writer's fetcher serves, a user's folder first."""
    return [f"@font-face {{ font-family: {css_string(face.family)}; "
            f"src: url({css_string('fonts/' + quote(face.file_name))}); "
            f"font-weight: {'bold' if face.bold else 'normal'}; font-style: {'italic' if face.italic else 'normal'}; }}"
            for face in theme.fonts]
