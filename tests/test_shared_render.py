"""Pages converted once for every group of Trusts that print the same page apart from its
values (trustsite/shared_render.py) give exactly the bytes a conversion of each Trust's own
page gives, and every case that would not is refused and converted as before."""

from __future__ import annotations

import pickle
import random
import tempfile
from pathlib import Path

import markdown
import pytest
from markupsafe import Markup

from material.plugins.search import plugin as search_plugin

from trustsite import speed
from trustsite.build import build_site
from trustsite.locale import load_locale
from trustsite.page_macros import as_text
from trustsite.shared_render import (ValueConverter, ValuePage, _material_sections, fill,
                                     filled_sections, group_problem, record_values, token)

EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html",
              "tables", "toc", "pymdownx.details", "pymdownx.tasklist"]
GLOSSARY = {"NHS": "National Health Service", "A&E": "Accident and Emergency",
            "PI": "Principal Investigator"}
CONFIGS = {"abbr": {"glossary": GLOSSARY}, "toc": {"permalink": True}}


def convert(text: str) -> tuple[str, bytes]:
    """What a page's conversion gives: its HTML, and the rest (headings, ids) pickled."""
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)
    html = md.convert(text)
    return html, pickle.dumps(md.toc_tokens)


def shared(template: str, values: list[str]) -> str | None:
    """`template` (with {} for each value) converted the shared way, or None if refused. The
    search sections made the shared way, when not refused, must be those Material's search
    reads from the page."""
    escaped = [str(as_text(value)) if not isinstance(value, Markup) else str(value)
               for value in values]
    page = ValuePage(template.format(*(token(n) for n in range(len(values)))), tuple(escaped))
    content, others = convert(page.markdown)
    if group_problem(page, content, others, GLOSSARY):
        return None
    htmls = ValueConverter(EXTENSIONS, CONFIGS).value_htmls(page)
    if htmls is None:
        return None
    html = fill(content, htmls)
    sections = filled_sections(repr(page).encode(), content, htmls)
    if sections is not None:
        assert _entries(sections) == _entries(_material_sections(html)), (template, values)
    return html


def _entries(sections: list) -> list[tuple]:
    return [(section.el.tag, section.id, section.depth, "".join(section.title),
             "".join(section.text)) for section in sections]


def normal(template: str, values: list[str]) -> str:
    return convert(template.format(*(as_text(value) for value in values)))[0]


SHARED_CASES = [
    ("Welcome to {}.", ["Northmoor NHS Trust"]),
    ("**{}** and *{}*", ["A & B <c>", "King's College Hospital"]),
    ("- Call {} today\n- Email {}", ["0161 496 0000", Markup('<a href="mailto:a@b.nhs.uk">a@b.nhs.uk</a>')]),
    ("| Trust | Figure |\n| --- | --- |\n| {} | {} |", ["St Mary's (Main) site", "2025/26"]),
    ("!!! note\n    Ask {} (the {}).", ["the research office", "R&D team"]),
    ("Text {} here {{: .class }}", ["x"]),  # attributes for the paragraph, not the value
    ("Text with *stars* then {}.\n\nNext {}", ["50% of staff", "Dr. Who-Knows #1 (PI)"]),
]


@pytest.mark.parametrize(("template", "values"), SHARED_CASES)
def test_values_in_ordinary_text_are_shared_and_give_the_same_html(template, values):
    assert shared(template, values) == normal(template, values)


REFUSED_CASES = [
    ("## About {}", ["Northmoor"]),  # a heading: its id and the table of contents
    ("[link]({})", ["https://intranet.example/research"]),  # a link's address
    ("Use `{}` here", ["code"]),  # a code span keeps backslashes
    ("<div>\n{}\n</div>", ["raw"]),  # a raw HTML block is not Markdown
    ("    {}", ["indented code"]),  # a code block
    ("Our{} team", ["Northmoor"]),  # a word character touches the value
    ("A&{} is here", ["E department"]),  # an abbreviation (A&E) could run across its edge
    ("*[XYZ]: Something\n\nWe {} here", ["XYZ"]),  # the page's own abbreviations
    ("Para\n\n{}", ["1. first"]),  # would start a list at the start of a block
    ("Ask\n{}", ["\n: a definition"]),
    ("Ask {}", [" leading space"]),
    ("Ask {}", ["two\nlines"]),
    ("[{}](page.md)", ["]: <"]),  # with the bracket before it, a link reference
    ("Table {}", ["a | b"]),
    ("Ask {}", [""]),
]


@pytest.mark.parametrize(("template", "values"), REFUSED_CASES)
def test_values_where_sharing_could_change_the_page_are_refused(template, values):
    assert shared(template, values) is None


CONTEXTS = ["{}", "Text {} text.", "**{}**", "- item {}\n- {}", "> quote {}", "| a | b |\n| - | - |\n| {} | x |",
            "Term\n: {}", "1. {}", "# T\n\n{} and {}", "[{}](page.md)", "???+ note\n    {}",
            "!!! tip\n    {} more", "- [ ] {}", "<span>{}</span>", "<div markdown>\n{}\n</div>",
            "{}  \nnext", "Line\n{}", "## {}", "Para\n\n{}", "=== {}", "A {}NHS", "NHS {} NHS", "({}).", "footnote[^1]\n\n[^1]: {}",
            "<span> </span> {}", "{} <b> </b>", "a <span> </span> {} <span> </span> b"]
