"""Word (.docx) copies of rendered pages, for templates that Trusts fill in and adapt.

A document is made from the page's own rendered article HTML, so the web page and the Word
file always say the same thing. The mapping keeps the structure that makes a document
accessible: headings use Word's built-in Heading styles, lists are real Word lists, tables are
real tables with a repeating header row, and the document's language is set to en-GB.

The same HTML always gives the same bytes: the document's dates come from SOURCE_DATE_EPOCH
(or 2000-01-01), and the .docx zip is re-packed with fixed entry dates.
"""

from __future__ import annotations

import copy
import functools
import io
import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import docx
from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from trustsite.built_page import DOWNLOAD, HEADER_LINK, NOTICE, WEBSITE_ONLY
from trustsite.content import INCLUDES, load_references, references_source
from trustsite.reproducible import deflated_entries, source_date, write_deterministic_zip
from trustsite.docx_xml import (Container, add_field, add_hyperlink, first_row_is_header,
                                list_definition, paragraph_style_id, remove_paragraph,
                                remove_theme_fonts, remove_thumbnail, repeat_header_row,
                                restart_numbering, set_language, set_list_number,
                                set_paragraph_style, set_run_text, set_table_style)

LANGUAGE = "en-GB"
FONT = "Arial"  # the sites' own font, and the NHS identity's fallback for Frutiger
HEADING_COLOUR = RGBColor(0x21, 0x2B, 0x32)  # NHS black: the template's blues are too light
TABLE_STYLE = "Table Grid"
DEFAULT_DATE = datetime(2000, 1, 1, tzinfo=timezone.utc)

# Not part of the document: permalinks, the site's notice, and the page's link to this file.
SKIP_CLASSES = frozenset({HEADER_LINK, NOTICE, DOWNLOAD, WEBSITE_ONLY})  # NOT_WEBSITE stays
_SKIP_TAGS = frozenset({"script", "style", "svg", "img", "button", "nav", "hr", "template"})
_BLOCK_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "pre", "div",
    "section", "article", "aside", "details", "summary", "figure", "figcaption", "dl", "dt", "dd",
    "header", "footer", "main", "form", "fieldset", "li", "hr"})
_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML white space only: a no-break space stays
_EXTERNAL = ("http://", "https://", "mailto:")
_MAX_LIST_LEVEL = 3  # the template has List Bullet/Number 1 to 3
LOGO_HEIGHT = Mm(12)  # in the page header: readable, and clear of the text
_CITATION_KEY = re.compile(r"#ref-(?P<key>[\w-]+)$")


def document_date() -> datetime:
    """The date written into every document: SOURCE_DATE_EPOCH when set, else 2000-01-01,
    a fixed date, so a build without it still gives the same bytes every time."""
    return source_date() or DEFAULT_DATE


def html_to_docx(article_html: str, title: str, trust_name: str,
                 logo_png: bytes | None = None, includes: Path = INCLUDES) -> bytes:
    """A .docx of a page's rendered article HTML, filled in for and credited to the Trust:
    its name and logo (PNG, see logo_png) in the page header, page numbers in the footer,
    and the references (from the project's `includes`) its page cites at the end."""
    return _docx_of(article_html, title, trust_name, document_date(), logo_png,
                    references_source(includes))


LOGO_HEIGHT_PX = 120  # drawn at about 1.5 cm high in the page header
# A reference to anything but a part of the same SVG: never followed for an untrusted logo.
_SVG_OUTSIDE_REFERENCE = re.compile(rb"""href\s*=\s*["'](?!#)""", re.I)


@functools.lru_cache(maxsize=8)
def logo_png(logo: bytes, is_svg: bool) -> bytes | None:
    """The logo as PNG for Word: a PNG as it is, an SVG drawn by resvg (no browser needed).
    An SVG that refers to another file is left out, and the header shows the name alone."""
    if not is_svg:
        return logo
    if _SVG_OUTSIDE_REFERENCE.search(logo):
        return None
    from trustsite.svg_png import SvgRenderError, svg_to_png

    try:  # in a child process, within the rendering budget
        return svg_to_png(logo, LOGO_HEIGHT_PX)
    except SvgRenderError:
        return None


