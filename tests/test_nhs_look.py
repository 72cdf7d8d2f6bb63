"""The NHS.UK look (issue 13, points 1 and 2), measured in Chromium from computed styles.

A white header with the Trust's logo at a readable size and the Trust's name wrapping, never
cut off; NHS.UK type sizes; notes, warnings and questions in NHS.UK styles at body size; no
pilcrows; one short line per notice above the title on a phone; no script error when a
navigation section opens.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from browser import DESKTOP, NARROWEST, PHONE, new_tab, open_page, page_url
from conftest import ROOT
from trustsite.build import build_many
from trustsite.locale import load_locale

TABLET = {"width": 768, "height": 1024}
WIDTHS = {"1280": DESKTOP, "768": TABLET, "375": PHONE, "320": NARROWEST}
MIN_LOGO_HEIGHT = 40  # px: NHS identity guidance asks for a logo people can read
FAQ_PAGE = "contact-and-faq.html"  # has ??? question blocks
NOTE_PAGE = "what-is-research.html"  # has a !!! note block
WIDE_LOGO = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 64" width="320" height="64"
 role="img" aria-label="Wide logo"><rect x="1" y="1" width="318" height="62" fill="#FFFFFF"
 stroke="#005EB8" stroke-width="2"/></svg>"""

_HEADER_JS = """() => {
  const logo = document.querySelector('.md-header .md-logo img');
  const name = document.querySelector('.md-header__topic:first-child .md-ellipsis');
  const box = logo.getBoundingClientRect();
  const nameStyle = getComputedStyle(name);
  return {logoHeight: box.height, logoWidth: box.width,
          logoRatio: box.width / box.height,
          naturalRatio: logo.naturalWidth / logo.naturalHeight,
          logoShown: getComputedStyle(logo.closest('.md-logo')).display !== 'none',
          headerBackground: getComputedStyle(document.querySelector('.md-header')).backgroundColor,
          nameShown: name.getBoundingClientRect().width > 0,
          nameOverflows: name.scrollWidth > name.clientWidth + 1,
          ellipsis: nameStyle.textOverflow === 'ellipsis' && nameStyle.overflow !== 'visible',
          pageOverflows: document.documentElement.scrollWidth > window.innerWidth};
}"""


def header_problems(tab, width: str) -> list[str]:
    state = tab.evaluate(_HEADER_JS)
    problems = []
    if not state["logoShown"] or state["logoHeight"] < MIN_LOGO_HEIGHT:
        problems.append(f"{width}px: logo {state['logoHeight']:.0f}px high, "
                        f"below {MIN_LOGO_HEIGHT}px (shown: {state['logoShown']})")
    if abs(state["logoRatio"] - state["naturalRatio"]) > 0.05:
        problems.append(f"{width}px: logo squashed ({state['logoRatio']:.2f} wide per high, "
                        f"file {state['naturalRatio']:.2f})")
    if state["headerBackground"] != "rgb(255, 255, 255)":
        problems.append(f"{width}px: header background {state['headerBackground']}, not white")
    if not state["nameShown"] or state["nameOverflows"] or state["ellipsis"]:
        problems.append(f"{width}px: the Trust's name is hidden or cut off")
    if state["pageOverflows"]:
        problems.append(f"{width}px: the page scrolls sideways")
    return problems


@pytest.fixture(scope="module")
def wide_logo_site(tmp_path_factory) -> Path:
    """The example Trust with a logo five times wider than high and a very long name."""
    folder = tmp_path_factory.mktemp("wide")
    shutil.copytree(ROOT / "locales" / "example", folder / "wide")
    (folder / "wide" / "logo.svg").write_text(WIDE_LOGO, encoding="utf-8")
    text = (ROOT / "locales" / "example.yml").read_text(encoding="utf-8")
    long_name = ("Example Hospitals and Greater Anytown Community Healthcare University "
                 "Hospitals NHS Foundation Trust")
    text = text.replace("name: Example Hospitals NHS Foundation Trust", f"name: {long_name}", 1)
    assert long_name in text, "example.yml's trust.name changed: update this test"
    (folder / "wide.yml").write_text(text, encoding="utf-8")
    [result] = build_many([load_locale(folder / "wide.yml")], folder / "out", jobs=1)
    assert result.ok, result.message
    return folder / "out" / "wide"


