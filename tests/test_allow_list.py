"""Trust content by allow-list (issue 23 points 3, 4, 5 and 8): file types recognised by
content, safe names, SVG drawn as PNG within a budget, budgets for template work and the
changes report, and outputs no other Trust can name. tests/hostile_cases.py holds the cases
check and build must both refuse; these test each rule on its own."""

from __future__ import annotations

import difflib
import io
import zipfile

import pytest

from trustsite.cli import main as cli
from trustsite.locale import validate_file

from conftest import ROOT
from test_validation import EXAMPLE, write_locale

LOGO = (ROOT / "locales" / "example" / "logo.svg").read_bytes()
# 256 bytes that keep resvg busy for minutes: turbulence of 100,000 octaves over a vast region.
STALLING_FILTER = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><filter id="f" '
    'x="-50000%" y="-50000%" width="100000%" height="100000%"><feTurbulence '
    'baseFrequency="0.5" numOctaves="100000"/></filter><rect width="100" height="100" '
    'filter="url(#f)"/></svg>')


def _zip(entries: dict[str, bytes], first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ([first] if first else []) + [n for n in entries if n != first]:
            archive.writestr(name, entries[name])
    return buffer.getvalue()


# -- Point 3: types by content, names from a safe set ----------------------------------------

@pytest.mark.parametrize("name, content, allowed", [
    ("a.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\x00\x00\x10" * 2 + b"\0" * 9, True),
    ("a.png", b"<svg onload=alert(1)>", False),
    ("a.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\0" * 9 +
     b"\xff\xc0\x00\x11\x08\x00\x20\x00\x40" + b"\0" * 20, True),
    ("a.jpeg", b"GIF89a", False),
    ("a.gif", b"GIF89a\x10\x00\x10\x00" + b"\0" * 10, True),
    ("a.webp", b"RIFF\x00\x00\x00\x00WEBPVP8X" + b"\0" * 8 + b"\x0f\x00\x00\x0f\x00\x00", True),
    ("a.pdf", b"%PDF-1.7\n", True),
    ("a.pdf", b"<html>%PDF-1.7", False),
    ("a.docx", _zip({"[Content_Types].xml": b"x", "word/document.xml": b"x"}), True),
    ("a.docx", _zip({"[Content_Types].xml": b"x", "word/document.xml": b"x",
                     "word/vbaProject.bin": b"x"}), False),  # macros
    ("a.xlsx", _zip({"[Content_Types].xml": b"x", "word/document.xml": b"x"}), False),
    ("a.odt", _zip({"mimetype": b"application/vnd.oasis.opendocument.text"}, "mimetype"),
     True),
    ("a.ods", _zip({"mimetype": b"application/vnd.oasis.opendocument.text"}, "mimetype"),
     False),
])
def test_a_file_is_its_type_only_when_its_content_is(tmp_path, name, content, allowed):
    from trustsite.trust_files import content_problem

    path = tmp_path / name
    path.write_bytes(content)
    assert (content_problem(path, path.suffix) is None) is allowed


@pytest.mark.parametrize("header, size", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x00\x80", (256, 128)),
    (b"GIF89a\x00\x01\x80\x00", (256, 128)),
    (b"\xff\xd8\xff\xe1\x00\x04ab\xff\xc2\x00\x11\x08\x00\x80\x01\x00", (256, 128)),
    (b"RIFF\0\0\0\0WEBPVP8X\0\0\0\0\0\0\0\0\xff\x00\x00\x7f\x00\x00", (256, 128)),
])
def test_image_sizes_are_read_from_headers_without_decoding(header, size):
    from trustsite.trust_files import image_size

    assert image_size(header + b"\0" * 16) == size


@pytest.mark.parametrize("name, allowed", [
    ("our-team.md", True), ("Annual_Report.2025.pdf", True), ("a", True),
    (".htaccess", False), ("web.config.", False), ("a b.md", False), ("a\\b.md", False),
    ("caf\u00e9.md", False), ("x\u202egnp.md", False), ("a\u200db.md", False),
    ("a\x00b.md", False), ("CON", False), ("com1.txt", False), ("Lpt9.md", False),
    ("console.md", True), ("-x.md", False), ("x" * 81, False),
])
def test_names_come_from_a_safe_set(name, allowed):
    from trustsite.trust_files import name_problem

    assert (name_problem(name) is None) is allowed


