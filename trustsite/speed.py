"""Caches that let one worker process build many Trusts quickly.

Every MkDocs build makes a new Jinja environment for the theme, which lists the theme's
thousands of files and compiles its templates again: about a third of a small site's build
time. Within one process those results never change, so they are kept: the list of theme
files per folder set, and the compiled template code (checked against each template's
source, so an edited template is compiled again). Page output is unchanged.
"""

from __future__ import annotations

from typing import Any

import jinja2
from jinja2.bccache import Bucket

_TEMPLATE_LISTS: dict[tuple[str, ...], list[str]] = {}


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


class _ListingCacheLoader(jinja2.FileSystemLoader):
    def list_templates(self) -> list[str]:
        key = tuple(str(path) for path in self.searchpath)
        if key not in _TEMPLATE_LISTS:
            _TEMPLATE_LISTS[key] = super().list_templates()
        return list(_TEMPLATE_LISTS[key])


def use_cached_theme_environment(theme: Any, *, cache_listing: bool) -> None:
    """Make theme.get_env() reuse this process's compiled templates and, if asked, its list
    of theme files (not while serving, where a template may be added at any time)."""
    make_env = theme.get_env

    def get_env() -> jinja2.Environment:
        env = make_env()
        if cache_listing:
            env.loader = _ListingCacheLoader(theme.dirs)
        env.bytecode_cache = _BYTECODE
        return env

    theme.get_env = get_env