ALPHABET = list("abcNHSPI E&-_*`#[]()!|<>:.=?\\'\"0123 9/%~^{}+\t\n") + [
    "A&E", "NHS", " ", "é", "\u2028", "1. ", ": ", "???", "===", "- ", "> ", "    ", "&amp;"]


@pytest.mark.parametrize("context", ["<span> </span> {}", "{} <b> </b>", "<b> </b>  {}  <i> </i>"])
def test_search_text_is_not_shared_where_a_value_tag_would_split_off_spaces(context):
    """Material's search shortens a piece of text that is only spaces, between two tags, to
    one space (or drops it): a value whose HTML starts or ends with a tag (an abbreviation, a
    link) beside such spaces is read from its own page, not its group's sections."""
    escaped = ("NHS",)
    page = ValuePage(context.format(token(0)), escaped)
    content = convert(page.markdown)[0]
    htmls = ValueConverter(EXTENSIONS, CONFIGS).value_htmls(page)
    assert htmls is not None and htmls[0].startswith("<abbr")
    assert filled_sections(b"spaces" + context.encode(), content, htmls) is None


def test_on_random_values_and_places_shared_pages_are_what_conversion_gives():
    rng = random.Random(25)
    accepted = 0
    for _ in range(6000):
        context = rng.choice(CONTEXTS)
        values = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 8)))
                  for _ in range(context.count("{}"))]
        result = shared(context, values)
        if result is not None:
            accepted += 1
            assert result == normal(context, values), (context, values)
    assert accepted > 600  # the check above ran on many shared pages


def test_record_values_refuses_a_value_printed_through_a_variable():
    """`{% set %}` captures a value's printed form, which a token cannot stand for."""
    import jinja2

    env = jinja2.Environment(finalize=as_text)
    source = "{% set x %}{{ name }}{% endset %}{{ x }} and {{ name }}"
    rendered = env.from_string(source).render(name="A-B")
    assert record_values(lambda: env.from_string(source).render(name="A-B"), env, rendered) is None
    assert env.finalize is as_text
    plain = "Hello {{ name }}, {{ other }}"
    done = record_values(lambda: env.from_string(plain).render(name="A-B", other=2), env,
                         env.from_string(plain).render(name="A-B", other=2))
    assert done == ValuePage(f"Hello {token(0)}, {token(1)}", ("A\\-B", "2"))


def test_sharing_is_off_with_a_markdown_extension_it_was_not_worked_out_for():
    from trustsite.shared_render import known_extensions

    assert known_extensions(EXTENSIONS + ["fenced_code"])
    assert not known_extensions(EXTENSIONS + ["smarty"])
    assert not known_extensions(EXTENSIONS + ["pymdownx.emoji"])


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def _render_every_time(nav_item, path, page, render):
    return render(nav_item, path, 1)


def test_example_trusts_build_the_same_bytes_shared_or_not(monkeypatch):
    """Every example Trust, built in one process as a worker builds them, with pages shared
    between Trusts (their conversion and search sections) and navigation items kept, and with
    every page converted, parsed for search and given its whole navigation on its own: the
    same files, byte for byte."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765065600")
    slugs = ["example", "northmoor-community", "brightwater-valley", "redmoor-ambulance",
             "saltmarsh-community"]
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        before = dict(speed.HITS)
        for slug in slugs:
            build_site(load_locale(slug), out / "shared" / slug)
        # Pages did come from a shared group, and Material's search did read their sections
        # from it (its SearchIndex makes a Parser of its module's name for each page).
        assert speed.HITS["shared pages"] > before.get("shared pages", 0) + 20
        assert speed.HITS["shared search"] > before.get("shared search", 0) + 20
        assert speed.HITS["navigation"] > before.get("navigation", 0) + 20
        monkeypatch.setattr(speed, "_render_shared", lambda *args: False)
        monkeypatch.setattr(speed, "NavItems", lambda: _render_every_time)
        speed._RENDERED.clear()
        for slug in slugs:
            build_site(load_locale(slug), out / "alone" / slug)
        shared_files, alone_files = _files(out / "shared"), _files(out / "alone")
    assert shared_files.keys() == alone_files.keys()
    assert [name for name in shared_files if shared_files[name] != alone_files[name]] == []


MATERIAL_NAV = Path(search_plugin.__file__).parents[2] / "templates" / "partials" / "nav.html"
OUR_NAV = Path(__file__).resolve().parents[1] / "overrides" / "partials" / "nav.html"


def test_the_navigation_override_is_materials_own_but_for_its_top_level_items():
    """overrides/partials/nav.html is Material's partials/nav.html with one line changed: an
    upgrade that changes Material's file fails here, so the override is made again from it."""
    ours = OUR_NAV.read_text(encoding="utf-8")
    comment_end = ours.index("-#}\n") + len("-#}\n")
    material = MATERIAL_NAV.read_text(encoding="utf-8")
    assert ours[comment_end:] == material.replace(
        "{{ item.render(nav_item, path, 1) }}",
        "{{ trustsite_nav_item(nav_item, path, page, item.render) if trustsite_nav_item is "
        "defined else item.render(nav_item, path, 1) }}")
    assert ours[comment_end:] != material
