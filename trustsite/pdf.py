"""The whole guide as one PDF per Trust, printed by headless Chromium.

The built site's pages are joined, in navigation order, into one print view: a cover with
the Trust's name, logo and review date, a contents list, then each page as a chapter. Links
between pages become links inside the document. Chromium prints it with the Trust's name as
a running header and page numbers in the footer. It prints with JavaScript off, and with
its sandbox wherever the system allows (chromium.launch_for_printing).
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from bs4 import BeautifulSoup, Tag

from trustsite.built_page import (DOWNLOAD, HEADER_LINK, NOTICE, NOT_WEBSITE, PRINT_ONLY,
                                  WEBSITE_ONLY, class_selector, content_of, logo_src,
                                  nav_order)
from trustsite.chromium import launch_for_printing
from trustsite.context import template_context
from trustsite.html_templates import render_template
from trustsite.locale import Locale
from trustsite.reproducible import source_date, stamp_pdf_dates

PRINT_VIEW = ".print-view.html"  # written beside the site's pages so their assets resolve
# WEBSITE_ONLY: words for the interactive site, such as the self-assessment's live score.
_DROP = class_selector(NOTICE, PRINT_ONLY, HEADER_LINK, DOWNLOAD, WEBSITE_ONLY) + \
    ", script, form button"


@dataclass(frozen=True)
class Chapter:
    page: str  # the page's path in the site, e.g. "your-role/index.html"
    anchor: str
    title: str
    html: str


def _home(site_dir: Path) -> BeautifulSoup:
    return BeautifulSoup((site_dir / "index.html").read_text(encoding="utf-8"), "html.parser")


def chapter_order(site_dir: Path, home: BeautifulSoup | None = None) -> list[str]:
    """Every page in the order of the site's navigation, each once."""
    return nav_order(site_dir, home or _home(site_dir))


def _anchor_for(page: str) -> str:
    return "chapter-" + re.sub(r"[^a-z0-9]+", "-", page.removesuffix(".html").lower()).strip("-")


def _rewrite_links(article: Tag, page: str, anchors: dict[str, str]) -> None:
    """Ids become unique in the one document; links to pages become links to chapters."""
    prefix = anchors[page]
    for element in article.select("[id]"):
        element["id"] = f"{prefix}--{element['id']}"
    here = posixpath.dirname(page)
    for link in article.select("a[href]"):
        href = link["href"]
        if re.match(r"^[a-z]+:", href):
            continue
        target, _, fragment = href.partition("#")
        target_page = posixpath.normpath(posixpath.join(here, target)) if target else page
        if target_page in anchors:
            link["href"] = f"#{anchors[target_page]}--{fragment}" if fragment \
                else f"#{anchors[target_page]}"
    # Images, and a page's own stylesheet (the self-assessment's), resolve from the print
    # view at the site's root.
    for element, attribute in [(image, "src") for image in article.select("img[src]")] + \
            [(sheet, "href") for sheet in article.select("link[href]")]:
        if not re.match(r"^[a-z]+:", element[attribute]):
            element[attribute] = posixpath.normpath(posixpath.join(here, element[attribute]))


def read_chapters(site_dir: Path, home: BeautifulSoup | None = None) -> list[Chapter]:
    order = chapter_order(site_dir, home)
    anchors = {page: _anchor_for(page) for page in order}
    chapters = []
    for page in order:
        article = content_of((site_dir / page).read_text(encoding="utf-8"))
        for element in article.select(_DROP):
            element.decompose()
        for details in article.select("details"):  # paper cannot open a question's answer
            details["open"] = ""
        for words in article.select(class_selector(NOT_WEBSITE)):  # the words for paper
            del words["hidden"]
        heading = article.find("h1")
        title = heading.get_text(" ", strip=True) if heading else page
        _rewrite_links(article, page, anchors)
        chapters.append(Chapter(page, anchors[page], title, article.decode_contents()))
    return chapters


