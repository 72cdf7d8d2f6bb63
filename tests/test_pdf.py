"""`trustsite build --pdf`: the whole guide per Trust, printed by Chromium, read back as text."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from trustsite.build import build_many
from trustsite.locale import load_locale
from trustsite.pdf import read_chapters

from conftest import soup

TRUSTS = ["example", "northmoor-community"]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, tuple[Path, list[str]]]:
    out = tmp_path_factory.mktemp("pdf")
    results = build_many([load_locale(slug) for slug in TRUSTS], out, jobs=2, pdf=True)
    assert all(r.ok for r in results), [r.message for r in results]
    return {slug: (out, [page.extract_text() for page in PdfReader(out / f"{slug}.pdf").pages])
            for slug in TRUSTS}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _contents(pages: list[str]) -> list[str]:
    """The contents pages: from page 2 up to the page before the one its first entry names."""
    first = re.search(r"^1\. .*?(\d+)\s*$", pages[1], re.M)
    assert first, pages[1][:200]
    return pages[1:int(first[1]) - 1]


@pytest.mark.parametrize("slug", TRUSTS)
def test_cover_names_the_trust_and_review_date(pdfs, slug):
    data = load_locale(slug).data
    out, pages = pdfs[slug]
    cover = _flat(pages[0])
    assert data["trust"]["name"] in cover
    assert "Best Patient Care, Clinical Research and You" in cover
    assert "Last reviewed" in cover and re.search(r"\d{1,2} \w+ 20\d\d", cover)
    assert soup(out, "index.html").select_one(f'a[href="{slug}.pdf"]')


@pytest.mark.parametrize("slug", TRUSTS)
def test_contents_and_every_chapter_title(pdfs, slug):
    out, pages = pdfs[slug]
    chapters = read_chapters(out / slug)
    contents_pages = _contents(pages)
    contents = _flat(" ".join(contents_pages))
    body = _flat(" ".join(pages[1 + len(contents_pages):]))
    assert contents.startswith(load_locale(slug).data["trust"]["name"]) or "Contents" in contents
    for chapter in chapters:
        assert _flat(chapter.title) in contents, chapter.title
        assert _flat(chapter.title) in body, chapter.title
    has_champions = any(c.page.startswith("champions/") for c in chapters)
    assert has_champions == (slug == "example")


@pytest.mark.parametrize("slug", TRUSTS)
def test_running_header_and_page_numbers(pdfs, slug):
    name = load_locale(slug).data["trust"]["name"]
    _, pages = pdfs[slug]
    total = len(pages)
    assert total > 30
    for number in (3, total // 2, total):
        text = _flat(pages[number - 1])
        assert name in text
        assert f"Page {number} of {total}" in text


def test_links_are_followed_by_their_targets(pdfs):
    _, pages = pdfs["example"]
    compact = re.sub(r"\s+", "", " ".join(pages))  # long addresses wrap across lines
    assert "(https://intranet.example-hospitals.example/research)" in compact
    # An email or phone link already shows its address or number: not printed twice.
    assert "research@example-hospitals.example" in compact
    assert "(mailto:" not in compact and "(tel:" not in compact


def test_no_navigation_chrome(pdfs):
    _, pages = pdfs["example"]
    text = _flat(" ".join(pages))
    assert "Skip to content" not in text and "Back to top" not in text
    assert "Table of contents" not in text


def _font_sizes(page) -> dict[float, list[str]]:
    """Text on a PDF page by printed size in points (font size times the text matrix)."""
    sizes: dict[float, list[str]] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.setdefault(round(abs(size * tm[3] * cm[3]), 1), []).append(text.strip())
    page.extract_text(visitor_text=visit)
    return sizes


def test_body_text_is_11_to_12_point_and_the_running_header_about_9(pdfs):
    out, _ = pdfs["example"]
    reader = PdfReader(out / "example.pdf")
    sizes = _font_sizes(reader.pages[10])
    body = max(sizes, key=lambda size: sum(len(text) for text in sizes[size]))
    assert 11 <= body <= 12, sizes.keys()
    name = load_locale("example").data["trust"]["name"]
    header = [size for size, texts in sizes.items() if any(name in text for text in texts)]
    assert header and all(8.5 <= size <= 9.5 for size in header), header
    assert any(8.5 <= size <= 9.5 for size, texts in sizes.items() if "Page" in texts), sizes


@pytest.mark.parametrize("slug", TRUSTS)
def test_contents_give_the_page_each_chapter_starts_on(pdfs, slug):
    out, pages = pdfs[slug]
    contents = "\n".join(_contents(pages))
    for chapter in read_chapters(out / slug):
        line = next(line for line in contents.splitlines()
                    if _flat(line).rstrip("0123456789 ").endswith(_flat(chapter.title)))
        number = int(line.split()[-1])
        assert number >= 3, line  # after the cover and the contents
        assert _flat(chapter.title) in _flat(pages[number - 1]), (chapter.title, number)


@pytest.mark.parametrize("slug", TRUSTS)
def test_the_pdf_is_in_the_zip_and_linked_from_home_and_about(pdfs, slug):
    import zipfile

    out, _ = pdfs[slug]
    with zipfile.ZipFile(out / f"{slug}.zip") as archive:
        assert f"{slug}/site/downloads/{slug}.pdf" in archive.namelist()
    assert soup(out / slug, "index.html").select_one(f'a[href="downloads/{slug}.pdf"]')
    assert soup(out / slug, "about/index.html").select_one(f'a[href="../downloads/{slug}.pdf"]')


def test_the_pdf_can_be_dated_by_source_date_epoch(pdfs):
    # Chromium stamps the clock time; stamp_pdf_dates must find Chromium's real date form
    # (a change of form would silently leave PDFs different on every build).
    from datetime import datetime, timezone

    from trustsite.reproducible import stamp_pdf_dates

    out, _pages = pdfs["example"]
    printed = (out / "example.pdf").read_bytes()
    stamped = stamp_pdf_dates(printed, datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
    assert len(stamped) == len(printed)
    assert b"/CreationDate (D:20260102030405+00'00')" in stamped
    assert b"/ModDate (D:20260102030405+00'00')" in stamped
    assert PdfReader(io.BytesIO(stamped)).metadata.creation_date.year == 2026
