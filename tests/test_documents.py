"""The champion templates as Word documents: one per page, per Trust, made from the page."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from trustsite.content import references_source
from trustsite.documents import _docx_of, document_date, html_to_docx
from trustsite.plugin import WORD_TEMPLATES
from trustsite.locale import load_locale

from conftest import ROOT, soup

CHAMPION_TRUSTS = ["example", "brightwater-valley"]
TEMPLATES = list(WORD_TEMPLATES.items())


def open_docx(source: Path | bytes) -> docx.document.Document:
    data = source if isinstance(source, bytes) else source.read_bytes()
    return docx.Document(io.BytesIO(data))


def all_text(document: docx.document.Document) -> str:
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def styled(document: docx.document.Document) -> list[tuple[str, str]]:
    return [(paragraph.style.name, paragraph.text) for paragraph in document.paragraphs]


def is_header_row(row) -> bool:
    properties = row._tr.trPr
    return properties is not None and properties.find(qn("w:tblHeader")) is not None


def heading_text(tag) -> str:
    for link in tag.select(".headerlink"):
        link.decompose()
    return " ".join(tag.get_text().split())


def page_html(page: str) -> str:
    return page.removesuffix(".md") + ".html"


# -- The built sites -------------------------------------------------------------------------

@pytest.mark.parametrize("slug", CHAMPION_TRUSTS)
@pytest.mark.parametrize("page, download", TEMPLATES)
def test_word_template_is_filled_in_for_the_trust(built_sites, slug, page, download):
    locale = load_locale(slug).data
    document = open_docx(built_sites[slug] / download)
    text = all_text(document)
    assert locale["trust"]["name"] in text
    assert locale["trust"]["short_name"] in text
    assert locale["research_office"]["team_name"] in text
    assert "{{" not in text and "{%" not in text
    assert "Download this" not in text  # the page's link to the document is left out
    properties = document.core_properties
    assert properties.author == locale["trust"]["name"]
    assert properties.language == "en-GB"
    assert properties.title == heading_text(soup(built_sites[slug], page_html(page)).h1)


@pytest.mark.parametrize("slug", CHAMPION_TRUSTS)
def test_engagement_plan_gives_the_research_office_contact(built_sites, slug):
    office = load_locale(slug).data["research_office"]
    document = open_docx(built_sites[slug] / WORD_TEMPLATES["champions/engagement-plan.md"])
    assert f"{office['team_name']}, {office['email']}" in all_text(document)


@pytest.mark.parametrize("slug", CHAMPION_TRUSTS)
@pytest.mark.parametrize("page, download", TEMPLATES)
def test_word_template_has_the_pages_headings(built_sites, slug, page, download):
    article = soup(built_sites[slug], page_html(page)).select_one("article")
    document = open_docx(built_sites[slug] / download)
    for level in (1, 2, 3):
        on_page = [heading_text(h) for h in article.select(f"h{level}")]
        in_document = [text for style, text in styled(document) if style == f"Heading {level}"]
        if level == 2 and article.select_one("sup.citation"):  # the added reference list
            assert in_document.pop() == "References"
        assert in_document == on_page, level
    assert len([h for h in article.select("h2")]) >= 5


@pytest.mark.parametrize("slug", CHAMPION_TRUSTS)
@pytest.mark.parametrize("page, download", TEMPLATES)
def test_word_template_tables_are_real_tables_with_header_rows(built_sites, slug, page, download):
    article = soup(built_sites[slug], page_html(page)).select_one("article")
    document = open_docx(built_sites[slug] / download)
    page_tables = article.select("table")
    assert len(document.tables) == len(page_tables)
    for page_table, table in zip(page_tables, document.tables):
        assert is_header_row(table.rows[0])
        assert not any(is_header_row(row) for row in table.rows[1:])
        assert table.style.name == "Table Grid"
        assert [cell.text for cell in table.rows[0].cells] == [
            " ".join(th.get_text().split()) for th in page_table.select("thead th")]
        assert len(table.rows) == len(page_table.select("tr"))


@pytest.mark.parametrize("slug", CHAMPION_TRUSTS)
def test_templates_with_tables_on_the_page_have_them(built_sites, slug):
    site = built_sites[slug]
    role = open_docx(site / WORD_TEMPLATES["champions/role-description.md"])
    assert [c.text for c in role.tables[0].rows[0].cells] == ["Area", "Essential", "Desirable"]
    lunch = open_docx(site / WORD_TEMPLATES["champions/lunch-and-learn.md"])
    assert [c.text for c in lunch.tables[0].rows[0].cells] == ["Time", "Activity", "Who"]


@pytest.mark.parametrize("slug", CHAMPION_TRUSTS)
@pytest.mark.parametrize("page, download", TEMPLATES)
def test_pages_link_to_their_word_template(built_sites, slug, page, download):
    site = built_sites[slug]
    html = site / page_html(page)
    links = soup(site, page_html(page)).select("article .trust-download a[href$='.docx']")
    assert len(links) == 1
    assert (html.parent / links[0]["href"]).resolve() == (site / download).resolve()
    assert "Word document (.docx)" in links[0].get_text()


def test_trust_without_champions_has_no_word_templates(built_sites):
    site = built_sites["northmoor-community"]
    assert not (site / "downloads").exists()
    assert not list(site.rglob("*.docx"))
    assert not any(".docx" in page.read_text(encoding="utf-8") for page in site.rglob("*.html"))


# -- The conversion --------------------------------------------------------------------------

SNIPPET = """
<h1 id="t">Snippet title<a class="headerlink" href="#t" title="Link to this section">&para;</a></h1>
<aside class="trust-notice"><p>Site notice</p></aside>
<p class="trust-download"><a href="x.docx">Download this</a>. It is filled in.</p>
<p>Plain <strong>bold</strong> and <em>italic</em>   text with <a href="https://example.org/a">a
link</a>, <a href="mailto:team@example.org">e-mail us</a>, <a href="mailto:x@example.org">x@example.org</a>
and <a href="other.html">an internal page</a><sup class="citation">[<a href="refs.html#r">3</a>]</sup>.</p>
<h2 id="s">Second level<a class="headerlink" href="#s">&para;</a></h2>
<h3>Third level</h3>
<h4>Fourth level</h4>
<ul><li>Bullet one</li><li>Bullet two<ul><li>Nested bullet</li></ul></li></ul>
<ol><li>First step</li><li>Second step</li></ol>
<p>Between lists</p>
<ol><li>Restarted step</li></ol>
<table><thead><tr><th>Area</th><th>Essential</th></tr></thead>
<tbody><tr><td>Job</td><td>Any <em>role</em></td></tr></tbody></table>
<blockquote><p>Quoted words</p></blockquote>
<div class="admonition tip"><p class="admonition-title">Tip title</p><p>Tip text</p></div>
<ul class="task-list"><li class="task-list-item"><label class="task-list-label"><input type="checkbox" disabled/> A task</label></li></ul>
"""


def test_html_maps_to_word_structure():
    document = open_docx(html_to_docx(SNIPPET, "Snippet title", "Anytown Hospitals NHS Trust"))
    assert styled(document) == [
        ("Heading 1", "Snippet title"),
        ("Subtitle", "Anytown Hospitals NHS Trust"),
        ("Normal", "Plain bold and italic text with a link (https://example.org/a), e-mail us "
                   "(team@example.org), x@example.org and an internal page[3]."),
        ("Heading 2", "Second level"),
        ("Heading 3", "Third level"),
        ("Heading 4", "Fourth level"),
        ("List Bullet", "Bullet one"),
        ("List Bullet", "Bullet two"),
        ("List Bullet 2", "Nested bullet"),
        ("List Number", "First step"),
        ("List Number", "Second step"),
        ("Normal", "Between lists"),
        ("List Number", "Restarted step"),
        ("Normal", ""),  # the space after the table
        ("Quote", "Quoted words"),
        ("Normal", "Tip title"),
        ("Normal", "Tip text"),
        ("List Continue", "\u2610 A task"),  # the box, without a bullet too
    ]
    runs = {run.text: run for run in document.paragraphs[2].runs}
    assert runs["bold"].bold and not runs["bold"].italic
    assert runs["italic"].italic and not runs["italic"].bold
    assert document.paragraphs[15].runs[0].bold  # the admonition's title

    [table] = document.tables
    assert table.style.name == "Table Grid"
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Area", "Essential"], ["Job", "Any role"]]
    assert is_header_row(table.rows[0]) and not is_header_row(table.rows[1])
    assert all(run.bold for run in table.rows[0].cells[0].paragraphs[0].runs)

    # Each numbered list starts again at 1: its own numbering instance, started over.
    numbers = [p._p.pPr.numPr.numId.val for p in document.paragraphs
               if p.style.name == "List Number"]
    assert numbers[0] == numbers[1] != numbers[2]
    numbering = document.part.numbering_part.element
    for number in set(numbers):
        start = numbering.num_having_numId(number).find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
        assert start is not None and start.get(qn("w:val")) == "1"

    text = all_text(document)
    assert "Site notice" not in text and "Download this" not in text and "\u00b6" not in text
    properties = document.core_properties
    assert (properties.title, properties.author, properties.language) == (
        "Snippet title", "Anytown Hospitals NHS Trust", "en-GB")
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_title_comes_from_the_argument_when_the_html_has_no_h1():
    document = open_docx(html_to_docx("<p>Body</p>", "Given title", "Anytown Trust"))
    assert styled(document) == [("Heading 1", "Given title"), ("Subtitle", "Anytown Trust"),
                                ("Normal", "Body")]


def test_conversion_is_deterministic_and_dated_by_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    first = html_to_docx(SNIPPET, "Snippet title", "Anytown Trust")
    rebuilt = _docx_of.__wrapped__(SNIPPET, "Snippet title", "Anytown Trust", document_date(),
                                   None, references_source())
    assert rebuilt == first  # made again from scratch, not taken from the cache
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        entries = archive.infolist()
    assert entries[0].filename == "[Content_Types].xml"
    assert {entry.date_time for entry in entries} == {(2026, 1, 1, 0, 0, 0)}
    assert "docProps/thumbnail.jpeg" not in {entry.filename for entry in entries}
    properties = open_docx(first).core_properties
    assert properties.created.replace(tzinfo=None) == datetime(2026, 1, 1)
    assert properties.modified.replace(tzinfo=None) == datetime(2026, 1, 1)

    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    unset = html_to_docx(SNIPPET, "Snippet title", "Anytown Trust")
    assert unset != first
    assert open_docx(unset).core_properties.created.replace(tzinfo=None) == datetime(2000, 1, 1)


def test_an_unchanged_page_reuses_its_document():
    """The live preview renders every page on each save; unchanged templates are not rebuilt,
    but any change to the page, title, Trust or date makes a new document."""
    _docx_of.cache_clear()
    html_to_docx(SNIPPET, "Snippet title", "Anytown Trust")
    html_to_docx(SNIPPET, "Snippet title", "Anytown Trust")
    assert _docx_of.cache_info().hits == 1
    html_to_docx(SNIPPET + "<p>One more line</p>", "Snippet title", "Anytown Trust")
    html_to_docx(SNIPPET, "Snippet title", "Othertown Trust")
    assert _docx_of.cache_info().misses == 3


def test_each_document_starts_from_a_clean_copy_of_the_shared_blank():
    """Documents are copied from one blank made per process: a document with a logo and
    other text must leave nothing in it for the next."""
    _docx_of.cache_clear()
    first = html_to_docx(SNIPPET, "Snippet title", "Anytown Trust")
    html_to_docx(CITED, "Cited", "Othertown Hospitals NHS Trust", _png())
    _docx_of.cache_clear()
    assert html_to_docx(SNIPPET, "Snippet title", "Anytown Trust") == first


# -- Fit to publish: header, footer, live links, references ------------------------------------

def _png(width: int = 4, height: int = 2) -> bytes:
    """A tiny valid PNG (white pixels), made here so the test needs no image library."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


