"""What the SharePoint pack and the paste-ready pages share: each page of a built site as
clean HTML, with its links and images rewritten by the target's own address scheme, and the
site files (images, Word documents) those pages use."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit

from trustsite.intranet.clean_html import clean_article
from trustsite.built_page import Page, page_content, read_navigation, resolve_link

EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel"}
WORD_NOTE = ("This is a printable copy of the interactive checklist. Print this page and tick "
             "each statement that is true, or use the Word version: ")


@dataclass(frozen=True)
class CleanPage:
    page: Page
    name: str  # a flat, unique name for the page, for example "champions-self-assessment"
    html: str


@dataclass
class CleanSite:
    pages: list[CleanPage]
    files: set[str] = field(default_factory=set)  # site-relative paths the pages link to


def page_name(path: str) -> str:
    """'champions/self-assessment.html' -> 'champions-self-assessment'; index pages take
    their folder's name, and the home page is 'home' (index.html is the kit's own list)."""
    if path == "index.html":
        return "home"
    stem = path.removesuffix(".html")
    if stem.endswith("/index"):
        stem = stem.removesuffix("/index")
    return stem.replace("/", "-")


def unique_page_names(paths: list[str], site: Path) -> list[str]:
    """Each page's name in the packs, in order; refused when two pages would share one (they
    would overwrite each other on the intranet)."""
    first: dict[str, str] = {}
    for path in paths:
        name = page_name(path)
        other = first.setdefault(name, path)
        if other != path:
            raise ValueError(
                f"{site}: the pages {other} and {path} would both be called '{name}' on the "
                "intranet. Rename one of them (a Trust's own page is renamed in its locale's "
                "pages/ folder).")
    return list(first)


def is_checklist(article_html: str) -> bool:
    """The interactive self-assessment: a form of checkboxes the intranet cannot run."""
    return "<form" in article_html and 'type="checkbox"' in article_html


def clean_site(site: Path, page_url: Callable[[Page, str], str],
               file_url: Callable[[str, str], str], *, images: bool,
               word_version: Callable[[Page, str], str | None] = lambda page, html: None,
               ) -> CleanSite:
    """Every page of the built site in navigation order, cleaned. page_url(target, from_path)
    and file_url(site_path, from_path) give a target's address for a page or a file."""
    pages, _ = read_navigation(site)
    by_path = {page.path: page for page in pages}
    names = unique_page_names([page.path for page in pages], site)
    result = CleanSite([])

    def internal(href: str, from_path: str) -> str | None:
        target = resolve_link(href, from_path)
        if target is None:
            return None
        path = target.split("#", 1)[0]
        if (site / path).is_dir():
            path = f"{path.rstrip('/')}/index.html"
        if path in by_path:
            return page_url(by_path[path], from_path)
        if (site / path).is_file() and not path.endswith(".html"):
            result.files.add(path)
            return file_url(path, from_path)
        return None  # not part of the pack: keep the link's text only

    for page, name in zip(pages, names):
        def link(href: str, from_path: str = page.path) -> str | None:
            scheme = urlsplit(href).scheme.lower()
            if scheme:
                return href if scheme in EXTERNAL_SCHEMES else None
            return internal(href, from_path)

        def image(src: str, from_path: str = page.path) -> str | None:
            return None if urlsplit(src).scheme else internal(src, from_path)

        article = page_content(site, page)
        from lxml import html as lxml_html
        source = lxml_html.tostring(article, encoding="unicode")
        html = clean_article(article, link, image, images=images)
        if is_checklist(source):
            word = word_version(page, html)
            note = f"<p>{WORD_NOTE}<a href=\"{word}\">{page.title} (Word)</a>.</p>\n" \
                if word else ""
            html = note + html
        result.pages.append(CleanPage(page, name, html))
    return result


@contextmanager
def replaced_atomically(target: Path) -> Iterator[Path]:
    """A scratch folder beside target that replaces target only if the block succeeds, so a
    failed pack never leaves a half-written folder."""
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield scratch
        old = target.with_name(f".{target.name}.old")
        if old.exists():
            shutil.rmtree(old)
        if target.exists():
            os.replace(target, old)
        os.replace(scratch, target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def copy_site_file(site: Path, path: str, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(site / path, destination)