@pytest.mark.parametrize("which", ["example", "wide"])
def test_header_logo_is_readable_and_the_name_is_never_cut_off(built_sites, wide_logo_site,
                                                                browser, which):
    site = built_sites["example"] if which == "example" else wide_logo_site
    problems = []
    for width, viewport in WIDTHS.items():
        with new_tab(browser, viewport) as tab:
            open_page(tab, page_url(site, FAQ_PAGE))
            problems += header_problems(tab, width)
    assert not problems, "\n".join(problems)


def _body_font(tab) -> dict:
    return tab.evaluate("""() => { const p = document.querySelector('.md-content article > p');
        const s = getComputedStyle(p);
        return {size: parseFloat(s.fontSize), lineHeight: parseFloat(s.lineHeight),
                family: s.fontFamily,
                h1: getComputedStyle(document.querySelector('article h1')).fontWeight,
                table: parseFloat(getComputedStyle(document.querySelector('article td')).fontSize)
               }; }""")


@pytest.mark.parametrize("viewport, size", [(DESKTOP, 19), (PHONE, 16)])
def test_body_text_is_nhs_size_with_bold_headings(built_sites, browser, viewport, size):
    with new_tab(browser, viewport) as tab:
        open_page(tab, page_url(built_sites["example"], "index.html"))
        font = _body_font(tab)
    assert font["size"] == size, font
    assert 1.4 <= font["lineHeight"] / font["size"] <= 1.6, font
    assert font["family"].startswith("Arial"), font
    assert font["h1"] == "700", font
    assert font["table"] == size, font  # tables too, not Material's smaller table text


_CALLOUTS_JS = """() => {
  const style = el => el && getComputedStyle(el);
  const body = parseFloat(style(document.querySelector('.md-content article > p')).fontSize);
  const note = document.querySelector('.md-content .admonition:not(.warning)');
  const question = document.querySelector('.md-content details.question');
  const summary = question && question.querySelector('summary');
  return {body,
    note: note && {size: parseFloat(style(note).fontSize),
                   border: style(note).borderLeftWidth, radius: style(note).borderRadius,
                   background: style(note).backgroundColor,
                   titleBackground: style(note.querySelector('.admonition-title')).backgroundColor},
    question: question && {size: parseFloat(style(question).fontSize),
                           summaryBackground: style(summary).backgroundColor,
                           summaryLine: style(summary).textDecorationLine,
                           icon: getComputedStyle(summary, '::before').maskImage ||
                                 getComputedStyle(summary, '::before').webkitMaskImage}};
}"""


def test_notes_are_inset_text_and_questions_are_details_at_body_size(built_sites, browser):
    with new_tab(browser, DESKTOP) as tab:
        open_page(tab, page_url(built_sites["example"], NOTE_PAGE))
        note = tab.evaluate(_CALLOUTS_JS)
        open_page(tab, page_url(built_sites["example"], FAQ_PAGE))
        faq = tab.evaluate(_CALLOUTS_JS)
    assert note["note"] and faq["question"], "no note or question found to measure"
    inset = note["note"]
    assert inset["size"] == note["body"], inset
    assert inset["border"] == "8px" and inset["radius"] == "0px", inset
    assert inset["titleBackground"] == "rgba(0, 0, 0, 0)", inset
    question = faq["question"]
    assert question["size"] == faq["body"], question
    assert question["summaryBackground"] == "rgba(0, 0, 0, 0)", question
    assert question["summaryLine"] == "underline", question
    assert question["icon"] in ("none", ""), question


def test_a_warning_is_an_nhs_warning_callout(built_sites, browser):
    with new_tab(browser, DESKTOP) as tab:
        open_page(tab, page_url(built_sites["example"], "index.html"))
        state = tab.evaluate("""() => {
            const box = document.createElement('div');
            box.className = 'admonition warning';
            box.innerHTML = '<p class="admonition-title">Warning</p><p>Text</p>';
            document.querySelector('.md-content article').append(box);
            const s = getComputedStyle(box), t = getComputedStyle(box.firstChild);
            return {background: s.backgroundColor, label: t.backgroundColor,
                    colour: t.color, size: s.fontSize,
                    body: getComputedStyle(document.querySelector('article > p')).fontSize}; }""")
    assert state["background"] == "rgb(255, 249, 196)", state  # NHS pale yellow
    assert state["label"] == "rgb(255, 235, 59)", state  # NHS yellow
    assert state["colour"] == "rgb(33, 43, 50)", state  # NHS text colour
    assert state["size"] == state["body"], state


