"""The guide says what is true: honest attribution, checkable references, wording a Trust can
sign off, and content that fits each kind of Trust (issue 11)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml

from trustsite.abbreviations import UndefinedAbbreviation, page_regions, undefined_abbreviations
from trustsite.build import build_many
from trustsite.content import load_glossary, load_references, load_trust_types
from trustsite.context import CONTENT_CHECKED, GUIDE_MAINTAINER
from trustsite.locale import load_locale
from trustsite.readability import long_sentences, page_text
from trustsite.schema import TRUST_TYPES

from conftest import EXAMPLE_TRUSTS, ROOT, html_pages, soup

REFERENCE_FIELDS = ["key", "authors", "title", "year", "publisher", "url", "checked"]
URL = re.compile(r"^https://[^\s<>\"]+$")
CITE = re.compile(r"""cite\(([^)]*)\)""")
CITED_KEY = re.compile(r"""["']([a-z0-9-]+)["']""")
# Wording that reads as a change to what staff are employed to do. "part of your main job"
# (what a champion need not do unless it already is) and "part of every team's work" (a
# Trust's aim) are not caught: neither says research is now in anyone's job.
CONTRACT_WORDING = re.compile(
    r"part of (your|everyone's|every|each|all our|our) (day |usual |normal )?"
    r"(jobs?|roles?|duties)\b|"
    r"(your|every|each) (job|role) (includes|requires|involves) research|"
    r"(expected|required|obliged) to (take part in|do|support|help with) research|"
    r"\b(in|into|to) your job description", re.I)
# "trust" after a word that makes it the organisation ("an NHS trust", "each trust"), not the
# feeling ("people's trust", "building trust", "the trust of patients"). House style: "Trust".
LOWER_CASE_TRUST = re.compile(
    r"\b(?i:the|a|an|each|every|our|this|other|any|NHS|foundation|hospital|acute|"
    r"ambulance|community|mental health|specialist)\s+trusts?\b(?!\s+of\b)")
# A recruitment figure counts one person in two studies twice: it must say so where shown.
COUNTS_RECRUITMENTS = re.compile(r"recruitments|counts? twice", re.I)
# Pages that tell the reader where the guide comes from.
ATTRIBUTION_PAGES = ["index.html", "about/index.html"]


def _text(site: Path, page: str) -> str:
    return " ".join(page_text((site / page).read_text(encoding="utf-8")))


def _notice(site: Path, page: str) -> str:
    return soup(site, page).select_one(".trust-notice").get_text(" ", strip=True)


# -- 1. Honest attribution -----------------------------------------------------------------

# "national guide" is fine near "based on", or where a sentence describes that other guide.
_ABOUT_THE_NATIONAL_GUIDE = re.compile(r"wrote the national guide|national guide "
                                       r"(was|had|aimed|this site is based on)", re.I)


def national_guide_claims(text: str) -> list[str]:
    """Mentions of 'national guide' that could read as 'this is the national guide'."""
    bad = [m.group(0) for m in re.finditer(r"(local )?copy of the national guide", text, re.I)]
    for match in re.finditer(r"national guide", text, re.I):
        nearby = text[max(0, match.start() - 100):match.end() + 100]
        phrase = text[max(0, match.start() - 10):match.end() + 25]
        if "based on" not in nearby and not _ABOUT_THE_NATIONAL_GUIDE.search(phrase):
            bad.append(text[max(0, match.start() - 60):match.end()])
    return bad


def test_attribution_check_catches_a_copy_claim():
    assert national_guide_claims("This is the Trust local copy of the national guide X.")
    assert national_guide_claims("Read the national guide for everything.")
    assert not national_guide_claims("This guide is based on the national guide X.")


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_no_page_claims_to_be_the_national_guide(built_sites, slug):
    site = built_sites[slug]
    bad = {}
    for path in html_pages(site):
        name = path.relative_to(site).as_posix()
        claims = national_guide_claims(_text(site, name) + " " + _notice(site, name))
        if claims:
            bad[name] = claims
    assert not bad


@pytest.mark.parametrize("page", ["index.html", "glossary.html", "about/references.html"])
def test_every_notice_says_based_on_and_not_reviewed_by_nihr(built_sites, page):
    notice = _notice(built_sites["example"], page)
    assert "based on the national guide" in notice
    assert "The National Institute for Health and Care Research (NIHR) did not write or review it" \
        in notice
    assert GUIDE_MAINTAINER in notice


@pytest.mark.parametrize("page", ATTRIBUTION_PAGES)
def test_home_and_about_pages_name_the_maintainer(built_sites, page):
    text = _text(built_sites["example"], page)
    assert "based on" in text and re.search(r"not NIHR ?.s own text", text)
    assert GUIDE_MAINTAINER in text


def test_readme_says_based_on_and_not_reviewed():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")[:1500]
    assert "*based on*" in readme and "NIHR has not reviewed it" in readme


# -- 2. Current to the end of 2026 -----------------------------------------------------------

# Superseded guidance written as if it still applied: the 2018 CQC questions and CSP078.
def _pages_saying(site: Path, pattern: re.Pattern) -> dict[str, str]:
    """Each built page whose text matches pattern, with the words that matched."""
    found = {}
    for path in html_pages(site):
        page = path.relative_to(site).as_posix()
        if match := pattern.search(_text(site, page)):
            found[page] = match.group(0)
    return found


OUTDATED = re.compile(r"CQC uses these questions|the CQC asks Trusts|CQC asks Trusts|"
                      r"National guidance is also clear that champions|"
                      r"national research network asks|has supported Research Engagement "
                      r"Champion roles", re.I)


def test_outdated_check_catches_the_2018_questions_as_current():
    assert OUTDATED.search("CQC uses these questions to judge how well a Trust is led.")
    assert not OUTDATED.search("The 2018 CQC research questions asked whether staff know.")


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_superseded_guidance_is_written_as_history(built_sites, slug):
    assert not _pages_saying(built_sites[slug], OUTDATED)


@pytest.mark.parametrize("phrase", ["NHS App", "10 Year Health Plan", "28 April 2026",
                                    "ICH E6(R3)", "150 days", "official statistics"])
def test_bigger_picture_covers_2025_and_2026_policy(built_sites, phrase):
    assert phrase in _text(built_sites["example"], "bigger-picture.html")


# -- 4. Every reference checkable ----------------------------------------------------------

def reference_problems(references: list[dict]) -> list[str]:
    """Each entry must have every field, an https URL and a real date when it was checked."""
    problems = []
    for ref in references:
        key = ref.get("key", "?")
        problems += [f"{key}: no {field}" for field in REFERENCE_FIELDS if not ref.get(field)]
        if ref.get("url") and not URL.match(str(ref["url"])):
            problems.append(f"{key}: url is not an https address")
        if ref.get("checked") and not isinstance(ref["checked"], dt.date):
            problems.append(f"{key}: checked is not a date (YYYY-MM-DD)")
        if not isinstance(ref.get("year"), int):
            problems.append(f"{key}: year is not a number")
        if "doi" in str(ref.get("url", "")) and not str(ref["url"]).startswith("https://doi.org/10."):
            problems.append(f"{key}: a DOI must be written as https://doi.org/10....")
    return problems


def test_every_reference_has_every_field():
    assert not reference_problems(load_references())


def test_reference_check_catches_missing_and_malformed_fields():
    good = dict(key="k", authors="A", title="T", year=2020, publisher="P",
                url="https://doi.org/10.1/x", checked=dt.date(2026, 11, 28))
    assert not reference_problems([good])
    assert reference_problems([{**good, "publisher": ""}]) == ["k: no publisher"]
    assert reference_problems([{**good, "url": "doi:10.1/x"}])
    assert reference_problems([{**good, "checked": "28/11/2026"}])
    assert reference_problems([{**good, "url": "https://dx.doi.org/10.1/x"}])


def cited_keys() -> set[str]:
    keys = set()
    for path in list((ROOT / "docs").rglob("*.md")) + list((ROOT / "locales").rglob("*.md")):
        for call in CITE.findall(path.read_text(encoding="utf-8")):
            keys.update(CITED_KEY.findall(call))
    return keys


def test_every_cited_key_exists_and_every_entry_is_cited():
    known = {ref["key"] for ref in load_references()}
    assert cited_keys() - known == set(), "cited but not in includes/references.yml"
    assert known - cited_keys() == set(), "in includes/references.yml but never cited"


def test_references_page_shows_links_and_when_checked(built_sites):
    site = built_sites["example"]
    entries = soup(site, "about/references.html").select("ol.references li")
    assert len(entries) == len(load_references())
    assert all(li.select_one("a[href^='https://']") and li.select_one("time[datetime]")
               for li in entries)


@pytest.mark.parametrize("page", ["about/references.html", "about/index.html"])
def test_references_and_about_pages_say_when_content_was_checked(built_sites, page):
    checked = f"{CONTENT_CHECKED.day} {CONTENT_CHECKED:%B %Y}"
    assert checked in _text(built_sites["example"], page)


# -- 7. Words a Trust can sign off ---------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Research is part of your job, too", "Research is part of everyone's role.",
    "It is part of your day job now.", "Every role includes research.",
    "All staff are expected to support research.", "Research is now in your job description."])
