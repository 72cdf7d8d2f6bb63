"""WCAG 2.2 AA in a real browser, on every page of every example Trust.

axe-core covers what can be read from the page; the keyboard, reflow and brand-contrast
checks here cover what axe cannot see: where focus actually goes, whether it can be seen,
and how the page behaves at 320 CSS pixels. Each page is opened once per width and every
check for that width runs on it (see `sweep`), so the failures come back page by page.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Callable

import pytest

from browser import (DESKTOP, NARROWEST, PHONE, axe_violations, brand_contrast_problems,
                     format_axe, keyboard_problems, new_tab, open_page, overflow_problems, page_url,
                     skip_link_problems, toggle_problems, without_transitions)
from conftest import EXAMPLE_TRUSTS, html_pages

Check = Callable[[object], list[str]]
DESKTOP_CHECKS: dict[str, Check] = {
    # axe first, on the page as it loaded; the others move focus and scroll.
    "axe": lambda tab: format_axe(axe_violations(tab)),
    "skip link": skip_link_problems,
    "keyboard": keyboard_problems,
}
NARROW_CHECKS: dict[str, Check] = {"reflow": overflow_problems}


def sweep(browser, site: Path, viewport: dict, checks: dict[str, Check],
          pages: list[Path] | None = None) -> dict[str, dict[str, list[str]]]:
    """Open each page once at the viewport and run every check on it.

    Returns {check: {page: [problems]}}, with only the pages that have problems.
    """
    failures: dict[str, dict[str, list[str]]] = {name: {} for name in checks}
    with new_tab(browser, viewport) as tab:
        for path in pages or html_pages(site):
            open_page(tab, page_url(site, path))
            without_transitions(tab)
            for name, check in checks.items():
                problems = check(tab)
                if problems:
                    failures[name][path.relative_to(site).as_posix()] = problems
    return failures


@pytest.fixture(scope="module")
def swept(built_sites, browser):
    """Each Trust swept once per width, on first use."""
    cache: dict[tuple[str, str], dict[str, dict[str, list[str]]]] = {}

    def get(slug: str, width: str) -> dict[str, dict[str, list[str]]]:
        if (slug, width) not in cache:
            viewport, checks = {"desktop": (DESKTOP, DESKTOP_CHECKS),
                                "narrowest": (NARROWEST, NARROW_CHECKS)}[width]
            cache[slug, width] = sweep(browser, built_sites[slug], viewport, checks)
        return cache[slug, width]
    return get


def report(title: str, failures: dict[str, list[str]]) -> str:
    lines = [title]
    for page, problems in failures.items():
        lines.append(f"{page}:")
        lines += [f"  {problem}" for problem in problems]
    text = "\n".join(lines)
    print(text)  # pytest shows it with the failure
    return text


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_axe_finds_no_wcag_22_aa_violation_on_any_page(swept, slug):
    failures = swept(slug, "desktop")["axe"]
    assert not failures, report(f"axe-core: WCAG 2.2 AA violations in {slug}:", failures)


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_skip_link_moves_focus_to_the_content(swept, slug):
    failures = swept(slug, "desktop")["skip link"]
    assert not failures, report(f"Skip link problems in {slug}:", failures)


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_keyboard_reaches_every_control_with_a_visible_focus(swept, slug):
    failures = swept(slug, "desktop")["keyboard"]
    assert not failures, report(f"Keyboard problems in {slug} at 1280px:", failures)


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_no_page_scrolls_sideways_at_320px(swept, slug):
    failures = swept(slug, "narrowest")["reflow"]
    assert not failures, report(f"Pages wider than 320px in {slug}:", failures)


PHONE_PAGES = ["index.html", "your-role/patient-care.html", "champions/self-assessment.html"]
# As quick as a person: Material's reactions to focus on a phone take a moment (see
# walk_with_tab).
phone_keyboard_problems = functools.partial(keyboard_problems, pace_ms=40)


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_keyboard_works_on_a_phone_too(built_sites, browser, slug):
    """At phone width the navigation is a drawer behind the menu button: the button must be
    reachable and open the drawer with Enter, Escape must close it, and neither the closed
    drawer nor its closed sections may take focus."""
    site = built_sites[slug]
    pages = [site / p for p in PHONE_PAGES if (site / p).is_file()]
    checks = {"keyboard": phone_keyboard_problems, "drawer": drawer_problems}
    failures = {f"{name}: {page}": problems
                for name, by_page in sweep(browser, site, PHONE, checks, pages).items()
                for page, problems in by_page.items()}
    assert not failures, report(f"Keyboard problems in {slug} at 375px:", failures)


def drawer_problems(tab) -> list[str]:
    """Open the navigation drawer from the keyboard, Tab through it, close it with Escape."""
    tab.keyboard.press("Escape")
    button = tab.locator('label.md-header__button[for="__drawer"]')
    button.focus()
    if not button.evaluate("el => el === document.activeElement"):
        return ["the menu button cannot take focus"]
    tab.keyboard.press("Enter")
    if not tab.evaluate("document.getElementById('__drawer').checked"):
        return ["Enter on the menu button does not open the navigation drawer"]
    problems = []
    tab.keyboard.press("Tab")
    inside = tab.evaluate("""() => { const nav = document.querySelector('.md-sidebar--primary');
        return !!nav && nav.contains(document.activeElement); }""")
    if not inside:
        problems.append("after opening the drawer, Tab does not go into it")
    problems += [f"with the drawer open: {p}" for p in phone_keyboard_problems(tab)]
    tab.keyboard.press("Escape")
    if tab.evaluate("document.getElementById('__drawer').checked"):
        problems.append("Escape does not close the navigation drawer")
    elif not button.evaluate("el => el === document.activeElement"):
        problems.append("closing the drawer with Escape does not return focus to the menu button")
    return problems


TOGGLE_PAGES = ["index.html", "contact-and-faq.html", "champions/self-assessment.html"]


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "375px"])
def test_every_toggle_works_from_the_keyboard(built_sites, browser, slug, viewport):
    """Navigation toggles, the questions that open answers, the self-assessment's ticks."""
    site = built_sites[slug]
    pages = [site / p for p in TOGGLE_PAGES if (site / p).is_file()]
    failures = sweep(browser, site, viewport, {"toggles": toggle_problems}, pages)["toggles"]
    assert not failures, report(f"Toggles in {slug}:", failures)


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_brand_colour_keeps_its_contrast(built_sites, browser, slug):
    """Links, header text and buttons in the Trust's colour, at rest and on hover."""
    site = built_sites[slug]
    pages = [site / p for p in ["index.html", "champions/self-assessment.html"]
             if (site / p).is_file()]
    failures = sweep(browser, site, DESKTOP, {"contrast": brand_contrast_problems},
                     pages)["contrast"]
    assert not failures, report(f"Brand colour contrast in {slug}:", failures)
