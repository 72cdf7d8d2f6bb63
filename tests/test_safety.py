"""Locale values can never become markup; broken pages fail loudly; failed builds lose nothing."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from trustsite.build import POST_PROCESSORS, build_many, build_site
from trustsite.build_record import RECORD
from trustsite.locale import load_locale

from conftest import ROOT, add_page, run_in, soup
from test_validation import EXAMPLE, write_locale

REAL_NAME = "Barking, Havering & Redbridge University Hospitals NHS Trust"
APOSTROPHE = "King's College Hospital"
LINK_ATTACK = "[x](javascript:alert(1))"
MARKDOWN_LOOKALIKE = "*not emphasis* _nor this_ # nor a heading"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """A Trust whose values look like markup, built as `trustsite build` builds it."""
    folder = tmp_path_factory.mktemp("hostile")
    text = (EXAMPLE
            .replace("  name: Example Hospitals NHS Foundation Trust", f"  name: {REAL_NAME}")
            .replace("  short_name: Example Hospitals", f'  short_name: "{APOSTROPHE}"')
            .replace("  team_name: Research and Development Office",
                     f'  team_name: "{LINK_ATTACK}"')
            .replace("  summary: Our research strategy aims",
                     f'  summary: "{MARKDOWN_LOOKALIKE}"\n  url: https://x.example/s\n  # ')
            )
    locale = load_locale(write_locale(folder, text, slug="hostile"))
    out = folder / "dist"
    [result] = build_many([locale], out, jobs=1)
    assert result.ok, result.message
    return out / "hostile"


def _text(site: Path, page: str, selector: str) -> str:
    return " ".join(soup(site, page).select_one(selector).get_text(" ").split())


def test_real_names_display_exactly_in_title_header_body_and_footer(hostile_site):
    page = soup(hostile_site, "research-here.html")
    assert page.title.get_text().endswith(f" - {REAL_NAME}")
    assert page.title.get_text().startswith(f"Research at {APOSTROPHE}")
    assert _text(hostile_site, "index.html", ".md-header__topic .md-ellipsis") == REAL_NAME
    assert page.select_one("article h1").get_text(strip=True).startswith(
        f"Research at {APOSTROPHE}")
    assert REAL_NAME in _text(hostile_site, "research-here.html", "article")
    assert f"The {APOSTROPHE} staff guide" in _text(hostile_site, "index.html", ".trust-notice")
    assert APOSTROPHE in _text(hostile_site, "index.html", ".trust-footer")


def test_link_syntax_in_a_value_stays_text(hostile_site):
    for page in ("index.html", "contact-and-faq.html"):
        html = (hostile_site / page).read_text()
        parsed = soup(hostile_site, page)
        assert not [a for a in parsed.select("a[href]")
                    if a["href"].strip().lower().startswith("javascript:")]
        assert LINK_ATTACK in " ".join(parsed.get_text(" ").split()) or LINK_ATTACK in html
        assert "\\[" not in parsed.get_text(), "escaping backslashes must not show"


def test_markdown_in_a_value_is_not_interpreted(hostile_site):
    article = soup(hostile_site, "research-here.html").select_one("article")
    assert MARKDOWN_LOOKALIKE in " ".join(article.get_text(" ").split())
    assert not article.find("em", string=re.compile("not emphasis"))


def test_search_index_holds_values_as_text(hostile_site):
    index = (hostile_site / "search" / "search_index.js").read_text()
    data = json.loads(index[index.index("{"):index.rindex("}") + 1])
    texts = " ".join(doc["title"] + " " + doc["text"] for doc in data["docs"])
    assert APOSTROPHE in texts or "King&#x27;s" in texts or "King&#39;s" in texts
    assert "<script" not in texts
    assert 'href="javascript:' not in texts


def test_hostile_value_in_the_page_source_is_escaped(hostile_site):
    html = (hostile_site / "index.html").read_text()
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html


@pytest.mark.parametrize("body, message", [
    ("{{ no_such_variable }}", "'no_such_variable' is undefined"),
    ('{{ cite("no-such-source") }}', "unknown reference key"),
    ("{% if trust.name %}", "Unexpected end of template"),
])
def test_a_broken_page_fails_the_build_and_names_the_page(scratch_project, body, message):
    add_page(scratch_project, "broken.md", f"# Broken\n\n{body}\n")
    result = run_in(scratch_project, "-m", "mkdocs", "build", "-q")
    assert result.returncode != 0
    assert "docs/broken.md:3: " in result.stderr and message in result.stderr


# Atomic output is the builder's promise (trustsite/build.py): a plain `mkdocs build` cleans
# site_dir first, as MkDocs always does.
def leftovers(out: Path) -> list[Path]:
    """Hidden files a build left in its output folder, other than its record of inputs."""
    return [p for p in out.iterdir() if p.name.startswith(".") and p.name != RECORD]


BUILD_EXAMPLE = ("-m", "trustsite", "build", "example", "--out", "out", "--jobs", "1")


def test_a_failed_rebuild_leaves_the_earlier_site_intact(scratch_project):
    first = run_in(scratch_project, *BUILD_EXAMPLE)
    assert first.returncode == 0, first.stderr
    site = scratch_project / "out" / "example"
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    add_page(scratch_project, "broken.md", "# Broken\n\n{{ no_such_variable }}\n")
    (scratch_project / "docs" / "index.md").write_text("# Changed\n\nNew text.\n")
    second = run_in(scratch_project, *BUILD_EXAMPLE)
    assert second.returncode != 0
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert leftovers(site.parent) == []


def test_a_strict_warning_also_keeps_the_earlier_site(scratch_project):
    assert run_in(scratch_project, *BUILD_EXAMPLE).returncode == 0
    site = scratch_project / "out" / "example"
    before = (site / "index.html").read_bytes()
    add_page(scratch_project, "dangling.md", "# Dangling\n\n[Nowhere](no-such-page.md)\n")
    result = run_in(scratch_project, *BUILD_EXAMPLE)
    assert result.returncode != 0
    assert (site / "index.html").read_bytes() == before
    assert not (site / "dangling.html").exists()


def test_a_post_processor_that_fails_keeps_the_earlier_site(tmp_path):
    """Checks of the built folder (POST_PROCESSORS) run before the swap, so they can stop it."""
    site = tmp_path / "example"
    build_site(load_locale("example"), site)
    (site / "marker.txt").write_text("earlier site\n")
    seen: list[Path] = []

    def refuse(folder: Path) -> None:
        seen.append(folder)
        assert (folder / "index.html").is_file()  # the finished site, not yet swapped in
        raise RuntimeError("refused")

    POST_PROCESSORS.append(refuse)
    try:
        with pytest.raises(RuntimeError, match="refused"):
            build_site(load_locale("example"), site)
    finally:
        POST_PROCESSORS.remove(refuse)
    assert seen and seen[0] != site
    assert (site / "marker.txt").read_text() == "earlier site\n"
    assert [p.name for p in tmp_path.iterdir()] == ["example"]


def test_one_trust_failing_keeps_its_old_site_while_others_build(scratch_project):
    first = run_in(scratch_project, "-m", "trustsite", "build", "--out", "out", "--jobs", "2")
    assert first.returncode == 0, first.stderr
    out = scratch_project / "out"
    old_northmoor = (out / "northmoor-community" / "index.html").read_bytes()
    old_zip = (out / "northmoor-community.zip").read_bytes()
    # A page that only the Trust without research figures cannot render.
    add_page(scratch_project, "figures.md", "# Figures\n\n{{ research_figures.year }}\n")
    (scratch_project / "docs" / "index.md").write_text("# Welcome\n\nA new welcome.\n")
    second = run_in(scratch_project, "-m", "trustsite", "build", "--out", "out", "--jobs", "2")
    assert second.returncode == 1
    assert "Failed: northmoor-community" in second.stderr
    assert "FAIL northmoor-community" in second.stderr and "docs/figures.md:3" in second.stderr
    assert "ok   example" in second.stdout and "ok   brightwater-valley" in second.stdout
    assert (out / "northmoor-community" / "index.html").read_bytes() == old_northmoor
    assert (out / "northmoor-community.zip").read_bytes() == old_zip
    assert "A new welcome." in (out / "example" / "index.html").read_text()
    assert (out / "example" / "figures.html").is_file()
    assert leftovers(out) == []


def test_build_rejects_an_invalid_locale_and_builds_the_rest(scratch_project):
    bad = scratch_project / "locales" / "broken.yml"
    bad.write_text(EXAMPLE.replace('"#005EB8"', '"#FFFF00"'))
    shutil.copytree(ROOT / "locales" / "example", scratch_project / "locales" / "broken")
    result = run_in(scratch_project, "-m", "trustsite", "build", "--out", "out")
    assert result.returncode == 1
    assert "locales/broken.yml:" in result.stderr and "brand.primary_colour" in result.stderr
    assert "Failed: broken" in result.stderr
    assert (scratch_project / "out" / "example" / "index.html").is_file()
    assert not (scratch_project / "out" / "broken").exists()


@pytest.mark.parametrize("tag, url", [
    ('<img src="{}" alt="A photo">', "https://images.elsewhere.invalid/photo.png"),
    ('<script src="{}"></script>', "https://unpkg.com/mermaid@10/dist/mermaid.min.js"),
])
def test_a_new_external_asset_fails_the_build(scratch_project, tag, url):
    add_page(scratch_project, "outside.md", f"# Outside\n\n{tag.format(url)}\n")
    result = run_in(scratch_project, "-m", "mkdocs", "build", "-q")
    assert result.returncode != 0
    assert f"docs/outside.md: <{tag[1:tag.index(' ')]} src> loads {url} from another host" \
        in result.stderr
    assert not (scratch_project / "site").exists()
    built = run_in(scratch_project, *BUILD_EXAMPLE)
    assert built.returncode != 0 and url in built.stderr
    assert not (scratch_project / "out" / "example").exists()
    assert leftovers(scratch_project / "out") == []
