"""Shared content data: the references list, the glossary of abbreviations and the facts
that differ by kind of Trust.

All live once in includes/ and are read by the macros (for pages) and by the checks.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
INCLUDES = ROOT / "includes"
REFERENCES_FILE = INCLUDES / "references.yml"
GLOSSARY_FILE = INCLUDES / "abbreviations.md"
TRUST_TYPES_FILE = INCLUDES / "trust-types.yml"
REFERENCES_PAGE = "about/references.md"

_ABBREVIATION = re.compile(r"^\*\[(?P<term>[^\]]+)\]:\s*(?P<meaning>.+)$")


@lru_cache(maxsize=1)
def load_references() -> list[dict[str, Any]]:
    return yaml.safe_load(REFERENCES_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_trust_types() -> dict[str, dict[str, Any]]:
    """Trust type (as in trust.type) -> the examples, staff groups and evidence true for it.

    This is the one place where content varies by kind of Trust: pages see the entry for
    their Trust as `setting` and branch on its fields, so no page is ever copied per type.
    """
    return yaml.safe_load(TRUST_TYPES_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_glossary() -> dict[str, str]:
    """Abbreviation -> meaning, from the Markdown abbreviations file appended to every page."""
    glossary = {}
    for line in GLOSSARY_FILE.read_text(encoding="utf-8").splitlines():
        match = _ABBREVIATION.match(line.strip())
        if match:
            glossary[match["term"]] = match["meaning"].strip()
    return dict(sorted(glossary.items(), key=lambda item: item[0].lower()))
