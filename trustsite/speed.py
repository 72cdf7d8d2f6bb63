"""Caches that let one worker process build many Trusts quickly.

Every MkDocs build makes a new Jinja environment for the theme, which lists the theme's
thousands of files and loads and compiles its templates again: about a third of a small
site's build time. Within one process (a worker of `trustsite build`, or `mkdocs serve`
between rebuilds) the environment is kept, with its list of the theme's static files and
its compiled templates, until a file in the project's overrides/ is edited, added or
removed. Each page's Jinja template is also compiled once, a page whose Markdown
and surroundings are unchanged is not converted again (what a live preview mostly
rebuilds), and the guard (trustsite/guard.py) keeps its answer for each file's bytes. Page
output is unchanged.

The contract: each cache is keyed by everything its answer depends on, so no edit is ever
hidden (tests/test_caches.py edits and rebuilds in one process); each counts its hits and
misses here; and each must pay for itself on a warm build: scripts/measure_caches.py
switches each off in turn (figures in ARCHITECTURE.md).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import posixpath
import re
from collections import Counter
from typing import Any

import jinja2
from jinja2.defaults import DEFAULT_FILTERS, DEFAULT_TESTS

from material.plugins.search import plugin as search_plugin

from trustsite.shared_render import (MaterialParser, ValueConverter, ValuePage, fill,
                                     filled_from, filled_sections, group_problem,
                                     known_extensions, remember_filled)

# Hits and misses of each cache in this process, so a test can prove each one still answers
# (a dependency upgrade that stops calling it would leave its hits at zero).
HITS: Counter[str] = Counter()
MISSES: Counter[str] = Counter()


def count(cache: str, hit: bool) -> None:
    (HITS if hit else MISSES)[cache] += 1


def folder_signature(folder: str | os.PathLike[str] | None) -> tuple:
    """What changes whenever a file is added to, removed from or renamed in `folder` or any
    folder inside it: each folder's modification time. A file's own edits do not change it,
    so it keys only answers that depend on which files exist."""
    if not folder or not os.path.isdir(folder):
        return ()
    return tuple((root, os.stat(root).st_mtime_ns) for root, _, _ in sorted(os.walk(folder)))


def _custom_dir_signature(theme: Any) -> tuple:
    """The project's own theme folder changes while `serve` runs (the installed theme does
    not)."""
    return folder_signature(getattr(theme, "custom_dir", None))


_STATIC_FILES: dict[tuple, list[str]] = {}
_ENVIRONMENTS: dict[tuple, jinja2.Environment] = {}
_ENVIRONMENTS_LIMIT = 8


def use_cached_theme_environment(theme: Any) -> None:
    """Make theme.get_env() reuse this process's list of the theme's static files (listed
    again whenever a file is added to or removed from the project's own overrides). MkDocs
    lists them before any public event sees the environment (on_env comes later), hence the
    wrapper."""
    make_env = theme.get_env

    def get_env() -> jinja2.Environment:
        env = make_env()
        signature = _custom_dir_signature(theme)
        cache_static_files(env, theme, signature)
        return env

    theme.get_env = get_env


def keep_theme_environment(env: jinja2.Environment, theme: Any) -> jinja2.Environment:
    """The environment to render this build's pages with (from the plugin's on_env, a public
    event, which may replace it): the one this process kept for the same theme, with its
    templates loaded and compiled, else `env`, kept from now on.

    Like MkDocs' own, it never checks a template's file again once loaded, so the key holds
    each file in the project's overrides/ with its size and time: a template edited, added
    or removed there while `serve` runs gives a new environment. The installed theme's
    files are not watched (MkDocs does not watch them either)."""
    key = (tuple(str(folder) for folder in theme.dirs), str(theme.locale),
           files_signature(getattr(theme, "custom_dir", None)))
    kept = _ENVIRONMENTS.get(key)
    count("theme environment", kept is not None)
    if kept is None:
        if len(_ENVIRONMENTS) >= _ENVIRONMENTS_LIMIT:
            _ENVIRONMENTS.clear()
        kept = _ENVIRONMENTS[key] = env
    kept.globals["trustsite_nav_item"] = NavItems()  # one Trust's navigation, this build only
    return kept


class NavItems:
    """overrides/partials/nav.html's `trustsite_nav_item`: each top-level item of one build's
    navigation, as Material's nav-item.html renders it. An item that does not hold the page
    (not active) renders the same for every page in the same folder: nothing in it is marked
    for the page, and its links are relative to the folder. So it is rendered once per folder
    and kept for this build; the item holding the page is rendered for each page."""

    def __init__(self) -> None:
        self.kept: dict[tuple[int, str, str], tuple[Any, str]] = {}

    def __call__(self, nav_item: Any, path: str, page: Any, render: Any) -> str:
        if nav_item.active or page is None or page.url is None:
            return render(nav_item, path, 1)
        key = (id(nav_item), path, posixpath.dirname(page.url))
        count("navigation", key in self.kept)
        if key not in self.kept:  # the item itself is kept too, so its id is not reused
            self.kept[key] = (nav_item, render(nav_item, path, 1))
        return self.kept[key][1]


def files_signature(folder: str | os.PathLike[str] | None) -> tuple:
    """What changes whenever a file in `folder` (or a folder inside it) is edited, added,
    removed or renamed: each file's path, size and modification time."""
    if not folder or not os.path.isdir(folder):
        return ()
    signature = []
    for root, folders, names in os.walk(folder):
        folders.sort()
        for name in sorted(names):
            status = os.stat(os.path.join(root, name))
            signature.append((root, name, status.st_size, status.st_mtime_ns))
    return tuple(signature)


