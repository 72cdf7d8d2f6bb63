"""mkdocs-macros module: what page templates can call, and how values are made safe.

Locale values reach pages as variables (`{{ trust.name }}`) through config.extra, set by
trustsite/plugin.py. Every value printed with `{{ }}` is escaped for both HTML and Markdown, so
a name like "King's College Hospital" shows exactly and no value can become markup or a link.
Macros build links themselves and mark their output safe.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from markupsafe import Markup
from mkdocs.exceptions import PluginError

from trustsite.content import REFERENCES_PAGE, load_glossary, load_references
from trustsite.speed import reuse_compiled_pages

# Characters that start Markdown syntax inline; a backslash makes each literal.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|-])")


def as_text(value: Any) -> Markup:
    """Jinja finalize: print a value as literal text unless a macro already made it safe."""
    if isinstance(value, Markup):
        return value
    text = _MARKDOWN_SPECIALS.sub(r"\\\1", str(value))
    # Only &, < and > matter in text; entities for quotes would carry a '#' into Markdown.
    return Markup(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def _anchor(href: str, text: str) -> Markup:
    # Markdown still runs between inline HTML tags, so the text is escaped for it too.
    return Markup('<a href="{}">').format(href) + as_text(text) + Markup("</a>")


def on_pre_page_macros(env: Any) -> None:
    # The plugin creates its Jinja environment after define_env, so set these here.
    env.env.finalize = as_text
    reuse_compiled_pages(env.env)


_FAILED = re.compile(r"^# _Macro (Rendering|Syntax) Error_")
_DETAIL = re.compile(r"^_(?!File_)(?P<kind>\w+)_: (?P<message>.+)$|\*\*(?P<syntax>.+)\*\*", re.M)
_LINE = re.compile(r'File "<template>", line (\d+)|_Line (\d+) in Markdown file:_')


def render_failure(page_path: str, rendered: str) -> str | None:
    """One line naming the page, the line and the problem, if the page failed to render."""
    if not _FAILED.match(rendered):
        return None
    detail = _DETAIL.search(rendered)
    message = (detail["message"] or detail["syntax"]).rstrip(".") if detail else "it could not render"
    line = _LINE.search(rendered)
    where = f"docs/{page_path}:{line[1] or line[2]}" if line else f"docs/{page_path}"
    return (f"{where}: {message}. Page variables are the locale's fields "
            "(see locales/schema.json) and the macros in macros.py.")


def on_post_page_macros(env: Any) -> None:
    # The plugin would print the error into the page; fail the build naming the page instead.
    failure = render_failure(env.page.file.src_uri, env.markdown)
    if failure:
        raise PluginError(failure)


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
            raise ValueError(f"cite(): unknown reference key(s) {unknown or '(none given)'}; "
                           f"known keys are in includes/references.yml")
        here = posixpath.dirname(env.page.file.src_uri)
        target = posixpath.relpath(REFERENCES_PAGE, here or ".")
        links = ", ".join(f"[{numbers[key]}]({target}#ref-{key})" for key in keys)
        return Markup(f'<sup class="citation">[{links}]</sup>')
