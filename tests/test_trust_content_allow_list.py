"""Trust content by allow-list (issue 23 points 1, 2, 7 and 10): a Trust's page HTML passes
one sanitiser, its front matter holds only documented keys, the web-server kit's policy trusts
only national scripts, and text cannot hide or command.

Each hostile case is refused with one FILE:LINE line by `check` and by `build` alike, and
with no traceback.
"""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pytest

from trustsite.cli import main as cli

from test_validation import EXAMPLE, write_locale

PAGE = "paged/pages/our-team.md"


def locale_with_page(folder: Path, page: str, locale: str = EXAMPLE) -> Path:
    path = write_locale(folder, locale, slug="paged")
    (folder / "paged" / "pages").mkdir(parents=True)
    (folder / "paged" / "pages" / "our-team.md").write_text(page, encoding="utf-8")
    return path


def refused_lines(path: Path, capsys, out: Path | None = None) -> list[str]:
    """The FILE:LINE lines `check` prints for the locale, after checking `build` prints the
    same ones (when `out` is given) and neither prints a traceback."""
    assert cli(["check", str(path)]) == 1
    checked = capsys.readouterr().err
    lines = [line for line in checked.splitlines() if "problem(s) found" not in line]
    assert "Traceback" not in checked
    if out is not None:
        assert cli(["build", str(path), "--out", str(out), "--jobs", "1"]) == 1
        built = capsys.readouterr().err
        assert "Traceback" not in built
        for line in lines:
            assert built.count(line) == 1, (line, built)
        assert not (out / path.stem / "index.html").exists()
    return lines


# -- 1. One sanitiser at the output boundary -----------------------------------------------

# (page body, line of the problem in the page file, what the message names). The page starts
# with a three-line front matter and a heading, so the body starts on line 5.
HOSTILE_HTML = [
    ("<script>alert(1)</script>", 5, "the element <script>"),
    ("Text\n\n<img src=\"photo.png\" alt=\"\" onerror=\"alert(1)\">", 7,
     "the attribute onerror= on <img>"),
    ("<a href=\"jav&#x09;ascript:alert(1)\">Open</a>", 5, "the attribute href= on <a>"),
    ("[Open](javascript:alert(1))", 5, "the attribute href= on <a>"),
    ("[Open](\x01javascript:alert(1))", 5, "href= on <a>"),
    ("<!--><img src=x onerror=alert(1)>-->", 5, "an HTML comment"),
    ("<![CDATA[ x ]]><svg><a href=\"javascript:alert(1)\">x</a></svg>", 5, "<svg>"),
    ("A paragraph.\n{: onclick=\"alert(1)\" }", 6, "the attribute onclick= on <p>"),
    ("<p id=\"__search\">Hijack the theme's search</p>", 5, "the attribute id= on <p>"),
    ("<p class=\"md-header\">Look like the header</p>", 5, "the class 'md-header' on <p>"),
    ("<div markdown style=\"position: fixed\">Cover the page</div>", 5, "style= on <div>"),
    ("<form action=\"https://collector.invalid/\"><input name=\"password\"></form>", 5,
     "the element <form>"),
    ("<iframe src=\"https://elsewhere.example/\"></iframe>", 5, "the element <iframe>"),
    ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", 5, "<math>"),
]


def one_pixel_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


def page(body: str) -> str:
    return f"---\ntitle: Our team\n---\n# Our team\n{body}\n"


@pytest.mark.parametrize("body, line, says", HOSTILE_HTML)
def test_check_names_what_the_sanitiser_would_remove_with_its_line(tmp_path, capsys, body,
                                                                     line, says):
    lines = refused_lines(locale_with_page(tmp_path, page(body)), capsys)
    assert len(lines) == 1, lines
    assert f"{PAGE}:{line}: html: " in lines[0] and says in lines[0], lines


