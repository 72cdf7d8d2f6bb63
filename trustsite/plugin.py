"""The trustsite MkDocs plugin: turn the base config into one Trust's site.

Registered as the `trustsite` plugin (pyproject.toml entry point, named in mkdocs.yml). The
Trust is chosen by the TRUST environment variable (a slug from locales/ or a path to a .yml
file; default 'example'); its locale is validated before anything is rendered.

The plugin keeps its state on the instance: MkDocs creates it once per process and reuses it
for every build (each `mkdocs serve` rebuild, each Trust a `trustsite build` worker builds), so
on_config starts every build afresh. Writing into a temporary folder and swapping it in is not
done here but in trustsite/build.py (`trustsite build`, `trustsite serve`); a plain `mkdocs
build` writes straight into site_dir (see ARCHITECTURE.md).
"""

from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from trustsite.built_page import point_skip_link
from trustsite.colours import brand_shades
from trustsite.guard import refuse_other_hosts, source_names
from trustsite.context import display_date, template_context
from trustsite.documents import html_to_docx, logo_png
from trustsite.local_pages import NAV_SECTION, NAV_SECTION_POSITION, find_local_pages
from trustsite.locale import Locale, LocaleError, load_locale, resolve_locale_path
from trustsite.reviews import page_review, site_review
from trustsite.sandbox import render_trust_page_markdown
from trustsite import speed

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


class LocaleAbort(Abort):
    """The chosen locale is invalid; `problems` holds one FILE:LINE: field: message each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"The locale has {len(problems)} problem(s); nothing was built. "
                         "Fix each line above, then build again.")
        self.problems = problems


def load_trust(config: MkDocsConfig) -> Locale:
    """The locale TRUST names, validated; prints each problem and aborts when it is invalid."""
    try:
        locales_dir = Path(config.config_file_path).parent / "locales"
        return load_locale(os.environ.get("TRUST") or None, locales_dir)
    except LocaleError as error:
        problems = [str(problem) for problem in error.problems]
        for problem in problems:
            print(problem, file=sys.stderr)
        raise LocaleAbort(problems) from None


def apply_trust_config(config: MkDocsConfig, locale: Locale) -> None:
    """The Trust's name, logo, favicon, brand stylesheet, template values and navigation."""
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


class TrustSitePlugin(BasePlugin):
    """The part of a Trust's build that must happen inside MkDocs."""

    def __init__(self) -> None:
        self.locale: Locale | None = None
        self.word_files: dict[str, File] = {}
        self.local_folder = ""  # where the Trust's own pages come from
        self.sources: dict[str, str] = {}  # built file -> source file, for the guard's messages

    @event_priority(100)  # before the macros plugin reads config.extra
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.locale = None
        self.word_files = {}
        self.local_folder = ""
        self.sources = {}
        # `mkdocs build -q` raises the "mkdocs" logger to ERROR, which would drop this
        # plugin's warnings before strict mode counts them. Lowering only this plugin's own
        # logger keeps them counted and shown, leaving everyone else's messages as asked.
        if config.strict and log.getEffectiveLevel() > logging.WARNING:
            log.setLevel(logging.WARNING)
        self.locale = load_trust(config)
        apply_trust_config(config, self.locale)
        speed.use_cached_theme_environment(config.theme)
        return config

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        speed.share_compiled_templates(env)
        return env

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.locale is not None
        add_trust_files(self.locale, files, config)
        # Empty until on_page_content fills them in, so links to them validate meanwhile.
        self.word_files = {page: File.generated(config, uri, content=b"")
                           for page, uri in WORD_TEMPLATES.items()
                           if config.extra["champions"]}
        for file in self.word_files.values():
            files.append(file)
        self.local_folder = _add_local_pages(self.locale, files, config)
        self.sources = source_names(files, Path(config.docs_dir), self.locale)
        return files

    @event_priority(50)  # before mkdocs-macros: a Trust's page is rendered only in the sandbox
    def on_page_markdown(self, markdown: str, page: Any, config: MkDocsConfig,
                         files: Files) -> str:
        if page.file.src_dir != self.local_folder:
            return markdown
        assert self.locale is not None
        return render_trust_page_markdown(markdown, page, self.locale, config.extra)

    def on_page_context(self, context: dict[str, Any], page: Any, config: MkDocsConfig,
                        nav: Any) -> dict[str, Any]:
        assert self.locale is not None
        context["review_due"] = review_notices(page.meta, self.locale)
        return context

    def on_page_content(self, html: str, page: Any, config: MkDocsConfig,
                        files: Files) -> str:
        html = label_task_list_items(html)
        self._write_word_template(html, page, files)
        return html

    def _write_word_template(self, html: str, page: Any, files: Files) -> None:
        """Fill in the page's Word copy from the same HTML, so the two never differ.

        MkDocs renders every page before it writes any static file, so the bytes set here
        are what gets written. A Trust's own file at the same path (a local page) is left
        alone.
        """
        word = self.word_files.get(page.file.src_uri)
        if word is None or files.get_file_from_path(word.src_uri) is not word:
            return
        assert self.locale is not None
        word.content_bytes = html_to_docx(html, str(page.title),
                                          self.locale.data["trust"]["name"],
                                          _png_logo(self.locale))

    def on_post_page(self, output: str, page: Any, config: MkDocsConfig) -> str:
        return skip_to_content_start(output)

    def on_post_build(self, config: MkDocsConfig) -> None:
        # The one guard against references to other hosts. `trustsite build` and `serve` build
        # into a temporary folder, so a failure here keeps the previous site in place.
        refuse_other_hosts(Path(config.site_dir), self.sources)

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig,
                 builder: Any) -> LiveReloadServer:
        """Watch the previewed Trust's locale file and folder (named even when invalid)."""
        locale_path = resolve_locale_path(os.environ.get("TRUST") or None,
                                          Path(config.config_file_path).parent / "locales")
        server.watch(str(locale_path))
        folder = locale_path.with_suffix("")
        if folder.is_dir():
            server.watch(str(folder))
        return server


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


