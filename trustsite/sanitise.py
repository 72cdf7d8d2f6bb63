"""The one allow-list for HTML that holds a Trust's content, applied with nh3.

A Trust's own page is rendered (sandbox, then Markdown) and its HTML then passes through
`sanitise`: only the elements, attributes, classes, style properties and URL schemes listed
here survive; everything else is removed by nh3 (the binding of the Rust `ammonia` crate,
which parses as browsers do, with html5ever). The intranet packs use a subset of the same
table (`INTRANET`), so there is one definition of safe HTML.

`sanitise_and_report` runs the same sanitiser and compares before and after, so `check` and
`build` name what would be removed, with the page's line, instead of dropping it silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3

URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})  # and relative addresses
STYLE_PROPERTIES = frozenset({"text-align"})  # Markdown's table column alignment
# Admonition and details types Material styles (https://squidfunk.github.io/mkdocs-material/
# reference/admonitions/#supported-types).
_CALLOUT_TYPES = frozenset({
    "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important",
    "success", "check", "done", "question", "help", "faq", "warning", "caution", "attention",
    "failure", "fail", "missing", "danger", "error", "bug", "example", "quote", "cite"})
# An id a page may set: a heading's or footnote's ("_1" for a heading with no ASCII letter),
# never one of the theme's own ("__search").
_SAFE_ID = re.compile(r"[a-z0-9][a-z0-9_.:-]*|_[0-9]+", re.I)


@dataclass(frozen=True)
class AllowList:
    elements: dict[str, frozenset[str]]  # element -> the attributes it may keep
    classes: dict[str, frozenset[str]] = field(default_factory=dict)
    forced: dict[str, dict[str, str]] = field(default_factory=dict)  # always set

    def only(self, elements: set[str], attributes: dict[str, set[str]]) -> AllowList:
        """A narrower allow-list: some of these elements, with some of their attributes."""
        assert elements <= set(self.elements), elements - set(self.elements)
        assert all(attributes[tag] <= self.elements[tag] for tag in attributes)
        return AllowList({tag: frozenset(attributes.get(tag, ())) for tag in elements})


_TEXT = {"p", "br", "hr", "strong", "em", "b", "i", "u", "s", "del", "ins", "mark", "small",
         "sub", "code", "kbd", "pre", "blockquote", "ul", "li", "dl", "dt", "dd", "thead",
         "tbody", "tfoot", "tr", "caption", "span", "summary", "cite", "q", "figure",
         "figcaption"}
TRUST_PAGE = AllowList(
    elements={
        **{tag: frozenset() for tag in _TEXT},
        **{f"h{level}": frozenset({"id"}) for level in range(1, 7)},
        "a": frozenset({"href", "title"}),
        "img": frozenset({"src", "alt", "title", "width", "height"}),
        "abbr": frozenset({"title"}),
        "ol": frozenset({"start"}),
        "li": frozenset({"id"}),
        "sup": frozenset({"id"}),
        "table": frozenset(),
        "th": frozenset({"style", "scope", "colspan", "rowspan"}),
        "td": frozenset({"style", "colspan", "rowspan"}),
        "div": frozenset(),
        "details": frozenset({"open"}),
        "input": frozenset({"checked"}),  # a task list's checkbox: nothing else
        "label": frozenset(),
    },
    classes={
        "div": _CALLOUT_TYPES | {"admonition", "footnote"},
        "details": _CALLOUT_TYPES,
        "p": frozenset({"admonition-title"}),
        "a": frozenset({"headerlink", "footnote-ref", "footnote-backref"}),
        "sup": frozenset({"citation"}),
        "ul": frozenset({"task-list"}),
        "li": frozenset({"task-list-item"}),
    },
    forced={"input": {"type": "checkbox"}},
)
# What SharePoint's Text web part and the paste-ready pages keep (intranet/clean_html.py).
INTRANET = TRUST_PAGE.only(
    {"h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "table", "thead", "tbody", "tr",
     "th", "td", "br", "a", "img"},  # no blockquote: SharePoint's editor's pull quote
    {"a": {"href"}, "th": {"scope"}, "img": {"src", "alt"}})


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    return value if name != "id" or _SAFE_ID.fullmatch(value) else None


def sanitise(html: str, allow: AllowList = TRUST_PAGE) -> str:
    """The HTML with everything outside the allow-list removed (script and style with their
    content, other elements leaving their text)."""
    return nh3.clean(
        html, tags=set(allow.elements),
        attributes={tag: set(names) for tag, names in allow.elements.items() if names},
        allowed_classes={tag: set(names) for tag, names in allow.classes.items()} or None,
        set_tag_attribute_values={tag: dict(values) for tag, values in allow.forced.items()}
        or None,
        attribute_filter=_keep_attribute, url_schemes=set(URL_SCHEMES), link_rel=None,
        filter_style_properties=set(STYLE_PROPERTIES), strip_comments=True,
        clean_content_tags={"script", "style"})


# -- What was removed -------------------------------------------------------------------------

@dataclass(frozen=True)
class Removed:
    line: int  # in the HTML given
    what: str  # e.g. "the element <script>", "the attribute onerror= on <img>"
    hints: tuple[str, ...]  # text to look for in the page's source (first found wins)


# Elements nested deeper than this are refused before nh3 reads them: html5ever takes time
# growing with the square of the depth for some (50,000 <div>s took 40 s). A page nests 10.
MAX_DEPTH = 100
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "source", "track", "wbr"}


class _Tags(HTMLParser):
    """Start tags (name, attributes) and comments or declarations, in order, with lines,
    and the first line where elements left open nest deeper than MAX_DEPTH."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, tuple[tuple[str, str], ...], int]] = []
        self.words: list[str] = []  # the text a reader sees, outside script and style
        self.depth = 0
        self.too_deep = 0
        self.in_code = False  # inside <script> or <style>, whose text is not shown

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_startendtag(tag, attrs)
        self.depth += tag not in _VOID
        self.in_code = tag in ("script", "style")
        if self.depth > MAX_DEPTH and not self.too_deep:
            self.too_deep = self.getpos()[0]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, tuple(sorted((n, v or "") for n, v in attrs)),
                           self.getpos()[0]))

    def handle_endtag(self, tag: str) -> None:
        self.depth = max(0, self.depth - 1)
        self.in_code = False

    def handle_data(self, data: str) -> None:
        if not self.in_code:
            self.words += data.split()

    def _other(self, kind: str) -> None:
        self.found.append((kind, (), self.getpos()[0]))

    def handle_comment(self, data: str) -> None:
        self._other("<!--")

    def handle_decl(self, decl: str) -> None:
        self._other("<!")

    def unknown_decl(self, data: str) -> None:
        self._other("<![")

    def handle_pi(self, data: str) -> None:
        self._other("<?")


