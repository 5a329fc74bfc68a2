"""Table rows and cells: repeated header rows, rows kept on one page, shading, the table look."""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu
from docx.table import _Cell, _Row

from builder.writers.ooxml.schema import (AFTER_CANT_SPLIT, AFTER_SHD, AFTER_TBL_HEADER, AFTER_TEXT_DIRECTION,
                                          HEX_COLOUR, get_or_insert)


def repeat_table_header(row: _Row) -> None:
    """Repeat `row` at the top of every page the table runs onto (w:tblHeader)."""
    get_or_insert(row._tr.get_or_add_trPr(), "w:tblHeader", AFTER_TBL_HEADER)


def set_table_look(table: Any, *, first_row: bool, first_column: bool = False) -> None:
    """Switch the table style's header-row and first-column formatting on or off (w:tblLook)."""
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        table._tbl.tblPr.append(look)
    look.set(qn("w:firstRow"), "1" if first_row else "0")
    look.set(qn("w:firstColumn"), "1" if first_column else "0")
    look.set(qn("w:val"), f"{(0x20 if first_row else 0) | (0x80 if first_column else 0) | 0x400:04X}")


def prevent_row_split(row: _Row) -> None:
    """Keep `row` on one page (w:cantSplit)."""
    get_or_insert(row._tr.get_or_add_trPr(), "w:cantSplit", AFTER_CANT_SPLIT)


def set_cell_shading(cell: _Cell, fill_hex: str) -> None:
    """Shade `cell` with the solid colour `fill_hex` (e.g. "DEEAF6")."""
    fill = fill_hex.lstrip("#")
    if not HEX_COLOUR.fullmatch(fill):
        raise ValueError(f"fill must be six hex digits, not {fill_hex!r}")
    shd = get_or_insert(cell._tc.get_or_add_tcPr(), "w:shd", AFTER_SHD)
    for attr, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill.upper())):
        shd.set(qn(attr), value)


_TEXT_DIRECTIONS = ("lrTb", "tbRl", "btLr")


def set_cell_text_direction(cell: _Cell, direction: str) -> None:
    """Turn the text of `cell`: "btLr" reads upwards, "tbRl" downwards, "lrTb" is level."""
    if direction not in _TEXT_DIRECTIONS:
        raise ValueError(f"text direction must be one of {', '.join(_TEXT_DIRECTIONS)}, not {direction!r}")
    get_or_insert(cell._tc.get_or_add_tcPr(), "w:textDirection", AFTER_TEXT_DIRECTION).set(qn("w:val"), direction)


_TCW, _TYPE, _W = qn("w:tcW"), qn("w:type"), qn("w:w")


def set_cell_width(cell: _Cell, width: int) -> None:
    """Set `cell`'s width (EMU), as ``cell.width`` does, in place when the cell has its w:tcW
    already (every cell of a new table has): a table's every cell is set, so this is hot."""
    properties = cell._tc.tcPr
    current = properties.find(_TCW) if properties is not None else None
    if current is None:
        cell.width = width
        return
    current.set(_TYPE, "dxa")
    current.set(_W, str(Emu(width).twips))
