"""The checks themselves: each must fail on a page broken on purpose.

A copy of the project gets a page with an image without alt text, links to anchors that do
not exist, and a brand colour too pale to read; it is built as `trustsite build` builds it,
and axe, the brand-contrast check, lychee and vnu must each report their part. Copies of a
real built page, broken in other ways, do the same for the keyboard, reflow, offline and
print checks. Every check here is the same function the real tests call.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from browser import (DESKTOP, NARROWEST, axe_violations, block_other_hosts,
                     brand_contrast_problems, home_page_problems, keyboard_problems,
                     new_tab, only_files, open_page, overflow_problems, page_url, print_problems,
                     print_style_problems, skip_link_problems, toggle_problems,
                     without_transitions)
from checks import check_links, html_errors, run_vnu
from conftest import PROJECT_PARTS, ROOT, add_page, run_in

PALE = "#8FC1EC"  # 2.0:1 on white: fails every text-contrast check
BROKEN_PAGE = """# Broken on purpose

This page breaks the checks on purpose.

<img src="assets/trust/logo.png" width="40" height="40">

Read [the missing section](<what-is-research.md>) and then
<a href="what-is-research.html#no-such-section">a section that is not there</a>, or
<a href="#nowhere-on-this-page">a place on this page that is not there</a>.
"""


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory) -> Path:
    """The example Trust, built from a copy of the project with a broken page added and the
    brand colour overridden by a pale one in trust.css."""
    project = tmp_path_factory.mktemp("broken") / "project"
    project.mkdir()
    for part in PROJECT_PARTS:  # as the scratch_project fixture copies it
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, project / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, project / part)
    add_page(project, "broken.md", BROKEN_PAGE)
    css = project / "docs" / "assets" / "stylesheets" / "trust.css"
    css.write_text(css.read_text(encoding="utf-8") + (
        "\n:root, [data-md-color-scheme=default] {\n"
        f"  --md-primary-fg-color: {PALE} !important;\n"
        f"  --md-accent-fg-color: {PALE} !important;\n"
        f"  --md-typeset-a-color: {PALE} !important;\n"
        "}\n"), encoding="utf-8")
    result = run_in(project, "-m", "trustsite", "build", "example", "--out", "out")
    assert result.returncode == 0, result.stderr
    site = project / "out" / "example"
    assert (site / "broken.html").is_file()
    return site


@pytest.fixture
def tab(browser):
    with new_tab(browser, DESKTOP) as page:
        yield page


def test_axe_reports_an_image_without_alt_text_and_poor_contrast(broken_site, tab):
    open_page(tab, page_url(broken_site, "broken.html"))
    found = {violation["id"] for violation in axe_violations(tab)}
    assert "image-alt" in found
    assert "color-contrast" in found


def test_brand_contrast_check_reports_a_pale_brand_colour(broken_site, tab):
    open_page(tab, page_url(broken_site, "index.html"))
    without_transitions(tab)
    problems = "\n".join(brand_contrast_problems(tab))
    # Not "header text": the header is white with dark text whatever the brand colour, which
    # is only a band below it (overrides + trust.css, issue 13).
    for part in ("link", "primary button", "link on hover"):
        assert f"\n{part} " in f"\n{problems}", f"no {part} problem in:\n{problems}"


def test_link_check_reports_anchors_that_do_not_exist(broken_site):
    report = check_links([broken_site / "broken.html"], broken_site)
    broken = "\n".join(report.broken)
    assert "what-is-research.html#no-such-section" in broken
    assert "broken.html#nowhere-on-this-page" in broken
    assert len(report.broken) == 2, broken  # the good link to what-is-research is fine


def test_link_check_reports_a_missing_page(tmp_path):
    page = tmp_path / "index.html"
    page.write_text('<!doctype html><title>x</title><a href="gone.html">gone</a>'
                    '<a href="https://elsewhere.example/">away</a>')
    report = check_links([page], tmp_path)
    assert [line.split(": ", 1)[1] for line in report.broken] == [
        "gone.html (File not found. Check if file exists and path is correct)"]
    assert list(report.external) == ["https://elsewhere.example/"]


def test_html_check_reports_an_image_without_alt_text(broken_site):
    errors = "\n".join(html_errors(run_vnu([broken_site / "broken.html"]), broken_site))
    assert "broken.html:" in errors
    assert "An “img” element must have an “alt” attribute" in errors


# -- Real pages, copied and broken --------------------------------------------------------------

@pytest.fixture
def copied_site(built_sites, tmp_path) -> Path:
    site = tmp_path / "example"
    shutil.copytree(built_sites["example"], site)
    return site


def _break(site: Path, page: str, old: str, new: str) -> str:
    path = site / page
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {page}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return page_url(site, page)


ARTICLE = '<article class="md-content__inner md-typeset">'


def test_keyboard_check_reports_no_focus_style_and_a_control_out_of_reach(copied_site, tab):
    url = _break(copied_site, "what-is-research.html", ARTICLE, ARTICLE + (
        '<style>#no-ring:focus, #no-ring:focus-visible { outline: none !important; '
        'box-shadow: none !important; }</style>'
        '<p><button id="no-ring" type="button">No focus ring</button>'
        '<input type="checkbox" id="hidden-toggle" hidden>'
        '<label for="hidden-toggle" id="mouse-only">Mouse only</label>'
        '<a href="#x" style="position:absolute; left:-9999px">Off screen</a></p>'))
    open_page(tab, url)
    without_transitions(tab)
    problems = "\n".join(keyboard_problems(tab))
    assert "button#no-ring" in problems and "no visible focus style" in problems
    assert 'label#mouse-only[for=hidden-toggle] "Mouse only" can be clicked but not reached' \
        in problems
    assert '"Off screen": has focus but cannot be seen' in problems


def test_toggle_check_reports_a_toggle_that_ignores_a_key(copied_site, tab):
    url = _break(copied_site, "what-is-research.html", ARTICLE, ARTICLE + (
        '<p><input type="checkbox" id="stuck" hidden>'
        '<label for="stuck" tabindex="0">Opens with Enter only</label></p>'))
    open_page(tab, url)
    assert toggle_problems(tab) == ["Space on the toggle for stuck does nothing"]


def test_skip_link_check_reports_a_missing_target_and_a_missing_link(copied_site, tab):
    url = _break(copied_site, "what-is-research.html",
                 'href="#trust-content-start" class="md-skip"',
                 'href="#not-on-the-page" class="md-skip"')
    open_page(tab, url)
    assert skip_link_problems(tab) == ["the skip link's target #not-on-the-page does not exist"]
    url = _break(copied_site, "glossary.html", 'class="md-skip"', 'class="not-a-skip-link"')
    open_page(tab, url)
    problems = skip_link_problems(tab)
    assert len(problems) == 1 and "not a skip link" in problems[0]


def test_reflow_check_reports_a_page_wider_than_320px(copied_site, browser):
    url = _break(copied_site, "what-is-research.html", ARTICLE,
                 ARTICLE + '<div id="too-wide" style="width: 600px">Wide</div>')
    with new_tab(browser, NARROWEST) as narrow:
        open_page(narrow, url)
        problems = overflow_problems(narrow)
    assert len(problems) == 1 and "div#too-wide" in problems[0], problems


def test_offline_checks_report_a_request_to_another_host_and_a_missing_logo(copied_site,
                                                                             browser):
    url = _break(copied_site, "index.html", "</head>",
                 '<link rel="stylesheet" href="https://cdn.elsewhere.example/x.css"></head>')
    (copied_site / "assets" / "trust" / "logo.png").unlink()
    with new_tab(browser, DESKTOP) as home:
        requests = block_other_hosts(home.context, only_files)
        open_page(home, url)
        problems = home_page_problems(home)
    assert requests.blocked == ["https://cdn.elsewhere.example/x.css"]
    assert "the logo did not load" in problems


def test_offline_check_reports_search_that_does_not_work(copied_site, browser):
    from test_offline import _site_works

    (copied_site / "search" / "search_index.js").unlink()
    with new_tab(browser, DESKTOP) as tab:
        problems = _site_works(tab, page_url(copied_site, "index.html"),
                               copied_site.resolve().as_uri() + "/", copied_site)
    assert len(problems) == 1 and "found nothing" in problems[0], problems


def test_print_checks_report_chrome_and_links_without_targets(copied_site, tab):
    url = _break(copied_site, "contact-and-faq.html", "</head>",
                 "<style>@media print { .md-header { display: block !important; } "
                 "a::after { content: none !important; } "
                 ".trust-print-only { display: none !important; } }</style></head>")
    _break(copied_site, "contact-and-faq.html", ARTICLE,
           ARTICLE + '<p><a href="mailto:team@example.org">Email the team</a></p>')
    open_page(tab, url)
    name = "Example Hospitals NHS Foundation Trust"
    styles = "\n".join(print_style_problems(tab, name))
    assert "the header is printed" in styles
    assert "the print header does not name the Trust" in styles
    assert "prints without its target https://" in styles
    # An email link whose text is not its address must print it; one that shows it need not.
    assert "prints without its target mailto:team@example.org" in styles
    assert "'research@example-hospitals.example' prints" not in styles
    printed = "\n".join(print_problems(tab, name))
    assert "is not printed" in printed  # the page's address
    assert "is printed without its target https://" in printed
