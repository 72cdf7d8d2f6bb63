"""The variables pages and theme templates see, derived from one validated locale."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from trustsite.content import INCLUDES, load_trust_types
from trustsite.locale import Locale
from trustsite.page_macros import tel_uri
from trustsite.reviews import site_review
from trustsite.schema import LOCALE_SCHEMA

GUIDE_TITLE = "Best Patient Care, Clinical Research and You"
GUIDE_VERSION = "1.0"
# Who answers for the national text of this guide (a role, never a person's name).
GUIDE_MAINTAINER = "the maintainers of the open-source Trust guide toolkit"
# The date every national fact and reference was last checked against its source.
CONTENT_CHECKED = dt.date(2026, 12, 7)
DEFAULT_RESPONSE_DAYS = 10

# The keys the context adds to config.extra; each is also a page variable ({{ trust.name }}).
CONTEXT_KEYS = list(LOCALE_SCHEMA["properties"]) + ["guide", "setting"]


def display_date(value: dt.date) -> str:
    """NHS style dates: '1 October 2026'."""
    return f"{value.day} {value:%B %Y}"


def _fill_optional_fields(value: Any, schema: dict[str, Any]) -> None:
    """Give every optional field that was left out the value None, so pages can test it
    with `{% if %}` while a misspelt variable still fails the build."""
    if isinstance(value, list):
        for item in value:
            _fill_optional_fields(item, schema["items"])
    elif isinstance(value, dict):
        for name, field_schema in schema.get("properties", {}).items():
            value.setdefault(name, None)
            _fill_optional_fields(value[name], field_schema)


def template_context(locale: Locale, includes: Path = INCLUDES) -> dict[str, Any]:
    """Every section of the locale, with absent optional sections as None and derived values
    (display dates, the network's full name, defaults) filled in."""
    data = copy.deepcopy(locale.data)
    context: dict[str, Any] = {key: data.get(key) for key in LOCALE_SCHEMA["properties"]}

    review = site_review(locale)
    context["site"].update(next_review=review.next.isoformat(),
                           last_reviewed_display=display_date(review.last),
                           next_review_display=display_date(review.next))

    network = context["network"]
    network["full_name"] = f"NIHR {network['name']} Regional Research Delivery Network"

    context["accessibility"].setdefault("response_days", DEFAULT_RESPONSE_DAYS)
    for key, section in context.items():
        _fill_optional_fields(section, LOCALE_SCHEMA["properties"][key])
    office = context["research_office"]  # the footer's phone link, made as the pages' are
    office["phone_uri"] = tel_uri(office["phone"]) if office["phone"] else None
    context["guide"] = {"title": GUIDE_TITLE, "version": GUIDE_VERSION, "slug": locale.slug,
                        "maintainer": GUIDE_MAINTAINER,
                        "content_checked": CONTENT_CHECKED.isoformat(),
                        "content_checked_display": display_date(CONTENT_CHECKED)}
    # What is true for this kind of Trust (includes/trust-types.yml), e.g. setting.people.
    context["setting"] = copy.deepcopy(load_trust_types(includes)[context["trust"]["type"]])
    return context