def _tags(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


def _element(tag: str, line: int) -> Removed:
    if tag.startswith("<"):
        return Removed(line, {"<!--": "an HTML comment", "<?": "a processing instruction"}
                       .get(tag, "a declaration or CDATA section"), (tag,))
    return Removed(line, f"the element <{tag}>", (f"<{tag}",))


def _attributes(tag: str, before: tuple[tuple[str, str], ...],
                after: tuple[tuple[str, str], ...], line: int) -> list[Removed]:
    kept = dict(after)
    found = []
    for name, value in before:
        hints = (value, f"{name}=", f"<{tag}")
        if name not in kept:
            found.append(Removed(line, f"the attribute {name}= on <{tag}>", hints))
        elif name == "class" and kept[name] != value:
            dropped = " ".join(sorted(set(value.split()) - set(kept[name].split())))
            found.append(Removed(line, f"the class {dropped!r} on <{tag}>", (dropped,) + hints))
        elif kept[name] != value and name != "style":
            found.append(Removed(line, f"the value of {name}= on <{tag}>", hints))
        elif kept[name] != value and _style_dropped(value, kept[name]):
            found.append(Removed(line, f"part of the style= on <{tag}>", hints))
    return found


def _style_dropped(before: str, after: str) -> bool:
    """nh3 rewrites the properties it keeps ('text-align: left;' -> 'text-align:left')."""
    def squeezed(style: str) -> str:
        return re.sub(r"[\s;]", "", style.lower())
    return squeezed(before) != squeezed(after)


# How far ahead in the sanitised HTML to look for an input element before calling it
# removed: html5ever inserts a few elements of its own (a table's <tbody>), never many.
_INSERTED_AT_MOST = 8


def sanitise_and_report(html: str, allow: AllowList = TRUST_PAGE,
                        ) -> tuple[str, list[Removed]]:
    """The sanitised HTML, and what `sanitise` removed from it: each element, attribute,
    class or comment, with the HTML's line (text inside a removed script or style is part of
    that element). Before and after are matched element by element in one pass. HTML nested
    deeper than MAX_DEPTH is not sanitised at all: nothing of it is kept."""
    parsed = _tags(html)
    if parsed.too_deep:
        return "", [Removed(parsed.too_deep, f"elements nested more than {MAX_DEPTH} deep "
                            "(close each element you open)", ())]
    clean = sanitise(html, allow)
    cleaned = _tags(clean)
    before, after = parsed.found, cleaned.found
    found: list[Removed] = []
    at = 0  # the next element of `after` not yet matched
    for tag, attributes, line in before:
        ahead = [name for name, _, _ in after[at:at + _INSERTED_AT_MOST]]
        if tag in allow.elements and tag in ahead:
            at += ahead.index(tag)
            found += _attributes(tag, attributes, after[at][1], line)
            at += 1
        else:
            found.append(_element(tag, line))
    if not found and sorted(parsed.words) != sorted(cleaned.words):
        found.append(Removed(1, "text the sanitiser changed (markup that a browser reads "
                             "differently from how it looks)", ()))
    return clean, found


def removed(html: str, allow: AllowList = TRUST_PAGE) -> list[Removed]:
    """What `sanitise_and_report` reports for html."""
    return sanitise_and_report(html, allow)[1]


def find_hint(source: str, hint: str, start: int = 0) -> int:
    """Where hint first appears in source (ignoring case) from `start` on, or -1: how the
    page's line of something removed is found (it is not there when an entity or a macro
    wrote it)."""
    return source.lower().find(hint.lower(), start) if hint else -1
