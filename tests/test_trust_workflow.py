"""A communications team's workflow: scaffold, local pages, review dates, repeatable builds."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from trustsite.build import build_many
from trustsite.locale import load_locale
from trustsite.reviews import Review, review_warnings
from trustsite.scaffold import MARKER, create_locale, placeholder_warnings
from trustsite.schema import LOCALE_SCHEMA

from conftest import ROOT, run_in, soup

NAME = "Anytown General Hospitals NHS Foundation Trust"


def _all_field_names(schema: dict, prefix: str = "") -> set[str]:
    names = set()
    for name, field in schema.get("properties", {}).items():
        names.add(name)
        names |= _all_field_names(field.get("items", field))
    return names


# -- 1. Scaffold -----------------------------------------------------------------------------

def test_new_writes_every_field_with_a_comment_and_a_placeholder_logo(tmp_path):
    path = create_locale("anytown", NAME, locales_dir=tmp_path)
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=schema.json\n")
    lines = text.splitlines()
    for field in _all_field_names(LOCALE_SCHEMA):
        [index] = [i for i, line in enumerate(lines)
                   if re.match(rf"^[#\s]*-?\s*{field}:", line)][:1] or [None]
        assert index is not None, f"{field} missing"
        assert re.match(r"^[#\s]*# \((required|optional)\) ", lines[index - 1]), field
    assert (tmp_path / "anytown" / "logo.svg").read_text().count("LOGO") == 1
    assert f"name: {NAME}" in text


def test_new_trust_builds_at_once(tmp_path):
    locale = load_locale(create_locale("anytown", NAME, locales_dir=tmp_path))
    [result] = build_many([locale], tmp_path / "out", jobs=1)
    assert result.ok, result.message
    page = soup(tmp_path / "out" / "anytown")
    assert page.select_one(".md-header__topic .md-ellipsis").get_text(strip=True) == NAME


def test_check_lists_each_placeholder_as_a_warning(tmp_path):
    path = create_locale("anytown", NAME, locales_dir=tmp_path)
    warnings = placeholder_warnings(load_locale(path))
    marked = [n for n, line in enumerate(path.read_text().splitlines(), 1)
              if line.endswith(MARKER)]
    assert sorted(w.line for w in warnings if w.key != "brand.logo") == marked
    assert any(w.key == "brand.logo" for w in warnings)
    assert any(w.key == "research_office.email" for w in warnings)


def test_a_replaced_value_is_no_longer_a_warning(tmp_path):
    path = create_locale("anytown", NAME, locales_dir=tmp_path)
    path.write_text(path.read_text().replace(
        f"email: research@anytown.example  {MARKER}", "email: research@anytown.nhs.example"))
    keys = {w.key for w in placeholder_warnings(load_locale(path))}
    assert "research_office.email" not in keys and "site.owner" in keys


@pytest.mark.parametrize("slug", ["example", "Bad_Slug", "../x"])
def test_new_refuses_an_existing_or_invalid_slug(tmp_path, slug):
    (tmp_path / "example.yml").write_text("x: 1\n")
    with pytest.raises(ValueError):
        create_locale(slug, NAME, locales_dir=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example.yml"]


def test_check_warns_and_release_build_refuses_placeholders(scratch_project):
    made = run_in(scratch_project, "-m", "trustsite", "new", "anytown", "--name", NAME)
    assert made.returncode == 0, made.stderr
    check = run_in(scratch_project, "-m", "trustsite", "check", "anytown")
    assert check.returncode == 0
    assert re.search(r"locales/anytown\.yml:\d+: research_office\.email: warning: ", check.stderr)
    release = run_in(scratch_project, "-m", "trustsite", "build", "anytown", "--release",
                     "--out", "out")
    assert release.returncode == 1 and "Failed: anytown" in release.stderr
    assert not (scratch_project / "out" / "anytown").exists()
    draft = run_in(scratch_project, "-m", "trustsite", "build", "anytown", "--out", "out")
    assert draft.returncode == 0, draft.stderr
    refused = run_in(scratch_project, "-m", "trustsite", "new", "anytown", "--name", NAME)
    assert refused.returncode == 1 and "already exists" in refused.stderr


# -- 3. Local pages --------------------------------------------------------------------------

def test_local_pages_add_to_and_replace_national_pages(scratch_project):
    pages = scratch_project / "locales" / "example" / "pages"
    pages.mkdir()
    (pages / "parking-for-research-visits.md").write_text(
        "# Parking for research visits\n\nAsk the {{ research_office.team_name }} for a "
        "permit.\n")
    (pages / "contact-and-faq.md").write_text(
        "# Contact us\n\nOur own contact page for {{ trust.short_name }}.\n")
    result = run_in(scratch_project, "-m", "trustsite", "build", "example", "--out", "out")
    assert result.returncode == 0, result.stderr
    assert "replaces national pages: contact-and-faq.md" in result.stdout
    site = scratch_project / "out" / "example"
    added = soup(site, "parking-for-research-visits.html").select_one("article").get_text()
    assert "Ask the Research and Development Office for a permit." in added
    replaced = soup(site, "contact-and-faq.html").select_one("article").get_text()
    assert "Our own contact page for Example Hospitals." in replaced
    nav = soup(site).select_one("nav.md-nav--primary")
    section = [label for label in nav.select("label, span")
               if label.get_text(strip=True) == "Local information"]
    assert section, "no 'Local information' section in the navigation"
    assert nav.select_one('a[href="parking-for-research-visits.html"]')
    # Near the top: straight after the staff guide, before the champions and About sections.
    sections = [label.get_text(strip=True) for label in nav.select(".md-nav--primary > "
                ".md-nav__list > .md-nav__item > label.md-nav__link")]
    assert sections.index("Local information") == 1, sections
    assert not (scratch_project / "docs" / "parking-for-research-visits.md").exists()


# -- 5. Review dates -------------------------------------------------------------------------

def test_an_overdue_page_shows_a_due_for_review_notice(scratch_project):
    page = scratch_project / "docs" / "glossary.md"
    page.write_text("---\nlast_reviewed: 2020-01-15\n---\n" + page.read_text())
    result = run_in(scratch_project, "-m", "trustsite", "build", "example", "--out", "out")
    assert result.returncode == 0, result.stderr
    site = scratch_project / "out" / "example"
    notice = soup(site, "glossary.html").select_one(".trust-review-due")
    assert notice is not None
    text = " ".join(notice.get_text(" ").split())
    assert "This page was last reviewed on 15 January 2020" in text
    assert "due for review by 15 January 2021" in text
    assert soup(site, "index.html").select_one(".trust-review-due") is None


def test_an_overdue_site_shows_the_notice_on_every_page(tmp_path):
    text = (ROOT / "locales" / "example.yml").read_text().replace(
        'last_reviewed: "2026-10-01"', 'last_reviewed: "2019-03-01"')
    (tmp_path / "old.yml").write_text(text)
    shutil.copytree(ROOT / "locales" / "example", tmp_path / "old")  # a symlink is refused
    [result] = build_many([load_locale(tmp_path / "old.yml")], tmp_path / "out", jobs=1)
    assert result.ok, result.message
    for page in ("index.html", "get-involved.html", "about/accessibility.html"):
        notice = soup(tmp_path / "out" / "old", page).select_one(".trust-review-due")
        text = " ".join(notice.get_text(" ").split())
        assert "This copy of the guide was last reviewed on 1 March 2019" in text


def test_check_warns_30_days_before_a_review_is_due(tmp_path):
    locale = load_locale("example")  # last reviewed 2026-10-01, so due 2027-10-01
    page = tmp_path / "page.md"
    page.write_text("---\nlast_reviewed: 2026-03-01\nnext_review: 2026-12-01\n---\n# Page\n")
    quiet = review_warnings(locale, {"page.md": page}, on=dt.date(2026, 10, 31))
    assert quiet == []
    soon = review_warnings(locale, {"page.md": page}, on=dt.date(2026, 11, 2))
    assert [w.key for w in soon] == ["last_reviewed"] and "is due for review" in soon[0].message
    late = review_warnings(locale, {"page.md": page}, on=dt.date(2027, 9, 5))
    assert {w.key for w in late} == {"last_reviewed", "site.next_review"}
    assert "was due for review on 2026-12-01" in late[0].message + late[1].message


def test_review_defaults_to_one_year():
    review = Review.of("2024-02-29")
    assert review.next == dt.date(2025, 2, 28) or review.next == dt.date(2025, 3, 1)
    assert not review.is_due(dt.date(2025, 1, 1)) and review.is_due(dt.date(2025, 3, 2))


# -- 6. Deterministic builds -----------------------------------------------------------------

def test_two_builds_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    locales = [load_locale("example"), load_locale("northmoor-community")]
    first = build_many(locales, tmp_path / "a", jobs=2)
    second = build_many(locales, tmp_path / "b", jobs=1)
    assert all(r.ok for r in first + second)
    a, b = _contents(tmp_path / "a"), _contents(tmp_path / "b")
    assert a.keys() == b.keys()
    different = [name for name in a if a[name] != b[name]]
    assert not different
    assert soup(tmp_path / "a" / "example").select_one(".trust-review-due") is None


def _contents(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_builds_where_processes_cannot_fork(tmp_path, monkeypatch):
    """Windows has no fork: the workers are started afresh (spawn) and build the same bytes."""
    import multiprocessing

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    locales = [load_locale("example")]
    forked = build_many(locales, tmp_path / "fork", jobs=1)
    started: list[str] = []
    get_context = multiprocessing.get_context
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setattr(multiprocessing, "get_context",
                        lambda method=None: started.append(method) or get_context(method))
    spawned = build_many(locales, tmp_path / "spawn", jobs=1)
    assert started == ["spawn"]
    assert [r.ok for r in forked + spawned] == [True, True], spawned[0].message
    assert _contents(tmp_path / "fork") == _contents(tmp_path / "spawn")


def test_review_notices_follow_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1830297600")  # 2028-01-01: example is overdue
    [result] = build_many([load_locale("example")], tmp_path, jobs=1)
    assert result.ok
    assert soup(tmp_path / "example").select_one(".trust-review-due") is not None
