"""Every hostile or broken Trust input in one table (issue 23 point 9), so `check` and
`build` are run over the same cases (tests/test_check_build_agree.py).

Each case writes a Trust, `test-trust` (unless it tests the slug), into a folder, and names the
start of the one FILE:LINE problem both commands must report, relative to that folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from test_hostile_input import BAD_VALUES
from test_validation import EXAMPLE, write_locale

SLUG = "test-trust"
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


@dataclass(frozen=True)
class Case:
    name: str
    write: Callable[[Path], Path]  # writes the Trust into a folder; returns its locale file
    says: str  # how its one problem line starts, e.g. "test-trust/pages/x.shtml:0: file: "


def _with_files(files: dict[str, bytes | str], text: str = EXAMPLE,
                slug: str = SLUG) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = write_locale(folder, text, slug=slug)
        for name, content in files.items():
            target = folder / slug / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, str):
                content = content.encode("utf-8")
            target.write_bytes(content)
        return path
    return write


def png(width: int, height: int) -> bytes:
    """A PNG header claiming this size (enough for the checks, which never decode it)."""
    return PNG_HEADER + width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x06" \
        + b"\x00" * 20


def _page(body: str) -> str:
    return f"---\ntitle: Local\n---\n# Local\n\n{body}\n"


FILE = f"{SLUG}/pages/"
CASES = [
    # Point 3: files by allow-list (type by content as well as name; safe names).
    Case("server-side include", _with_files({"pages/leaflet.shtml": "<!--#exec cmd='id'-->"}),
         f"{FILE}leaflet.shtml:0: file: this type of file cannot be published"),
    Case("xml with an XHTML namespace", _with_files({
        "pages/data.xml": '<html xmlns="http://www.w3.org/1999/xhtml"><script>x</script>'
                          "</html>"}), f"{FILE}data.xml:0: file: this type"),
    Case("raw html", _with_files({"pages/leaflet.html": "<p>Hi</p>"}),
         f"{FILE}leaflet.html:0: file: this type"),
    Case("web.config", _with_files({"pages/web.config": "<configuration/>"}),
         f"{FILE}web.config:0: file: this type"),
    Case("script file", _with_files({"pages/app.js": "alert(1)"}), f"{FILE}app.js:0: file: "),
    Case("style sheet", _with_files({"pages/style.css": "body{}"}), f"{FILE}style.css:0: file: "),
    Case(".htaccess", _with_files({"pages/.htaccess": "Options +Includes"}),
         f"{FILE}.htaccess:0: file: the name"),
    Case("leading dot page", _with_files({"pages/.hidden.md": _page("x")}),
         f"{FILE}.hidden.md:0: file: the name"),
    Case("dot folder", _with_files({"pages/.well-known/x.md": _page("x")}),
         f"{FILE}.well-known:0: file: the name"),
    Case("backslash", _with_files({"pages/assets\\javascripts\\bundle.js": "alert(1)"}),
         f"{FILE}assets\\javascripts\\bundle.js:0: file: the name"),
    Case("right-to-left override", _with_files({"pages/x\u202egnp.md": _page("x")}),
         f"{FILE}x\\u202egnp.md:0: file: the name"),
    Case("zero-width space", _with_files({"pages/a\u200bb.md": _page("x")}),
         f"{FILE}a\\u200bb.md:0: file: the name"),
    Case("escape character", _with_files({"pages/a\x1b[2Jb.md": _page("x")}),
         f"{FILE}a\\x1b[2Jb.md:0: file: the name"),
    Case("Windows device name", _with_files({"pages/CON.md": _page("x")}),
         f"{FILE}CON.md:0: file: 'CON.md' is a name Windows reserves"),
    Case("Windows device name with extension", _with_files({"pages/nul.png": png(1, 1)}),
         f"{FILE}nul.png:0: file: 'nul.png' is a name Windows reserves"),
    Case("names equal but for case", _with_files({"pages/Team.md": _page("x"),
                                                  "pages/team.md": _page("y")}),
         f"{FILE}team.md:0: file: its name differs from pages/Team.md only in upper"),
    Case("national page but for case", _with_files({"pages/Research-Here.md": _page("x")}),
         f"{FILE}Research-Here.md:0: file: its name differs from the national page"),
    Case(".markdown page", _with_files({"pages/notes.markdown": _page("x")}),
         f"{FILE}notes.markdown:0: file: pages must end in .md"),
    Case(".MD page", _with_files({"pages/notes.MD": _page("x")}),
         f"{FILE}notes.MD:0: file: pages must end in .md"),
    Case("a PNG that is not a PNG", _with_files({"pages/photo.png": "<script>alert(1)</script>"}),
         f"{FILE}photo.png:0: file: its content is not a PNG file"),
    Case("a Word file that is not one", _with_files({"pages/form.docx": "PK not a zip"}),
         f"{FILE}form.docx:0: file: its content is not a DOCX file"),
    Case("an SVG in pages", _with_files({
        "pages/map.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>'}),
        f"{FILE}map.svg:0: file: an SVG can hold code"),
    Case("a file beside the logo", _with_files({"notes.txt": "x"}),
         f"{SLUG}/notes.txt:0: file: only the logo and favicon"),
    Case("a logo that is not a PNG", _with_files(
        {"logo.png": "<html><script>x</script></html>"},
        EXAMPLE.replace("logo: logo.svg", "logo: logo.png")),
        f"{SLUG}.yml:{EXAMPLE.splitlines().index('  logo: logo.svg') + 1}: brand.logo: "
        "'logo.png' cannot be used: its content is not a PNG file"),
    # Point 5: budgets.
    Case("image over the pixel budget", _with_files({"pages/big.png": png(100_000, 100_000)}),
         f"{FILE}big.png:0: file: it is 100000 x 100000 pixels, over the limit"),
    Case("too many pages", _with_files({f"pages/p{n}.md": _page("x") for n in range(61)}),
         f"{SLUG}:0: folder: it holds 61 pages, over the limit of 60"),
    Case("center(20000000)", _with_files({"pages/wide.md": _page("{{ 'x'|center(20000000) }}")}),
         f"{FILE}wide.md:6: center: the filter 'center' is not allowed"),
    Case("text method center", _with_files({
        "pages/wide.md": _page("{{ trust.name.center(20000000) }}")}),
        f"{FILE}wide.md:6: security: not allowed in a Trust's page (the method 'center'"),
    Case("nested loops", _with_files({"pages/loops.md": _page(
        "{% set s = 'x' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}")}),
        f"{FILE}loops.md:6: security: not allowed in a Trust's page (the page makes its "
        "template do more than"),
    Case("printf padding", _with_files({"pages/pad.md": _page("{{ '%20000000s' % 'x' }}")}),
         f"{FILE}pad.md:6: security: not allowed in a Trust's page ('%' with text"),
    Case("markdown: unclosed tags", _with_files({"pages/slow.md": _page("<http://x " * 20000)}),
         f"{FILE}slow.md:6: html: '<http://x ' starts an HTML tag but does not end it"),
    Case("markdown: a paragraph of brackets", _with_files({
        "pages/slow.md": _page("![a" * 20000)}),
        f"{FILE}slow.md:6: page: this paragraph holds 20000 '[', more than the 200"),
    # Point 2: front matter by allow-list (the theme would read 'template' as its own).
    Case("front matter template", _with_files({
        "pages/t.md": "---\ntitle: Local\ntemplate: nope.html\n---\n# Local\n\nx\n"}),
        f"{FILE}t.md:3: "),
    # Point 8: a slug that names another Trust's pack.
    Case("slug naming a SharePoint pack", _with_files({}, slug="foo-sharepoint"),
         "foo-sharepoint.yml:0: (file name): 'foo-sharepoint' ends in '-sharepoint'"),
    Case("slug naming a pages pack", _with_files({}, slug="foo-pages"),
         "foo-pages.yml:0: (file name): 'foo-pages' ends in '-pages'"),
] + [
    # Locale values that test_hostile_input.py refuses, in the same table.
    Case(f"bad value {number}", _with_files({}, EXAMPLE.replace(old, new, 1)),
         f"{SLUG}.yml:")
    for number, (old, new) in enumerate(BAD_VALUES)
]