def test_contract_wording_check_catches_part_of_your_job(text):
    assert CONTRACT_WORDING.search(text)


@pytest.mark.parametrize("text", [
    "Every job here can help research", "Unless it is already part of your main job, you do not:",
    "We aim to make research part of every team's work.",
    "This page explains what is part of your champion role."])
def test_contract_wording_check_leaves_plain_statements_alone(text):
    assert not CONTRACT_WORDING.search(text)


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_nothing_reads_as_a_change_to_staff_contracts(built_sites, slug):
    assert not _pages_saying(built_sites[slug], CONTRACT_WORDING)


def test_sentence_check_catches_a_long_sentence():
    html = ('<article class="md-content__inner"><p>' + "word " * 26 + ". Short one.</p></article>")
    assert len(long_sentences(html)) == 1


def _long_sentences_on(site: Path) -> list[str]:
    exempt = {"about/references.html", "glossary.html"}
    long = []
    for path in html_pages(site):
        name = path.relative_to(site).as_posix()
        if name not in exempt:
            long += [f"{name}: {s}" for s in long_sentences(path.read_text(encoding="utf-8"))]
    return long


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_no_sentence_is_over_25_words(built_sites, slug):
    long = _long_sentences_on(built_sites[slug])
    assert not long, "\n".join(long)


