"""A Trust's inputs, prepared before the site generator runs.

Everything here is plain data worked out from a validated locale, the national docs/ folder
and the base navigation from mkdocs.yml. Nothing here imports MkDocs, so the generator in
the middle can be replaced: trustsite/plugin.py applies a PreparedTrust inside MkDocs, and
scripts/canary.py writes the same PreparedTrust out as a project folder for Zensical
(`write_docs_folder`).
"""

from __future__ import annotations

import copy
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from trustsite.colours import brand_shades
from trustsite.content import INCLUDES
from trustsite.context import template_context
from trustsite.local_pages import NAV_SECTION, NAV_SECTION_POSITION, find_local_pages
from trustsite.locale import Locale
from trustsite.svg_png import svg_to_png

TRUST_ASSETS = "assets/trust"
BRAND_CSS = f"{TRUST_ASSETS}/brand.css"
CHAMPIONS_DIR = "champions/"

Nav = list[Any]


@dataclass(frozen=True)
class PreparedTrust:
    """One Trust's inputs to the generator. Paths in `copied` and `local_folder` are files a
    Trust supplied; they were validated with the locale (local_pages.folder_problems)."""

    locale: Locale
    context: dict[str, Any]  # config.extra values; each is also a page variable
    site_name: Markup  # escaped: the theme prints it both raw and through `| e`
    logo: str  # URI inside the site
    favicon: str
    extra_css: str  # the brand stylesheet's URI, added after the national stylesheets
    nav: Nav | None  # switched-off sections removed, the Trust's own pages added
    generated: dict[str, bytes]  # URI -> content made here (brand stylesheet, SVGs as PNG)
    copied: dict[str, Path]  # URI -> file copied as it is (logo, favicon, local pages)
    removed_prefixes: tuple[str, ...]  # national files under these are left out
    replaced: tuple[str, ...]  # national pages the Trust's own pages replace
    local_folder: Path  # where the Trust's own pages come from
    local_files: tuple[str, ...]  # the URIs in `copied` that come from local_folder

    @property
    def trust_name(self) -> str:
        return str(self.locale.data["trust"]["name"])


def prepare_trust(locale: Locale, docs_dir: Path, base_nav: Nav | None,
                  includes: Path = INCLUDES) -> PreparedTrust:
    """Everything the generator needs to make this Trust's copy, from the national inputs.
    base_nav is left as it was."""
    context = template_context(locale, includes)
    brand = locale.data["brand"]
    logo = asset_uri(brand["logo"], "logo")
    favicon_source = brand.get("favicon") or brand["logo"]
    favicon = asset_uri(favicon_source, "favicon")
    generated = {BRAND_CSS: brand_css(brand["primary_colour"]).encode("utf-8")}
    copied: dict[str, Path] = {}
    for uri, source in ((logo, brand["logo"]), (favicon, favicon_source)):
        if Path(source).suffix.lower() == ".svg":  # never published as SVG: it could act
            generated[uri] = svg_to_png(locale.asset(source).read_bytes())
        else:
            copied[uri] = locale.asset(source)
    local = find_local_pages(locale, docs_dir)
    local_files = tuple(local.replaces + local.adds + local.other_files)
    copied.update({name: local.folder / name for name in local_files})
    nav = copy.deepcopy(base_nav)
    if not context["champions"]:
        nav = without_champions(nav)
    if local.adds and nav is not None:
        nav.insert(NAV_SECTION_POSITION, {NAV_SECTION: list(local.adds)})
    return PreparedTrust(
        locale=locale, context=context, site_name=Markup(escape(locale.data["trust"]["name"])),
        logo=logo, favicon=favicon, extra_css=BRAND_CSS, nav=nav,
        generated=generated, copied=copied, removed_prefixes=() if context["champions"] else (CHAMPIONS_DIR,),
        replaced=tuple(local.replaces), local_folder=local.folder, local_files=local_files)


def asset_uri(relative: str, name: str) -> str:
    """Where a Trust's asset goes in the site: a fixed name, so no Trust chooses a path.
    Always a PNG: an SVG is drawn as one (trustsite/svg_png.py)."""
    return f"{TRUST_ASSETS}/{name}.png"


def without_champions(nav: Nav | None) -> Nav | None:
    """The nav with every entry under champions/ removed, and sections left empty dropped."""
    if nav is None:
        return None
    kept = []
    for item in nav:
        if isinstance(item, dict):
            (title, value), = item.items()
            if isinstance(value, list):
                value = without_champions(value)
                if not value:
                    continue
            elif isinstance(value, str) and value.startswith(CHAMPIONS_DIR):
                continue
            kept.append({title: value})
        elif not (isinstance(item, str) and item.startswith(CHAMPIONS_DIR)):
            kept.append(item)
    return kept


def brand_css(primary: str) -> str:
    shades = brand_shades(primary)
    return (
        "/* Generated from the locale's brand.primary_colour. */\n"
        ":root, [data-md-color-scheme=default] {\n"
        f"  --md-primary-fg-color: {shades['primary']};\n"
        f"  --md-primary-fg-color--light: {shades['light']};\n"
        f"  --md-primary-fg-color--dark: {shades['dark']};\n"
        "  --md-primary-bg-color: #FFFFFF;\n"
        f"  --md-accent-fg-color: {shades['dark']};\n"
        f"  --md-typeset-a-color: {shades['primary']};\n"
        f"  --trust-tint: {shades['tint']};\n"
        "}\n"
    )


def is_removed(uri: str, prepared: PreparedTrust) -> bool:
    return uri.startswith(prepared.removed_prefixes)


def write_docs_folder(prepared: PreparedTrust, national_docs: Path, out: Path) -> None:
    """A docs folder holding this Trust's inputs for a generator that has no MkDocs events:
    the national docs without the removed sections, then the prepared files over them (the
    Trust's own pages replace national pages at the same path). Replaces `out`."""
    if out.exists():
        shutil.rmtree(out)
    for source in sorted(p for p in national_docs.rglob("*") if p.is_file()):
        uri = source.relative_to(national_docs).as_posix()
        if not is_removed(uri, prepared):
            _copy(source, out / uri)
    for uri, content in prepared.generated.items():
        (out / uri).parent.mkdir(parents=True, exist_ok=True)
        (out / uri).write_bytes(content)
    for uri, source in prepared.copied.items():
        _copy(source, out / uri)


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)  # contents only: no permissions or links carried over
