"""Caches that let one worker process build many Trusts quickly.

Every MkDocs build makes a new Jinja environment for the theme, which lists the theme's
thousands of files and compiles its templates again: about a third of a small site's build
time. Within one process (a worker of `trustsite build`, or `mkdocs serve` between
rebuilds) they are kept: the list of theme files, listed again when a file is added to the
project's overrides/, and the compiled template code, checked against each template's source
so an edited template is compiled again. Each page's Jinja template is also compiled once.
Page output is unchanged.
"""

from __future__ import annotations

import os
from typing import Any

import jinja2
from jinja2.bccache import Bucket

_TEMPLATE_LISTS: dict[tuple, list[str]] = {}


class _ProcessBytecodeCache(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _ProcessBytecodeCache()


def _custom_dir_signature(theme: Any) -> tuple:
    """The project's own theme folder changes while `serve` runs (the installed theme does
    not): its folders' modification times change whenever a file is added or removed."""
    custom = getattr(theme, "custom_dir", None)
    if not custom or not os.path.isdir(custom):
        return ()
    return tuple((root, os.stat(root).st_mtime_ns) for root, _, _ in sorted(os.walk(custom)))


class _ListingCacheLoader(jinja2.FileSystemLoader):
    def __init__(self, searchpath: Any, signature: tuple) -> None:
        super().__init__(searchpath)
        self.signature = signature

    def list_templates(self) -> list[str]:
        key = (tuple(str(path) for path in self.searchpath), self.signature)
        if key not in _TEMPLATE_LISTS:
            _TEMPLATE_LISTS[key] = super().list_templates()
        return list(_TEMPLATE_LISTS[key])


_STATIC_FILES: dict[tuple, list[str]] = {}


def use_cached_theme_environment(theme: Any) -> None:
    """Make theme.get_env() reuse this process's compiled templates and list of theme files
    (listed again whenever a file is added to or removed from the project's own overrides)."""
    make_env = theme.get_env

    def get_env() -> jinja2.Environment:
        env = make_env()
        env.bytecode_cache = _BYTECODE
        signature = _custom_dir_signature(theme)
        env.loader = _ListingCacheLoader(theme.dirs, signature)
        env.list_templates = _cached_static_files(env, theme, signature)
        return env

    theme.get_env = get_env


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
        if key not in _STATIC_FILES:
            _STATIC_FILES[key] = list_templates(filter_func=filter_func)
        return list(_STATIC_FILES[key])

    return cached


_COMPILED: dict[str, Any] = {}
_COMPILED_LIMIT = 1000


def reuse_compiled_pages(jinja: jinja2.Environment) -> None:
    """Compile each page's template once per process, not once per Trust. The compiled code
    does not depend on the Trust, whose values arrive only when the page is rendered; the
    cache lives here because the macros plugin loads macros.py afresh for every build."""
    if getattr(jinja.compile, "reuses_compiled_pages", False):
        return
    compile_page = jinja.compile

    def compile(source: str, name: Any = None, filename: Any = None, raw: bool = False,
                defer_init: bool = False) -> Any:
        if name is not None or filename is not None or raw or defer_init:
            return compile_page(source, name, filename, raw, defer_init)
        if source not in _COMPILED:
            if len(_COMPILED) >= _COMPILED_LIMIT:
                _COMPILED.clear()
            _COMPILED[source] = compile_page(source)
        return _COMPILED[source]

    compile.reuses_compiled_pages = True
    jinja.compile = compile