@pytest.mark.parametrize("body, line, says", [HOSTILE_HTML[0], HOSTILE_HTML[7],
                                              HOSTILE_HTML[5]])
def test_build_refuses_what_check_refuses_with_the_same_line(tmp_path, capsys, body, line,
                                                             says):
    lines = refused_lines(locale_with_page(tmp_path, page(body)), capsys, tmp_path / "out")
    assert f"{PAGE}:{line}: html: " in lines[0] and says in lines[0], lines


RICH_PAGE = """---
title: Our team
last_reviewed: 2026-01-05
---
# Our team & friends

Text with **bold**, *em*, `code`, [a link](https://example.org/a?b=1&c=2 "Title"),
![A photo](photo.png), <b>bold</b> <sup>2</sup> and a footnote[^1].
Write to {{ email_link(research_office.email) }} {{ cite('csp078') }}.

## Contact { #contact }

## 联系我们

!!! note "Before you start"
    Ask your manager.

??? tip "More"
    Hidden.

| A | B |
|:--|--:|
| 1 | 2 |

- [ ] Read the guide
- [x] Meet the team

Term
:   Its meaning.

<table><tr><th>A</th></tr><tr><td>1</td></tr></table>

<details markdown><summary>Open</summary>Inside</details>

[^1]: A note.
"""


def test_an_ordinary_rich_page_passes_check_and_build_unchanged(tmp_path, capsys):
    path = locale_with_page(tmp_path, RICH_PAGE)
    (tmp_path / "paged" / "pages" / "photo.png").write_bytes(one_pixel_png())
    assert cli(["check", str(path)]) == 0, capsys.readouterr().err
    assert cli(["build", str(path), "--out", str(tmp_path / "out"), "--jobs", "1"]) == 0, \
        capsys.readouterr().err
    html = (tmp_path / "out" / "paged" / "our-team.html").read_text(encoding="utf-8")
    assert re.search(r'<td style="text-align: ?right;?">2</td>', html)
    assert html.count('<label class="task-list-label"><input') == 2  # checked or not
    for kept in ('<div class="admonition note">', '<details class="tip">',
                 'class="task-list-item"', '<dl>',
                 'href="https://example.org/a?b=1&amp;c=2" title="Title"', 'id="contact"',
                 'class="footnote-ref"', 'class="citation"', 'href="mailto:'):
        assert kept in html, kept


@pytest.mark.parametrize("html", [
    "<script>alert(1)</script>", '<img src="a.png" onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>', '<a href="data:text/html,x">x</a>',
    '<a href="vbscript:x">x</a>', "<svg onload=alert(1)></svg>",
    '<object data="x.swf"></object>', "<style>*{display:none}</style>",
    '<meta http-equiv="refresh" content="0;url=https://elsewhere.example/">',
    '<base href="https://elsewhere.example/">', "<!--><script>alert(1)</script>-->",
    '<p style="background:url(https://elsewhere.example/x.png)">x</p>',
])
def test_nothing_active_survives_the_sanitiser(html):
    from trustsite.sanitise import removed, sanitise

    clean = sanitise(html).lower()
    for active in ("<script", "onerror", "onload", "javascript:", "data:", "vbscript:",
                   "<svg", "<object", "<style", "<meta", "<base", "url("):
        assert active not in clean, (html, clean)
    assert removed(html), html


@pytest.mark.parametrize("href", ["https://example.org/", "http://example.org/",
                                  "mailto:a@example.org", "tel:+441632960000", "page.html",
                                  "../a/b.html#part", "#section"])
def test_the_sanitiser_keeps_the_allowed_url_schemes_and_relative_links(href):
    from trustsite.sanitise import removed, sanitise

    html = f'<a href="{href}">x</a>'
    assert sanitise(html) == html and removed(html) == []


