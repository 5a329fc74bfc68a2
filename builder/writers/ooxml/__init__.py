"""Named helpers for the WordprocessingML that python-docx's API does not reach.

One module per part of the file: numbering (numbering.xml), fields (fields, bookmarks, internal
links, the TOC), runs (runs of text), tables (rows and cells), page (headers, footers, the
watermark), pictures (PNG, SVG with a PNG fallback), styles (fonts, colours, the theme part) and
package (document properties, custom XML, byte-stable saving). Elements go in schema order (schema), so the DOCX
writer can read as document logic: ``ooxml.add_field(paragraph, "PAGE")``.
"""

from builder.writers.ooxml.fields import (add_bookmark, add_cross_reference, add_field, add_internal_hyperlink,
                                          add_toc, complex_fields, enable_update_fields_on_open, make_bookmark_name,
                                          page_references, set_page_references)
from builder.writers.ooxml.numbering import (add_clause_numbering, add_list_numbering, link_styles, set_paragraph_numbering,
                                             set_paragraph_numbering_off, set_style_numbering_off)
from builder.writers.ooxml.package import (add_custom_xml, save_deterministic, set_app_properties, set_core_properties,
                                           set_custom_properties)
from builder.writers.ooxml.page import add_draft_watermark, add_page_number_footer, set_header_text
from builder.writers.ooxml.pictures import add_picture
from builder.writers.ooxml.runs import add_text_run, cell_text
from builder.writers.ooxml.styles import (declare_font, set_default_font, set_style_colour, set_style_font,
                                          set_table_header_colours, set_theme_fonts)
from builder.writers.ooxml.tables import (prevent_row_split, repeat_table_header, set_cell_shading, set_cell_text_direction,
                                          set_cell_width, set_table_look)

__all__ = [
    "add_bookmark", "add_clause_numbering", "add_cross_reference", "add_custom_xml", "add_draft_watermark",
    "add_field", "add_internal_hyperlink", "add_list_numbering", "add_page_number_footer", "add_picture",
    "add_text_run", "add_toc", "cell_text", "complex_fields", "declare_font", "enable_update_fields_on_open", "link_styles",
    "make_bookmark_name", "page_references", "prevent_row_split", "repeat_table_header", "save_deterministic",
    "set_app_properties", "set_cell_shading", "set_cell_text_direction", "set_cell_width", "set_core_properties",
    "set_custom_properties", "set_default_font", "set_header_text", "set_page_references",
    "set_paragraph_numbering", "set_paragraph_numbering_off", "set_style_colour", "set_style_font",
    "set_style_numbering_off", "set_table_header_colours", "set_table_look", "set_theme_fonts",
]