def cache_static_files(env: jinja2.Environment, theme: Any, signature: tuple) -> None:
    env.list_templates = _cached_static_files(env, theme, signature)


def _cached_static_files(env: jinja2.Environment, theme: Any, signature: tuple) -> Any:
    """MkDocs filters the theme's thousands of files down to its static files on every build
    (Files.add_files_from_theme, the only caller that passes a filter). The result depends
    only on the theme's folders and static templates, so it is kept per process."""
    list_templates = env.list_templates

    def cached(extensions: Any = None, filter_func: Any = None) -> list[str]:
        if filter_func is None or extensions is not None:
            return list_templates(extensions, filter_func)
        key = (tuple(str(d) for d in theme.dirs), tuple(sorted(theme.static_templates)),
               signature)
        count("static files", key in _STATIC_FILES)
        if key not in _STATIC_FILES:
            _STATIC_FILES[key] = list_templates(filter_func=filter_func)
        return list(_STATIC_FILES[key])

    return cached


_COMPILED: dict[tuple, Any] = {}
_COMPILED_LIMIT = 1000


def _syntax_key(jinja: jinja2.Environment) -> tuple:
    """The environment settings that change what a source compiles to: its delimiters,
    whitespace handling, extensions and autoescaping (mkdocs.yml may change them mid-serve)."""
    return (jinja.block_start_string, jinja.block_end_string, jinja.variable_start_string,
            jinja.variable_end_string, jinja.comment_start_string, jinja.comment_end_string,
            jinja.line_statement_prefix, jinja.line_comment_prefix, jinja.trim_blocks,
            jinja.lstrip_blocks, jinja.newline_sequence, jinja.keep_trailing_newline,
            tuple(sorted(jinja.extensions)), jinja.optimized, jinja.is_async,
            repr(jinja.autoescape))


def _compile_time_functions(jinja: jinja2.Environment, source: str) -> tuple:
    """The functions compiling `source` may call or whose calling convention shapes its code:
    finalize (applied to constant output) and each filter or test that is not Jinja's own and
    that the source names (the optimizer calls filters on constant arguments). The functions
    themselves, not their ids: the key keeps them alive, so no id is reused. macros.py
    makes new ones for every build, so a page naming one is compiled again each build."""
    own = [("filter", name, function) for name, function in jinja.filters.items()
           if DEFAULT_FILTERS.get(name) is not function]
    own += [("test", name, function) for name, function in jinja.tests.items()
            if DEFAULT_TESTS.get(name) is not function]
    words = set(_WORD.findall(source))
    named = tuple(sorted(((kind, name, function) for kind, name, function in own
                          if _names(name, source, words)),
                         key=lambda item: item[:2]))
    return (jinja.finalize, named)


_WORD = re.compile(r"\w+")


def _names(name: str, source: str, words: set[str]) -> bool:
    """Whether `source` has `name` as a whole word, as re's \\b...\\b finds it. A name
    made of word characters is found just when it is one of the source's words (a page
    has about fifty filters to look for, so its words are listed once)."""
    if _WORD.fullmatch(name):
        return name in words
    return re.search(rf"\b{re.escape(name)}\b", source) is not None


