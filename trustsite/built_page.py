"""The one module that knows Material for MkDocs' HTML: what a built page holds.

Everything that reads the built site (the changes report, readability, the PDF, the intranet
packs) and the Word copies made in the plugin ask here for a page's title, text, content
element, headings and skip lists, and for the site's navigation order and logo. So a change
in Material's markup (or the move to Zensical) is made in this one file; tests/test_built_page.py
fails if another module names one of Material's `md-` classes.

The changes report, readability and the PDF read pages with BeautifulSoup; the intranet packs
read them with lxml, whose tree they rewrite. Both parsers' selectors are here.
"""

from __future__ import annotations

import copy
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Tag
from lxml import html as lxml_html
from lxml.etree import _Element

# -- Material's markup -----------------------------------------------------------------------

CONTENT_SELECTOR = "article.md-content__inner"  # the page's own content, title included
_CONTENT_XPATH = "//article[contains(@class, 'md-content__inner')]"
_CONTENT_START = re.compile(r"<article\b[^>]*\bclass=\"[^\"]*\bmd-content__inner\b")
_NAV_LINKS = "nav.md-nav--primary a.md-nav__link[href]"  # every entry of the site's navigation
_LOGO = ".md-header__button.md-logo img"
_SKIP_LINK = re.compile(r'<a href="[^"]*" class="md-skip">')

# -- Skip lists: classes of parts of the content that are not the page's text ----------------

HEADER_LINK = "headerlink"        # the permalink after each heading (the toc extension)
EDIT_BUTTON = "md-content__button"  # Material's edit and view-source buttons
SOURCE_FILE = "md-source-file"    # Material's "last update" line
NOTICE = "trust-notice"           # the site's notices above the title (overrides/)
PRINT_ONLY = "trust-print-only"   # shown only when a page is printed
DOWNLOAD = "trust-download"       # a page's link to its own Word copy
# Words true only on the interactive site ("watch your score change"): national Markdown
# wraps them in WEBSITE_ONLY, and the words for every other output (the packs, the PDF and
# Word) beside them in NOT_WEBSITE with the `hidden` attribute, which the site never shows.
WEBSITE_ONLY = "trust-website-only"
NOT_WEBSITE = "trust-not-website"
# What WEBSITE_ONLY words say (lower case): tests/test_outputs.py searches every output but
# the site for each, so a new interactive feature's words are added here.
WEBSITE_ONLY_PHRASES = (
    "watch your score change", "print button", "saved only in this", "see your score here",
    "not saving your ticks", "ticks are not saved", "reset (clear all ticks)",
    "the action list appears here", "when the page has fully loaded",
    "select a question to see the answer", "hover over", "search works offline",
    "without the internet, because", "axe-core", "nu html checker",
)


def class_selector(*classes: str) -> str:
    """A CSS selector list matching any of `classes`, e.g. '.headerlink, .trust-notice'."""
    return ", ".join(f".{name}" for name in classes)


# -- One page, as the changes report, readability and the PDF read it (BeautifulSoup) -------

# Words in neighbouring blocks stay apart in a page's text.
BLOCK_TAGS = ["address", "article", "aside", "blockquote", "br", "caption", "dd", "details",
              "div", "dl", "dt", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
              "hr", "li", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr",
              "ul"]
_NOT_TEXT = f"script, style, template, a.{HEADER_LINK}"


@dataclass(frozen=True)
class BuiltPage:
    path: str  # in the site, for example "champions/index.html"
    title: str  # the words of the page's h1, "" when it has none
    text: str  # the visible words of the content, whitespace-normalised
    headings: tuple[tuple[int, str], ...]  # (level, words) of every h1 to h6, in order
    content: Tag  # the content element, without scripts, styles, templates and header links


def content_of(document: str) -> Tag | None:
    """The page's content element (a fresh parse the caller may change), or None."""
    start = _CONTENT_START.search(document)
    end = document.rfind("</article>")
    if start and end > start.start():  # parse the content alone: several times faster
        document = document[start.start():end + len("</article>")]
    return BeautifulSoup(document, "html.parser").select_one(CONTENT_SELECTOR)


def _words(element: Tag) -> str:
    return " ".join(element.get_text(" ").split())


def visible_text(content: Tag) -> str:
    """The content's words, with the words of neighbouring blocks kept apart."""
    spaced = copy.copy(content)
    for tag in spaced.find_all(BLOCK_TAGS):
        tag.insert_before(" ")
        tag.insert_after(" ")
    return " ".join(spaced.get_text().split())


def built_page(path: str, document: str) -> BuiltPage | None:
    """The page a document holds, or None when it has no content element (e.g. a redirect)."""
    content = content_of(document)
    if content is None:
        return None
    for tag in content.select(_NOT_TEXT):
        tag.decompose()
    heading = content.find("h1")
    headings = tuple((int(tag.name[1]), _words(tag))
                     for tag in content.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]))
    return BuiltPage(path, _words(heading) if heading else "", visible_text(content), headings,
                     content)