# The same HTML and references always give the same bytes, so the live preview, which renders
# every page again on each save, reuses a template whose page did not change instead of
# rebuilding it. The references are in the key: the list at the end comes from them.
@functools.lru_cache(maxsize=16)
def _docx_of(article_html: str, title: str, trust_name: str, when: datetime,
             logo_png: bytes | None, references: bytes) -> bytes:
    document = copy.deepcopy(_blank_document())
    _set_up(document, title, trust_name, when)
    _header_and_footer(document, trust_name, logo_png)
    article = BeautifulSoup(article_html, "html.parser")
    writer = _Writer(document, trust_name, load_references(references))
    if article.find("h1") is None:
        writer.title(title)
    writer.blocks(document, article, _Styles(None))
    writer.reference_list()
    buffer = io.BytesIO()
    document.save(buffer)
    return repack(buffer.getvalue(), when)


def repack(docx_bytes: bytes, when: datetime) -> bytes:
    """The same zip with every entry dated `when`, in the same order ([Content_Types].xml
    first). python-docx deflates as the zip writer would, so its streams are kept as they
    are: deflating them again gave the same bytes, slower."""
    out = io.BytesIO()
    write_deterministic_zip(out, deflated_entries(docx_bytes), when)
    return out.getvalue()


# -- Document set-up -------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _blank_document() -> Document:
    """python-docx's template with the page, fonts and heading styles every document shares,
    made once per process: a copy of it is about three times quicker than reading the template
    and setting it up again for each document (a Trust has three)."""
    document = docx.Document()
    _set_up_shared(document)
    return document


@functools.lru_cache(maxsize=None)
def _style_id(name: str) -> str:
    """A built-in style's id, from the blank every document is copied from (python-docx's
    lookup by name searches every style)."""
    return _blank_document().styles[name].style_id


@functools.lru_cache(maxsize=None)
def _abstract_numbering(style: str) -> int:
    """The list definition behind a list style, the same in every copy of the blank."""
    return list_definition(_blank_document(), style)


def _set_up(document: Document, title: str, trust_name: str, when: datetime) -> None:
    properties = document.core_properties
    properties.title = title
    properties.author = trust_name
    properties.last_modified_by = trust_name
    properties.language = LANGUAGE
    properties.comments = ""
    properties.revision = 1
    properties.created = when.replace(tzinfo=None)
    properties.modified = when.replace(tzinfo=None)


def _set_up_shared(document: Document) -> None:
    remove_thumbnail(document)  # it shows an empty page, not this document
    section = document.sections[0]  # A4 with 2 cm margins, not the template's US Letter
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)
    remove_theme_fonts(document, FONT)
    set_language(document, LANGUAGE)
    for name in ("Title", "Subtitle", *(f"Heading {level}" for level in range(1, 7))):
        document.styles[name].font.color.rgb = HEADING_COLOUR
    document.styles["Heading 1"].font.size = Pt(20)  # the template's is barely above Heading 2


def _header_and_footer(document: Document, trust_name: str, logo_png: bytes | None) -> None:
    """The Trust's logo and name at the top of every page; "Page N of M" at the foot."""
    section = document.sections[0]
    header = section.header.paragraphs[0]
    if logo_png:
        header.add_run().add_picture(io.BytesIO(logo_png), height=LOGO_HEIGHT)
        header.add_run("  ")
    name = header.add_run(trust_name)
    name.bold = True
    name.font.size = Pt(10)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Page ")
    add_field(footer, "PAGE")
    footer.add_run(" of ")
    add_field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size = Pt(9)


# -- HTML to Word ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Format:
    bold: bool = False
    italic: bool = False
    mono: bool = False
    href: str | None = None  # a live link (web or mailto:)


class _Styles:
    """The paragraph style for each paragraph in a block: `first`, then `rest`."""

    def __init__(self, first: str | None, rest: str | None = None,
                 bold: bool = False) -> None:
        self.first, self.rest, self.bold, self.used = first, rest or first, bold, False

    def next(self) -> str | None:
        style = self.rest if self.used else self.first
        self.used = True
        return style


def _classes(node: Tag) -> set[str]:
    return set(node.get("class") or ())


def _skipped(node: object) -> bool:
    if isinstance(node, Comment):
        return True
    return isinstance(node, Tag) and (node.name in _SKIP_TAGS
                                      or bool(_classes(node) & SKIP_CLASSES))


def _is_block(node: object) -> bool:
    return isinstance(node, Tag) and node.name in _BLOCK_TAGS


