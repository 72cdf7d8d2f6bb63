"""The HTML pages the toolkit writes itself, from trustsite/templates/: DIR/index.html, the
PDF's print view and the changed-pages report. One environment, so each compiles once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

_ENVIRONMENT = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                           autoescape=select_autoescape(["html"]))


def render_template(name: str, **context: Any) -> str:
    return _ENVIRONMENT.get_template(name).render(**context)


# Markdown (the changes report): autoescape off, so every untrusted value is escaped
# explicitly in the template with the filters from trustsite/changes/inert.py.
_MARKDOWN_ENVIRONMENT = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                                    autoescape=False, trim_blocks=True, lstrip_blocks=True,
                                    keep_trailing_newline=True)


def render_markdown_template(name: str, filters: dict[str, Any], **context: Any) -> str:
    _MARKDOWN_ENVIRONMENT.filters.update(filters)
    return _MARKDOWN_ENVIRONMENT.get_template(name).render(**context)