@pytest.mark.parametrize("relative, allowed", [
    ("pages/a.md", True), ("pages/a.MD", False), ("pages/a.markdown", False),
    ("pages/a.png", True), ("pages/a.pdf", True), ("pages/a.odp", True),
    ("pages/a.html", False), ("pages/a.shtml", False), ("pages/a.xhtml", False),
    ("pages/a.xml", False), ("pages/a.svg", False), ("pages/a.js", False),
    ("pages/a.css", False), ("pages/web.config", False), ("pages/a.htaccess", False),
    ("pages/a.docm", False), ("pages/a.exe", False), ("logo.svg", True), ("logo.png", True),
    ("a.md", False), ("a.pdf", False),
])
def test_types_are_allowed_by_list(relative, allowed):
    from trustsite.trust_files import type_problem

    assert (type_problem(relative) is None) is allowed


def test_a_refused_folder_is_one_problem_not_one_per_file(tmp_path):
    path = write_locale(tmp_path, EXAMPLE)
    hidden = tmp_path / "test-trust" / "pages" / ".git"
    hidden.mkdir(parents=True)
    for name in ("config", "HEAD", "index"):
        (hidden / name).write_text("x")
    _, problems = validate_file(path)
    assert [p.file.rsplit("/", 2)[-2:] for p in problems] == [["pages", ".git"]]


# -- Point 4: SVG drawn as PNG within a budget --------------------------------------------------

def test_a_stalling_svg_filter_is_refused_within_the_budget(tmp_path, monkeypatch):
    from trustsite import svg_png

    assert len(STALLING_FILTER) < 400
    monkeypatch.setattr(svg_png, "RENDER_SECONDS", 2)
    path = write_locale(tmp_path, EXAMPLE)
    (tmp_path / "test-trust" / "logo.svg").write_text(STALLING_FILTER)
    _, problems = validate_file(path)
    assert [(p.key, "more than 2 seconds to draw" in p.message) for p in problems] == [
        ("brand.logo", True)]


