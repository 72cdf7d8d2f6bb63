"""Shared content data: the references list and the glossary of abbreviations.

Both live once in includes/ and are read by the macros (for pages) and by the checks.
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
REFERENCES_PAGE = "about/references.md"

_ABBREVIATION = re.compile(r"^\*\[(?P<term>[^\]]+)\]:\s*(?P<meaning>.+)$")


@lru_cache(maxsize=1)
def load_references() -> list[dict[str, Any]]:
    return yaml.safe_load(REFERENCES_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_glossary() -> dict[str, str]:
    """Abbreviation -> meaning, from the Markdown abbreviations file appended to every page."""
    glossary = {}
    for line in GLOSSARY_FILE.read_text(encoding="utf-8").splitlines():
        match = _ABBREVIATION.match(line.strip())
        if match:
            glossary[match["term"]] = match["meaning"].strip()
    return dict(sorted(glossary.items(), key=lambda item: item[0].lower()))