def test_headings_keep_their_anchors_but_show_no_pilcrow(built_sites, browser):
    with new_tab(browser, DESKTOP) as tab:
        open_page(tab, page_url(built_sites["example"], FAQ_PAGE))
        heading = tab.locator("article h2[id]").first
        heading.hover()
        shown = tab.evaluate("""() => [...document.querySelectorAll('.headerlink')]
            .filter(a => a.getClientRects().length && getComputedStyle(a).visibility !== 'hidden')
            .length""")
        ids = tab.evaluate("() => document.querySelectorAll('article h2[id]').length")
    assert ids > 0
    assert shown == 0, f"{shown} pilcrow links can be seen"


def test_search_is_worded_for_staff(built_sites):
    html = (built_sites["example"] / "index.html").read_text(encoding="utf-8")
    assert 'placeholder="Search the guide"' in html
    assert "1 page matches" in html and "No matching documents" not in html
    assert '<html lang="en"' in html


NOTICE_LINE = 1.6 * 16 + 8  # one 16px line with its line height, plus a little padding


def test_notices_take_one_short_line_each_above_the_title_on_a_phone(built_sites, browser):
    with new_tab(browser, PHONE) as tab:
        open_page(tab, page_url(built_sites["example"], FAQ_PAGE))
        tab.evaluate("""() => {  // a review notice, as trust-review.html writes it
            const notice = document.querySelector('.trust-notice').cloneNode(true);
            notice.className = 'trust-review-due';
            // the longest date a notice can show: one line at 375px only in these words
            notice.querySelector('summary').textContent = 'Review due since 28 September 2027';
            document.querySelector('.trust-notice').after(notice); }""")
        heights = tab.evaluate("""() => ['.trust-notice', '.trust-review-due'].map(
            s => document.querySelector(s).getBoundingClientRect().height)""")
        above = tab.evaluate("""() => document.querySelector('.trust-review-due')
            .getBoundingClientRect().bottom <= document.querySelector('article h1')
            .getBoundingClientRect().top""")
    assert all(0 < h <= NOTICE_LINE + 10 for h in heights), heights
    assert above


def test_no_script_error_when_a_navigation_section_opens(built_sites, browser):
    errors: list[str] = []
    for viewport in (DESKTOP, PHONE):
        with new_tab(browser, viewport) as tab:
            tab.on("pageerror", lambda error: errors.append(str(error)))
            tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            open_page(tab, page_url(built_sites["example"], "index.html"))
            if viewport is PHONE:
                tab.click('label.md-header__button[for="__drawer"]')
                tab.wait_for_timeout(300)
            sections = tab.locator(".md-nav__item--nested:not(.md-nav__item--section) > "
                                   "label.md-nav__link[for]:visible")
            assert sections.count(), "no navigation section to open"
            sections.first.click()
            tab.wait_for_timeout(300)
    assert not errors, errors


def test_the_drawer_title_does_not_overlap_the_navigation(wide_logo_site, browser):
    with new_tab(browser, NARROWEST) as tab:
        open_page(tab, page_url(wide_logo_site, "index.html"))
        tab.click('label.md-header__button[for="__drawer"]')
        tab.wait_for_timeout(400)
        state = tab.evaluate("""() => {
            const title = document.querySelector('.md-nav--primary > .md-nav__title');
            const list = document.querySelector('.md-nav--primary > .md-nav__list');
            return {titleBottom: title.getBoundingClientRect().bottom,
                    listTop: list.getBoundingClientRect().top,
                    cut: title.scrollHeight > title.clientHeight + 1 ||
                         title.scrollWidth > title.clientWidth + 1}; }""")
    assert state["titleBottom"] <= state["listTop"] + 1 and not state["cut"], state
