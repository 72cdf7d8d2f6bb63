"""The one module that knows Material's HTML: the pages of a built site in navigation order.

The built site's own navigation (the primary nav of its home page) is the truth, so pages a
Trust switched off or replaced are handled by the build, not here. Each page gives its title,
its path relative to the site folder and its content element (`article.md-content__inner`)
without Material-only parts (header links, edit buttons, print-only blocks, the site notice).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from lxml import html as lxml_html
from lxml.etree import _Element

# Parts of the article that only make sense inside the Material site.
# XPath (lxml's CSS selectors need another package).
SITE_ONLY = ".//*[contains(concat(' ', normalize-space(@class), ' '), ' headerlink ')" \
    " or contains(@class, 'md-content__button') or contains(@class, 'trust-print-only')" \
    " or contains(@class, 'trust-notice') or contains(@class, 'md-source-file')]" \
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
    """Every page of the built site in navigation order, and the navigation tree."""
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
    """The page's article element, without the parts that belong to the Material site."""
    tree = lxml_html.fromstring((site / page.path).read_bytes())
    found = tree.xpath("//article[contains(@class, 'md-content__inner')]")
    if not found:
        raise ValueError(f"{site / page.path}: no article.md-content__inner found")
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