def test_no_sentence_is_over_25_words_for_any_trust_type(sites_by_type):
    """Text that differs by kind of Trust (includes/trust-types.yml) is checked too."""
    long = [f"{kind}: {s}" for kind, site in sites_by_type.items() for s in _long_sentences_on(site)]
    assert not long, "\n".join(long)


def test_participants_figure_is_described_as_recruitments():
    from trustsite.schema import LOCALE_SCHEMA
    description = LOCALE_SCHEMA["properties"]["research_figures"]["properties"][
        "participants"]["description"]
    assert "recruit" in description.lower()


def unlabelled_figures(blocks: list[str], figure: str) -> list[str]:
    """Blocks that show the participants figure without saying it counts recruitments."""
    return [block for block in blocks if figure in block and not COUNTS_RECRUITMENTS.search(block)]


def test_figure_check_catches_recruitments_shown_as_people():
    assert unlabelled_figures(["In 2025/26, 3,150 participants were recruited to 142 studies."],
                              "3,150")
    assert not unlabelled_figures(["3,150 participants were recruited. One person who joins "
                                   "two studies counts twice.", "3,150 participant recruitments"],
                                  "3,150")


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_participants_figure_is_labelled_as_recruitments_wherever_shown(built_sites, slug):
    site = built_sites[slug]
    figures = load_locale(slug).data.get("research_figures")
    if not figures:
        pytest.skip(f"{slug} publishes no research figures")
    figure = f"{figures['participants']:,}"
    shown, unlabelled = [], []
    for path in html_pages(site):
        blocks = [" ".join(b.split()) for b in page_text(path.read_text(encoding="utf-8"))]
        shown += [block for block in blocks if figure in block]
        unlabelled += [f"{path.relative_to(site).as_posix()}: {block}"
                       for block in unlabelled_figures(blocks, figure)]
    assert shown, f"the figure {figure} is on no page: the check would pass on nothing"
    assert not unlabelled, "\n".join(unlabelled)


def test_lower_case_trust_check_catches_the_organisation_only():
    assert LOWER_CASE_TRUST.search("This is often a university, an NHS trust or a company.")
    assert LOWER_CASE_TRUST.search("Whether the trust reports how much research it does.")
    assert not LOWER_CASE_TRUST.search("Community groups already have people's trust.")
    assert not LOWER_CASE_TRUST.search("Building trust takes time. Patients trust you.")
    assert not LOWER_CASE_TRUST.search("It helps each Trust, and the trust of patients grows.")


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_trust_has_a_capital_when_it_means_the_organisation(built_sites, slug):
    site = built_sites[slug]
    # The References page keeps each cited title as its authors wrote it.
    found = {page: words for page, words in _pages_saying(site, LOWER_CASE_TRUST).items()
             if page != "about/references.html"}
    assert not found


