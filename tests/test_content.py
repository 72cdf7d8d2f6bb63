"""The guide's content: complete, readable, sourced, with every abbreviation explained."""

from __future__ import annotations

import posixpath
import re

import pytest

from trustsite.content import load_glossary, load_references
from trustsite.readability import page_text, score_site

from conftest import EXAMPLE_TRUSTS, ROOT, html_pages, soup

STAFF_GUIDE = ["index.html", "what-is-research.html", "why-research-matters.html",
               "research-here.html", "your-role/index.html", "your-role/patient-care.html",
               "your-role/support-services.html", "your-role/managers-and-leaders.html",
               "talking-to-patients.html", "get-involved.html", "bigger-picture.html",
               "contact-and-faq.html", "glossary.html", "rules-for-every-study.html",
               "your-setting.html", "your-role/research-finance.html"]
CHAMPIONS = ["champions/index.html", "champions/role-description.html",
             "champions/key-messages.html", "champions/lunch-and-learn.html",
             "champions/self-assessment.html", "champions/working-with-patients-and-public.html",
             "champions/engagement-plan.html", "champions/measuring-impact.html",
             "champions/communications-toolkit.html", "champions/national-resources.html"]
ABOUT = ["about/index.html", "about/accessibility.html", "about/references.html"]
EXEMPT_FROM_LENGTH = {"glossary.html", "about/references.html"}
# Author initials and journal names (BA, BMJ, PLOS ONE) are bibliographic, not abbreviations.
EXEMPT_FROM_GLOSSARY = {"about/references.html"}
ABBREVIATION = re.compile(r"\b[A-Z][A-Z&]*[A-Z]s?\b")
PLACEHOLDER = re.compile(r"\b(TODO|TBC|TBD|FIXME|XXX+)\b|lorem ipsum|\[insert|being written",
                         re.I)


def _scores(site):
    return {score.page: score for score in score_site(site)}


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_every_page_is_built(built_sites, slug):
    site = built_sites[slug]
    expected = STAFF_GUIDE + ABOUT + (CHAMPIONS if slug != "northmoor-community" else [])
    missing = [page for page in expected if not (site / page).is_file()]
    assert not missing


def test_partnership_page_turns_all_16_priority_actions_into_local_steps(built_sites):
    page = soup(built_sites["example"], "champions/working-with-patients-and-public.html")
    areas = [h.get_text(strip=True).rstrip("¶") for h in page.select("article h3")]
    actions = [b.get_text(strip=True) for b in page.select("article li > strong")
               if b.get_text(strip=True).startswith("Action ")]
    assert areas == ["1. Equality, diversity and inclusion",
                     "2. Standards, processes and incentives", "3. Digital engagement",
                     "4. Capacity building", "5. Impact and learning"]
    assert [a.split(".")[0] for a in actions] == [f"Action {n}" for n in range(1, 17)]


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_every_page_has_substantial_content(built_sites, slug):
    scores = _scores(built_sites[slug])
    short = {page: s.words for page, s in scores.items()
             if page not in EXEMPT_FROM_LENGTH and s.words < 250}
    assert not short, f"pages under 250 words: {short}"


def test_the_whole_guide_is_at_least_12000_words(built_sites):
    total = sum(s.words for s in _scores(built_sites["brightwater-valley"]).values())
    assert total >= 12_000, total


# Issue 11's house targets, stated here rather than read from trustsite/readability.py, so
# loosening them there cannot loosen these tests.
MAX_AVERAGE_SENTENCE = 15  # words
MIN_READING_EASE = 60  # Flesch reading ease


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_sentences_are_short_on_every_page(built_sites, slug):
    long = {page: s.average_sentence for page, s in _scores(built_sites[slug]).items()
            if s.average_sentence > MAX_AVERAGE_SENTENCE}
    assert not long, f"average sentence over {MAX_AVERAGE_SENTENCE} words: {long}"


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_every_page_is_easy_to_read(built_sites, slug):
    # The References page is a list of published titles and authors, not prose.
    hard = {page: s.reading_ease for page, s in _scores(built_sites[slug]).items()
            if page != "about/references.html" and s.reading_ease < MIN_READING_EASE}
    assert not hard, f"Flesch reading ease under {MIN_READING_EASE}: {hard}"


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_every_abbreviation_is_in_the_glossary(built_sites, slug):
    glossary = load_glossary()
    site = built_sites[slug]
    unknown = {}
    for path in html_pages(site):
        name = path.relative_to(site).as_posix()
        if name in EXEMPT_FROM_GLOSSARY:
            continue
        for block in page_text(path.read_text(encoding="utf-8")):
            for token in ABBREVIATION.findall(block):
                if token not in glossary:
                    unknown.setdefault(token, name)
    assert not unknown, f"abbreviations missing from includes/abbreviations.md: {unknown}"


