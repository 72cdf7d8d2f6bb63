"""locales/schema.json (what editors check as people type) and the build's validator agree."""

from __future__ import annotations

import json

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker

from trustsite.locale import _StrictLoader, validate_file
from trustsite.schema import SCHEMA_FILE

from conftest import ROOT
from test_validation import changed, write_locale

PUBLISHED = Draft202012Validator(json.loads(SCHEMA_FILE.read_text()),
                                 format_checker=FormatChecker())

# Every invalid case of the validation tests that a JSON Schema can express.
SCHEMA_CASES = {
    "missing required": ("  email: research@example-hospitals.example\n", ""),
    "wrong type": ("  participants: 3150", "  participants: lots"),
    "section of wrong type": ("network:\n  name: West Midlands", "network: West Midlands"),
    "unknown key": ("  short_name: Example Hospitals", "  short_nme: Example Hospitals"),
    "unknown network": ("  name: West Midlands", "  name: West Midland"),
    "invalid e-mail": ("  feedback_email: intranet@example-hospitals.example",
                       "  feedback_email: intranet at example-hospitals"),
    "javascript: URL": ("  intranet_url: https://intranet.example-hospitals.example/research",
                        '  intranet_url: "javascript:alert(1)"'),
    "data: URL": ("  intranet_url: https://intranet.example-hospitals.example/research",
                  '  intranet_url: "data:text/html,hi"'),
    "ftp URL": ("  intranet_url: https://intranet.example-hospitals.example/research",
                '  intranet_url: "ftp://files.example/research"'),
    "colour not hex": ('  primary_colour: "#005EB8"', '  primary_colour: "blue"'),
    "logo not SVG or PNG": ("  logo: logo.svg", "  logo: logo.gif"),
    "impossible date": ('  last_reviewed: "2026-10-01"', '  last_reviewed: "2026-13-45"'),
    "words for a date": ('  last_reviewed: "2026-10-01"', '  last_reviewed: "last week"'),
    "markup in text": ("  name: Example Hospitals NHS Foundation Trust",
                       "  name: <script>alert(1)</script>"),
}

# Rules that need the file system or arithmetic, so only the build's validator has them.
VALIDATOR_ONLY = {
    "poor contrast": ('  primary_colour: "#005EB8"', '  primary_colour: "#41B6E6"'),
    "missing logo file": ("  logo: logo.svg", "  logo: missing.svg"),
    "logo outside the folder": ("  logo: logo.svg", "  logo: ../example/logo.svg"),
    "duplicate key": ("  type: acute\n", "  type: acute\n  type: community\n"),
}


def _schema_errors(text: str) -> list[str]:
    data = yaml.load(text, Loader=_StrictLoader)
    return [error.message for error in PUBLISHED.iter_errors(data)]


@pytest.mark.parametrize("slug", ["example", "northmoor-community", "brightwater-valley"])
def test_example_locales_pass_both(slug):
    path = ROOT / "locales" / f"{slug}.yml"
    assert _schema_errors(path.read_text()) == []
    assert validate_file(path)[1] == []


@pytest.mark.parametrize("case", SCHEMA_CASES)
def test_schema_and_validator_both_reject(tmp_path, case):
    text = changed(*SCHEMA_CASES[case])
    assert _schema_errors(text), "the published schema accepted it"
    assert validate_file(write_locale(tmp_path, text))[1], "the validator accepted it"


@pytest.mark.parametrize("case", VALIDATOR_ONLY)
def test_rules_beyond_the_schema_are_the_validators(tmp_path, case):
    text = changed(*VALIDATOR_ONLY[case])
    assert _schema_errors(text) == [], "expected only the build's validator to see this"
    assert validate_file(write_locale(tmp_path, text))[1]
