"""Everything below python-docx's public API, in one place: Word XML (w: elements) it has no
API for (fields such as page numbers, live hyperlinks, a table's header row and its look, list
numbering that starts again, theme fonts and language), quicker setters for what its API does
slowly (a run's text, a paragraph's or table's style by id), and the package's thumbnail.

trustsite/documents.py uses these; no other module touches python-docx's XML layer
(tests/test_architecture.py checks that).
"""

from __future__ import annotations

from typing import Union

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

# What paragraphs and tables are added to: the document's body or a table cell (python-docx
# names its cell class as private, so other modules take it from here).
Container = Union[Document, _Cell]

HYPERLINK_STYLE = "Hyperlink"  # Word's built-in character style: blue and underlined


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> None:
    """A field Word fills in as it lays out the page, such as PAGE or NUMPAGES."""
    for kind, text in (("begin", None), (None, f" {instruction} "), ("separate", None),
                       (None, placeholder), ("end", None)):
        run = OxmlElement("w:r")
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run.append(char)
        else:
            element = OxmlElement("w:instrText" if text.startswith(" ") else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = text
            run.append(element)
        paragraph._p.append(run)


def add_hyperlink(paragraph: Paragraph, url: str, text: str, *, bold: bool = False,
                  italic: bool = False) -> None:
    """A live link to url (web or mailto:), shown as text in Word's Hyperlink style."""
    rel_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), HYPERLINK_STYLE)
    properties.append(style)
    for flag, on in (("w:b", bold), ("w:i", italic)):
        if on:
            properties.append(OxmlElement(flag))
    # Underlined as well as coloured, so a link never relies on colour alone.
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    properties.append(underline)
    run.append(properties)
    words = OxmlElement("w:t")
    words.set(qn("xml:space"), "preserve")
    words.text = text
    run.append(words)
    link.append(run)
    paragraph._p.append(link)


_RUN_BREAKS = frozenset("\t\r\n")


def set_run_text(run: Run, text: str) -> None:
    """The text of a new, empty run: what `run.text = text` writes, without its clearing the
    run and reading the text a character at a time (slow for a whole document). Text with
    tabs or line breaks, which become their own elements, goes through python-docx."""
    if _RUN_BREAKS.isdisjoint(text):
        if text:
            run._r.add_t(text)
    else:
        run.text = text


def set_table_style(table: Table, style_id: str) -> None:
    """What `table.style = name` writes, by the style's id: the lookup by name searches
    every style."""
    table._tbl.tblStyle_val = style_id


def repeat_header_row(row: _Row) -> None:
    """Mark a table row as the header row, repeated at the top of each page."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def first_row_is_header(table: Table) -> None:
    """Tell Word the first row is a header row (for the table style and assistive tech)."""
    properties = table._tbl.tblPr
    look = properties.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        properties.append(look)
    for attribute, value in (("w:val", "04A0"), ("w:firstRow", "1"), ("w:lastRow", "0"),
                             ("w:firstColumn", "0"), ("w:lastColumn", "0"),
                             ("w:noHBand", "0"), ("w:noVBand", "1")):
        look.set(qn(attribute), value)


def set_paragraph_style(paragraph: Paragraph, style_id: str) -> None:
    """What `paragraph.style = name` writes, by the style's id: the lookup by name searches
    every style."""
    paragraph._p.style = style_id


def paragraph_style_id(paragraph: Paragraph) -> str | None:
    return paragraph._p.style


def list_definition(document: Document, style: str) -> int:
    """The abstract numbering (list definition) behind a list paragraph style."""
    style_num = document.styles[style].element.pPr.numPr.numId.val
    return document.part.numbering_part.element.num_having_numId(style_num).abstractNumId.val


def restart_numbering(document: Document, definition: int, start: int) -> int:
    """A new numbering instance of the list definition that counts from `start`; its id."""
    num = document.part.numbering_part.element.add_num(definition)
    num.add_lvlOverride(ilvl=0).add_startOverride(start)
    return num.numId


def set_list_number(paragraph: Paragraph, number: int) -> None:
    """Number the paragraph, at the list's first level, with numbering instance `number`."""
    numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numbering.get_or_add_ilvl().val = 0
    numbering.get_or_add_numId().val = number


def remove_paragraph(paragraph: Paragraph) -> None:
    paragraph._p.getparent().remove(paragraph._p)


def remove_thumbnail(document: Document) -> None:
    """Drop the package's thumbnail (python-docx's template shows an empty page)."""
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            del package.rels[rel_id]


def remove_theme_fonts(document: Document, font: str) -> None:
    """Theme fonts would win over `font` in Word: name the font directly instead."""
    for fonts in document.styles.element.iter(qn("w:rFonts")):
        themed = [name for name in fonts.attrib if name.lower().endswith("theme")]
        if themed:
            for name in themed:
                del fonts.attrib[name]
            for name in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                fonts.set(qn(name), font)


def set_language(document: Document, language: str) -> None:
    """Every style's language, so Word checks spelling in it."""
    for element in document.styles.element.iter(qn("w:lang")):
        element.set(qn("w:val"), language)