def test_every_trust_type_keeps_contract_wording_out_and_trust_capitalised(sites_by_type):
    """Text that differs by kind of Trust (includes/trust-types.yml) is checked too."""
    found = {f"{kind}: {page}": words for kind, site in sites_by_type.items()
             for pattern in (CONTRACT_WORDING, LOWER_CASE_TRUST)
             for page, words in _pages_saying(site, pattern).items()
             if page != "about/references.html"}
    assert not found


# -- Every abbreviation explained where a page first uses it ---------------------------------

# The Glossary lists abbreviations with their meanings: that list is its content. The
# References page gives sources as published (author initials, journal and report titles).
EXEMPT_FROM_FIRST_USE = {"glossary.html", "about/references.html"}
GLOSSARY = {"CQC": "Care Quality Commission", "ICB": "Integrated Care Board",
            "ICBs": "Integrated Care Boards", "GP": "General Practitioner",
            "NIHR": "National Institute for Health and Care Research"}


def test_first_use_check_catches_an_abbreviation_never_spelled_out():
    found = undefined_abbreviations(["The CQC checks care. It is independent."], GLOSSARY)
    assert found == [UndefinedAbbreviation("CQC", "The CQC checks care.")]


@pytest.mark.parametrize("text", [
    "The CQC checks care. The Care Quality Commission (CQC) is independent.",  # too late
    "The CQC (it checks care) is independent.",  # brackets, but not what CQC stands for
    "The Care Quality Council (CQC) is independent.",  # the wrong words
])
def test_first_use_check_wants_the_meaning_at_the_first_use(text):
    assert [found.abbreviation for found in undefined_abbreviations([text], GLOSSARY)] == ["CQC"]


@pytest.mark.parametrize("text", [
    "The Care Quality Commission (CQC) checks care. The CQC is independent.",
    "The CQC (Care Quality Commission) checks care.",
    "Integrated care boards (ICBs) plan care. Each ICB must support research.",
    "Ask your GP, the NHS or anyone in the UK.",  # well known: no need to spell out
    "Read www.cqc.org.uk or CQC-report.pdf from Example CQC Hospitals.",  # not prose
])
def test_first_use_check_accepts_what_nhs_style_accepts(text):
    assert not undefined_abbreviations([text], GLOSSARY, own_names=("Example CQC Hospitals",))


def test_first_use_check_reads_the_page_and_the_notice_apart():
    html = ('<article class="md-content__inner"><aside class="trust-notice"><p>The National '
            'Institute for Health and Care Research (<abbr title="x">NIHR</abbr>) wrote it.</p>'
            '</aside><p>The <abbr title="x">NIHR</abbr> funds studies.</p>'
            '<p>The Care Quality Commission ( <abbr title="x">CQC</abbr> ) checks care.</p>'
            '<pre><code>ICB = 1</code></pre></article>')
    regions = page_regions(html)
    assert not undefined_abbreviations(regions["notice"], GLOSSARY)
    assert [found.abbreviation for found in undefined_abbreviations(regions["page"], GLOSSARY)] \
        == ["NIHR"]


def _abbreviations_used_before_explained(site: Path, own_names: tuple[str, ...]) -> list[str]:
    glossary = load_glossary()
    problems = []
    for path in html_pages(site):
        page = path.relative_to(site).as_posix()
        if page in EXEMPT_FROM_FIRST_USE:
            continue
        for region, blocks in page_regions(path.read_text(encoding="utf-8")).items():
            problems += [f"{page} ({region}): {found.abbreviation} is not spelled out at its "
                         f"first use: {found.sentence}"
                         for found in undefined_abbreviations(blocks, glossary, own_names)]
    return problems


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_every_abbreviation_is_spelled_out_where_a_page_first_uses_it(built_sites, slug):
    trust = load_locale(slug).data["trust"]
    problems = _abbreviations_used_before_explained(built_sites[slug],
                                                    (trust["name"], trust["short_name"]))
    assert not problems, "\n".join(problems)


def test_every_trust_type_spells_out_abbreviations_at_first_use(sites_by_type):
    """Text that differs by kind of Trust (includes/trust-types.yml) is checked too."""
    trust = load_locale("example").data["trust"]
    problems = [f"{kind}: {problem}" for kind, site in sites_by_type.items()
                for problem in _abbreviations_used_before_explained(
                    site, (trust["name"], trust["short_name"]))]
    assert not problems, "\n".join(problems)


# -- 6. Content that fits the Trust --------------------------------------------------------