def test_the_intranet_packs_read_the_same_allow_list():
    from trustsite.intranet import clean_html
    from trustsite.sanitise import INTRANET, TRUST_PAGE

    assert clean_html.ALLOWED is INTRANET.elements
    for tag, attributes in INTRANET.elements.items():
        assert attributes <= TRUST_PAGE.elements[tag]


def test_the_intranet_cleaner_output_passes_the_one_sanitiser():
    """Whatever a link rewrite lets through, the pack's HTML holds only allowed schemes."""
    from lxml import html as lxml_html

    from trustsite.intranet import clean_html

    article = lxml_html.fromstring('<article><h2>A</h2><p><a href="x">x</a>'
                                   '<img src="y" alt="y"></p></article>')
    cleaned = clean_html.clean_article(article, lambda href: "javascript:alert(1)",
                                       lambda src: "data:text/html,x", images=True)
    assert "javascript:" not in cleaned and "data:" not in cleaned, cleaned
    assert clean_html.disallowed(cleaned) == []


# -- 2. Front matter by allow-list ------------------------------------------------------------

# Keys Material prints into the page (some unescaped, some into every page's navigation) or
# that change how the page is built; none is a documented field of a Trust's page.
UNDOCUMENTED_KEYS = [
    ("description", "'\"><script>alert(1)</script>'"),
    ("subtitle", "<img src=x onerror=alert(1)>"),
    ("icon", "material/<script>"),
    ("status", "new\"><script>alert(1)</script>"),
    ("hide", "[navigation, toc]"),
    ("template", "../../../../etc/passwd"),
    ("render_macros", "true"),
    ("search", "{exclude: true}"),
    ("tags", "[a]"),
    ("Title", "Our team"),
]


@pytest.mark.parametrize("key, value", UNDOCUMENTED_KEYS)
def test_front_matter_may_hold_only_the_documented_keys(tmp_path, capsys, key, value):
    text = f"---\ntitle: Our team\n{key}: {value}\n---\n# Our team\n"
    lines = refused_lines(locale_with_page(tmp_path, text), capsys)
    assert len(lines) == 1, lines
    assert f"{PAGE}:3: {key}: is not a front matter field" in lines[0], lines
    assert "Allowed: title, last_reviewed, next_review." in lines[0]


def test_build_refuses_an_undocumented_front_matter_key_as_check_does(tmp_path, capsys):
    text = "---\ntitle: Our team\ndescription: '\"><script>alert(1)</script>'\n---\n# Hi\n"
    lines = refused_lines(locale_with_page(tmp_path, text), capsys, tmp_path / "out")
    assert f"{PAGE}:3: description: " in lines[0]


def test_key_value_metadata_may_hold_only_the_documented_keys_too(tmp_path, capsys):
    text = "Title: Our team\nDescription: <script>alert(1)</script>\n\n# Our team\n"
    lines = refused_lines(locale_with_page(tmp_path, text), capsys)
    assert len(lines) == 1 and f"{PAGE}:2: description: " in lines[0], lines


@pytest.mark.parametrize("title", ["&lt;script&gt;alert(1)&lt;/script&gt;", "Tea &#38; cake",
                                   "A &amp; B"])
def test_a_title_is_text_with_no_character_references(tmp_path, capsys, title):
    lines = refused_lines(locale_with_page(tmp_path, f"---\ntitle: '{title}'\n---\n# T\n"),
                          capsys)
    assert len(lines) == 1 and f"{PAGE}:2: title: " in lines[0], lines


def test_a_title_with_ampersands_and_quotes_reaches_the_page_as_text(tmp_path, capsys):
    title = "Tea & cake: \"Bring\" Mary's R&D"
    path = locale_with_page(tmp_path, f"---\ntitle: '{title.replace(chr(39), chr(39) * 2)}'"
                                      "\n---\n# Our team\n")
    assert cli(["build", str(path), "--out", str(tmp_path / "out"), "--jobs", "1"]) == 0, \
        capsys.readouterr().err
    from bs4 import BeautifulSoup

    site = tmp_path / "out" / "paged"
    for built in (site / "our-team.html", site / "index.html"):
        soup = BeautifulSoup(built.read_text(encoding="utf-8"), "html.parser")
        shown = [text for text in soup.find_all(string=lambda s: "Tea" in s)]
        assert shown and all(title in text for text in shown), (built, shown)


