"""Each page prints cleanly: no navigation, search or header; the Trust's name and the page's
address on top; every link followed by its target. The print styles are checked on every
page, and a few pages of each Trust are printed to PDF in Chromium and read back."""

from __future__ import annotations

import pytest

from browser import (DESKTOP, new_tab, open_page, page_url, print_problems, print_style_problems,
                     without_transitions)
from conftest import EXAMPLE_TRUSTS, html_pages
from trustsite.locale import load_locale

PRINTED = ["index.html", "contact-and-faq.html", "your-role/patient-care.html"]


def _trust_name(slug: str) -> str:
    return load_locale(slug).data["trust"]["name"]


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_print_styles_on_every_page(built_sites, browser, slug):
    site = built_sites[slug]
    name = _trust_name(slug)
    failures = {}
    with new_tab(browser, DESKTOP) as tab:
        for path in html_pages(site):
            open_page(tab, page_url(site, path))
            without_transitions(tab)
            problems = print_style_problems(tab, name)
            if problems:
                failures[path.relative_to(site).as_posix()] = problems
    assert not failures, "\n".join(f"{page}: {p}" for page, ps in failures.items() for p in ps)


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
@pytest.mark.parametrize("page", PRINTED)
def test_page_printed_to_pdf_reads_cleanly(built_sites, browser, slug, page):
    with new_tab(browser, DESKTOP) as tab:
        open_page(tab, page_url(built_sites[slug], page))
        problems = print_problems(tab, _trust_name(slug))
    assert not problems, problems