def read_built_page(site: Path, path: str) -> BuiltPage | None:
    """The page at `path` (relative to the built site folder `site`)."""
    return built_page(path, (site / path).read_text(encoding="utf-8"))


# -- The whole site, as the PDF reads it -----------------------------------------------------

def nav_order(site: Path, home: BeautifulSoup) -> list[str]:
    """Every page in the order of the site's navigation (read from its home page), each once."""
    pages: list[str] = []
    for link in home.select(_NAV_LINKS):
        page = posixpath.normpath(link["href"].split("#")[0] or "index.html")
        if page.endswith(".html") and page not in pages and (site / page).is_file():
            pages.append(page)
    return pages


def logo_src(home: BeautifulSoup) -> str:
    """The src of the logo in the site's header, relative to the home page."""
    return home.select_one(_LOGO)["src"]


def point_skip_link(html: str, anchor: str) -> str:
    """The page with Material's "Skip to content" link going to #anchor."""
    return _SKIP_LINK.sub(f'<a href="#{anchor}" class="md-skip">', html, count=1)


# -- Pages and navigation, as the intranet packs read them (lxml) ----------------------------

def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


# Parts of the content that only make sense inside the Material site. XPath (lxml's CSS
# selectors need another package).
SITE_ONLY = f".//*[{_has_class(HEADER_LINK)}" \
    f" or contains(@class, '{EDIT_BUTTON}') or contains(@class, '{PRINT_ONLY}')" \
    f" or contains(@class, '{NOTICE}') or contains(@class, '{SOURCE_FILE}')" \
    f" or {_has_class(WEBSITE_ONLY)}]" \
    " | .//link | .//script | .//style"


@dataclass(frozen=True)
class Page:
    title: str
    path: str  # relative to the site folder, for example "champions/self-assessment.html"
    section: tuple[str, ...]  # the navigation sections above the page, outermost first


@dataclass
class NavNode:
    """A navigation entry: a section (path None) with children, or a page."""
    title: str
    path: str | None = None
    children: list["NavNode"] = field(default_factory=list)


def _text(element: _Element) -> str:
    return " ".join(element.text_content().split())


def _site_path(href: str, base: str) -> str | None:
    """The site-relative path an internal href points to, or None for other hosts/anchors."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    joined = PurePosixPath(base).parent / unquote(parts.path)
    resolved: list[str] = []
    for part in joined.parts:
        if part == "..":
            if resolved:
                resolved.pop()
        elif part not in (".", ""):
            resolved.append(part)
    path = "/".join(resolved)
    return path or "index.html"


def _walk(list_element: _Element, sections: tuple[str, ...], nodes: list[NavNode],
          pages: list[Page]) -> None:
    for item in list_element.xpath("./li[contains(@class, 'md-nav__item')]"):
        child_list = item.xpath("./nav/ul[contains(@class, 'md-nav__list')]")
        if child_list and "md-nav__item--nested" in item.get("class", ""):
            label = item.xpath("./label[contains(@class, 'md-nav__link')]"
                               " | ./div/a[contains(@class, 'md-nav__link')]")
            title = _text(label[0]) if label else ""
            node = NavNode(title)
            nodes.append(node)
            _walk(child_list[0], sections + (title,), node.children, pages)
            continue
        links = item.xpath("./a[contains(@class, 'md-nav__link')]")
        if not links:
            continue
        path = _site_path(links[0].get("href", ""), "index.html")
        if path is None or not path.endswith(".html"):
            continue
        title = _text(links[0])
        nodes.append(NavNode(title, path))
        pages.append(Page(title, path, sections))


def read_navigation(site: Path) -> tuple[list[Page], list[NavNode]]:
    """Every page of the built site in navigation order, and the navigation tree. The site's
    own navigation is the truth, so pages a Trust switched off or replaced are already right."""
    tree = lxml_html.fromstring((site / "index.html").read_bytes())
    primary = tree.xpath("//nav[contains(@class, 'md-nav--primary')]"
                         "/ul[contains(@class, 'md-nav__list')]")
    if not primary:
        raise ValueError(f"{site / 'index.html'}: no Material navigation found")
    pages: list[Page] = []
    nodes: list[NavNode] = []
    _walk(primary[0], (), nodes, pages)
    return pages, nodes


def page_content(site: Path, page: Page) -> _Element:
    """The page's content element, without the parts that belong to the Material site."""
    tree = lxml_html.fromstring((site / page.path).read_bytes())
    found = tree.xpath(_CONTENT_XPATH)
    if not found:
        raise ValueError(f"{site / page.path}: no {CONTENT_SELECTOR} found")
    article = found[0]
    for element in article.xpath(SITE_ONLY):
        element.drop_tree()
    return article


def resolve_link(href: str, from_page: str) -> str | None:
    """Where an href in from_page points inside the site (path plus #fragment), or None."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return f"{from_page}#{parts.fragment}" if parts.fragment else from_page
    path = _site_path(href, from_page)
    return f"{path}#{parts.fragment}" if parts.fragment else path
