"""Table geometry for the DOCX writer: column widths, and the RACI matrix's turned role headers.

A RACI matrix has up to a dozen role columns. Role titles set across such narrow columns
would break inside words ("Operati|ons"), so the writer turns them to read upwards, as
spreadsheet RACI charts do: each title runs along the height of its header cell, wrapped at
spaces only, and the header row is made tall enough for the longest title.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from docx.shared import Inches, Pt

RACI_ACTIVITY_MIN = Inches(2.2)  # the activity column, at least
RACI_ROLE_MAX = Inches(0.6)  # a role column holds a code ("A/R"), at most this wide
RACI_HEADER_SIZE = Pt(7.5)
CELL_MARGINS = 2 * 85 * 635  # the Playbook Table style's left and right cell margins (85 twips), in EMU
EM_WIDTH = 0.58  # a bold sans letter, in em, rounded up: text measured by it fits
LINE_HEIGHT = 1.2  # em
TURNED_TEXT_INSET = Pt(3)  # turned text keeps this far from both ends of its cell
TABLE_TEXT_SIZE = Pt(9.5)  # the Playbook Table style's text
LETTER_WIDTH = 0.55  # an average letter or digit of a sans text face, in em, rounded up ("@" and "m" are wider)
LONGEST_WORD = 40  # letters: a column is made wide enough for words up to this long (an e-mail address)
BREAKS = re.compile(r"[ \t\r\n]+")  # where a line may break: not at a no-break space ("+1 617 555 0100")


def column_widths(cells: list[list[str]], count: int, classes: list[str], total: int) -> list[int]:
    """Column widths by how much text each column holds (``cells``: the text of each row's cells;
    RACI and field tables: fixed shapes)."""
    if "fields" in classes and count == 2:
        return [Inches(1.7), total - Inches(1.7)]
    if "raci" in classes and count > 1:
        role = min(int((total - RACI_ACTIVITY_MIN) / (count - 1)), RACI_ROLE_MAX)
        return [total - role * (count - 1)] + [role] * (count - 1)
    return content_widths(cells, count, total)


def content_widths(cells: list[list[str]], count: int, total: int) -> list[int]:
    """Each column at least as wide as its longest word; the rest shared by the text that does not
    fit in that width (a column of e-mail addresses needs no more than its longest)."""
    longest = [max((len(word) for row in cells for word in BREAKS.split(row[index])), default=0)
               for index in range(count)]
    text = [sum(max(len(row[index]) - longest[index], 0) for row in cells) for index in range(count)]
    minimum = [CELL_MARGINS + Inches(0.06) + int(TABLE_TEXT_SIZE * LETTER_WIDTH * min(length, LONGEST_WORD))
               for length in longest]
    if sum(minimum) > total:  # long words everywhere: shrink every column in proportion
        minimum = [int(m * total / sum(minimum)) for m in minimum]
    spare = max(total - sum(minimum), 0)
    weights = [max(t, 1) for t in text]
    return [m + int(spare * w / sum(weights)) for m, w in zip(minimum, weights)]


def turned_header_height(titles: Sequence[str], column: int, size: Pt = RACI_HEADER_SIZE) -> int:
    """The height (EMU) of a header row whose titles read upwards in columns `column` wide: the
    least height at which every title wraps, at spaces only, into the lines the column holds."""
    line = size * LINE_HEIGHT
    lines = max(int((column - CELL_MARGINS) // line), 1)
    words = [[size * EM_WIDTH * len(word) for word in title.split()] for title in titles]
    space = size * EM_WIDTH
    height = max((max(widths) for widths in words if widths), default=0)
    while any(_lines_needed(widths, height, space) > lines for widths in words):
        height += Pt(1)
    return int(height + 2 * TURNED_TEXT_INSET + Pt(6))


def _lines_needed(widths: list[float], length: float, space: float) -> int:
    """How many lines of `length` words of these widths fill, wrapped greedily at spaces."""
    needed, used = 0, None
    for width in widths:
        if used is None or used + space + width > length:
            needed, used = needed + 1, width
        else:
            used += space + width
    return needed