def reuse_compiled_pages(jinja: jinja2.Environment) -> None:
    """Compile each page's template once per process, not once per Trust. The compiled code
    does not depend on the Trust, whose values arrive only when the page is rendered, but on
    the source, the environment's syntax settings and the few functions Jinja calls while
    compiling, which together are the key; the cache lives here because the macros plugin
    loads macros.py afresh for every build."""
    if getattr(jinja.compile, "reuses_compiled_pages", False):
        return
    compile_page = jinja.compile

    def compile(source: str, name: Any = None, filename: Any = None, raw: bool = False,
                defer_init: bool = False) -> Any:
        if name is not None or filename is not None or raw or defer_init:
            return compile_page(source, name, filename, raw, defer_init)
        key = (source, _syntax_key(jinja), type(jinja), _compile_time_functions(jinja, source))
        count("page code", key in _COMPILED)
        if key not in _COMPILED:
            if len(_COMPILED) >= _COMPILED_LIMIT:
                _COMPILED.clear()
            _COMPILED[key] = compile_page(source)
        return _COMPILED[key]

    compile.reuses_compiled_pages = True
    jinja.compile = compile


# -- Rendered pages --------------------------------------------------------------------------
# A live preview renders every page again on each save, though only the edited one changed:
# Markdown conversion is about a third of a rebuild. What MkDocs' Page.render gives depends
# only on the page's Markdown (after the macros ran), its file, the site's files (links are
# checked and rewritten against them), the Markdown extensions and their settings, and the
# link checks' levels, which together are the key. A render that logged anything (a broken
# link, say) is never kept, so every rebuild still reports it and strict mode still fails.
_RENDER_ATTRIBUTES = ("content", "toc", "_title_from_render", "present_anchor_ids",
                      "links_to_anchors")  # what Page.render sets (tests/test_caches.py)
_RENDERED: dict[bytes, bytes] = {}
_RENDERED_LIMIT = 400


def _markdown_settings(config: Any) -> str:
    return repr(config.markdown_extensions) + "\0" + repr(sorted(config.mdx_configs.items()))


def _render_key(page: Any, config: Any, files: Any, markdown: str | None = None) -> bytes:
    key = hashlib.sha256()
    for part in (page.file.src_uri, page.file.dest_uri,
                 page.markdown if markdown is None else markdown, _markdown_settings(config),
                 repr(dict(config.validation)), repr(config.use_directory_urls),
                 repr(logging.getLogger("mkdocs").getEffectiveLevel())):
        key.update(str(part).encode("utf-8") + b"\0")
    for file in files:
        key.update(f"{file.src_uri}\0{file.dest_uri}\0{file.url}\0".encode("utf-8"))
    return key.digest()


