"""The missing topics of issue 11 point 5: each is on a built page, and champion pages go when
champions are switched off."""

from __future__ import annotations

import pytest

from conftest import EXAMPLE_TRUSTS, soup

# Page -> phrases that show each topic is covered there.
STAFF_TOPICS = {
    "consent-and-safety.html": ["Mental Capacity Act", "consultee", "legal representative",
                                "parental responsibility", "assent", "emergency",
                                "section 251", "national data opt-out", "who to contact",
                                "medical emergency", "incident system",
                                "I saw a trial on the news", "NHS App"],
    "research-in-every-setting.html": ["Mental health services", "Community services",
                                       "Ambulance", "General practice", "ENRICH",
                                       "Commercial research", "national contract value review",
                                       "Research that uses data", "INCLUDE", "Core20PLUS5"],
    "ideas-training-and-concerns.html": ["Good Clinical Practice", "NIHR Learn",
                                         "Associate PI scheme",
                                         "Multi-professional Practice-based Research "
                                         "Capabilities Framework",
                                         "Research Support Service", "Is my study research?",
                                         "quality improvement", "Freedom to Speak Up Guardian"],
    # Issue 24 point 3: the rules every study runs under, and what each reader needs.
    "rules-for-every-study.html": ["UK Policy Framework", "sponsor", "chief investigator",
                                   "principal investigator", "registered", "Caldicott",
                                   "Human Tissue Act", "Will I hear the results?"],
    "your-role/patient-care.html": ["card or letter from the study", "research alert",
                                    "emergency unblinding",
                                    "Never stop or swap a trial medicine yourself",
                                    "Report harm to the study team at once",
                                    "incident reporting system", "delegation log"],
    "your-role/support-services.html": ["Labels", "Time limits", "chain of custody",
                                        "Out of hours", "Trial medicines", "monitor",
                                        "research passport", "letter of access",
                                        "Never confirm that someone is in a study",
                                        "Expenses"],
    "your-role/research-finance.html": ["AcoRD", "excess treatment cost", "Research income",
                                        "does not cover", "indemnity", "Reporting to the board"],
}
CHAMPION_TOPICS = {
    "champions/induction-checklist.html": ["induction", "[ ]"],
    "champions/boundaries-and-escalation.html": ["safeguarding", "Confidentiality",
                                                 "complain"],
    "champions/awareness-calendar.html": ["International Clinical Trials Day", "20 May"],
    "champions/development-path.html": ["Entry", "Enhanced", "Advanced", "Consultant"],
    "champions/national-resources.html": ["UK Standards for Public Involvement",
                                          "payment guidance", "Research Ready Communities",
                                          "Participant in Research Experience Survey",
                                          "INCLUDE Ethnicity Framework",
                                          "Impaired Capacity to Consent Framework"],
}


def _text(site, page: str) -> str:
    return " ".join(soup(site, page).select_one("article").get_text(" ").split())


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
@pytest.mark.parametrize("page", sorted(STAFF_TOPICS))
def test_staff_topic_pages_cover_their_topics(built_sites, slug, page):
    text = _text(built_sites[slug], page).lower()
    missing = [phrase for phrase in STAFF_TOPICS[page] if phrase.lower() not in text]
    assert not missing, f"{slug}/{page} lacks {missing}"


@pytest.mark.parametrize("page", sorted(CHAMPION_TOPICS))
def test_champion_topic_pages_cover_their_topics(built_sites, page):
    site = built_sites["brightwater-valley"]
    text = _text(site, page).lower()
    if "[ ]" in CHAMPION_TOPICS[page]:
        # The task list renders as checkboxes, not as the literal "[ ]".
        assert soup(site, page).select("article li.task-list-item input[type=checkbox]")
    missing = [phrase for phrase in CHAMPION_TOPICS[page]
               if phrase != "[ ]" and phrase.lower() not in text]
    assert not missing, f"{page} lacks {missing}"


def test_new_pages_are_in_the_nav(built_sites):
    nav = soup(built_sites["brightwater-valley"]).select_one("nav.md-nav--primary")
    links = {a["href"].lstrip("./") for a in nav.select("a[href]")}
    for page in [*STAFF_TOPICS, *CHAMPION_TOPICS]:
        assert any(link.startswith(page.removesuffix(".html")) for link in links), page


def test_champion_topic_pages_vanish_when_champions_are_off(built_sites):
    site = built_sites["northmoor-community"]
    for page in CHAMPION_TOPICS:
        assert not (site / page).exists(), page
        assert not (site / page.replace(".html", "/index.html")).exists(), page
    for page in STAFF_TOPICS:
        assert (site / page).is_file(), page