CITED = """<h1>Cited</h1><p>Research helps.<sup class="citation">[<a href="../about/references.html#ref-csp078">1</a>]</sup>
Write to <a href="mailto:team@example.org">team@example.org</a> or see <a href="https://example.org/a">our page</a>.</p>"""


def test_word_has_the_trusts_name_and_logo_in_the_header_and_page_numbers_in_the_footer():
    document = open_docx(html_to_docx(CITED, "Cited", "Anytown Hospitals NHS Trust", _png()))
    section = document.sections[0]
    assert "Anytown Hospitals NHS Trust" in section.header.paragraphs[0].text
    assert section.header.part.element.findall(f".//{qn('w:drawing')}"), "no logo in the header"
    instructions = [node.text.strip() for node in
                    section.footer.part.element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert section.footer.paragraphs[0].text.startswith("Page ")


def test_word_without_a_png_logo_keeps_the_name_alone():
    document = open_docx(html_to_docx(CITED, "Cited", "Anytown Hospitals NHS Trust"))
    header = document.sections[0].header
    assert "Anytown Hospitals NHS Trust" in header.paragraphs[0].text
    assert not header.part.element.findall(f".//{qn('w:drawing')}")


def test_word_links_are_live_and_citations_get_a_reference_list():
    document = open_docx(html_to_docx(CITED, "Cited", "Anytown Hospitals NHS Trust"))
    links = [(link.address, link.text) for paragraph in document.paragraphs
             for link in paragraph.hyperlinks]
    assert ("mailto:team@example.org", "team@example.org") in links
    assert ("https://example.org/a", "our page (https://example.org/a)") in links
    assert styled(document)[-2:] == [
        ("Heading 2", "References"),
        ("Normal", "1. NIHR Clinical Research Network. CSP078: Health and Care Services "
                   "Engagement. 2023.")]


def test_an_svg_logo_is_drawn_as_png_for_word():
    from trustsite.documents import logo_png

    svg = (ROOT / "locales" / "example" / "logo.svg").read_bytes()
    png = logo_png(svg, True)
    assert png and png.startswith(b"\x89PNG\r\n\x1a\n")
    assert logo_png(b"<svg xmlns='http://www.w3.org/2000/svg'><image href='../../x.png'/>"
                    b"</svg>", True) is None  # never follows a reference out of the logo


def test_the_example_trusts_word_templates_show_its_svg_logo(built_sites):
    document = open_docx(built_sites["example"] / "downloads" / "role-description.docx")
    header = document.sections[0].header
    assert header.part.element.findall(f".//{qn('w:drawing')}"), "no logo in the header"


@pytest.mark.parametrize("text", ["Plain words", " spaced at both ends ", "", "tab\there",
                                  "line\nbreak", "carriage\rreturn", "no-break\u00a0space"])
def test_a_runs_text_is_written_as_python_docx_writes_it(text):
    """set_run_text skips python-docx's character-by-character path; the XML is the same."""
    from trustsite.docx_xml import set_run_text

    document = docx.Document()
    ours, theirs = document.add_paragraph().add_run(), document.add_paragraph().add_run()
    set_run_text(ours, text)
    theirs.text = text
    assert ours._r.xml == theirs._r.xml


def test_a_table_style_set_by_id_is_what_python_docx_sets_by_name():
    from trustsite.docx_xml import set_table_style
    from trustsite.documents import TABLE_STYLE, _style_id

    document = docx.Document()
    ours, theirs = document.add_table(rows=1, cols=1), document.add_table(rows=1, cols=1)
    set_table_style(ours, _style_id(TABLE_STYLE))
    theirs.style = document.styles[TABLE_STYLE]
    assert ours._tbl.xml == theirs._tbl.xml
    assert ours.style.name == TABLE_STYLE


@pytest.mark.parametrize("style", ["Heading 2", "List Number", "Quote"])
def test_a_paragraph_style_set_by_id_is_what_python_docx_sets_by_name(style):
    from trustsite.docx_xml import paragraph_style_id, set_paragraph_style
    from trustsite.documents import _style_id

    document = docx.Document()
    ours, theirs = document.add_paragraph("a"), document.add_paragraph("a")
    set_paragraph_style(ours, _style_id(style))
    theirs.style = document.styles[style]
    assert ours._p.xml == theirs._p.xml
    assert paragraph_style_id(ours) == _style_id(style) != paragraph_style_id(
        document.add_paragraph())


def test_numbering_restarts_at_the_lists_start():
    """An <ol start="3"> gets its own numbering instance of the style's list, from 3."""
    from trustsite.docx_xml import list_definition, restart_numbering, set_list_number

    document = docx.Document()
    definition = list_definition(document, "List Number")
    first = restart_numbering(document, definition, 3)
    second = restart_numbering(document, definition, 1)
    assert first != second
    paragraph = document.add_paragraph("item", style="List Number")
    set_list_number(paragraph, first)
    assert paragraph._p.pPr.numPr.numId.val == first
    numbering = document.part.numbering_part.element
    assert numbering.num_having_numId(first).abstractNumId.val == definition
    start = numbering.num_having_numId(first).find(f".//{qn('w:startOverride')}")
    assert start.get(qn("w:val")) == "3"