def print_view(site_dir: Path, locale: Locale, page_numbers: dict[str, int] | None = None,
               ) -> str:
    """The one-page view: the home page gives the order, the stylesheets and the logo.
    page_numbers (chapter anchor: page) fill in the contents list; without them it shows
    placeholders of the same width, so the contents take the same pages either way."""
    home = _home(site_dir)
    return render_template(
        "print-view.html",
        chapters=read_chapters(site_dir, home),
        page_numbers=page_numbers or {},
        stylesheets=[link["href"] for link in home.select('link[rel="stylesheet"]')],
        logo=logo_src(home),
        **template_context(locale))


def _squeezed(text: str) -> str:
    return "".join(text.split())


def chapter_pages(pdf_path: Path, chapters: list[Chapter]) -> dict[str, int]:
    """Each chapter's first page (1-based), from the PDF's outline: Chromium makes a top-level
    bookmark for every h1, in order, so the chapters' titles are matched in turn."""
    from pypdf import PdfReader

    reader = PdfReader(pdf_path)
    # The first is the cover's h1, which has the same title as the home page's chapter.
    top_level = [item for item in reader.outline if not isinstance(item, list)][1:]
    pages: dict[str, int] = {}
    remaining = list(chapters)
    for item in top_level:
        # Compared without spaces: a bookmark's title loses the space where its heading wrapped.
        if remaining and _squeezed(item.title) == _squeezed(remaining[0].title):
            pages[remaining.pop(0).anchor] = reader.get_destination_page_number(item) + 1
    return pages


def _header_footer(trust_name: str) -> tuple[str, str]:
    from markupsafe import escape

    # Chromium draws these templates at three quarters of their CSS size: 12px prints as 9pt.
    style = "font-family: Arial, Helvetica, sans-serif; font-size: 12px; color: #212B32;" \
            " width: 100%; box-sizing: border-box; padding: 0 15mm;"
    header = f'<div style="{style}">{escape(trust_name)}</div>'
    footer = (f'<div style="{style} text-align: right;">Page <span class="pageNumber"></span>'
              ' of <span class="totalPages"></span></div>')
    return header, footer


def is_site_file(url: str, site_dir: Path) -> bool:
    """True only for a file:// URL of a file inside the built site (after symbolic links)."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = os.path.realpath(url2pathname(unquote(parts.path)))
    return Path(path).is_relative_to(os.path.realpath(site_dir))


def _only_site_files(route: Any, site_dir: Path) -> None:
    """Chromium may read the built site's own files and nothing else: no other file:// path
    (a page could name /etc/... or a home folder) and no network, so the PDF never waits on a
    host or carries what it found there."""
    if is_site_file(route.request.url, site_dir):
        route.continue_()
    else:
        route.abort()


def write_pdf(site_dir: Path, locale: Locale, pdf_path: Path) -> Path:
    """Print the Trust's whole guide to pdf_path (written atomically)."""
    from playwright.sync_api import sync_playwright

    view = site_dir / PRINT_VIEW
    partial = pdf_path.with_name(f".{pdf_path.name}.partial")
    header, footer = _header_footer(locale.data["trust"]["name"])
    try:
        with sync_playwright() as playwright:
            browser = launch_for_printing(playwright)
            # Nothing runs while printing: the print view needs no script, and a Trust's
            # content that slipped past the checks could not act.
            page = browser.new_page(java_script_enabled=False)
            page.route("**/*", lambda route: _only_site_files(route, site_dir))
            # Printed twice: the first print tells which page each chapter starts on, for
            # the contents list of the second (Chromium has no target-counter()).
            numbers = None
            for _ in range(2):
                view.write_text(print_view(site_dir, locale, numbers), encoding="utf-8")
                page.goto(view.as_uri(), wait_until="load")
                page.emulate_media(media="print")
                page.pdf(path=str(partial), format="A4", print_background=True,
                         display_header_footer=True, header_template=header,
                         footer_template=footer, outline=True, tagged=True,
                         margin={"top": "20mm", "bottom": "20mm", "left": "15mm",
                                 "right": "15mm"})
                numbers = chapter_pages(partial, read_chapters(site_dir))
            browser.close()
        partial.write_bytes(stamp_pdf_dates(partial.read_bytes(), source_date()))
        partial.replace(pdf_path)
    finally:
        view.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)
    return pdf_path