# -- 7. The web-server kit's policy trusts only national scripts -------------------------------

INJECTED = "<script>window.__injected = 'ran'</script>"


def test_a_script_injected_into_a_trust_page_is_blocked_by_the_kits_policy(tmp_path, capsys,
                                                                            browser):
    """The script is written into the built files, as if it had passed every check: into
    the Trust's page and into the navigation of a national page. The kit's policy must not
    list it, and Chromium must not run it, while the theme's own scripts still run."""
    import browser as checks
    from test_intranet import _serve_with_headers
    from trustsite.intranet.hosting import security_headers

    path = locale_with_page(tmp_path, page("Our team's own page."))
    assert cli(["build", str(path), "--out", str(tmp_path / "out"), "--jobs", "1"]) == 0, \
        capsys.readouterr().err
    site = tmp_path / "out" / "paged"
    for built, where in ((site / "our-team.html", "</h1>"), (site / "index.html", "</nav>")):
        text = built.read_text(encoding="utf-8")
        assert where in text
        built.write_text(text.replace(where, where + INJECTED, 1), encoding="utf-8")
    server = _serve_with_headers(site, security_headers(site))
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        with checks.new_tab(browser, checks.DESKTOP) as tab:
            for name in ("our-team.html", "index.html"):
                checks.open_page(tab, base + name)
                assert tab.evaluate("() => typeof __md_get") == "function", name
                assert tab.evaluate("() => window.__injected") is None, name
    finally:
        server.shutdown()
        server.server_close()


def test_the_kits_hashes_do_not_depend_on_what_pages_contain(tmp_path):
    from trustsite.intranet.hosting import inline_script_hashes

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "page.html").write_text("<p>x</p>")
    before = inline_script_hashes(tmp_path)
    (tmp_path / "a" / "page.html").write_text(f"<p>x</p>{INJECTED}")
    assert inline_script_hashes(tmp_path) == before and before


# -- 10. Text that cannot hide or command -----------------------------------------------------