class _Writer:
    def __init__(self, document: Document, trust_name: str,
                 references: list[dict[str, Any]]) -> None:
        self.document = document
        self.trust_name = trust_name
        self.references = references
        self.named = False
        self.cited: list[str] = []  # reference keys, in the order first cited

    def add_paragraph(self, container: Container, style: str | None = None,
                      text: str = "") -> Paragraph:
        """A paragraph in `style` (a built-in style's name; None for Normal)."""
        paragraph = container.add_paragraph(text)
        if style is not None:  # by id: python-docx's lookup by name is slow
            set_paragraph_style(paragraph, self.style_id(style))
        return paragraph

    def style_id(self, style: str) -> str:
        return _style_id(style)

    # Blocks

    def blocks(self, container: Container, parent: Tag, styles: _Styles, level: int = 0) -> None:
        """Every child of `parent` as paragraphs, lists and tables; loose text joins a paragraph."""
        inline: list[object] = []
        for child in parent.children:
            if _skipped(child):
                continue
            if _is_block(child):
                self.paragraph(container, inline, styles, force_bold=styles.bold)
                inline = []
                self.block(container, child, styles, level)
            else:
                inline.append(child)
        self.paragraph(container, inline, styles, force_bold=styles.bold)

    def block(self, container: Container, node: Tag, styles: _Styles, level: int) -> None:
        name = node.name
        if name == "h1":
            self.title_paragraph(container, node)
        elif name in ("h2", "h3", "h4", "h5", "h6"):
            self.paragraph(container, list(node.children), _Styles(f"Heading {name[1]}"))
        elif name in ("summary", "dt") or "admonition-title" in _classes(node):
            self.paragraph(container, list(node.children), _Styles(None), force_bold=True)
        elif name == "p":
            self.paragraph(container, list(node.children), styles, force_bold=styles.bold)
        elif name in ("ul", "ol"):
            self.list(container, node, level + 1)
        elif name == "table":
            self.table(container, node)
        elif name == "blockquote":
            self.blocks(container, node, _Styles("Quote"), level)
        elif name == "pre":
            self.preformatted(container, node)
        elif name == "hr":
            return
        else:  # div, section, details, dd, li outside a list...: their content, in order
            self.blocks(container, node, styles, level)

    def title(self, text: str) -> None:
        self.add_paragraph(self.document, "Heading 1", text)
        self.subtitle(self.document)

    def title_paragraph(self, container: Container, node: Tag) -> None:
        self.paragraph(container, list(node.children), _Styles("Heading 1"))
        if not self.named:
            self.subtitle(container)

    def subtitle(self, container: Container) -> None:
        self.add_paragraph(container, "Subtitle", self.trust_name)
        self.named = True

    def list(self, container: Container, node: Tag, level: int) -> None:
        depth = min(level, _MAX_LIST_LEVEL)
        suffix = "" if depth == 1 else f" {depth}"
        kind = "Number" if node.name == "ol" else "Bullet"
        number = restart_numbering(self.document, _abstract_numbering(f"List Number{suffix}"),
                                   int(node.get("start") or 1)) if kind == "Number" else None
        # A checklist's box is its marker: indented like a list, with no bullet as well.
        first = f"List Continue{suffix}" if "task-list" in _classes(node) \
            else f"List {kind}{suffix}"
        for item in node.find_all("li", recursive=False):
            styles = _Styles(first, f"List Continue{suffix}")
            start = len(self.paragraphs(container))
            self.blocks(container, item, styles, level)
            if number is not None:
                for paragraph in self.paragraphs(container)[start:]:
                    if paragraph_style_id(paragraph) == self.style_id(f"List Number{suffix}"):
                        set_list_number(paragraph, number)

    @staticmethod
    def paragraphs(container: Container) -> list[Paragraph]:
        return container.paragraphs

    def table(self, container: Container, node: Tag) -> None:
        rows = [row for row in node.find_all("tr") if row.find_parent("table") is node]
        if not rows:
            return
        width = max(len(row.find_all(("th", "td"), recursive=False)) for row in rows)
        if width == 0:
            return
        table: Table = container.add_table(rows=len(rows), cols=width)
        set_table_style(table, self.style_id(TABLE_STYLE))
        first_row_is_header(table)
        for row_node, row in zip(rows, table.rows):
            cells = row_node.find_all(("th", "td"), recursive=False)
            header = (row_node.parent.name == "thead"
                      or all(cell.name == "th" for cell in cells))
            if header and row_node is rows[0]:
                repeat_header_row(row)
            for cell_node, cell in zip(cells, row.cells):
                self.blocks(cell, cell_node, _Styles(None, bold=cell_node.name == "th"))
                _drop_leading_empty_paragraph(cell)
        if isinstance(container, Document):
            self.add_paragraph(container)  # space after the table, as on the page

    def preformatted(self, container: Container, node: Tag) -> None:
        paragraph = self.add_paragraph(container)
        for index, line in enumerate(node.get_text().rstrip("\n").split("\n")):
            if index:
                paragraph.add_run().add_break()
            paragraph.add_run(line).font.name = "Courier New"

    # Inline content

    def paragraph(self, container: Container, nodes: list[object], styles: _Styles,
                  force_bold: bool = False) -> None:
        segments = _collapse(list(self.segments(nodes, _Format(bold=force_bold))))
        if not segments:
            return
        paragraph = self.add_paragraph(container, styles.next())
        for text, form in segments:
            if form.href and text != "\n":
                add_hyperlink(paragraph, form.href, text, bold=form.bold, italic=form.italic)
                continue
            run = paragraph.add_run()
            if text == "\n":
                run.add_break()
                continue
            set_run_text(run, text)
            run.bold = form.bold or None
            run.italic = form.italic or None
            if form.mono:
                run.font.name = "Courier New"

    def segments(self, nodes: list[object], form: _Format) -> Iterator[tuple[str, _Format]]:
        for node in nodes:
            if _skipped(node):
                continue
            if isinstance(node, NavigableString):
                yield str(node), form
            elif isinstance(node, Tag):
                yield from self.inline(node, form)

    def inline(self, node: Tag, form: _Format) -> Iterator[tuple[str, _Format]]:
        name = node.name
        if name == "br":
            yield "\n", form
        elif name == "input" and node.get("type") == "checkbox":
            yield ("\u2612 " if node.has_attr("checked") else "\u2610 "), form
        elif name in ("strong", "b"):
            yield from self.segments(list(node.children), replace(form, bold=True))
        elif name in ("em", "i", "cite"):
            yield from self.segments(list(node.children), replace(form, italic=True))
        elif name in ("code", "kbd", "samp"):
            yield from self.segments(list(node.children), replace(form, mono=True))
        elif name == "sup" and "citation" in _classes(node):
            yield from self.citation(node, form)
        elif name == "a":
            href = str(node.get("href") or "")
            external = href.startswith(_EXTERNAL)
            yield from self.segments(list(node.children),
                                     replace(form, href=href) if external else form)
            if external:
                shown = href.removeprefix("mailto:")
                if shown != node.get_text().strip():
                    yield f" ({shown})", replace(form, bold=False, italic=False, href=href)
        else:  # span, abbr, sup, label, mark, time...: their text
            yield from self.segments(list(node.children), form)


    def citation(self, node: Tag, form: _Format) -> Iterator[tuple[str, _Format]]:
        """A citation's numbers, as on the page; its sources go in the reference list."""
        for link in node.find_all("a", href=True):
            match = _CITATION_KEY.search(str(link["href"]))
            if match and match["key"] not in self.cited:
                self.cited.append(match["key"])
        yield node.get_text(), form

    def reference_list(self) -> None:
        """The sources this document cites, under their numbers in the guide's references."""
        numbered = {ref["key"]: (number, ref)
                    for number, ref in enumerate(self.references, start=1)}
        sources = sorted(numbered[key] for key in self.cited if key in numbered)
        if not sources:
            return
        self.add_paragraph(self.document, "Heading 2", "References")
        for number, ref in sources:
            source = f"{number}. {ref['authors']}. {ref['title']}. {ref['year']}."
            self.add_paragraph(self.document, None, source)


