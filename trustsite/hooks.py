"""MkDocs hooks: turn the base config into one Trust's site.

The Trust is chosen by the TRUST environment variable (a slug from locales/ or a path to a
.yml file; default 'example'). Its locale is validated before anything is rendered. A `mkdocs
build` writes into a temporary folder beside site_dir and swaps it in only when the build
succeeded, so a failed build never leaves a half-written site.
"""

from __future__ import annotations

import atexit
import logging
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.utils import CountHandler

from trustsite.colours import brand_shades
from trustsite.context import display_date, template_context
from trustsite.documents import html_to_docx
from trustsite.local_pages import NAV_SECTION, NAV_SECTION_POSITION, find_local_pages
from trustsite.locale import Locale, LocaleError, load_locale
from trustsite.reviews import page_review, site_review
from trustsite.speed import use_cached_theme_environment

log = logging.getLogger("mkdocs.trustsite")

TRUST_ASSETS = "assets/trust"
BRAND_CSS = f"{TRUST_ASSETS}/brand.css"
CHAMPIONS_DIR = "champions/"
# Champion templates also written as Word documents, each made from its own rendered page.
WORD_TEMPLATES = {
    "champions/role-description.md": "downloads/role-description.docx",
    "champions/engagement-plan.md": "downloads/engagement-plan.docx",
    "champions/lunch-and-learn.md": "downloads/lunch-and-learn-plan.docx",
}

_state: dict[str, Any] = {}
# `mkdocs serve` reloads this module for every rebuild but calls on_startup only once, so
# the command is kept where the reloaded module can still see it.
_COMMAND = "TRUSTSITE_MKDOCS_COMMAND"


def on_startup(command: str, dirty: bool) -> None:
    os.environ[_COMMAND] = command


@event_priority(100)  # before the macros plugin reads config.extra
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        locales_dir = Path(config.config_file_path).parent / "locales"
        locale = load_locale(os.environ.get("TRUST") or None, locales_dir)
    except LocaleError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        raise Abort(f"The locale has {len(error.problems)} problem(s); nothing was built. "
                    "Fix each line above, then build again.")
    _state["locale"] = locale
    if config.strict:
        # `mkdocs build -q` raises the logger's level to ERROR, so strict mode would count
        # no warnings at all; keep warnings flowing so they still fail the build.
        mkdocs_log = logging.getLogger("mkdocs")
        mkdocs_log.setLevel(min(mkdocs_log.getEffectiveLevel(), logging.WARNING))
    context = template_context(locale)
    config.extra.update(context)
    # The theme prints site_name both raw and through `| e`; Markup is safe in both places.
    config.site_name = Markup(escape(locale.data["trust"]["name"]))
    config.theme["logo"] = _asset_uri(locale.data["brand"]["logo"], "logo")
    config.theme["favicon"] = _asset_uri(locale.data["brand"].get("favicon")
                                         or locale.data["brand"]["logo"], "favicon")
    config.extra_css.append(BRAND_CSS)
    # MkDocs writes 404.html with root-relative links, which break under a sub-path or
    # file://; without it, a web server shows its own "not found" page.
    config.theme.static_templates.discard("404.html")
    if not context["champions"]:
        config.nav = _without_champions(config.nav)
    use_cached_theme_environment(config.theme)
    if os.environ.get(_COMMAND, "build") == "build":
        _build_into_temporary_folder(config)
    return config


def _asset_uri(relative: str, name: str) -> str:
    return f"{TRUST_ASSETS}/{name}{Path(relative).suffix.lower()}"


def _without_champions(nav: list[Any] | None) -> list[Any] | None:
    """The nav with every entry under champions/ removed, and sections left empty dropped."""
    if nav is None:
        return None
    kept = []
    for item in nav:
        if isinstance(item, dict):
            (title, value), = item.items()
            if isinstance(value, list):
                value = _without_champions(value)
                if not value:
                    continue
            elif isinstance(value, str) and value.startswith(CHAMPIONS_DIR):
                continue
            kept.append({title: value})
        elif not (isinstance(item, str) and item.startswith(CHAMPIONS_DIR)):
            kept.append(item)
    return kept


