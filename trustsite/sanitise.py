"""The one allow-list for HTML that holds a Trust's content, applied with nh3.

A Trust's own page is rendered (sandbox, then Markdown) and its HTML then passes through
`sanitise`: only the elements, attributes, classes, style properties and URL schemes listed
here survive; everything else is removed by nh3 (the binding of the Rust `ammonia` crate,
which parses as browsers do, with html5ever). The intranet packs use a subset of the same
table (`INTRANET`), so there is one definition of safe HTML.

`removed` runs the same sanitiser and compares before and after, so `check` and `build` can
name what would have been removed, with the page's line, instead of dropping it silently.
"""

from __future__ import annotations

import difflib
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
# An id a page may set: a heading's or footnote's, never one of the theme's own ("__search").
_SAFE_ID = re.compile(r"[a-z0-9][a-z0-9_.:-]*", re.I)


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
     "th", "td", "blockquote", "br", "a", "img"},
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


class _Tags(HTMLParser):
    """Start tags (name, attributes) and comments or declarations, in order, with lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, tuple[tuple[str, str], ...], int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, tuple(sorted((n, v or "") for n, v in attrs)),
                           self.getpos()[0]))

    handle_startendtag = handle_starttag

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


def _tags(html: str) -> list[tuple[str, tuple[tuple[str, str], ...], int]]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.found


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


def removed(html: str, allow: AllowList = TRUST_PAGE) -> list[Removed]:
    """What `sanitise` removes from html: each element, attribute, class or comment, with
    the HTML's line. Text inside a removed script or style is part of that element."""
    before, after = _tags(html), _tags(sanitise(html, allow))
    matcher = difflib.SequenceMatcher(None, [tag for tag, _, _ in before],
                                      [tag for tag, _, _ in after], autojunk=False)
    found: list[Removed] = []
    for operation, start, end, other, _ in matcher.get_opcodes():
        for offset, (tag, attributes, line) in enumerate(before[start:end]):
            if operation == "equal":
                found += _attributes(tag, attributes, after[other + offset][1], line)
            elif operation in ("delete", "replace"):
                found.append(_element(tag, line))
    return found


def source_line(source: str, hint: str, start: int = 0) -> int:
    """The line (1 = the source's first) where hint first appears, from `start` on; 0 when
    it does not appear as written (an entity, or text the page's macros made)."""
    at = source.lower().find(hint.lower(), start) if hint else -1
    return source.count("\n", 0, at) + 1 if at != -1 else 0