NAME = "  name: Example Hospitals NHS Foundation Trust"
HIDDEN = [
    ("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
    ("\u2067", "RIGHT-TO-LEFT ISOLATE"),
    ("\u200b", "ZERO WIDTH SPACE"),
    ("\u2060", "WORD JOINER"),
    ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"),
    ("\u00ad", "SOFT HYPHEN"),
    ("\u200d", "ZERO WIDTH JOINER"),  # between ASCII letters no language needs it
    ("\U000e0041", "TAG LATIN CAPITAL LETTER A"),
]


@pytest.mark.parametrize("char, name", HIDDEN)
def test_invisible_characters_are_refused_in_a_trusts_name(tmp_path, capsys, char, name):
    assert NAME in EXAMPLE
    path = write_locale(tmp_path, EXAMPLE.replace(NAME, f"  name: Exam{char}ple Hospitals"),
                        slug="paged")
    lines = refused_lines(path, capsys)
    line = EXAMPLE.splitlines().index(NAME) + 1
    assert len(lines) == 1 and f"paged.yml:{line}: trust.name: holds the invisible " \
        f"character U+{ord(char):04X} ({name})" in lines[0], lines
    assert char not in lines[0]  # shown as an escape, never as itself


def test_an_invisible_character_is_refused_by_build_as_by_check(tmp_path, capsys):
    path = write_locale(tmp_path, EXAMPLE.replace(NAME, "  name: \u202eTrust"), slug="paged")
    assert refused_lines(path, capsys, tmp_path / "out")


@pytest.mark.parametrize("text", ["---\ntitle: \"Our\u200bteam\"\n---\n# Our team\n",
                                  "Title: Our\u202eteam\n\n# Our team\n"])
def test_invisible_characters_are_refused_in_a_page_title(tmp_path, capsys, text):
    lines = refused_lines(locale_with_page(tmp_path, text), capsys)
    assert len(lines) == 1 and "our-team.md:" in lines[0] and "title: holds the invisible" \
        in lines[0], lines


@pytest.mark.parametrize("text", [
    "Nurse \U0001f469\u200d\u2695\ufe0f and family \U0001f468\u200d\U0001f469\u200d\U0001f467",
    "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f Scotland",
    "\u0915\u094d\u200d\u0937",  # Devanagari: the joiner keeps a half form
    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian: the non-joiner
])
def test_the_joiners_and_tags_a_language_or_emoji_needs_are_kept(tmp_path, capsys, text):
    from trustsite.invisible import hidden_characters

    assert hidden_characters(text) == []
    path = write_locale(tmp_path, EXAMPLE.replace(NAME, f"  name: \"{text}\""), slug="paged")
    assert cli(["check", str(path)]) == 0, capsys.readouterr().err


def test_every_format_character_is_known():
    import sys
    import unicodedata

    from trustsite.invisible import FORMAT_CHARACTERS

    format_characters = [chr(c) for c in range(sys.maxunicode + 1)
                         if unicodedata.category(chr(c)) == "Cf"]
    assert [c for c in format_characters if not FORMAT_CHARACTERS.fullmatch(c)] == []


@pytest.mark.parametrize("text", ["\x1b[2J\x1b[31mred", "\u202eexe.jpg", "a\x9bb", "\x07"])
def test_messages_show_control_and_format_characters_as_escapes(text):
    from trustsite.changes.inert import code_span, log_inert, markdown_inert
    from trustsite.locale import one_line, quoted

    for shown in (one_line(text), quoted(text), markdown_inert(text), code_span(text),
                  log_inert(text)):
        assert not [c for c in shown if c < " " or "\x7f" <= c <= "\x9f" or c in
                    "\u202e\u200b"], repr(shown)


# GitHub's autolinks, as its documentation lists them: issues and pull requests by number,
# GH- numbers, owner/repo#number, and commit hashes of 7 to 40 hexadecimal digits.
LIVE = re.compile(r"(?i)(?:#|\bgh-)\d|\b[0-9a-f]{7,40}\b")


@pytest.mark.parametrize("text", ["Fixes #12", "see GH-12", "gh-3 and nhs/trustsite#4",
                                  "commit a5c3785ed8d6a35868bc169f07e40e889087fd2e",
                                  "short deadbee", "#1 NHS Trust"])
def test_github_autolinks_are_inert_in_the_pull_request_comment(text):
    from trustsite.changes import (Excerpt, PageChange, Report, Revision, TrustChanges,
                                   render_markdown)

    excerpt = Excerpt((("same", text), ("added", text)), False, False)
    report = Report(Revision("a", "e" * 40), Revision("b", "f" * 40), [
        TrustChanges("t", text, "both", [PageChange("p.html", text, "changed", (excerpt,))], 1)])
    markdown = render_markdown(report)
    trust_text = markdown.split("\n", 4)[-1]  # after the heading and the revisions' line
    assert not LIVE.search(trust_text.replace("\\", "")), trust_text
    assert text in trust_text.replace("\\", "").replace("\u200d", "")  # the words show


def test_a_failed_builds_log_shows_terminal_controls_as_escapes(tmp_path):
    from trustsite.changes.inert import log_inert

    assert log_inert("\x1b]0;title\x07 \x1b[2J") == "\\x1b]0;title\\x07 \\x1b[2J"


@pytest.mark.parametrize("heading", ["&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
                                     "Less &lt; more", "\\<b\\> bold"])
def test_a_top_heading_that_shows_angle_brackets_is_refused(tmp_path, capsys, heading):
    """MkDocs makes the first heading the page's title, and the theme prints the title in
    <title> with its '&lt;' decoded: '&lt;/title&gt;&lt;script&gt;' became a live script."""
    lines = refused_lines(locale_with_page(tmp_path, f"Intro.\n\n# {heading}\n\nText.\n"),
                          capsys)
    assert len(lines) == 1 and f"{PAGE}:3: heading: " in lines[0], lines


def test_build_refuses_a_title_heading_that_would_become_a_script(tmp_path, capsys):
    heading = "# &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;\n\nText.\n"
    lines = refused_lines(locale_with_page(tmp_path, heading), capsys, tmp_path / "out")
    assert len(lines) == 1 and f"{PAGE}:1: heading: " in lines[0], lines


def test_html_nested_too_deep_for_the_sanitiser_is_refused_not_parsed(tmp_path, capsys):
    """html5ever's time grows with the square of the nesting for some elements (50,000
    <div>s took 40 s), so deep nesting is refused before nh3 reads it."""
    from trustsite.sanitise import MAX_DEPTH

    lines = refused_lines(locale_with_page(tmp_path, page("<div>" * (MAX_DEPTH + 1) + "x")),
                          capsys)
    assert len(lines) == 1 and f"nested more than {MAX_DEPTH} deep" in lines[0], lines


def test_the_command_line_prints_no_terminal_control_characters(capsys):
    assert cli(["new", "bad\x1b]0;owned\x07slug", "--name", "X"]) == 1
    printed = capsys.readouterr()
    assert "\x1b" not in printed.out + printed.err and "\x07" not in printed.err
    assert "\\x1b" in printed.err, printed


def test_new_refuses_a_name_with_an_invisible_character(capsys):
    from conftest import ROOT

    assert cli(["new", "hidden-name-trust", "--name", "Anytown \u202eHospitals"]) == 1
    assert "U+202E (RIGHT-TO-LEFT OVERRIDE)" in capsys.readouterr().err
    assert not (ROOT / "locales" / "hidden-name-trust.yml").exists()


@pytest.mark.parametrize("html", ["<p>w1</p>w3<x", "<ul></td><x", "<![CDATA[>/>"])
def test_text_the_sanitiser_drops_is_reported_even_with_no_element_named(html):
    """Where html.parser and a browser's parser disagree, words can go with no element or
    attribute to name: the comparison of the words still reports it."""
    from trustsite.sanitise import removed

    assert removed(html), html


def test_a_page_with_many_removed_parts_names_the_first_and_counts_the_rest(tmp_path, capsys):
    from trustsite.sandbox import MAX_NAMED

    body = "\n\n".join(f"<script>x{n}</script>" for n in range(MAX_NAMED + 30))
    lines = refused_lines(locale_with_page(tmp_path, page(body)), capsys)
    assert len(lines) == MAX_NAMED + 1, lines
    assert f"{PAGE}:5: html: the element <script>" in lines[0]
    assert f"{PAGE}:4: html: 30 more part(s)" in lines[-1], lines


@pytest.mark.parametrize("start, newline", [("", "\r\n"), ("\ufeff", "\n"), ("", "\r")])
def test_front_matter_cannot_hide_behind_a_bom_or_windows_line_endings(tmp_path, capsys,
                                                                       start, newline):
    """MkDocs reads pages as utf-8-sig with universal newlines, so the check must too."""
    text = newline.join(["---", "title: Our team", "description: '\"><script>x</script>'",
                         "---", "# Our team", ""])
    path = locale_with_page(tmp_path, "")
    (tmp_path / "paged" / "pages" / "our-team.md").write_bytes((start + text).encode())
    lines = refused_lines(path, capsys)
    assert len(lines) == 1 and f"{PAGE}:3: description: " in lines[0], lines
