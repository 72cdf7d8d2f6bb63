"""`trustsite build --pdf`: the whole guide per Trust, printed by Chromium, read back as text."""

from __future__ import annotations

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
    contents = _flat(pages[1])
    body = _flat(" ".join(pages[2:]))
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
    assert "(mailto:research@example-hospitals.example)" in compact


def test_no_navigation_chrome(pdfs):
    _, pages = pdfs["example"]
    text = _flat(" ".join(pages))
    assert "Skip to content" not in text and "Back to top" not in text
    assert "Table of contents" not in text