def _collapse(segments: list[tuple[str, _Format]]) -> list[tuple[str, _Format]]:
    """HTML white space rules: runs of spaces become one, none at the start or end of a line."""
    out: list[tuple[str, _Format]] = []
    after_space = True
    for text, form in segments:
        if text == "\n":
            if out and out[-1][0] != "\n":
                out[-1] = (out[-1][0].rstrip(" "), out[-1][1])
            out.append((text, form))
            after_space = True
            continue
        text = _SPACE.sub(" ", text)
        if after_space:
            text = text.lstrip(" ")
        if not text:
            continue
        after_space = text.endswith(" ")
        if out and out[-1][1] == form and out[-1][0] != "\n":
            out[-1] = (out[-1][0] + text, form)
        else:
            out.append((text, form))
    while out and (out[-1][0] == "\n" or not out[-1][0].strip(" ")):
        out.pop()
    if out:
        out[-1] = (out[-1][0].rstrip(" "), out[-1][1])
    return out


def _drop_leading_empty_paragraph(cell: Container) -> None:
    """A new cell starts with one empty paragraph; drop it once the cell has its own."""
    paragraphs = cell.paragraphs
    if len(paragraphs) > 1 and not paragraphs[0].text and not paragraphs[0].runs:
        remove_paragraph(paragraphs[0])
