"""The schema is the single source of truth: published, described, and matched by the content."""

from __future__ import annotations

import json
import re

from trustsite.content import load_trust_types
from trustsite.schema import (LOCALE_SCHEMA, README_FILE, SCHEMA_FILE, readme_with_fields,
                              schema_json)

from conftest import ROOT

# Values the build derives from the locale (trustsite/context.py), usable in pages too.
DERIVED = {"network.full_name", "site.last_reviewed_display", "site.next_review_display",
           "guide.title", "guide.version", "guide.slug", "guide.maintainer",
           "guide.content_checked", "guide.content_checked_display",
           "research_office.phone_uri"} | {
    f"setting.{field}" for field in load_trust_types()["acute"]}
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
SECTION = re.compile(r"\b(" + "|".join(LOCALE_SCHEMA["properties"])
                     + r"|guide|setting)\.([a-z_]+)\b")


def _fields(schema: dict, prefix: str = ""):
    for name, field in schema.get("properties", {}).items():
        yield f"{prefix}{name}", field
        yield from _fields(field.get("items", field), f"{prefix}{name}.")


def test_published_schema_is_up_to_date():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_json(), \
        "run 'python -m trustsite schema' to refresh locales/schema.json"
    assert json.loads(SCHEMA_FILE.read_text())["$schema"].endswith("2020-12/schema")


def test_readme_documents_every_field():
    readme = README_FILE.read_text(encoding="utf-8")
    assert readme == readme_with_fields(readme), \
        "run 'python -m trustsite schema' to refresh the README's field table"
    table = readme[readme.index("<!-- fields:start -->"):readme.index("<!-- fields:end -->")]
    documented = {row.split("`")[1].replace("[]", "") for row in table.splitlines()
                  if row.startswith("| `")}
    assert documented == {name for name, _ in _fields(LOCALE_SCHEMA)}


def test_every_field_has_a_description():
    missing = [name for name, field in _fields(LOCALE_SCHEMA) if not field.get("description")]
    assert not missing


def test_fixed_field_names_exist():
    names = {name for name, _ in _fields(LOCALE_SCHEMA)}
    assert {"trust.name", "trust.short_name", "brand.primary_colour", "brand.logo",
            "research_office.team_name", "research_office.email",
            "research_office.intranet_url", "network.name", "site.owner",
            "site.feedback_email", "site.last_reviewed", "accessibility.contact_email"} <= names


def test_locales_point_editors_at_the_schema():
    for path in (ROOT / "locales").glob("*.yml"):
        assert path.read_text().startswith("# yaml-language-server: $schema=schema.json"), path


def test_every_variable_used_in_content_exists():
    known = {name for name, _ in _fields(LOCALE_SCHEMA)} | DERIVED
    used = set()
    for path in [*(ROOT / "docs").rglob("*.md"), *(ROOT / "overrides").rglob("*.html")]:
        for expression in JINJA.findall(path.read_text(encoding="utf-8")):
            expression = re.sub(r"'[^']*'|\"[^\"]*\"", "", expression)  # not string literals
            for section, field in SECTION.findall(expression):
                used.add((f"{section}.{field}", path.relative_to(ROOT).as_posix()))
    unknown = sorted(f"{name} in {where}" for name, where in used if name not in known)
    assert not unknown