class _Logged(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.any = False

    def emit(self, record: logging.LogRecord) -> None:
        self.any = True


def _render_logging(page: Any, config: Any, files: Any, render_afresh: Any) -> bool:
    """Render the page as MkDocs does; whether the render logged anything."""
    logged = _Logged()
    logging.getLogger("mkdocs").addHandler(logged)
    try:
        render_afresh(config, files)
    finally:
        logging.getLogger("mkdocs").removeHandler(logged)
    return logged.any


def _pickled_render(page: Any) -> bytes:
    """What the page's render set, to keep. Pickled, not deep-copied: a quarter of the time,
    and most renders of a many-Trust build are never asked for again."""
    kept = {name: getattr(page, name) for name in _RENDER_ATTRIBUTES if name in vars(page)}
    if kept.get("links_to_anchors") is not None:  # keyed by source path when kept
        kept["links_to_anchors"] = {file.src_uri: links for file, links
                                    in kept["links_to_anchors"].items()}
    return pickle.dumps(kept, pickle.HIGHEST_PROTOCOL)


def _restore_render(page: Any, kept: dict[str, Any], files: Any) -> None:
    """Set what a kept render set (a fresh copy: the page may change what it gets)."""
    for name, value in kept.items():
        setattr(page, name, value)
    if kept.get("links_to_anchors") is not None:
        page.links_to_anchors = {files.get_file_from_path(uri): links for uri, links
                                 in page.links_to_anchors.items()}


def reuse_rendered_page(page: Any) -> None:
    """Make this page's render reuse an earlier identical render in this process, or its
    group's shared conversion (called from the plugin's on_pre_page, a public event, before
    MkDocs renders the page)."""
    render_afresh = page.render

    def render(config: Any, files: Any) -> None:
        values = getattr(page, VALUES, None)
        if values is not None and _render_shared(page, values, config, files, render_afresh):
            return
        key = _render_key(page, config, files)
        pickled = _RENDERED.get(key)
        count("rendered pages", pickled is not None)
        if pickled is not None:
            _restore_render(page, pickle.loads(pickled), files)
            return
        if _render_logging(page, config, files, render_afresh):
            return
        if len(_RENDERED) >= _RENDERED_LIMIT:
            _RENDERED.clear()
        _RENDERED[key] = _pickled_render(page)

    page.render = render


# -- Pages converted once for many Trusts (trustsite/shared_render.py) ----------------------
# A national page's Markdown with each printed value as a token is the same for every Trust
# with the same Trust type, optional sections and files: it is converted once per group and
# each Trust's values are put into the kept HTML. A group whose tokens are not all in ordinary
# text is remembered as such (None), and its pages are converted as before.
VALUES = "trustsite_values"  # the page's ValuePage, set by macros.py after the macros ran
_SHARED: dict[bytes, bytes | None] = {}
_SHARED_LIMIT = 400
_CONVERTERS: dict[str, ValueConverter] = {}


def _value_converter(config: Any) -> ValueConverter:
    settings = _markdown_settings(config)
    if settings not in _CONVERTERS:
        _CONVERTERS.clear()  # one set of settings a build; a new one only after an edit
        _CONVERTERS[settings] = ValueConverter(config.markdown_extensions, config.mdx_configs)
    return _CONVERTERS[settings]


def _render_shared(page: Any, values: ValuePage, config: Any, files: Any,
                   render_afresh: Any) -> bool:
    """Render `page` from its group's kept conversion; False when it must be converted as
    before (its group's tokens are not all in ordinary text, or a value is not plain)."""
    if not known_extensions(config.markdown_extensions):
        return False
    key = _render_key(page, config, files, values.markdown)
    count("shared pages", key in _SHARED)  # a kept None (cannot be shared) answers too
    if key not in _SHARED:
        if len(_SHARED) >= _SHARED_LIMIT:
            _SHARED.clear()
        _SHARED[key] = _convert_group(page, values, config, files, render_afresh)
    if _SHARED[key] is None:
        return False
    kept = pickle.loads(_SHARED[key])
    htmls = _value_converter(config).value_htmls(values)
    if htmls is None:
        return False
    content = fill(kept["content"], htmls)
    remember_filled(content, key, kept["content"], htmls)
    _restore_render(page, dict(kept, content=content), files)
    return True


def _convert_group(page: Any, values: ValuePage, config: Any, files: Any,
                   render_afresh: Any) -> bytes | None:
    """The tokenised page converted and pickled as _RENDERED keeps a page, or None when it
    cannot be shared."""
    rendered, page.markdown = page.markdown, values.markdown
    try:
        logged = _render_logging(page, config, files, render_afresh)
    finally:
        page.markdown = rendered
    pickled = _pickled_render(page)
    kept = pickle.loads(pickled)
    others = pickle.dumps({name: value for name, value in kept.items() if name != "content"},
                          pickle.HIGHEST_PROTOCOL)
    abbreviations = (config.mdx_configs.get("abbr") or {}).get("glossary") or {}
    if logged or group_problem(values, kept.get("content", ""), others, abbreviations):
        return None
    return pickled


class SharedSectionsParser(MaterialParser):  # type: ignore[misc]
    """Material's search Parser, answering a shared page from its group's sections
    (shared_render.filled_sections) instead of parsing its HTML again."""

    def feed(self, data: str) -> None:
        shared = filled_from(data) if not self.data else None
        sections = filled_sections(*shared) if shared is not None else None
        if shared is not None:
            count("shared search", sections is not None)
        if sections is None:
            super().feed(data)
            return
        self.data = sections
        self.section = sections[-1] if sections else None


def share_search_sections() -> None:
    """Make Material's search index (SearchIndex.add_entry_from_context, which makes a new
    Parser for each page) use SharedSectionsParser (tests/test_shared_render.py fails if an
    upgrade stops calling it)."""
    search_plugin.Parser = SharedSectionsParser
