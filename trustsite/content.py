"""Shared content data: the references list, the glossary of abbreviations and the facts
that differ by kind of Trust.

All live once in includes/ and are read by the macros (for pages) and by the checks. Each
is read again whenever its file changes (size or modification time), so a live preview shows
an edit at once while a worker building many Trusts reads each file only once.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from trustsite.project import INSTALLED

INCLUDES = INSTALLED.includes
REFERENCES_FILE = INCLUDES / "references.yml"
GLOSSARY_FILE = INCLUDES / "abbreviations.md"
TRUST_TYPES_FILE = INCLUDES / "trust-types.yml"
REFERENCES_PAGE = "about/references.md"

_ABBREVIATION = re.compile(r"^\*\[(?P<term>[^\]]+)\]:\s*(?P<meaning>.+)$")


def _version(path: Path) -> tuple[int, int]:
    """What the cached answer for `path` depends on: its modification time and size."""
    stat = os.stat(path)
    return stat.st_mtime_ns, stat.st_size


def load_references() -> list[dict[str, Any]]:
    return _read_references(REFERENCES_FILE, _version(REFERENCES_FILE))


def load_trust_types() -> dict[str, dict[str, Any]]:
    """Trust type (as in trust.type) -> the examples, staff groups and evidence true for it.

    This is the one place where content varies by kind of Trust: pages see the entry for
    their Trust as `setting` and branch on its fields, so no page is ever copied per type.
    """
    return _read_yaml(TRUST_TYPES_FILE, _version(TRUST_TYPES_FILE))


@lru_cache(maxsize=4)
def _read_yaml(path: Path, version: tuple[int, int]) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_glossary() -> dict[str, str]:
    """Abbreviation -> meaning, from the Markdown abbreviations file appended to every page."""
    return _read_glossary(GLOSSARY_FILE, _version(GLOSSARY_FILE))


@lru_cache(maxsize=1)
def _read_references(path: Path, version: tuple[int, int]) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _read_glossary(path: Path, version: tuple[int, int]) -> dict[str, str]:
    glossary = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _ABBREVIATION.match(line.strip())
        if match:
            glossary[match["term"]] = match["meaning"].strip()
    return dict(sorted(glossary.items(), key=lambda item: item[0].lower()))