def test_an_svg_too_wide_to_draw_is_refused(tmp_path):
    path = write_locale(tmp_path, EXAMPLE)
    (tmp_path / "test-trust" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="1"/>')
    _, problems = validate_file(path)
    assert [p.key for p in problems] == ["brand.logo"]
    assert "cannot be drawn" in problems[0].message or "too wide" in problems[0].message


def test_a_logo_keeps_its_text_when_drawn_as_png():
    from trustsite.svg_png import svg_to_png

    without_text = LOGO.split(b"<text")[0] + b"</svg>"
    assert svg_to_png(LOGO) != svg_to_png(without_text)  # its 'EH' in a system font


def test_a_trusts_svg_is_published_only_as_png(tmp_path):
    from trustsite.build import build_many
    from trustsite.locale import load_locale

    text = EXAMPLE.replace("  logo: logo.svg", "  logo: logo.svg\n  favicon: icon.svg")
    path = write_locale(tmp_path, text)
    # Animation that sets a link: harmless once drawn, active if published as SVG.
    (tmp_path / "test-trust" / "icon.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><a><set '
        'attributeName="href" to="javascript:alert(1)"/><rect width="16" height="16"/></a>'
        "</svg>")
    result, = build_many([load_locale(path)], tmp_path / "out", jobs=1)
    assert result.ok, result.message
    site = tmp_path / "out" / "test-trust"
    assert (site / "assets" / "trust" / "favicon.png").read_bytes().startswith(b"\x89PNG")
    published = {p.relative_to(site).as_posix() for p in site.rglob("*.svg")}
    assert not {name for name in published if name.startswith("assets/trust/")}
    assert "javascript:" not in (site / "index.html").read_text(encoding="utf-8")


# -- Point 5: budgets for template work and the changes report --------------------------------

@pytest.mark.parametrize("source, says", [
    ("{{ 'x'|center(20000000) }}", "filter 'center' is not allowed"),
    ("{{ 'x'|indent(20000000) }}", "filter 'indent' is not allowed"),
    ("{{ trust.name.ljust(20000000) }}", "method 'ljust' is not allowed"),
    ("{{ trust.name|truncate(20000000) }}", "number over 10,000"),
    ("{% set s = 'x' * 1000000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}",
     "more than 2,000,000 steps"),
    ("{% set a = 'x' * 900000 %}{% set b = a ~ a ~ a %}{{ b|length }}", "more than"),
    ("{{ ('x' * 1000000)|replace('x', 'x' * 1000000) }}", "more than"),
    ("{{ ('x' * 1000)|list|join('y' * 100000) }}", "more than"),
    ("{{ 'x' * 1000000 }}{{ 'x' * 1000000 }}", "characters long"),
])
def test_template_work_has_a_budget(source, says):
    from trustsite.context import template_context
    from trustsite.locale import LocaleError, load_locale
    from trustsite.page_macros import page_macros
    from trustsite.sandbox import render_trust_page

    context = template_context(load_locale("example"))
    with pytest.raises(LocaleError) as raised:
        render_trust_page(source, context, page_macros(lambda: "x.md"), "x.md")
    assert says in str(raised.value)


def test_ordinary_template_use_stays_within_the_budget():
    from trustsite.context import template_context
    from trustsite.locale import load_locale
    from trustsite.page_macros import page_macros
    from trustsite.sandbox import render_trust_page

    context = template_context(load_locale("example"))
    rendered = render_trust_page(
        "{{ trust.short_name|upper }} {% for word in trust.name.split(' ') %}{{ word|length }}"
        "{% endfor %} {{ ['a', 'b']|join(', ') }} {{ trust.name ~ '.' }}", context,
        page_macros(lambda: "x.md"), "x.md")
    assert rendered.startswith("EXAMPLE HOSPITALS 79") and "a, b" in rendered


def test_the_word_diff_compares_repetitive_text_within_a_bounded_budget(monkeypatch):
    from trustsite.changes.compare import MAX_DIFF_WORK, word_excerpt

    compared = [0]
    original = difflib.SequenceMatcher.find_longest_match

    def counted(self, alo=0, ahi=None, blo=0, bhi=None):
        compared[0] += (ahi - alo) * (bhi - blo)
        if compared[0] > 2 * MAX_DIFF_WORK:
            raise AssertionError("the diff compared more word pairs than its budget")
        return original(self, alo, ahi, blo, bhi)

    monkeypatch.setattr(difflib.SequenceMatcher, "find_longest_match", counted)
    old, new = " ".join(["a b c"] * 3000), " ".join(["c b a"] * 3000)
    excerpts = word_excerpt(old, new)
    assert excerpts and excerpts[0].segments[0][0] in ("removed", "same")


def test_the_word_diff_still_finds_changes_far_apart():
    from trustsite.changes.compare import word_excerpt

    words = [f"word{n}" for n in range(5000)]
    changed = list(words)
    changed[10], changed[4000] = "first", "second"
    excerpts = word_excerpt(" ".join(words), " ".join(changed))
    added = [text for excerpt in excerpts for kind, text in excerpt.segments if kind == "added"]
    assert added == ["first", "second"]


# -- Point 8: no Trust names another's outputs; --out never replaces a locale's folder -------

@pytest.mark.parametrize("slug", ["foo-sharepoint", "foo-pages"])
def test_a_slug_that_names_another_trusts_pack_is_refused(tmp_path, capsys, slug):
    path = write_locale(tmp_path, EXAMPLE, slug=slug)
    assert cli(["check", str(path)]) == 1
    assert f"{slug}.yml:0: (file name): '{slug}' ends in" in capsys.readouterr().err


@pytest.mark.parametrize("out", [".", "test-trust", "test-trust/site", ".."])
def test_out_that_would_replace_or_fill_a_locales_folder_is_refused(tmp_path, capsys, out):
    locales = tmp_path / "locales"
    locales.mkdir()
    path = write_locale(locales, EXAMPLE)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert cli(["build", str(path), "--out", str(locales / out), "--jobs", "1"]) == 2
    assert "--out: " in capsys.readouterr().err
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
