"""The locale schema: the one description of every field a Trust's locale file may hold.

It drives validation (trustsite.locale), is published as locales/schema.json for editors,
and is rendered as the field reference in the README. Change fields here and nowhere else,
then run `python -m trustsite schema` to refresh locales/schema.json.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from trustsite.project import INSTALLED

SCHEMA_ID = "https://trustsite.invalid/locales/schema.json"

# The 12 NIHR Regional Research Delivery Networks that replaced the LCRNs on 1 October 2024.
REGIONAL_NETWORKS = [
    "North East and North Cumbria",
    "Yorkshire and Humber",
    "North West",
    "East Midlands",
    "West Midlands",
    "East of England",
    "North London",
    "South London",
    "South Central",
    "South East",
    "South West Central",
    "South West Peninsula",
]

TRUST_TYPES = ["acute", "mental health", "community", "ambulance", "specialist", "combined"]

# Patterns are kept simple and shared with the JSON Schema so editors and the build agree.
# The packs' folders beside each site, DIR/<slug>-sharepoint/ and DIR/<slug>-pages/: no slug
# may end in one, or Trust 'a-sharepoint' would replace Trust 'a''s pack (build.py).
SHAREPOINT_SUFFIX, FRAGMENTS_SUFFIX = "-sharepoint", "-pages"
SLUG_PATTERN = r"^(?!.*-(?:sharepoint|pages)$)[a-z0-9]+(-[a-z0-9]+)*$"
HEX_COLOUR_PATTERN = r"^#[0-9A-Fa-f]{6}$"
EMAIL_PATTERN = r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$"
# Written for both Python and ECMA-262 in unicode mode (JSON Schema tools): no escaped quote.
URL_PATTERN = (r'^(https?://[^\s<>"\u0000-\u001F\u007F]+|mailto:[^\s<>"\u0000-\u001F\u007F]+'
               r'|tel:\+?[0-9 ()-]+)$')
# A number, optionally followed by an extension: '01632 960123 ext. 1234'.
PHONE_PATTERN = r"^\+?[0-9][0-9 ()-]{5,}( (ext\.?|extension) ?[0-9]{1,6})?$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# Plain text may hold any character except angle brackets, so no value can become markup,
# braces, so no value can form a token of SharePoint's provisioning engine (intranet/
# sharepoint.py), and no control character or line break, so each value stays on one line.
TEXT_PATTERN = r"^[^<>{}\u0000-\u001F\u007F-\u009F\u2028\u2029]*$"
# A page title is also printed by the theme as it is, so it may not hold a character
# reference such as '&lt;' either: what a Trust writes is what staff read.
PAGE_TITLE_PATTERN = r"^(?!.*&#?[A-Za-z0-9]+;)" + TEXT_PATTERN[1:]
# Multi-line text (explicitly marked fields) may also hold line breaks.
MULTILINE_TEXT_PATTERN = r"^[^<>{}\u0000-\u0009\u000B-\u001F\u007F-\u009F]*$"
ASSET_PATTERN = r'^[^<>"\u0000-\u001F\u007F]+\.(svg|png)$'
# What a Trust can publish (issue 14); 'site' is the zip for a web server or file share.
PUBLISHING_TARGETS = ["site", "sharepoint", "pages", "pdf", "word"]
# The kinds of SharePoint site, each with its menu (trustsite.intranet.sharepoint.MENU_LOCATIONS).
SHAREPOINT_SITES = ["communication", "team"]
DEFAULT_SHAREPOINT_SITE = "communication"
PAGE_ADDRESS_PATTERN = r'^https://[^\s<>"{}\u0000-\u001F\u007F]*\{page\}[^\s<>"{}\u0000-\u001F\u007F]*$'


def _text(description: str, *, max_length: int = 300, multiline: bool = False,
          ) -> dict[str, Any]:
    """Text on one line, unless the field is explicitly multi-line."""
    return {"type": "string", "description": description, "minLength": 1,
            "maxLength": max_length,
            "pattern": MULTILINE_TEXT_PATTERN if multiline else TEXT_PATTERN}


def _email(description: str) -> dict[str, Any]:
    return {"type": "string", "description": description, "format": "email",
            "pattern": EMAIL_PATTERN}


def _url(description: str) -> dict[str, Any]:
    return {"type": "string", "description": description, "format": "uri",
            "pattern": URL_PATTERN}


def _phone(description: str) -> dict[str, Any]:
    return {"type": "string", "description": description, "pattern": PHONE_PATTERN}


def _date(description: str) -> dict[str, Any]:
    return {"type": "string", "description": description, "format": "date",
            "pattern": DATE_PATTERN}


def _count(description: str) -> dict[str, Any]:
    return {"type": "integer", "description": description, "minimum": 0}


def _section(description: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"type": "object", "description": description, "properties": properties,
            "required": required, "additionalProperties": False}


def _list_of(description: str, item: dict[str, Any], *, max_items: int = 12) -> dict[str, Any]:
    return {"type": "array", "description": description, "items": item, "minItems": 1,
            "maxItems": max_items}


LOCALE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "title": "Trust locale for 'Best Patient Care, Clinical Research and You'",
    "description": "One NHS Trust's facts, branding and contacts. Required sections must be "
                   "filled in; optional sections switch pages and paragraphs on when present.",
    "type": "object",
    "additionalProperties": False,
    "required": ["trust", "brand", "research_office", "network", "site", "accessibility"],
    "properties": {
        "trust": _section("Who the Trust is.", {
            "name": _text("The Trust's full legal name, exactly as staff know it, for example "
                          "'Anytown University Hospitals NHS Foundation Trust'.", max_length=120),
            "short_name": _text("A short name used in headings and sentences, for example "
                                "'Anytown Hospitals'.", max_length=100),
            "type": {"type": "string", "enum": TRUST_TYPES,
                     "description": "The kind of Trust. Used to pick examples that fit your "
                                    "staff."},
            "website": _url("The Trust's public website (https)."),
            "intranet_home": _url("The home page of the staff intranet, linked from the "
                                  "header notice."),
        }, ["name", "short_name", "type"]),
        "brand": _section("How the site looks.", {
            "primary_colour": {
                "type": "string", "pattern": HEX_COLOUR_PATTERN,
                "description": "The main brand colour as a hex code such as '#005EB8'. White "
                               "text on it must reach a contrast ratio of 4.5:1 or more.",
            },
            "logo": {"type": "string", "pattern": ASSET_PATTERN,
                     "description": "The logo file (SVG or PNG), a path inside the locale's own "
                                    "folder locales/<slug>/, for example 'logo.svg'. Use the "
                                    "logo your NHS Identity lead gave you; never redraw it."},
            "favicon": {"type": "string", "pattern": ASSET_PATTERN,
                        "description": "Optional browser tab icon (SVG or PNG) inside the "
                                       "locale's folder. Defaults to the logo."},
        }, ["primary_colour", "logo"]),
        "research_office": _section("The team staff should contact about research.", {
            "team_name": _text("The team's name, for example 'Research and Development "
                               "Office'.", max_length=80),
            "email": _email("The team's shared mailbox (never a person's own address)."),
            "intranet_url": _url("The team's page on the staff intranet."),
            "phone": _phone("Optional phone number, for example '01632 960123'. Add an "
                            "extension after it as 'ext. 1234'; phone links dial the main "
                            "number."),
            "location": _text("Optional building or site where staff can find the team.",
                              max_length=120),
        }, ["team_name", "email", "intranet_url"]),
        "network": _section("The NIHR Regional Research Delivery Network (RRDN) the Trust "
                            "belongs to. England only: NHS bodies in Wales work with Health "
                            "and Care Research Wales, which the toolkit does not yet "
                            "support.", {
            "name": {"type": "string", "enum": REGIONAL_NETWORKS,
                     "description": "The region's name as NIHR gives it, for example 'West "
                                    "Midlands'. One of the 12 regions set up on 1 October "
                                    "2024."},
            "url": _url("Optional web page of the regional network."),
        }, ["name"]),
        "site": _section("Who looks after this copy of the guide.", {
            "owner": _text("The team that owns this site, for example 'Communications "
                           "team'.", max_length=80),
            "feedback_email": _email("Where readers send feedback about the site."),
            "last_reviewed": _date("The date the Trust last checked its copy (YYYY-MM-DD)."),
            "next_review": _date("Optional date of the next review (YYYY-MM-DD). Defaults to "
                                 "one year after last_reviewed."),
        }, ["owner", "feedback_email", "last_reviewed"]),
        "accessibility": _section("Facts for the accessibility statement.", {
            "contact_email": _email("Where people ask for content in another format or "
                                    "report an accessibility problem."),
            "contact_phone": _phone("Optional phone number for accessibility requests. Add an "
                                    "extension after it as 'ext. 1234'."),
            "response_days": {"type": "integer", "minimum": 1, "maximum": 60,
                              "description": "Optional number of working days within which "
                                             "you reply. Defaults to 10."},
        }, ["contact_email"]),
        "research_figures": _section("Optional local research activity for one year. When "
                                     "present, the figures appear on the local research "
                                     "page.", {
            "year": {"type": "string", "pattern": r"^[0-9]{4}/[0-9]{2}$",
                     "description": "The financial year the figures cover, for example "
                                    "'2025/26'."},
            "participants": _count("Participants recruited to studies that year (recruitments, "
                                   "as NIHR counts them: one person in two studies counts "
                                   "twice)."),
            "studies": _count("Studies open to recruitment that year."),
            "commercial_studies": _count("Optional: how many of those studies were "
                                         "commercial (industry-funded)."),
        }, ["year", "participants", "studies"]),
        "strategy": _section("Optional research strategy.", {
            "summary": _text("One or two sentences on what the strategy aims to do.",
                             max_length=400, multiline=True),
            "url": _url("Optional link to the full strategy."),
        }, ["summary"]),
        "icb": _section("Optional Integrated Care Board (ICB) the Trust works with.", {
            "name": _text("The ICB's name, for example 'NHS Anytown Integrated Care Board'.",
                          max_length=120),
            "url": _url("Optional link to the ICB's research page."),
        }, ["name"]),
        "partners": _list_of("Optional research partners (universities, hospices, councils).", {
            "type": "object", "additionalProperties": False, "required": ["name"],
            "description": "One partner organisation.",
            "properties": {
                "name": _text("The partner's name.", max_length=120),
                "description": _text("Optional: what you do together.", max_length=300),
                "url": _url("Optional link."),
            },
        }),
        "stories": _list_of("Optional short research stories from the Trust's own staff and "
                            "patients (no names without consent).", {
            "type": "object", "additionalProperties": False, "required": ["title", "summary"],
            "description": "One story.",
            "properties": {
                "title": _text("A short headline.", max_length=100),
                "summary": _text("Two or three sentences.", max_length=600, multiline=True),
                "staff_group": _text("Optional: the staff group the story is about, for "
                                     "example 'Estates'.", max_length=60),
            },
        }),
        "training": _list_of("Optional local training courses and links.", {
            "type": "object", "additionalProperties": False, "required": ["title", "url"],
            "description": "One course or training resource.",
            "properties": {
                "title": _text("The course name.", max_length=100),
                "url": _url("Where to book or read more."),
                "description": _text("Optional: one sentence on who it is for.",
                                     max_length=300),
            },
        }),
        "champions": _section("Optional Research Engagement Champions scheme. When present, "
                              "the champion resources are built.", {
            "contact_email": _email("The mailbox for people who want to become a champion."),
            "protected_time": _text("How much time champions are given, for example '7.5 "
                                    "hours a month'.", max_length=80),
            "meeting_pattern": _text("Optional: how often and where champions meet, written to "
                                     "follow 'Champions meet', for example 'monthly for 30 "
                                     "minutes on Microsoft Teams'.", max_length=120),
            "channel": _text("Optional: where champions talk between meetings, for example "
                             "'the Research Champions Teams channel'.", max_length=120),
        }, ["contact_email", "protected_time"]),
        "publishing": _section("Optional: what 'trustsite build' makes for this Trust by "
                               "default. Build flags add to it.", {
            "targets": {"type": "array", "uniqueItems": True, "minItems": 1,
                        "default": ["site"],
                        "items": {"type": "string", "enum": PUBLISHING_TARGETS},
                        "description": "Any of 'site' (web server or file share), "
                                       "'sharepoint' (PnP pack), 'pages' (paste-ready pages), "
                                       "'pdf', 'word'. Defaults to [site]."},
            "sharepoint_site": {"type": "string", "enum": SHAREPOINT_SITES,
                                "default": DEFAULT_SHAREPOINT_SITE,
                                "description": "Optional: the kind of SharePoint site the "
                                               "SharePoint pack goes into, which decides where "
                                               "its menu goes: 'communication' (the top menu) "
                                               "or 'team' (the left-hand menu), for example "
                                               "'team'. Defaults to communication. The build "
                                               "option --sharepoint-site overrides it."},
        }, []),
        "intranet": _section("Optional: how the Trust's intranet addresses pages, for the "
                             "paste-ready pages.", {
            "page_address": {"type": "string", "pattern": PAGE_ADDRESS_PATTERN,
                             "description": "The address of a guide page on your intranet, "
                                            "with {page} where the page's name goes, for "
                                            "example 'https://intranet.example.nhs.uk/research/"
                                            "{page}'."},
        }, ["page_address"]),
    },
}

# The only front matter fields a Trust's own page may hold, checked like locale fields (any
# other key is refused: the theme prints some, such as description or icon, unescaped).
PAGE_FRONT_MATTER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": {**_text("The page title, on one line.", max_length=120),
                  "pattern": PAGE_TITLE_PATTERN},
        "last_reviewed": _date("The date the page was last checked (YYYY-MM-DD)."),
        "next_review": _date("Optional date of the page's next review (YYYY-MM-DD)."),
    },
}

# Sections a Trust may leave out; their absence switches content off.
OPTIONAL_SECTIONS = [key for key in LOCALE_SCHEMA["properties"]
                     if key not in LOCALE_SCHEMA["required"]]

SCHEMA_FILE = INSTALLED.schema_file
README_FILE = INSTALLED.readme
_FIELDS_START, _FIELDS_END = "<!-- fields:start -->", "<!-- fields:end -->"


def schema_json() -> str:
    """The published schema as text, exactly as it is written to locales/schema.json."""
    return json.dumps(LOCALE_SCHEMA, indent=2, ensure_ascii=False) + "\n"


def write_schema_file(path: Path = SCHEMA_FILE) -> Path:
    path.write_text(schema_json(), encoding="utf-8")
    return path


def readme_with_fields(readme: str) -> str:
    """The README text with its field table regenerated between the markers."""
    start = readme.index(_FIELDS_START) + len(_FIELDS_START)
    end = readme.index(_FIELDS_END)
    return f"{readme[:start]}\n{field_reference()}\n{readme[end:]}"


def field_reference() -> str:
    """A Markdown table of every locale field, for the README."""
    rows = ["| Field | Required | What it is |", "| --- | --- | --- |"]

    def walk(schema: dict[str, Any], prefix: str, parent_required: bool) -> None:
        required = set(schema.get("required", []))
        for name, field in schema.get("properties", {}).items():
            path = f"{prefix}{name}"
            is_required = parent_required and name in required
            item = field.get("items")
            label = f"`{path}`" + (" (list)" if item else "")
            needed = "yes" if is_required else ("in its section" if name in required else "no")
            rows.append(f"| {label} | {needed} | {field['description']} |")
            walk(item or field, f"{path}{'[].' if item else '.'}", is_required)

    walk(LOCALE_SCHEMA, "", True)
    return "\n".join(rows)