def on_files(files: Files, config: MkDocsConfig) -> Files:
    locale: Locale = _state["locale"]
    brand = locale.data["brand"]
    files.append(File.generated(config, BRAND_CSS, content=_brand_css(brand["primary_colour"])))
    files.append(File.generated(config, config.theme["logo"],
                                abs_src_path=str(locale.asset(brand["logo"]))))
    if config.theme["favicon"] != config.theme["logo"]:
        favicon = brand.get("favicon") or brand["logo"]
        files.append(File.generated(config, config.theme["favicon"],
                                    abs_src_path=str(locale.asset(favicon))))
    if not config.extra["champions"]:
        for file in [f for f in files if f.src_uri.startswith(CHAMPIONS_DIR)]:
            files.remove(file)
    english_only = _search_languages(config) == ["en"]
    for file in [f for f in files if _unused_theme_file(f.src_uri, english_only)]:
        files.remove(file)
    # Empty until on_page_content fills them in, so links to them validate meanwhile.
    _state["word_files"] = {page: File.generated(config, uri, content=b"")
                            for page, uri in WORD_TEMPLATES.items()
                            if config.extra["champions"]}
    for file in _state["word_files"].values():
        files.append(file)
    _add_local_pages(locale, files, config)
    return files


def _search_languages(config: MkDocsConfig) -> list[str]:
    search = config.plugins.get("material/search") or config.plugins.get("search")
    return list(search.config.lang or []) if search else []


def _unused_theme_file(uri: str, english_only: bool) -> bool:
    """Theme files no reader's browser asks for: source maps (for developer tools) and, for
    English-only search, the search's other languages. Leaving them out halves each site
    and its zip."""
    return uri.startswith("assets/") and (
        uri.endswith(".map") or (english_only and uri.startswith("assets/javascripts/lunr/")))


def _add_local_pages(locale: Locale, files: Files, config: MkDocsConfig) -> None:
    """The Trust's own pages: replacing national pages at the same path, or added."""
    local = find_local_pages(locale, Path(config.docs_dir))
    for name in local.replaces + local.adds + local.other_files:
        national = files.get_file_from_path(name)
        if national is not None:
            files.remove(national)
        files.append(File(name, src_dir=str(local.folder), dest_dir=config.site_dir,
                          use_directory_urls=config.use_directory_urls))
    if local.replaces:
        log.info("%s replaces national pages: %s", locale.slug, ", ".join(local.replaces))
    if local.adds and config.nav is not None:
        config.nav.insert(NAV_SECTION_POSITION, {NAV_SECTION: list(local.adds)})


def on_page_context(context: dict[str, Any], page: Any, config: MkDocsConfig,
                    nav: Any) -> dict[str, Any]:
    """Say on the page when it, or the whole copy, is past its review date."""
    page_dates = page_review(page.meta)
    site_dates = site_review(_state["locale"])
    overdue = [(what, review) for what, review in (("page", page_dates), ("site", site_dates))
               if review is not None and review.is_due()]
    context["review_due"] = [{"what": what, "last": display_date(review.last),
                              "next": display_date(review.next)} for what, review in overdue]
    return context


# pymdownx.tasklist writes `<input type="checkbox">` followed by the item's text,
# with nothing tying the two together, so a screen reader announces an unlabelled checkbox
# (WCAG 1.3.1, 4.1.2). Wrapping the box and the item's own text (up to any nested list or
# paragraph) in a <label> names it, without changing how the list looks.
_TASK_ITEM = re.compile(
    r'(<li class="task-list-item">\s*(?:<p>)?)(<input type="checkbox"[^>]*>)(.*?)'
    r'(?=</p>|</li>|<ul|<ol|<p>|<div)', re.DOTALL)


def label_task_list_items(html: str) -> str:
    return _TASK_ITEM.sub(r'\1<label class="task-list-label">\2\3</label>', html)


def on_page_content(html: str, page: Any, config: MkDocsConfig, files: Files) -> str:
    html = label_task_list_items(html)
    _write_word_template(html, page, files)
    return html


def _write_word_template(html: str, page: Any, files: Files) -> None:
    """Fill in the page's Word copy from the same HTML, so the two never say different things.

    MkDocs renders every page before it writes any static file, so the bytes set here are
    what gets written. A Trust's own file at the same path (a local page) is left alone.
    """
    word = _state.get("word_files", {}).get(page.file.src_uri)
    if word is None or files.get_file_from_path(word.src_uri) is not word:
        return
    locale: Locale = _state["locale"]
    word.content_bytes = html_to_docx(html, str(page.title), locale.data["trust"]["name"],
                                      _png_logo(locale))


