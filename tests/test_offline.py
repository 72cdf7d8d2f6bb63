"""Each Trust's site works with no network: opened from file://, and served under a deep
sub-path of an intranet. Every request to anywhere else is blocked and recorded, and there
must be none."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest

from browser import (DESKTOP, SUB_PATH, block_other_hosts, home_page_problems, new_tab,
                     only_files, only_host, open_page, page_url, search, serve_under, unique_word)
from conftest import EXAMPLE_TRUSTS


def _site_works(tab, home: str, base: str, site) -> list[str]:
    """The home page shows its styles and logo; a word on one page only is found by search,
    and its result opens that page."""
    open_page(tab, home)
    problems = home_page_problems(tab)
    word, expected = unique_word(site)
    results = search(tab, word)
    pages = {unquote(urlsplit(url).path) for url in results}
    wanted = unquote(urlsplit(base + expected).path)
    if not results:
        return problems + [f"searching {word!r} found nothing (it is on {expected})"]
    if pages != {wanted}:
        problems.append(f"searching {word!r} found {sorted(pages)}, not just {wanted}")
    tab.locator(".md-search-result__item a").first.click()
    tab.wait_for_load_state("load")
    if unquote(urlsplit(tab.url).path) != wanted:
        problems.append(f"the result for {word!r} opened {tab.url}, not {expected}")
    elif word not in tab.locator("article").inner_text().lower():
        problems.append(f"{expected} opened, but {word!r} is not on it")
    return problems


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_site_works_from_file_urls_with_no_network(built_sites, browser, slug):
    site = built_sites[slug]
    with new_tab(browser, DESKTOP) as tab:
        requests = block_other_hosts(tab.context, only_files)
        problems = _site_works(tab, page_url(site, "index.html"),
                               site.resolve().as_uri() + "/", site)
    assert not problems, problems
    assert requests.blocked == [], f"requests that left file://: {requests.blocked}"
    assert requests.failed == [], f"files that did not load: {requests.failed}"


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_site_works_under_a_deep_sub_path_with_no_network(built_sites, browser, slug,
                                                          tmp_path):
    site = built_sites[slug]
    with serve_under(site, tmp_path) as (base, served), new_tab(browser, DESKTOP) as tab:
        requests = block_other_hosts(tab.context, only_host(urlsplit(base).netloc))
        problems = _site_works(tab, base + "index.html", base, site)
    assert not problems, problems
    assert requests.blocked == [], f"requests to other hosts: {requests.blocked}"
    assert requests.failed == [], f"requests that failed: {requests.failed}"
    outside = [path for path in served if not path.startswith(f"/{SUB_PATH}/")]
    assert not outside, f"requests outside /{SUB_PATH}/: {outside}"
