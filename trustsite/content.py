"""Shared content data: the references list, the glossary of abbreviations and the facts
that differ by kind of Trust.

All live once in includes/ and are read by the macros (for pages) and by the checks, from
the includes/ folder of the project being built (this package's own by default). Each
is parsed again whenever its file's bytes change (the bytes are the key: a modification time
may not move for a quick edit), so a live preview shows an edit at once while a worker
building many Trusts parses each file only once.
"""

from __future__ import annotations

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


def references_source(includes: Path = INCLUDES) -> bytes:
    """The references file as it is now: what every answer built from it depends on."""
    return (includes / REFERENCES_FILE.name).read_bytes()


def load_references(source: bytes | None = None,
                    includes: Path = INCLUDES) -> list[dict[str, Any]]:
    """The references, from `source` (references_source()) or the file as it is now."""
    return _read_references(references_source(includes) if source is None else source)


def load_trust_types(includes: Path = INCLUDES) -> dict[str, dict[str, Any]]:
    """Trust type (as in trust.type) -> the examples, staff groups and evidence true for it.

    This is the one place where content varies by kind of Trust: pages see the entry for
    their Trust as `setting` and branch on its fields, so no page is ever copied per type.
    """
    return _read_yaml((includes / TRUST_TYPES_FILE.name).read_bytes())


@lru_cache(maxsize=4)
def _read_yaml(source: bytes) -> Any:
    return yaml.safe_load(source.decode("utf-8"))


def load_glossary(includes: Path = INCLUDES) -> dict[str, str]:
    """Abbreviation -> meaning, from `includes`/abbreviations.md (Markdown's abbreviation
    syntax), which gives every page its abbreviations' hover text."""
    return _read_glossary((includes / GLOSSARY_FILE.name).read_bytes())


@lru_cache(maxsize=4)
def _read_references(source: bytes) -> list[dict[str, Any]]:
    return yaml.safe_load(source.decode("utf-8"))


@lru_cache(maxsize=1)
def _read_glossary(source: bytes) -> dict[str, str]:
    glossary = {}
    for line in source.decode("utf-8").splitlines():
        match = _ABBREVIATION.match(line.strip())
        if match:
            glossary[match["term"]] = match["meaning"].strip()
    return dict(sorted(glossary.items(), key=lambda item: item[0].lower()))
