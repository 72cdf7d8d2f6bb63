"""Material's article HTML turned into the plain, semantic HTML that intranets keep.

One allow-list serves the SharePoint pack and the paste-ready pages. SharePoint's Text web
part keeps h2-h4, paragraphs, lists, links, tables and emphasis; it removes classes,
styles, ids and script. So the allow-list is that set (plus img for paste-ready pages):

- h1 is dropped: the intranet page's own title holds it. h5/h6 become h4.
- ids are dropped (SharePoint removes them), so a link to an anchor goes to the page itself.
- admonitions become their content led by a bold title; details/summary a heading + content
  (no blockquote: in SharePoint's editor it is the large "pull quote", not a note);
  task-list and self-assessment checkboxes become "☐ " before the item's text.
- abbr, span, div, sup and every other wrapper keep only their text and children.
- script, style, forms' buttons and fields, svg and iframes are removed with their content.
"""

from __future__ import annotations

from typing import Callable

from lxml import html as lxml_html
from lxml.etree import _Element

from trustsite.sanitise import INTRANET, sanitise

# tag -> the attributes it may keep: the intranet part of the one allow-list (sanitise.py),
# which also cleans what this module writes.
ALLOWED: dict[str, frozenset[str]] = INTRANET.elements
RENAMED = {"b": "strong", "i": "em", "h5": "h4", "h6": "h4", "cite": "em", "dt": "p",
           "dd": "p", "figcaption": "p", "caption": "p"}
REMOVED_WITH_CONTENT = {"script", "style", "link", "meta", "noscript", "template", "button",
                        "select", "textarea", "output", "svg", "iframe", "object", "embed",
                        "h1", "hr", "canvas", "audio", "video", "math", "head", "title"}
NEVER_EMPTY = {"p", "strong", "em", "li", "h2", "h3", "h4", "a", "ul", "ol"}
CHECKBOX = "☐ "

# Rewrites an href (None: keep only the link's text) or an image src (None: drop the image).
Rewrite = Callable[[str], "str | None"]


def _classes(element: _Element) -> set[str]:
    return set((element.get("class") or "").split())


def _add_text(parent: _Element, text: str | None) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


class _Cleaner:
    def __init__(self, rewrite_link: Rewrite, rewrite_image: Rewrite, images: bool) -> None:
        self.rewrite_link = rewrite_link
        self.rewrite_image = rewrite_image
        self.images = images
        self.heading_level = 1

    def children(self, source: _Element, target: _Element) -> None:
        _add_text(target, source.text)
        for child in source:
            self.element(child, target)
            _add_text(target, child.tail)

    def new(self, parent: _Element, tag: str) -> _Element:
        if tag in ("h2", "h3", "h4"):
            self.heading_level = int(tag[1])
        child = lxml_html.Element(tag)
        parent.append(child)
        return child

    def element(self, source: _Element, target: _Element) -> None:
        if not isinstance(source.tag, str):
            return  # comments and processing instructions
        tag = source.tag.lower()
        classes = _classes(source)
        if tag in REMOVED_WITH_CONTENT:
            return
        if tag == "input":
            if source.get("type") == "checkbox":
                _add_text(target, CHECKBOX)
            return
        if tag in ("div", "aside") and "admonition" in classes or tag == "details":
            self.callout(source, target)
            return
        if tag in ("summary", "legend") or "admonition-title" in classes:
            self.lead(source, target)
            return
        if tag == "img":
            self.image(source, target)
            return
        if tag == "a":
            self.link(source, target)
            return
        tag = RENAMED.get(tag, tag)
        if tag in ALLOWED:
            copy = self.new(target, tag)
            if tag == "th":
                copy.set("scope", source.get("scope") or self.th_scope(source))
            self.children(source, copy)
            return
        self.children(source, target)  # any other wrapper: keep what it holds

    def th_scope(self, source: _Element) -> str:
        return "col" if source.getparent() is not None and any(
            a.tag == "thead" for a in source.iterancestors()) else "row"

    def callout(self, source: _Element, target: _Element) -> None:
        self.children(source, target)  # its bold title (or heading) sets it apart

    def lead(self, source: _Element, target: _Element) -> None:
        """An admonition's title stays bold text; a summary or legend becomes a heading one
        level below the last (at most h4), so heading order holds."""
        if "admonition-title" in _classes(source):
            strong = self.new(self.new(target, "p"), "strong")
            self.children(source, strong)
            return
        level = min(self.heading_level + 1, 4)
        heading = self.new(target, f"h{max(level, 2)}")
        self.heading_level = level - 1  # siblings get the same level
        self.children(source, heading)

    def link(self, source: _Element, target: _Element) -> None:
        href = self.rewrite_link(source.get("href") or "")
        if href is None:
            self.children(source, target)
            return
        copy = self.new(target, "a")
        copy.set("href", href)
        self.children(source, copy)

    def image(self, source: _Element, target: _Element) -> None:
        src = self.rewrite_image(source.get("src") or "")
        alt = " ".join((source.get("alt") or "").split())
        if src is None:
            _add_text(target, alt)
            return
        if not self.images:  # the SharePoint pack links to the image file instead
            copy = self.new(target, "a")
            copy.set("href", src)
            copy.text = f"Image: {alt}" if alt else "Image"
            return
        copy = self.new(target, "img")
        copy.set("src", src)
        copy.set("alt", alt)


def _prune(root: _Element) -> None:
    """Remove elements left empty (a wrapper that held only removed parts)."""
    for element in reversed(list(root.iter())):
        if element is root or element.tag not in NEVER_EMPTY:
            continue
        if len(element) == 0 and not (element.text or "").strip():
            parent = element.getparent()
            _add_text_before(element, element.tail)
            parent.remove(element)


def _add_text_before(element: _Element, text: str | None) -> None:
    if not text:
        return
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent = element.getparent()
        parent.text = (parent.text or "") + text


def clean_article(article: _Element, rewrite_link: Rewrite, rewrite_image: Rewrite, *,
                  images: bool) -> str:
    """The article's content as allow-listed HTML (a fragment, no wrapper element)."""
    root = lxml_html.Element("div")
    cleaner = _Cleaner(rewrite_link, rewrite_image, images)
    cleaner.children(article, root)
    _prune(root)
    text = (root.text or "").strip()
    parts = [text] if text else []
    parts += [lxml_html.tostring(child, encoding="unicode", method="html") for child in root]
    return sanitise("".join(parts), INTRANET).strip() + "\n"


def disallowed(fragment: str) -> list[str]:
    """Every element or attribute in fragment outside the allow-list (for tests and checks)."""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    found = []
    for element in root.iterdescendants():
        if not isinstance(element.tag, str):
            found.append("comment")
            continue
        if element.tag not in ALLOWED:
            found.append(f"<{element.tag}>")
            continue
        found += [f"<{element.tag} {name}>" for name in element.attrib
                  if name not in ALLOWED[element.tag]]
    return found
