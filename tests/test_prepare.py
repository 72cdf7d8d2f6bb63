"""A Trust's inputs are prepared before the generator runs (trustsite/prepare.py), and the
builder hands them to the plugin, which then only applies them (issue 12, point 1)."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
import yaml

from trustsite.locale import load_locale
from trustsite.svg_png import svg_to_png
from trustsite.prepare import PreparedTrust, prepare_trust

from conftest import ROOT

DOCS = ROOT / "docs"
BASE_NAV = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
# locales/example.yml: brand.primary_colour "#005EB8". Light is 20% towards white, dark 75%
# of each channel, tint 10% of the colour on white.
EXAMPLE_BRAND_CSS = (
    b"/* Generated from the locale's brand.primary_colour. */\n"
    b":root, [data-md-color-scheme=default] {\n"
    b"  --md-primary-fg-color: #005EB8;\n"
    b"  --md-primary-fg-color--light: #337EC6;\n"
    b"  --md-primary-fg-color--dark: #00468A;\n"
    b"  --md-primary-bg-color: #FFFFFF;\n"
    b"  --md-accent-fg-color: #00468A;\n"
    b"  --md-typeset-a-color: #005EB8;\n"
    b"  --trust-tint: #E6EFF8;\n"
    b"}\n")


def section_titles(nav: list) -> list[str]:
    return [next(iter(item)) for item in nav]


def nav_entries(nav: list) -> list[str]:
    """Every page path in the nav, however deep."""
    found = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        found += nav_entries(value) if isinstance(value, list) else [value]
    return found


@pytest.fixture
def with_own_pages(tmp_path: Path) -> Path:
    """A copy of the example locale with one page replacing a national page, one new page
    and one image."""
    shutil.copy(ROOT / "locales" / "example.yml", tmp_path / "anytown.yml")
    shutil.copytree(ROOT / "locales" / "example", tmp_path / "anytown")
    pages = tmp_path / "anytown" / "pages"
    (pages / "images").mkdir(parents=True)
    (pages / "research-here.md").write_text("# Research here\n", encoding="utf-8")
    (pages / "our-team.md").write_text("# Our team\n", encoding="utf-8")
    (pages / "images" / "map.png").write_bytes(svg_to_png(
        (ROOT / "locales/example/logo.svg").read_bytes()))
    return tmp_path / "anytown.yml"


def test_the_example_trust_keeps_champions_and_gets_its_brand_logo_and_name():
    prepared = prepare_trust(load_locale("example"), DOCS, BASE_NAV)
    assert section_titles(prepared.nav) == ["Staff guide", "Research Engagement Champions",
                                            "About"]
    # The SVG logo is published only as PNG (issue 23 point 4); no favicon given: the logo.
    logo_png = svg_to_png((ROOT / "locales" / "example" / "logo.svg").read_bytes())
    assert prepared.generated == {"assets/trust/brand.css": EXAMPLE_BRAND_CSS,
                                  "assets/trust/logo.png": logo_png,
                                  "assets/trust/favicon.png": logo_png}
    assert prepared.extra_css == "assets/trust/brand.css"
    assert prepared.logo == "assets/trust/logo.png"
    assert prepared.favicon == "assets/trust/favicon.png"
    assert prepared.copied == {}
    assert prepared.site_name == "Example Hospitals NHS Foundation Trust"
    assert prepared.context["trust"]["short_name"] == "Example Hospitals"
    assert prepared.context["guide"]["slug"] == "example"
    assert prepared.removed_prefixes == () and prepared.replaced == ()
    assert prepared.local_files == ()


def test_switched_off_champions_leave_the_nav_and_the_files():
    prepared = prepare_trust(load_locale("northmoor-community"), DOCS, BASE_NAV)
    assert prepared.context["champions"] is None
    assert section_titles(prepared.nav) == ["Staff guide", "About"]
    assert not [page for page in nav_entries(prepared.nav) if page.startswith("champions/")]
    assert "research-here.md" in nav_entries(prepared.nav)
    assert prepared.removed_prefixes == ("champions/",)


def test_own_pages_replace_national_ones_and_the_new_ones_get_a_section_second(with_own_pages):
    prepared = prepare_trust(load_locale(with_own_pages), DOCS, BASE_NAV)
    pages = with_own_pages.parent / "anytown" / "pages"
    assert prepared.nav[1] == {"Local information": ["our-team.md"]}
    assert section_titles(prepared.nav) == ["Staff guide", "Local information",
                                            "Research Engagement Champions", "About"]
    assert prepared.replaced == ("research-here.md",)
    assert prepared.local_folder == pages
    assert prepared.local_files == ("research-here.md", "our-team.md", "images/map.png")
    assert prepared.copied["research-here.md"] == pages / "research-here.md"
    assert prepared.copied["images/map.png"] == pages / "images" / "map.png"


def test_the_base_nav_is_left_as_it_was(with_own_pages):
    before = copy.deepcopy(BASE_NAV)
    prepare_trust(load_locale(with_own_pages), DOCS, BASE_NAV)
    prepare_trust(load_locale("northmoor-community"), DOCS, BASE_NAV)
    assert BASE_NAV == before


def test_a_name_with_an_ampersand_is_escaped_once_for_the_theme(with_own_pages):
    text = with_own_pages.read_text(encoding="utf-8")
    with_own_pages.write_text(text.replace("name: Example Hospitals NHS Foundation Trust",
                                           "name: Example & St Mary's NHS Trust"))
    prepared = prepare_trust(load_locale(with_own_pages), DOCS, BASE_NAV)
    assert str(prepared.site_name) == "Example &amp; St Mary&#39;s NHS Trust"
    assert prepared.trust_name == "Example & St Mary's NHS Trust"


# -- The builder prepares; the plugin only applies ----------------------------------------

def test_the_builder_hands_over_the_prepared_trust_and_the_plugin_does_not_prepare_again(
        tmp_path, monkeypatch):
    import trustsite.plugin as plugin
    from trustsite.build import build_site

    prepared_by: list[str] = []
    applied: list[PreparedTrust] = []

    def counting_prepare(*args, **kwargs):
        prepared = prepare_trust(*args, **kwargs)
        prepared_by.append(prepared.locale.slug)
        return prepared

    def no_locale_from_trust(config):
        raise AssertionError("the plugin loaded the locale itself")

    def recording_apply(config, prepared):
        applied.append(prepared)
        real_apply(config, prepared)

    real_apply = plugin.apply_prepared_config
    monkeypatch.setattr(plugin, "prepare_trust", counting_prepare)
    monkeypatch.setattr(plugin, "load_trust", no_locale_from_trust)
    monkeypatch.setattr(plugin, "apply_prepared_config", recording_apply)
    monkeypatch.setenv("TRUST", "example")  # would be used if the plugin prepared itself
    build_site(load_locale("northmoor-community"), tmp_path / "site")
    assert prepared_by == ["northmoor-community"]  # once, before MkDocs ran
    assert [prepared.locale.slug for prepared in applied] == ["northmoor-community"]
    assert "Northmoor Community" in (tmp_path / "site" / "index.html").read_text()
    assert not (tmp_path / "site" / "champions").exists()


def test_a_handed_over_trust_is_used_for_one_build_only():
    from mkdocs.config import load_config

    from trustsite.plugin import TrustSitePlugin

    config = load_config(str(ROOT / "mkdocs.yml"))
    instance = config.plugins["trustsite"]
    assert isinstance(instance, TrustSitePlugin)
    prepared = prepare_trust(load_locale("northmoor-community"), DOCS, config.nav)
    instance.use(prepared)
    instance.on_config(config)
    assert instance.prepared is prepared and instance.handed_over is None
    assert config.site_name == "Northmoor Community and Mental Health NHS Trust"
    assert config.theme["logo"] == "assets/trust/logo.png"
    assert section_titles(config.nav) == ["Staff guide", "About"]
