"""Convert a national page's Markdown once for every group of Trusts whose page differs only
in the values it prints (issue 25 point 1).

macros.py renders each national page as today, then once more with every printed value
(`{{ }}`) replaced by a numbered token (`record_values`). The tokenised page is the same for
every Trust with the same Trust type, optional sections and files, so speed.py converts it
once per group and keeps it; each Trust's page is the kept HTML with each token replaced by
the HTML its value gives (`fill`).

That gives the bytes a normal conversion gives only where each value is plain text in
ordinary running text, so every step checks and otherwise says no (the page is then converted
as before):
- `record_values`: putting the escaped values back into the tokenised page must give exactly
  the page the normal render made (so a value printed twice or through `{% set %}` says no).
- `group_problem`, once per group: each token sits where Markdown treats text as text. A token
  carries an escaped underscore (`\\_`): ordinary text prints it as `_`, while a code span, a
  code block or a raw HTML block would keep the backslash. Each token is printed once,
  outside any tag (not in a link's address or an attribute), never in a heading (so never in
  the table of contents, an id or the title), between characters that are neither word
  characters nor in an abbreviation (so no abbreviation or emphasis runs across its edge),
  on a page that defines no abbreviations of its own (the glossary is the same everywhere).
- `value_html`, per Trust: the value is one line of allowed characters (none that Markdown's
  block parsers read inside a line) with no space at either end, begins with a letter, digit,
  bracket or quote (so it never starts a heading, definition or other block), and converts on
  its own to one paragraph, whose inside is used.
tests/test_shared_render.py builds Trusts both ways and compares every file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable

import markdown
from markupsafe import Markup
from material.plugins.search import plugin as search_plugin

from trustsite.page_macros import as_text

PREFIX = "zzval"
_WRITTEN = re.compile(r"zzval\\_(\d+)\\_zz")  # as the tokenised Markdown has it
_CONVERTED = re.compile(r"zzval_(\d+)_zz")  # as Markdown prints it in ordinary text
# What the link macros print (page_macros._anchor): tokenised whole, the rest of Markup
# (citations, whose links MkDocs rewrites) stays in the page as it is.
_ANCHOR = re.compile(r'<a href="[^"<>\n]*">(?P<text>[^<>\n]*)</a>')
_ABBREVIATION_DEFINED = re.compile(r"^[ ]{0,3}\*\[", re.M)  # *[NHS]: National Health Service
_NOT_TEXT = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}  # controls, line breaks, unassigned


# The Markdown extensions whose syntax the checks below were worked out for. An extension
# that gives plain characters a meaning (smarty's quotes, emoji's colons, caret, tilde,
# mark) could read a value differently beside other text, so with any other extension
# nothing is shared (tests/test_shared_render.py then fails on its count of shared pages).
KNOWN_EXTENSIONS = frozenset({"toc", "tables", "fenced_code", "abbr", "admonition",
                              "attr_list", "def_list", "footnotes", "md_in_html",
                              "pymdownx.details", "pymdownx.tasklist"})


def known_extensions(extensions: list[Any]) -> bool:
    return all(isinstance(name, str) and name in KNOWN_EXTENSIONS for name in extensions)


def token(number: int) -> str:
    return f"{PREFIX}\\_{number}\\_zz"


@dataclass(frozen=True)
class ValuePage:
    markdown: str  # the page's Markdown with each printed value as token(n)
    values: tuple[str, ...]  # value n as the normal render printed it (escaped Markdown)


_recorded: list[str] | None = None


def tokenise(value: Any) -> Markup:
    """Jinja finalize while `record_values` renders: a token in place of each value."""
    escaped = as_text(value)
    if _recorded is None or (isinstance(value, Markup) and not _ANCHOR.fullmatch(value)):
        return escaped
    _recorded.append(str(escaped))
    return Markup(token(len(_recorded) - 1))


def record_values(render: Callable[[], str], jinja: Any, rendered: str) -> ValuePage | None:
    """The page rendered again with tokens (by `render`, with `jinja`'s finalize swapped),
    or None when the tokens cannot stand for exactly what `rendered` printed."""
    global _recorded
    if PREFIX in rendered:
        return None
    finalize, jinja.finalize, _recorded = jinja.finalize, tokenise, []
    try:
        tokenised = render()
        values = tuple(_recorded)
    finally:
        jinja.finalize, _recorded = finalize, None
    if not values or len(_WRITTEN.findall(tokenised)) != len(values):
        return None
    if _WRITTEN.sub(lambda m: values[int(m[1])], tokenised) != rendered:
        return None
    return ValuePage(tokenised, values)


def group_problem(page: ValuePage, content: str, other_attributes: bytes,
                  abbreviations: dict[str, str]) -> str:
    """Why the tokenised page's conversion cannot be shared ('' when it can)."""
    if _ABBREVIATION_DEFINED.search(page.markdown):
        return "the page defines its own abbreviations"
    edge_chars = {char for key in abbreviations for char in key if not re.match(r"\w", char)}
    for match in _WRITTEN.finditer(page.markdown):
        for edge in (page.markdown[match.start() - 1: match.start()],
                     page.markdown[match.end(): match.end() + 1]):
            if edge and (re.match(r"\w", edge) or edge in edge_chars):
                return f"token {match[1]} touches {edge!r}"
    if PREFIX.encode() in other_attributes:
        return "a token reached the headings, ids, title or links"
    found = [int(m[1]) for m in _CONVERTED.finditer(content)]
    if sorted(found) != list(range(len(page.values))) or content.count(PREFIX) != len(found):
        return "a token is missing, repeated or not read as ordinary text"
    for match in _CONVERTED.finditer(content):
        if content.rfind("<", 0, match.start()) > content.rfind(">", 0, match.start()):
            return f"token {match[1]} is inside a tag"
    return ""


def _plain_line(escaped: str) -> bool:
    """Whether a value (as escaped for the page) is one line of plain text that no Markdown
    block syntax can read: allowed characters only, no space at either end, and a first
    character that starts no block (a heading, definition, quote or the like; a value that
    makes a block on its own, such as '1. first', is refused by value_html)."""
    text = _UNESCAPE.sub(lambda m: m[1] or _ENTITIES[m[2]], escaped)
    return (text != "" and text == text.strip() and (text[0].isalnum() or text[0] in "(\"'")
            and all(map(_plain_character, text)))


_UNESCAPE = re.compile(r"\\(.)|&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
# ASCII punctuation but what Markdown's block parsers read inside a line: brackets (link
# references, footnotes, abbreviations), braces (attribute lists), pipes (tables), backticks
# and backslashes.
_PLAIN_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@^_~")


def _plain_character(char: str) -> bool:
    if char.isascii():
        return char.isalnum() or char == " " or char in _PLAIN_PUNCTUATION
    return unicodedata.category(char) not in _NOT_TEXT | {"Zs"} or char == "\u00a0"


class ValueConverter:
    """Each value's HTML as a page prints it, from one Markdown set up as the page's."""

    def __init__(self, extensions: list[Any], configs: dict[str, Any]) -> None:
        self.md = markdown.Markdown(extensions=extensions, extension_configs=configs)
        self.kept: dict[str, str | None] = {}

    def value_html(self, value: str) -> str | None:
        if value not in self.kept:
            anchor = _ANCHOR.fullmatch(value)
            plain = _plain_line(anchor["text"] if anchor else value)
            html = self.md.reset().convert(value) if plain else ""
            inside = html[3:-4]
            self.kept[value] = (inside if html.startswith("<p>") and html.endswith("</p>")
                                and "\n" not in inside and PREFIX not in inside else None)
        return self.kept[value]

    def value_htmls(self, page: ValuePage) -> tuple[str, ...] | None:
        """Each value's HTML, or None if one is not plain."""
        htmls = tuple(self.value_html(value) for value in page.values)
        return None if any(html is None for html in htmls) else htmls  # type: ignore[return-value]


def fill(content: str, htmls: tuple[str, ...]) -> str:
    """The kept tokenised HTML with this Trust's values."""
    return _CONVERTED.sub(lambda m: htmls[int(m[1])], content)


# -- Search sections ---------------------------------------------------------------------------
# Material's search plugin parses every page's HTML with html.parser (its Parser) to divide
# it into sections. A shared page's sections are parsed once per group from the tokenised
# HTML; each Trust's are those with each token replaced by the text Material's Parser reads
# from the value's HTML. speed.py makes Material's search use its SharedSectionsParser.
_FILLED: dict[str, tuple[bytes, str, tuple[str, ...]]] = {}  # page HTML -> group, tokenised, values
_FILLED_LIMIT = 200  # more than one Trust's pages: each is asked for in the build that filled it
_SECTIONS: dict[bytes, list[Any]] = {}
_SECTIONS_LIMIT = 400
_VALUE_TEXTS: dict[str, str] = {}


def remember_filled(html: str, group: bytes, tokenised: str, htmls: tuple[str, ...]) -> None:
    """Note that `html` is `tokenised` with `htmls` put in, for SharedSectionsParser."""
    if len(_FILLED) >= _FILLED_LIMIT:  # the oldest goes: this build's pages are the latest
        del _FILLED[next(iter(_FILLED))]
    _FILLED[html] = (group, tokenised, htmls)


def filled_from(html: str) -> tuple[bytes, str, tuple[str, ...]] | None:
    """The group, tokenised HTML and values `html` was filled from, if it was."""
    return _FILLED.get(html)


MaterialParser = search_plugin.Parser  # kept before speed.py puts its subclass in its place


def _material_sections(html: str) -> list[Any]:
    parser = MaterialParser()
    parser.feed(html)
    parser.close()
    return parser.data


def _value_text(html: str) -> str:
    """The search text Material's Parser reads from a value's HTML in a paragraph."""
    if html not in _VALUE_TEXTS:
        [section] = _material_sections(f"<p>{html}</p>")
        assert section.text[0] == "<p>" and section.text[-1] == "</p>", section.text
        _VALUE_TEXTS[html] = "".join(section.text[1:-1])
    return _VALUE_TEXTS[html]


def _fill_item(item: str, htmls: tuple[str, ...]) -> str | None:
    """One piece of a section's text with each token's value text, or None where the value's
    own tags would split off a piece of only spaces, which Material's Parser shortens."""
    parts = _CONVERTED.split(item)
    for at in range(1, len(parts), 2):
        html, before, after = htmls[int(parts[at])], parts[at - 1], parts[at + 1]
        if (html.startswith("<") and before.isspace()) or (html.endswith(">") and after.isspace()):
            return None
        parts[at] = _value_text(html)
    return "".join(parts)


def filled_sections(group: bytes, tokenised: str, htmls: tuple[str, ...]) -> list[Any] | None:
    """The search sections of the tokenised page with this Trust's values, or None."""
    if group not in _SECTIONS:
        if len(_SECTIONS) >= _SECTIONS_LIMIT:
            _SECTIONS.clear()
        _SECTIONS[group] = _material_sections(tokenised)
    sections = []
    for kept in _SECTIONS[group]:
        if PREFIX in "".join(kept.title):
            return None
        section = search_plugin.Section(kept.el, kept.depth)
        section.id, section.title = kept.id, list(kept.title)
        for item in kept.text:
            filled = _fill_item(item, htmls) if PREFIX in item else item
            if filled is None:
                return None
            section.text.append(filled)
        sections.append(section)
    return sections