def test_every_trust_type_has_every_field():
    types = load_trust_types()
    assert sorted(types) == sorted(TRUST_TYPES)
    fields = set(types["acute"])
    assert all(set(entry) == fields for entry in types.values())


@pytest.fixture(scope="module")
def sites_by_type(tmp_path_factory) -> dict[str, Path]:
    """The example locale built once for each Trust type, as a copy with only trust.type
    changed (its logo copied beside it)."""
    locales = tmp_path_factory.mktemp("locales")
    source = ROOT / "locales" / "example.yml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    built = []
    for kind in TRUST_TYPES:
        slug = "type-" + kind.replace(" ", "-")
        data["trust"]["type"] = kind
        (locales / f"{slug}.yml").write_text(yaml.safe_dump(data), encoding="utf-8")
        shutil.copytree(ROOT / "locales" / "example", locales / slug)
        built.append(load_locale(locales / f"{slug}.yml", locales))
    out = tmp_path_factory.mktemp("dist-types")
    results = build_many(built, out, jobs=1)
    assert all(r.ok for r in results), [r.message for r in results if not r.ok]
    return {kind: out / ("type-" + kind.replace(" ", "-")) for kind in TRUST_TYPES}


# (type, page, text that must appear, text that must not)
TYPE_EXPECTATIONS = [
    ("acute", "your-role/support-services.html", "Catering", "Pharmacy and medicines management"),
    ("mental health", "your-role/support-services.html", "Pharmacy and medicines management",
     "Laboratory teams"),
    ("mental health", "why-research-matters.html", "is not an acute hospital Trust", None),
    ("mental health", "talking-to-patients.html", "Mental Capacity Act", None),
    ("community", "your-role/support-services.html", "Pharmacy and medicines management",
     "Catering"),
    ("community", "index.html", "district nurses", "a laboratory or imaging"),
    ("ambulance", "index.html", "paramedics", "a laboratory or imaging"),
    ("ambulance", "your-role/support-services.html", "Pharmacy and medicines management",
     "Catering"),
    ("ambulance", "talking-to-patients.html", "ask for consent later", None),
    ("ambulance", "why-research-matters.html", "is not an acute hospital Trust", None),
    ("specialist", "talking-to-patients.html", "Parents or guardians", None),
    ("combined", "index.html", "community staff", None),
    # Research where you work: each kind of Trust gets the depth for its own services.
    ("ambulance", "your-setting.html", "deferred consent", "Capacity can come and go"),
    ("ambulance", "your-setting.html", "section 251 support", "Consent at home"),
    ("mental health", "your-setting.html", "People who are detained", "999"),
    ("community", "your-setting.html", "Consent at home", "People who are detained"),
    ("combined", "your-setting.html", "Consent at home", "deferred consent"),
    ("acute", "your-setting.html", "Young people shape research", "Consent at home"),
    ("specialist", "your-setting.html", "Who gives consent", "999"),
    ("ambulance", "your-role/support-services.html", "Never confirm that someone is in a study",
     "Booking research visits"),
    ("acute", "your-role/support-services.html", "Porters often move both", None),
    ("community", "your-role/support-services.html", "send them by courier", "Porters"),
]


@pytest.mark.parametrize("kind, page, wanted, unwanted", TYPE_EXPECTATIONS)
def test_each_trust_type_gets_text_true_for_it(sites_by_type, kind, page, wanted, unwanted):
    text = _text(sites_by_type[kind], page)
    assert wanted in text
    if unwanted:
        assert unwanted not in text


