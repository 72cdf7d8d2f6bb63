"""What the SharePoint pack and the paste-ready pages share: each page of a built site as
clean HTML, with its links and images rewritten by the target's own address scheme, and the
site files (images, Word documents) those pages use."""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit

from lxml import html as lxml_html
from lxml.etree import _Element

from trustsite.intranet.clean_html import clean_article
from trustsite.built_page import Page, page_content, read_navigation, resolve_link

EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel"}
REFERENCES = "about/references.html"  # the guide's numbered list of sources
SOURCES_HEADING = "Sources"
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
    """Each page's name in the packs, in order; refused when two pages would share one when
    case is ignored (they would overwrite each other: SharePoint's page addresses ignore case)."""
    first: dict[str, str] = {}
    names = []
    for path in paths:
        name = page_name(path)
        other = first.setdefault(name.casefold(), path)
        if other != path:
            raise ValueError(
                f"{site}: the pages {other} and {path} would both be called '{name}' on the "
                "intranet, where case is ignored. Rename one of them (a Trust's own page is "
                "renamed in its locale's pages/ folder).")
        names.append(name)
    return names


def _references(site: Path) -> dict[str, _Element]:
    """Each source on the guide's References page, by its anchor (ref-<key>)."""
    if not (site / REFERENCES).is_file():
        return {}
    root = lxml_html.parse(str(site / REFERENCES)).getroot()
    return {item.get("id"): item for item in root.iterfind(".//li[@id]")
            if item.get("id", "").startswith("ref-")}


def cited_sources(article: _Element, path: str, references: dict[str, _Element]) -> _Element:
    """The page's own sources, to end the page with: a 'Sources' heading and a list of each
    source it cites, under the guide's number for it. Each citation link in the article is
    pointed at its source's own address: the intranets remove the anchors a link to the
    References page would need (empty when the page cites nothing)."""
    listed = lxml_html.Element("div")
    items: dict[str, tuple[int, _Element]] = {}
    for link in article.xpath('.//sup[contains(concat(" ", @class, " "), " citation ")]//a'):
        target = resolve_link(link.get("href") or "", path) or ""
        where, _, anchor = target.partition("#")
        if where != REFERENCES or anchor not in references:
            continue
        source = references[anchor]
        address = next((a.get("href") for a in source.iter("a")
                        if urlsplit(a.get("href") or "").scheme in ("http", "https")), None)
        if address:
            link.set("href", address)
        number = link.text_content().strip()
        if anchor not in items and number.isdigit():
            item = copy.deepcopy(source)
            item.text = f"[{number}] {item.text or ''}"
            items[anchor] = (int(number), item)
    if items:
        heading = lxml_html.Element("h2")
        heading.text = SOURCES_HEADING
        sources = lxml_html.Element("ul")
        sources.extend(item for _, item in sorted(items.values(), key=lambda pair: pair[0]))
        listed.extend([heading, sources])
    return listed


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
    references = _references(site)
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
        sources = cited_sources(article, page.path, references)
        html = clean_article(article, link, image, images=images)
        if len(sources):
            html += clean_article(sources, link, image, images=images)
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
