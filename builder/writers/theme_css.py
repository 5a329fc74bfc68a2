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


def theme_css(theme: Theme) -> str:
    """The theme's font faces, then its colours and families as custom properties (``var(--primary)``)."""
    rules = [f"--primary: {theme.primary};", f"--accent: {theme.accent};", f"--text: {theme.text};",
             f"--body-font: {css_string(theme.body_font)};", f"--heading-font: {css_string(theme.heading_font)};"]
    rules += [f"--{raci_class(code)}-fill: {swatch.fill}; --{raci_class(code)}-text: {swatch.text};"
              for code, swatch in theme.raci]
    return "\n".join([*font_face_rules(theme), ":root { " + " ".join(rules) + " }"])


def font_face_rules(theme: Theme) -> list[str]:
    """One @font-face per font file of the theme. The file is named relative to the templates
    folder (``fonts/<file>``), which the PDF writer's fetcher serves, a user's folder first."""
    return [f"@font-face {{ font-family: {css_string(face.family)}; "
            f"src: url({css_string('fonts/' + quote(face.file_name))}); "
            f"font-weight: {'bold' if face.bold else 'normal'}; font-style: {'italic' if face.italic else 'normal'}; }}"
            for face in theme.fonts]
