"""mkdocs-macros module: what page templates can call, and how values are made safe.

Locale values reach pages as variables (`{{ trust.name }}`) through config.extra, set by
trustsite/hooks.py. Every value printed with `{{ }}` is escaped for both HTML and Markdown, so
a name like "King's College Hospital" shows exactly and no value can become markup or a link.
Macros build links themselves and mark their output safe.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from markupsafe import Markup, escape

from trustsite.content import REFERENCES_PAGE, load_glossary, load_references

# Characters that start Markdown syntax inline; a backslash makes each literal.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|-])")


def as_text(value: Any) -> Markup:
    """Jinja finalize: print a value as literal text unless a macro already made it safe."""
    if isinstance(value, Markup):
        return value
    return Markup(_MARKDOWN_SPECIALS.sub(r"\\\1", str(escape(str(value)))))


def _anchor(href: str, text: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(href, text)


def on_pre_page_macros(env: Any) -> None:
    # The plugin creates its Jinja environment after define_env, so set escaping here.
    env.env.finalize = as_text


def define_env(env: Any) -> None:
    references = load_references()
    numbers = {ref["key"]: number for number, ref in enumerate(references, start=1)}
    env.variables["references"] = references
    env.variables["glossary"] = load_glossary()

    @env.macro
    def email_link(address: str) -> Markup:
        """A mailto: link showing the address."""
        return _anchor(f"mailto:{address}", address)

    @env.macro
    def link(text: str, url: str) -> Markup:
        """A link to a locale URL (validated as https, http, mailto or tel)."""
        return _anchor(url, text)

    @env.macro
    def phone_link(number: str) -> Markup:
        """A tel: link that phones can dial."""
        return _anchor("tel:" + re.sub(r"[^0-9+]", "", number), number)

    @env.macro
    def cite(*keys: str) -> Markup:
        """Numbered citations, each linking to its entry on the References page."""
        unknown = [key for key in keys if key not in numbers]
        if unknown or not keys:
            raise KeyError(f"cite(): unknown reference key(s) {unknown or '(none given)'}; "
                           f"known keys are in includes/references.yml")
        here = posixpath.dirname(env.page.file.src_uri)
        target = posixpath.relpath(REFERENCES_PAGE, here or ".")
        links = ", ".join(f"[{numbers[key]}]({target}#ref-{key})" for key in keys)
        return Markup(f'<sup class="citation">[{links}]</sup>')