# (type, page, text that must appear, texts that must not, compared ignoring case): staff
# groups, places and evidence that exist in one kind of Trust and not in another.
FALSE_FOR_TYPE = [
    ("acute", "your-role/support-services.html", "Estates, facilities and portering",
     ["move study equipment and supplies between sites"]),
    ("acute", "your-role/support-services.html", "reach a lab within a set time", []),
    ("acute", "champions/index.html", "nurses, midwives and healthcare assistants",
     ["pharmacy and medicines staff"]),
    ("acute", "champions/key-messages.html",
     "Patients in hospitals that do more research feel better informed",
     ["Research happens outside hospitals too"]),
    ("acute", "your-role/patient-care.html", "inpatients felt better informed",
     ["We know much less about services like ours"]),
    ("community", "your-role/support-services.html", "Estates and facilities",
     ["portering", "move patients, samples", "reach a lab", "freezers", "Catering"]),
    ("community", "champions/index.html",
     "district nurses, health visitors and healthcare assistants",
     ["midwives", "laboratory", "porters", "physiotherapists and dietitians"]),
    ("community", "champions/key-messages.html", "Research happens outside hospitals too",
     ["Patients in hospitals that do more research", "lab staff", "porters", "midwives",
      "on your rounds"]),
    ("community", "champions/communications-toolkit.html",
     "Receptionists, district nurses, health visitors and managers", ["porters"]),
    ("community", "your-role/patient-care.html", "district nurses, health visitors",
     ["midwives", "inpatients felt better informed"]),
    ("community", "your-role/index.html", "community matrons", ["midwives"]),
    ("community", "get-involved.html", "Research nurses, practitioners, therapists and data staff",
     ["midwives"]),
    ("community", "contact-and-faq.html", "Studies, mostly of hospitals",
     ["organisations that do more research tend to give better care"]),
    ("community", "research-here.html", "people's homes, community clinics", ["wards"]),
    ("mental health", "champions/index.html",
     "mental health nurses, healthcare support workers and peer support workers",
     ["midwives", "laboratory", "porters"]),
    ("mental health", "your-role/support-services.html", "Estates and facilities",
     ["portering", "reach a lab"]),
    ("mental health", "your-role/patient-care.html", "psychiatrists", ["midwives"]),
    ("ambulance", "your-role/support-services.html", "send study letters",
     ["clinic rooms", "right clinic", "study visits", "portering", "reach a lab", "freezers",
      "Catering"]),
    ("ambulance", "champions/index.html",
     "paramedics, emergency medical technicians and emergency care assistants",
     ["midwives", "laboratory", "porters", "dietitians"]),
    ("ambulance", "champions/key-messages.html", "Fleet, make-ready and estates staff",
     ["midwives", "porters", "lab staff", "clinic rooms", "while they wait",
      "Patients in hospitals that do more research"]),
    ("ambulance", "your-role/managers-and-leaders.html", "when the service is busy",
     ["clinics"]),
    ("ambulance", "champions/self-assessment.html", "research in letters or on our website",
     ["waiting areas"]),
    ("ambulance", "index.html", "people's homes, public places", ["midwives"]),
    ("ambulance", "get-involved.html", "Research paramedics", ["midwives"]),
    ("ambulance", "champions/communications-toolkit.html",
     "Receptionists, paramedics, emergency medical technicians and managers", ["porters"]),
    ("specialist", "champions/index.html",
     "specialist nurses, healthcare assistants and nursing associates", ["midwives"]),
    ("combined", "champions/index.html", "porters, cleaners and estates staff", []),
]


@pytest.mark.parametrize("kind, page, wanted, unwanted", FALSE_FOR_TYPE)
def test_no_type_gets_staff_or_places_it_does_not_have(sites_by_type, kind, page, wanted,
                                                        unwanted):
    text = _text(sites_by_type[kind], page)
    assert wanted in text
    assert [phrase for phrase in unwanted if phrase.lower() in text.lower()] == []


# Words for staff, places and evidence that an ambulance or community Trust does not have.
NOT_IN_AMBULANCE_OR_COMMUNITY = re.compile(
    r"midwi|porter|laborator|\blab staff\b|emergency department|theatres|catering|"
    r"inpatients felt better informed", re.I)


@pytest.mark.parametrize("kind", ["ambulance", "community"])
def test_no_page_names_hospital_staff_to_an_ambulance_or_community_trust(sites_by_type, kind):
    site = sites_by_type[kind]
    exempt = {"about/references.html", "glossary.html", "why-research-matters.html"}
    found = {}
    for path in html_pages(site):
        name = path.relative_to(site).as_posix()
        hits = NOT_IN_AMBULANCE_OR_COMMUNITY.findall(_text(site, name))
        if name not in exempt and hits:
            found[name] = hits
    assert found == {}


def test_acute_trust_does_not_get_the_non_acute_caveat(sites_by_type):
    assert "is not an acute hospital Trust" not in _text(sites_by_type["acute"],
                                                        "why-research-matters.html")


@pytest.mark.parametrize("slug, kind", [("example", "acute"), ("brightwater-valley", "acute"),
                                        ("northmoor-community", "mental health"),
                                        ("saltmarsh-community", "community"),
                                        ("redmoor-ambulance", "ambulance")])
def test_each_example_locale_is_its_kind_of_trust_with_its_own_logo(slug, kind):
    locale = load_locale(slug)
    assert locale.data["trust"]["type"] == kind
    logo = (locale.folder / locale.data["brand"]["logo"]).read_text(encoding="utf-8")
    assert "<svg" in logo and "NHS" not in logo
