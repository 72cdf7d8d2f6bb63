"""The built sites, read by selector: branding, notices, offline assets, optional sections."""

from __future__ import annotations

import json
import re
import zipfile

import pytest

from trustsite.guard import site_problems
from trustsite.intranet.hosting import hosting_files
from trustsite.locale import load_locale
from trustsite.svg_png import svg_to_png

from conftest import EXAMPLE_TRUSTS, html_pages, soup


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_title_and_header_name_the_trust(built_sites, slug):
    name = load_locale(slug).data["trust"]["name"]
    page = soup(built_sites[slug], "what-is-research.html")
    assert page.title.get_text() == f"What is health and care research? - {name}"
    header = page.select_one(".md-header__topic .md-ellipsis")
    assert header.get_text(strip=True) == name


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_logo_and_favicon_are_the_trusts_own(built_sites, slug):
    locale = load_locale(slug)
    site = built_sites[slug]
    page = soup(site)
    logo = page.select_one(".md-header__button.md-logo img")
    assert logo["src"] == "assets/trust/logo.png"  # an SVG is drawn as PNG (issue 23)
    for link in page.select("a.md-logo"):  # the link names the Trust; the image adds nothing
        assert link["aria-label"] == locale.data["trust"]["name"]
        assert link.img["alt"] == ""
    assert (site / logo["src"]).read_bytes() == svg_to_png(
        locale.asset(locale.data["brand"]["logo"]).read_bytes())
    favicon = page.select_one('link[rel="icon"]')
    expected = locale.data["brand"].get("favicon") or locale.data["brand"]["logo"]
    assert (site / favicon["href"]).read_bytes() == svg_to_png(locale.asset(expected).read_bytes())


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_brand_colour_is_applied_through_theme_variables(built_sites, slug):
    colour = load_locale(slug).data["brand"]["primary_colour"].upper()
    site = built_sites[slug]
    stylesheets = [link["href"] for link in soup(site).select('link[rel="stylesheet"]')]
    assert "assets/trust/brand.css" in stylesheets
    css = (site / "assets/trust/brand.css").read_text()
    assert f"--md-primary-fg-color: {colour};" in css
    assert f"--md-typeset-a-color: {colour};" in css
    assert re.search(r"--md-primary-fg-color--dark: #[0-9A-F]{6};", css)


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_footer_gives_research_office_and_site_owner(built_sites, slug):
    data = load_locale(slug).data
    footer = soup(built_sites[slug], "get-involved.html").select_one(".trust-footer")
    text = " ".join(footer.get_text(" ").split())
    assert data["research_office"]["team_name"] in text
    assert data["site"]["owner"] in text
    assert footer.select_one(f'a[href="mailto:{data["research_office"]["email"]}"]')
    assert footer.select_one(f'a[href="{data["research_office"]["intranet_url"]}"]')
    assert footer.select_one(f'a[href="mailto:{data["site"]["feedback_email"]}"]')


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_every_page_says_it_is_the_trusts_guide_based_on_the_national_one(built_sites, slug):
    data = load_locale(slug).data
    for path in html_pages(built_sites[slug]):
        if path.name == "404.html":
            continue
        notice = soup(built_sites[slug], str(path.relative_to(built_sites[slug])))
        notice = notice.select_one(".trust-notice")
        assert notice is not None, path
        text = " ".join(notice.get_text(" ").split())
        assert f"The {data['trust']['short_name']} staff guide is based on the national guide" in text
        assert notice.select_one("time")["datetime"] == data["site"]["last_reviewed"]


def test_notice_shows_the_review_date_in_words(built_sites):
    notice = soup(built_sites["example"]).select_one(".trust-notice")
    assert "Last reviewed 1 October 2026" in " ".join(notice.get_text(" ").split())


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_no_template_syntax_or_macro_errors_left(built_sites, slug):
    for path in html_pages(built_sites[slug]):
        text = path.read_text(encoding="utf-8")
        for leftover in ("{{", "{%", "Macro Rendering Error", "Macro Syntax Error"):
            assert leftover not in text, f"{leftover} in {path}"


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_no_asset_or_script_from_another_host(built_sites, slug):
    # The build's own guard (trustsite/guard.py) ran already; it must find nothing afterwards
    # either, and the site must have the HTML, CSS and SVG files it checks.
    site = built_sites[slug]
    assert html_pages(site) and list(site.rglob("*.css"))
    assert site_problems(site) == []


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_no_made_with_material_link_and_no_web_fonts(built_sites, slug):
    text = (built_sites[slug] / "index.html").read_text()
    assert "Made with" not in text
    assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_search_works_offline(built_sites, slug):
    site = built_sites[slug]
    assert (site / "search" / "search_index.js").is_file()
    polyfills = [s["src"] for s in soup(site).select("script[src]")]
    assert "assets/vendor/iframe-worker-shim.js" in polyfills
    assert (site / "assets/vendor/iframe-worker-shim.js").is_file()


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_links_are_relative_so_any_sub_path_works(built_sites, slug):
    for path in html_pages(built_sites[slug]):
        page = soup(built_sites[slug], str(path.relative_to(built_sites[slug])))
        for tag in page.select("a[href], link[href], script[src], img[src]"):
            target = tag.get("href") or tag.get("src")
            assert not target.startswith("/"), f"{path}: root-relative {target}"


def test_trust_without_optional_sections_gets_no_empty_headings(built_sites):
    site = built_sites["northmoor-community"]
    assert not (site / "champions").exists()
    nav = " ".join(soup(site).select_one("nav.md-nav--primary").get_text(" ").split())
    assert "Research Engagement Champions" not in nav
    for path in html_pages(site):
        article = soup(site, str(path.relative_to(site))).select_one("article")
        if article is None:
            continue
        headings = article.select("h2, h3, h4")
        for heading in headings:
            following = heading.find_next_sibling()
            level = int(heading.name[1])
            empty = following is None or (following.name in {"h1", "h2", "h3", "h4"}
                                          and int(following.name[1]) <= level)
            assert not empty, f"{path}: empty section '{heading.get_text(strip=True)}'"
        assert "champions/" not in str(article), f"{path} links to a champions page"


def test_optional_sections_appear_when_given(built_sites):
    text = soup(built_sites["brightwater-valley"], "research-here.html").get_text(" ")
    assert "5,420" in text or "5420" in text
    assert "A porter who helped a study recruit faster" in text
    assert "University of Brightwater" in text
    assert (built_sites["brightwater-valley"] / "champions" / "index.html").is_file()
    northmoor = soup(built_sites["northmoor-community"], "research-here.html").get_text(" ")
    assert "Research stories" not in northmoor


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_zip_holds_the_whole_site(built_sites, slug):
    site = built_sites[slug]
    with zipfile.ZipFile(site.parent / f"{slug}.zip") as archive:
        names = set(archive.namelist())
    files = {f"{slug}/site/{p.relative_to(site).as_posix()}" for p in site.rglob("*")
             if p.is_file()}
    kit = {f"{slug}/server-kit/{name}" for name in hosting_files(site)}  # never uploaded
    assert names == files | kit


def test_index_links_every_trust_built(built_sites):
    dist = built_sites["example"].parent
    index = soup(dist, "index.html")
    links = {a["href"] for a in index.select("main a")}
    for slug in EXAMPLE_TRUSTS:
        assert f"{slug}/index.html" in links and f"{slug}.zip" in links
    names = json.loads((dist / "trusts.json").read_text())
    assert names["example"] == "Example Hospitals NHS Foundation Trust"