def add_trust_files(locale: Locale, files: Files, config: MkDocsConfig) -> None:
    """The brand stylesheet, logo and favicon in; switched-off and unused files out."""
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


def _search_languages(config: MkDocsConfig) -> list[str]:
    search = config.plugins.get("material/search") or config.plugins.get("search")
    return list(search.config.lang or []) if search else []


def _unused_theme_file(uri: str, english_only: bool) -> bool:
    """Theme files no reader's browser asks for: source maps (for developer tools) and, for
    English-only search, the search's other languages. Leaving them out halves each site
    and its zip."""
    return uri.startswith("assets/") and (
        uri.endswith(".map") or (english_only and uri.startswith("assets/javascripts/lunr/")))


def _add_local_pages(locale: Locale, files: Files, config: MkDocsConfig) -> str:
    """The Trust's own pages: replacing national pages at the same path, or added. Returns
    the folder they come from."""
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
    return str(local.folder)


def review_notices(meta: dict[str, Any], locale: Locale) -> list[dict[str, str]]:
    """What to say on the page when it, or the whole copy, is past its review date."""
    page_dates = page_review(meta)
    site_dates = site_review(locale)
    overdue = [(what, review) for what, review in (("page", page_dates), ("site", site_dates))
               if review is not None and review.is_due()]
    return [{"what": what, "last": display_date(review.last),
             "next": display_date(review.next)} for what, review in overdue]


# pymdownx.tasklist writes `<input type="checkbox">` followed by the item's text,
# with nothing tying the two together, so a screen reader announces an unlabelled checkbox
# (WCAG 1.3.1, 4.1.2). Wrapping the box and the item's own text (up to any nested list or
# paragraph) in a <label> names it, without changing how the list looks.
_TASK_ITEM = re.compile(
    r'(<li class="task-list-item">\s*(?:<p>)?)(<input type="checkbox"[^>]*>)(.*?)'
    r'(?=</p>|</li>|<ul|<ol|<p>|<div)', re.DOTALL)


def label_task_list_items(html: str) -> str:
    return _TASK_ITEM.sub(r'\1<label class="task-list-label">\2\3</label>', html)


def _png_logo(locale: Locale) -> bytes | None:
    """The Trust's logo for Word's page header, as PNG (Word cannot show SVG)."""
    logo = locale.asset(locale.data["brand"]["logo"])
    if not logo.is_file():
        return None
    return logo_png(logo.read_bytes(), logo.suffix.lower() == ".svg")


# Material's skip link goes to the page's first heading, after the notices above the title; on
# a page with no link below its title, Tab then leaves the content for the footer.
CONTENT_START = "trust-content-start"  # the id of the notice above the title (trust-notice.html)


def skip_to_content_start(html: str) -> str:
    """Point the skip link at the top of the content: the notices above the title."""
    if f'id="{CONTENT_START}"' not in html:
        return html
    return point_skip_link(html, CONTENT_START)


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
