"""mkdocs-macros module: what national pages in docs/ can call.

Locale values reach pages as variables (`{{ trust.name }}`) through config.extra, set by
trustsite/plugin.py. The macros and the escaping (`as_text`) live in trustsite/page_macros.py,
shared with the sandbox that renders a Trust's own pages (trustsite/sandbox.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from trustsite.content import load_glossary, load_references
from trustsite.project import Project
from trustsite.page_macros import as_text, page_macros
from trustsite.shared_render import record_values
from trustsite.speed import VALUES, reuse_compiled_pages


def on_pre_page_macros(env: Any) -> None:
    # The plugin creates its Jinja environment after define_env, so set these here.
    env.env.finalize = as_text
    reuse_compiled_pages(env.env)
    global _source
    _source = env.markdown


_source = ""  # the page's Markdown before the macros ran, for record_values


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
    if env.page.meta.get("render_macros") is False:  # a Trust's page, rendered in the sandbox
        return
    failure = render_failure(env.page.file.src_uri, env.markdown)
    if failure:
        raise PluginError(failure)
    # The page again with tokens for its values, so Trusts that differ only in values share
    # one Markdown conversion (trustsite/shared_render.py, trustsite/speed.py).
    setattr(env.page, VALUES, record_values(lambda: env.render(markdown=_source), env.env,
                                            env.markdown))


def define_env(env: Any) -> None:
    # The includes/ folder of the project being built, which need not be this package's.
    includes = Project(Path(env.conf["config_file_path"]).parent).includes
    env.variables["references"] = load_references(includes=includes)
    env.variables["glossary"] = load_glossary(includes)

    for name, macro in page_macros(lambda: env.page.file.src_uri, includes).items():
        env.macro(macro, name)
