"""The one guard that a built site requests nothing from another host.

Every Trust's site must work on an intranet with no internet. After each build, every HTML,
CSS and SVG file in the site is parsed (HTML by Python's html.parser, which decodes entities
and case as a browser does; SVG by lxml with entities refused; CSS by a small tokenizer that
removes comments and decodes escapes) and every reference in anything that LOADS is checked:
src, srcset, poster, data, formaction, background, stylesheet/icon/preload links, <base>,
meta refresh, SVG href/xlink:href, inline style, <style> and CSS url(), image-set() and
@import. A link to read (<a href>) may go anywhere. Logo and favicon SVGs from a locale are
checked with the same rules, and may hold no script, event handler or entity declaration.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from html import unescape
from html.parser import HTMLParser, attrfind_tolerant
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from lxml import etree
from mkdocs.exceptions import PluginError

from trustsite import speed

if TYPE_CHECKING:  # locale.py checks logos with svg_problems, so it cannot be imported here
    from mkdocs.structure.files import Files

    from trustsite.locale import Locale

# The parts of a URL a browser ignores or rewrites: C0 controls and spaces at either end, tab
# and line breaks anywhere, and '\' read as '/'.
_IGNORED = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_LOCAL_SCHEMES = {"data"}  # bytes inside the file itself
_LINK_RELS_THAT_LOAD = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload",
                        "modulepreload", "prefetch", "prerender", "manifest", "preconnect",
                        "dns-prefetch", "mask-icon"}
_LOADING_ATTRIBUTES = {"src", "poster", "data", "formaction", "background", "lowsrc",
                       "dynsrc", "longdesc", "manifest", "codebase", "archive", "ping"}
_SRCSET_ATTRIBUTES = {"srcset", "imagesrcset"}
_HREF_ATTRIBUTES = {"href", "xlink:href"}
# SVG elements whose href loads something (inline in HTML or in an .svg file).
_SVG_LOADING = {"image", "use", "feimage", "script", "tref", "cursor", "font-face-uri",
                "mpath", "pattern", "lineargradient", "radialgradient", "filter",
                "textpath", "altglyph", "color-profile"}
_CSS_COMMENT = re.compile(r"/\*.*?(\*/|$)", re.S)
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(.))", re.S)
_CSS_URL = re.compile(r"\b(?:url|src)\(\s*(?:\"([^\"]*)\"|'([^']*)'|([^)\s]*))", re.I)
_CSS_STRING_LOAD = re.compile(r"(?:@import|image-set\(|image\()\s*(?:\"([^\"]*)\"|'([^']*)')",
                              re.I)
_META_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"]+)", re.I)


def is_other_host(reference: str) -> bool:
    """True when loading `reference` would ask another host (or another file:// path)."""
    url = _IGNORED.sub("", reference).strip(" \x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c"
                                            "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18"
                                            "\x19\x1a\x1b\x1c\x1d\x1e\x1f").replace("\\", "/")
    if url.startswith("//"):
        return True
    scheme = _SCHEME.match(url.lower())
    return bool(scheme) and scheme[1] not in _LOCAL_SCHEMES


def _srcset_urls(value: str) -> list[str]:
    return [candidate.split()[0] for candidate in value.split(",") if candidate.split()]


def css_references(css: str) -> list[str]:
    """Every URL a stylesheet (or a style attribute) loads."""
    text = _CSS_ESCAPE.sub(lambda m: chr(int(m[1], 16)) if m[1] else m[2], _CSS_COMMENT.sub(
        "", css))
    found = [next(group for group in match.groups() if group is not None)
             for regex in (_CSS_URL, _CSS_STRING_LOAD) for match in regex.finditer(text)]
    return found


def _loading_references(tag: str, attributes: dict[str, str]) -> list[tuple[str, str]]:
    """(what, url) for each attribute of one element that makes the browser load a URL."""
    found: list[tuple[str, str]] = []
    for name, value in attributes.items():
        if name in _LOADING_ATTRIBUTES:
            found.append((f"<{tag} {name}>", value))
        elif name in _SRCSET_ATTRIBUTES:
            found += [(f"<{tag} {name}>", url) for url in _srcset_urls(value)]
        elif name == "style":
            found += [(f"<{tag} style>", url) for url in css_references(value)]
    href = next((attributes[name] for name in _HREF_ATTRIBUTES if name in attributes), None)
    if href is not None:
        rels = set(attributes.get("rel", "").lower().split())
        if (tag == "link" and rels & _LINK_RELS_THAT_LOAD) or tag == "base" \
                or tag in _SVG_LOADING:
            found.append((f"<{tag} href>", href))
    if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
        found += [("<meta refresh>", match[1])
                  for match in _META_REFRESH_URL.finditer(attributes.get("content", ""))]
    return found


class _HtmlReferences(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += _loading_references(tag, {name: value or "" for name, value in attrs})
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += _loading_references(tag, {name: value or "" for name, value in attrs})

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found += [("<style>", url) for url in css_references(data)]


def html_references(html: str) -> list[tuple[str, str]]:
    parser = _HtmlReferences()
    parser.feed(html)
    parser.close()
    return parser.found


# -- A quick look first ----------------------------------------------------------------------
# Parsing a whole page is most of the guard's time, and almost every page is clean. So each
# page first gets a quick look that over-estimates: it reads every place html.parser could
# find an attribute that loads on any element (with html.parser's own attribute pattern and
# value rules), and parses on their own only the elements whose href or content loads (link,
# base, meta, style and the SVG ones). It may see more than the parser would (inside comments
# or scripts), never less; a page where it sees a reference to another host is parsed whole.
# tests/test_trust_pages_security.py holds it to that on every spelling the guard must catch.
_ANY_ELEMENT_LOADS = sorted(_LOADING_ATTRIBUTES | _SRCSET_ATTRIBUTES | {"style"})
# Where html.parser can read one of those names: after a quote, space or '/', and ending at
# space, '/', '=' or '>' (its \s and this one are the same).
_ATTRIBUTE_NAMED = re.compile(r"(?<=['\"\s/])(?:%s)(?=[\s/=>]|\Z)"
                              % "|".join(map(re.escape, _ANY_ELEMENT_LOADS)))
_ELEMENT_NAMED = re.compile(r"<(?:%s)" % "|".join(map(re.escape, sorted(
    {"link", "base", "meta", "style"} | _SVG_LOADING))))


class _Done(Exception):
    pass


class _OneElement(_HtmlReferences):
    """The references of the element the text starts with (and of a <style> element's CSS),
    and then stop."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        if tag != "style":
            raise _Done

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_startendtag(tag, attrs)
        raise _Done

    def handle_endtag(self, tag: str) -> None:
        raise _Done

    def handle_data(self, data: str) -> None:
        super().handle_data(data)
        if not self._in_style:  # the text does not start with a complete element
            raise _Done


# The quick look reads at most _WINDOW characters at each place and looks at no more than
# _PLACES places; past either it cannot be sure, so the page is parsed whole. Each place read
# to the end of the page made it quadratic: 1 MB of '/src=' text took minutes.
_WINDOW = 4096
_PLACES = 2000


def _element_references(html: str, start: int) -> list[tuple[str, str]] | None:
    """The element's references, or None when it does not end within the window."""
    parser = _OneElement()
    try:
        parser.feed(html[start:start + _WINDOW])
    except _Done:
        return parser.found
    if start + _WINDOW < len(html):
        return None
    try:
        parser.close()
    except _Done:
        pass
    return parser.found


def _attribute_at(html: str, start: int) -> dict[str, str] | None:
    """The attribute html.parser would read at `start`, read as its parse_starttag reads it
    (no attribute when its pattern does not match there, which the lookarounds rule out;
    None when it does not end within the window)."""
    match = attrfind_tolerant.match(html, start, start + _WINDOW)
    if match is None:
        return {}
    if match.end() == start + _WINDOW < len(html):
        return None  # it may go on past the window
    name, rest, value = match.group(1, 2, 3)
    if not rest:
        value = ""
    elif value[:1] == "'" == value[-1:] or value[:1] == '"' == value[-1:]:
        value = value[1:-1]
    return {name.lower(): unescape(value) if value else ""}


def _names_at(lowered: str) -> Iterator[int]:
    for name in _ANY_ELEMENT_LOADS:  # str.find, as a regex trying every position is slower
        at = lowered.find(name)
        while at != -1:
            if _ATTRIBUTE_NAMED.match(lowered, at):
                yield at
            at = lowered.find(name, at + 1)


def may_load_from_other_host(html: str) -> bool:
    """False only when html_references(html) holds no reference to another host."""
    # html.parser lower-cases names with str.lower, which keeps every position except for
    # U+0130 (two characters once lowered), and no name here holds it.
    lowered = html.replace("\u0130", "\x00").lower()
    for place, start in enumerate(_names_at(lowered)):
        attribute = _attribute_at(html, start)
        if attribute is None or place >= _PLACES or any(
                is_other_host(url) for _, url in _loading_references("", attribute)):
            return True
    for place, match in enumerate(_ELEMENT_NAMED.finditer(lowered)):
        references = _element_references(html, match.start())
        if references is None or place >= _PLACES or any(
                is_other_host(url) for _, url in references):
            return True
    return False


def _parse_svg(data: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    return etree.fromstring(data, parser)


def _local_name(name: object) -> str:
    return etree.QName(name).localname.lower() if isinstance(name, str) else ""


def svg_problems(data: bytes) -> list[str]:
    """What makes an SVG unsafe to publish: scripts, event handlers, entity or DOCTYPE
    declarations, or anything loaded from another host."""
    if re.search(rb"<!(DOCTYPE|ENTITY)", data, re.I):
        return ["it has a DOCTYPE or ENTITY declaration; save it again as plain SVG"]
    try:
        root = _parse_svg(data)
    except etree.XMLSyntaxError as error:
        return [f"it is not valid SVG ({error})"]
    problems = []
    for element in root.iter():
        tag = _local_name(element.tag)
        if tag in ("script", "foreignobject"):
            problems.append(f"it has a <{tag}> element")
        attributes = {_attribute_name(name): value for name, value in element.attrib.items()}
        problems += [f"<{tag}> has an event handler '{name}'" for name in attributes
                     if name.startswith("on")]
        references = _loading_references(tag, attributes)
        if tag == "style" and element.text:
            references += [("<style>", url) for url in css_references(element.text)]
        problems += [f"{what} loads {url} from another host" for what, url in references
                     if is_other_host(url)]
    return problems


def _attribute_name(name: str) -> str:
    qname = etree.QName(name)
    return f"xlink:{qname.localname}" if qname.namespace == "http://www.w3.org/1999/xlink" \
        else qname.localname.lower()


def file_problems(path: Path) -> list[str]:
    """Every reference to another host in one built file (HTML, CSS or SVG)."""
    kind = _CHECKED_KINDS.get(path.suffix.lower())
    if kind is None:
        return []
    return list(_problems_of_content(kind, path.read_bytes()))


_CHECKED_KINDS = {".html": "html", ".htm": "html", ".css": "css", ".svg": "svg"}
# Problems found in a file's bytes, by kind and SHA-256 of those bytes: everything the answer
# depends on. The theme's assets are the same in every build, and so are the pages a `serve`
# rebuild did not change. Cleared when full (a worker builds many Trusts).
_PROBLEMS_BY_CONTENT: dict[tuple[str, bytes], tuple[str, ...]] = {}
_PROBLEMS_LIMIT = 5000


def _problems_of_content(kind: str, data: bytes) -> tuple[str, ...]:
    key = (kind, hashlib.sha256(data).digest())
    speed.count("guard", key in _PROBLEMS_BY_CONTENT)
    if key not in _PROBLEMS_BY_CONTENT:
        if len(_PROBLEMS_BY_CONTENT) >= _PROBLEMS_LIMIT:
            _PROBLEMS_BY_CONTENT.clear()
        _PROBLEMS_BY_CONTENT[key] = tuple(content_problems(kind, data))
    return _PROBLEMS_BY_CONTENT[key]


def content_problems(kind: str, data: bytes) -> list[str]:
    """Every reference to another host in a file's bytes; kind is "html", "css" or "svg"."""
    if kind == "svg":
        return [problem for problem in svg_problems(data)
                if "another host" in problem or "DOCTYPE" in problem]
    text = _decoded_text(data)
    if kind == "html":
        references = html_references(text) if may_load_from_other_host(text) else []
    else:
        references = [("url()/@import", url) for url in css_references(text)]
    return [f"{what} loads {url} from another host" for what, url in references
            if is_other_host(url)]


def _decoded_text(data: bytes) -> str:
    """The text Path.read_text(encoding="utf-8", errors="replace") gives: its universal
    newlines turn \r\n and \r into \n."""
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


def site_problems(site_dir: Path, sources: dict[str, str] | None = None) -> list[str]:
    """One line per reference to another host in the built site, naming the file (and the
    source it was built from, when known)."""
    sources = sources or {}
    problems = []
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        built = path.relative_to(site_dir).as_posix()
        name = sources.get(built, built)
        problems += [f"{name}: {problem}. The site must work with no internet: save the file "
                     "beside the page and link to it there." for problem in file_problems(path)]
    return problems


def source_names(files: Files, docs_dir: Path, locale: Locale) -> dict[str, str]:
    """Built path -> the file a person edits, so the guard names docs/x.md or the Trust's
    locales/<slug>/pages/x.md rather than the built x.html."""
    from trustsite.locale import display_path

    names = {}
    for file in files:
        if file.abs_src_path is None:
            continue
        source = Path(file.abs_src_path)
        for folder, shown in ((docs_dir, "docs"), (locale.folder, display_path(locale.folder))):
            if source.is_relative_to(folder):
                names[file.dest_uri] = f"{shown}/{source.relative_to(folder).as_posix()}"
                break
    return names


def refuse_other_hosts(site_dir: Path, sources: dict[str, str]) -> None:
    """Fail the build, before the new site replaces the old one, on any external reference."""
    problems = site_problems(site_dir, sources)
    if problems:
        shutil.rmtree(site_dir, ignore_errors=True)  # the previous site stays as it was
        raise PluginError("\n".join(problems) + f"\n{len(problems)} reference(s) to another "
                          "host; nothing was published.")