def _png_logo(locale: Locale) -> bytes | None:
    """The Trust's logo for Word's page header, when it is a PNG (Word cannot show SVG, so
    an SVG logo leaves the Trust's name alone there)."""
    logo = locale.asset(locale.data["brand"]["logo"])
    return logo.read_bytes() if logo.suffix.lower() == ".png" and logo.is_file() else None


# Tags that make a browser fetch something as the page loads (links to read are fine).
_ASSET_TAG = re.compile(r"<(?:script|img|source|iframe|video|audio|embed)\b[^>]*?\b(?:src|srcset)"
                        r"=[\"'](?P<url>(?:https?:)?//[^\"']+)|<link\b(?=[^>]*\brel=[\"']?"
                        r"(?:stylesheet|icon|preload|modulepreload|manifest))[^>]*?\bhref="
                        r"[\"'](?P<link>(?:https?:)?//[^\"']+)", re.I)


@event_priority(-100)  # after the privacy plugin, which may have saved the asset locally
def on_post_page(output: str, page: Any, config: MkDocsConfig) -> str:
    """Warn (and so, under strict, fail) when a page would load anything from another host:
    the sites must work on an intranet with no internet at all."""
    for match in _ASSET_TAG.finditer(output):
        url = match["url"] or match["link"]
        log.warning("docs/%s loads %s from another host. The guide must work with no "
                    "internet: save the file under docs/assets/ and link to it there.",
                    page.file.src_uri, url)
    return skip_to_content_start(output)


# Material's skip link goes to the page's first heading, after the notices above the title; on
# a page with no link below its title, Tab then leaves the content for the footer.
_SKIP_LINK = re.compile(r'<a href="[^"]*" class="md-skip">')
CONTENT_START = "trust-content-start"  # the id of the notice above the title (trust-notice.html)


def skip_to_content_start(html: str) -> str:
    """Point the skip link at the top of the content: the notices above the title."""
    if f'id="{CONTENT_START}"' not in html:
        return html
    return _SKIP_LINK.sub(f'<a href="#{CONTENT_START}" class="md-skip">', html, count=1)


def _brand_css(primary: str) -> str:
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


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    locale: Locale = _state["locale"]
    server.watch(str(locale.path))
    if locale.folder.is_dir():
        server.watch(str(locale.folder))
    return server


# -- Atomic builds ---------------------------------------------------------------------------

def _build_into_temporary_folder(config: MkDocsConfig) -> None:
    """Point site_dir at a fresh folder beside the real one; on_post_build swaps it in."""
    final = Path(config.site_dir).resolve()
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=final.parent))
    atexit.register(shutil.rmtree, temporary, ignore_errors=True)  # also after sys.exit
    warnings = CountHandler()
    warnings.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(warnings)
    _state.update(final=final, temporary=temporary, warnings=warnings)
    config.site_dir = str(temporary)


def on_post_build(config: MkDocsConfig) -> None:
    temporary: Path | None = _state.pop("temporary", None)
    if temporary is None:
        return
    final: Path = _state.pop("final")
    warnings: CountHandler = _state.pop("warnings")
    logging.getLogger("mkdocs").removeHandler(warnings)
    if config.strict and warnings.get_counts():
        # mkdocs aborts right after this event; keep the previous site as it was.
        shutil.rmtree(temporary, ignore_errors=True)
        return
    replace_directory(temporary, final)
    config.site_dir = str(final)


def on_build_error(error: Exception) -> None:
    temporary = _state.pop("temporary", None)
    if temporary is not None:
        shutil.rmtree(temporary, ignore_errors=True)
    warnings = _state.pop("warnings", None)
    if warnings is not None:  # a worker goes on to build other Trusts
        logging.getLogger("mkdocs").removeHandler(warnings)


def replace_directory(new: Path, final: Path) -> None:
    """Put `new` where `final` is, with the old folder removed only once the new one is in."""
    os.chmod(new, 0o755)  # mkdtemp makes it private; a published site must be readable
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        final.rename(old)
    new.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
