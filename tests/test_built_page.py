"""trustsite/built_page.py is the one module that knows Material's HTML: what it reads from a
page, and a check that no other module names one of Material's classes."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from trustsite.built_page import (class_selector, logo_src, nav_order, point_skip_link,
                                  read_built_page)

TRUSTSITE = Path(__file__).resolve().parents[1] / "trustsite"
# A Material class or id such as `md-content__inner` or `md-nav--primary`. Not matched:
# `--md-primary-fg-color` and `data-md-color-scheme` (brand_css in prepare.py), which are
# Material's documented theming API for custom colours, not the structure of its pages.
# After `\b` too, as in a regular expression's word boundary.
MATERIAL_NAME = re.compile(r"(?:(?<![\w-])|(?<=\\b))md-[a-z]")

PAGE = """<!doctype html><html><head><script>var x = 1;</script></head><body>
<a href="#first" class="md-skip">Skip to content</a>
<div class="md-content"><article class="md-content__inner md-typeset">
<div class="trust-notice">Notice</div>
<h1 id="t">Being  a research <em>champion</em><a class="headerlink" href="#t">&para;</a></h1>
<p>First paragraph.</p><p>Second</p>
<h2 id="s">Your role<a class="headerlink" href="#s">&para;</a></h2>
<ul><li>one</li><li>two</li></ul><script>ignored()</script><template>hidden</template>
</article></div></body></html>"""

HOME = """<html><body><header><a class="md-header__button md-logo" href="index.html">
<img src="assets/trust/logo.svg" alt=""></a></header>
<nav class="md-nav md-nav--primary"><ul class="md-nav__list">
<li class="md-nav__item"><a class="md-nav__link" href="index.html">Home</a></li>
<li class="md-nav__item"><a class="md-nav__link" href="your-role/index.html#top">Role</a></li>
<li class="md-nav__item"><a class="md-nav__link" href="https://example.org/">Away</a></li>
<li class="md-nav__item"><a class="md-nav__link" href="missing.html">Missing</a></li>
<li class="md-nav__item"><a class="md-nav__link" href="index.html">Home again</a></li>
</ul></nav><nav class="md-nav md-nav--secondary">
<a class="md-nav__link" href="glossary.html">Not the site's navigation</a></nav></body></html>"""


def material_names(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if MATERIAL_NAME.search(line)]


def test_the_check_finds_material_classes_and_passes_theming_variables():
    assert material_names('CONTENT = "article.md-content__inner"') != []
    assert material_names("""re.compile(r'<a href="[^"]*" class="md-skip">')""") != []
    assert material_names(r're.compile(r"class=\"[^\"]*\bmd-content__inner\b")') != []
    assert material_names("xpath(\"//nav[contains(@class, 'md-nav--primary')]\")") != []
    assert material_names("  --md-primary-fg-color: #005EB8;") == []
    assert material_names(":root, [data-md-color-scheme=default] {") == []


def test_no_module_but_built_page_names_a_material_class():
    found = [f"{path.relative_to(TRUSTSITE)}: {line}"
             for path in sorted(TRUSTSITE.rglob("*.py")) if path.name != "built_page.py"
             for line in material_names(path.read_text(encoding="utf-8"))]
    assert found == [], "Material's markup belongs in trustsite/built_page.py:\n" + \
        "\n".join(found)


def test_a_page_gives_its_title_text_and_headings_without_header_links(tmp_path):
    (tmp_path / "champions").mkdir()
    (tmp_path / "champions" / "index.html").write_text(PAGE, encoding="utf-8")
    page = read_built_page(tmp_path, "champions/index.html")
    assert page is not None
    assert page.path == "champions/index.html"
    assert page.title == "Being a research champion"
    assert page.text == ("Notice Being a research champion First paragraph. Second "
                         "Your role one two")
    assert page.headings == ((1, "Being a research champion"), (2, "Your role"))
    assert page.content.select(".headerlink, script, template") == []
    assert page.content.select_one(".trust-notice").get_text() == "Notice"


def test_a_page_without_content_is_no_page(tmp_path):
    (tmp_path / "redirect.html").write_text("<html><body><p>Moved</p></body></html>",
                                            encoding="utf-8")
    assert read_built_page(tmp_path, "redirect.html") is None


def test_the_site_gives_its_navigation_order_and_logo(tmp_path):
    (tmp_path / "your-role").mkdir()
    for page in ("index.html", "your-role/index.html", "glossary.html"):
        (tmp_path / page).write_text("<html></html>", encoding="utf-8")
    home = BeautifulSoup(HOME, "html.parser")
    assert nav_order(tmp_path, home) == ["index.html", "your-role/index.html"]
    assert logo_src(home) == "assets/trust/logo.svg"


def test_the_skip_link_is_pointed_at_the_given_anchor():
    assert point_skip_link(PAGE, "trust-content-start").count(
        '<a href="#trust-content-start" class="md-skip">Skip to content</a>') == 1
    assert '<a href="#first"' not in point_skip_link(PAGE, "trust-content-start")


def test_skip_lists_are_css_selector_lists():
    assert class_selector("headerlink", "trust-notice") == ".headerlink, .trust-notice"
