"""Every internal link and #anchor resolves (lychee, offline), external links are listed and
never fetched, and every page is valid HTML (the Nu HTML Checker, vnu.jar, run once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from checks import VNU_ALLOW_LIST, allowed, check_links, html_errors, run_vnu
from conftest import EXAMPLE_TRUSTS, html_pages
from trustsite.locale import load_locale


@pytest.fixture(scope="session")
def vnu_messages(built_sites, all_pages) -> list[dict]:
    """vnu's errors for every page of every example Trust, from one Java process."""
    return run_vnu(all_pages)


def _pages_of(site: Path, messages: list[dict]) -> list[dict]:
    prefix = site.resolve().as_uri().replace("file:///", "file:/") + "/"
    return [m for m in messages if m.get("url", "").replace("file:///", "file:/")
            .startswith(prefix)]


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_every_page_is_valid_html(built_sites, vnu_messages, slug):
    site = built_sites[slug]
    errors = html_errors(_pages_of(site, vnu_messages), site)
    assert not errors, "vnu errors (fix them, or allow-list a harmless theme issue in " \
                       "tests/checks.py with the reason):\n" + "\n".join(errors)


def test_vnu_checked_every_page(built_sites, vnu_messages, all_pages):
    """vnu really ran over the pages: Material's known errors are there on each Trust."""
    for slug, site in built_sites.items():
        assert _pages_of(site, vnu_messages), f"vnu reported nothing at all for {slug}"


@pytest.mark.parametrize("entry", VNU_ALLOW_LIST, ids=lambda e: e.message[:40])
def test_each_allow_listed_theme_error_still_occurs(vnu_messages, entry):
    """An allow-list entry that matches nothing any more is stale: remove it."""
    assert any(allowed(m) is entry for m in vnu_messages), \
        f"nothing matches the allow-list entry {entry.message!r}; remove it"


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_every_internal_link_and_anchor_resolves(built_sites, slug):
    site = built_sites[slug]
    report = check_links(html_pages(site), site)
    assert not report.broken, "Broken links:\n" + "\n".join(report.broken)
    # External links are listed, never fetched: the report names the Trust's own.
    listing = report.external_report()
    (site.parent / f"{slug}-external-links.txt").write_text(listing + "\n", encoding="utf-8")
    print(listing)
    data = load_locale(slug).data
    assert data["research_office"]["intranet_url"] in report.external
    assert f"mailto:{data['research_office']['email']}" in report.external