def test_abbreviations_show_their_meaning_on_every_page(built_sites):
    site = built_sites["example"]
    page = soup(site, "bigger-picture.html")
    cqc = page.select_one('abbr[title="Care Quality Commission"]')
    assert cqc is not None and cqc.get_text() == "CQC"


def test_glossary_page_lists_every_abbreviation(built_sites):
    """Every `*[TERM]: meaning` line of includes/abbreviations.md, once, in alphabetical
    order (capitals ignored)."""
    source = (ROOT / "includes" / "abbreviations.md").read_text(encoding="utf-8")
    listed = re.findall(r"(?m)^\*\[([^\]]+)\]:", source)
    assert len(listed) > 40
    assert len(set(listed)) == len(listed), "a term is in includes/abbreviations.md twice"
    terms = [dt.get_text(strip=True) for dt in
             soup(built_sites["example"], "glossary.html").select("dl.glossary dt")]
    assert terms == sorted(listed, key=str.lower)


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_every_citation_resolves_to_a_reference(built_sites, slug):
    site = built_sites[slug]
    references = soup(site, "about/references.html")
    anchors = {li["id"] for li in references.select("ol.references li[id]")}
    cited = set()
    for path in html_pages(site):
        name = path.relative_to(site).as_posix()
        for link in soup(site, name).select("sup.citation a"):
            target, _, anchor = link["href"].partition("#")
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
            assert resolved == "about/references.html" and anchor in anchors, (name, link)
            cited.add(anchor)
    assert len(cited) >= 12, f"only {len(cited)} sources cited"


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_citations_sit_tight_after_punctuation(built_sites, slug):
    """One house style: "text.[1]", never "text [1]." with a space or before the full stop."""
    site = built_sites[slug]
    misplaced = []
    for path in html_pages(site):
        name = path.relative_to(site).as_posix()
        for marker in soup(site, name).select("sup.citation"):
            before, after = marker.previous_sibling, marker.next_sibling
            if (isinstance(before, str) and before[-1:].isspace()) or \
                    (isinstance(after, str) and after[:1] in {".", ",", ";", ":"}):
                misplaced.append(f"{name}: ...{str(before)[-30:]!r}"
                                 f"[{marker.get_text()}]{str(after)[:10]!r}")
    assert not misplaced, "\n".join(misplaced)


def test_references_are_complete_entries():
    references = load_references()
    assert len(references) >= 12
    keys = [ref["key"] for ref in references]
    assert len(keys) == len(set(keys))
    for ref in references:
        assert ref["authors"] and ref["title"] and 1900 < int(ref["year"]) < 2100, ref


def test_every_reference_is_cited_somewhere():
    source = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md"))
    uncited = [ref["key"] for ref in load_references() if f'"{ref["key"]}"' not in source]
    assert not uncited


def test_no_placeholder_text_in_docs():
    found = []
    for path in (ROOT / "docs").rglob("*"):
        if path.suffix in {".md", ".html", ".js", ".css"}:
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if PLACEHOLDER.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found


def test_network_terminology_is_current():
    """The regional networks were reorganised in 2024: the old name may only be history."""
    history = re.compile(r"2024|replaced|used to|former|until|old|before")
    for path in (ROOT / "docs").rglob("*.md"):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for number, line in enumerate(lines):
            if "Local Clinical Research Network" in line or re.search(r"\bLCRNs?\b", line):
                nearby = " ".join(lines[number:number + 2])
                assert history.search(nearby), f"{path.relative_to(ROOT)}: {line.strip()}"
