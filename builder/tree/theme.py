"""The look of a sponsor's documents, decided once for every writer: colours, fonts, logo."""

from __future__ import annotations

from dataclasses import dataclass, field

RACI_CODES = ("A/R", "A", "R", "C", "I")


@dataclass(frozen=True)
class Swatch:
    """A fill and the text colour that reads on it (``#RRGGBB``)."""

    fill: str
    text: str


DEFAULT_RACI = {
    "A/R": Swatch("#B7C9DD", "#0F2740"),
    "A": Swatch("#CFDCEA", "#163A5C"),
    "R": Swatch("#E4ECF4", "#1F4E79"),
    "C": Swatch("#F4F4F4", "#404040"),
    "I": Swatch("#FFFFFF", "#595959"),
}


@dataclass(frozen=True)
class FontFace:
    """One font file of a family: its weight and style, and its bytes."""

    family: str
    file_name: str
    data: bytes = field(repr=False)
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Logo:
    """The sponsor's logo: a PNG or SVG file."""

    file_name: str
    media_type: str  # image/png | image/svg+xml
    data: bytes = field(repr=False)
    png: bytes = field(default=b"", repr=False)  # a PNG rendering, for writers that need one
    description: str = ""  # alternative text (an SVG's <title>); writers fall back to "<sponsor> logo"


@dataclass(frozen=True)
class Theme:
    """Colours, fonts, logo and address applied to every format from one theme.yaml."""

    primary: str = "#1F4E79"
    accent: str = "#C55A11"
    text: str = "#262626"
    body_font: str = "Carlito"
    heading_font: str = "Carlito"
    fonts: tuple[FontFace, ...] = ()
    logo: Logo | None = None
    address: str = ""
    raci: tuple[tuple[str, Swatch], ...] = tuple(DEFAULT_RACI.items())

    def raci_swatch(self, code: str) -> Swatch | None:
        """The fill and text colour of a RACI code (``A/R``, ``A``, ``R``, ``C``, ``I``)."""
        return dict(self.raci).get(code)


def raci_class(code: str) -> str:
    """The class name a RACI code gives a cell: ``A/R`` -> ``raci-AR``."""
    return "raci-" + code.replace("/", "")
