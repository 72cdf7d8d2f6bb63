"""The trustsite MkDocs plugin: apply one Trust's prepared inputs inside MkDocs.

Registered as the `trustsite` plugin (pyproject.toml entry point, named in mkdocs.yml). The
Trust's inputs are worked out before MkDocs runs (trustsite/prepare.py, no MkDocs there):
`trustsite build` and `trustsite serve` prepare the Trust and hand it over with
`TrustSitePlugin.use` (trustsite/build.py). A plain `mkdocs build` hands nothing over, so
the plugin prepares the Trust named by the TRUST environment variable itself (a slug from
locales/ or a path to a .yml file; default 'example'); either way the locale is validated
before anything is rendered.

What stays here needs MkDocs' events: applying the prepared config and files, rendering the
Trust's own pages in the sandbox, review notices, task-list labels, the skip link, Word
copies (made from each page's rendered HTML), the guard in on_post_build, and what `serve`
watches. State is kept on the instance and reset in on_config, so an instance MkDocs reuses
starts every build afresh. Writing into a temporary folder and swapping it in is done in
trustsite/build.py; a plain `mkdocs build` writes straight into site_dir (ARCHITECTURE.md).
"""

from __future__ import annotations

import copy
import logging
import os
import re
import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs_macros import context as mkdocs_macros_context

from trustsite.built_page import point_skip_link
from trustsite.guard import refuse_other_hosts, source_names
from trustsite.content import INCLUDES, load_glossary
from trustsite.context import display_date
from trustsite.documents import html_to_docx, logo_png
from trustsite.locale import (Locale, LocaleError, load_locale, one_line,
                              resolve_locale_path)
from trustsite.project import Project
from trustsite.prepare import PreparedTrust, is_removed, prepare_trust
from trustsite.reviews import page_review, site_review
from trustsite.sandbox import render_trust_page_markdown, sanitise_trust_page_html
from trustsite import speed

log = logging.getLogger("mkdocs.trustsite")


def _no_git_info() -> dict[str, Any]:
    """What mkdocs-macros gives its `git` page variable outside a git checkout."""
    return {"status": False, "date": None}


# mkdocs-macros runs twelve `git` commands on every build to offer pages a `git` variable
# (the last commit's hash, author, e-mail and message). No page uses it, a site should not
# depend on the checkout it is built in, and it cost 15 ms a Trust (more in a big checkout).
# Its plugin module imports mkdocs_macros.context before any build, so this applies to every
# build that loads this plugin; tests/test_plugin.py fails if a build runs git again.
mkdocs_macros_context.get_git_info = _no_git_info
# Material's search parses each page's HTML again; a page shared between Trusts is read from
# its group's sections instead (trustsite/speed.py, ARCHITECTURE.md).
speed.share_search_sections()

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
        return load_locale(os.environ.get("TRUST") or None, project_of(config).locales)
    except LocaleError as error:
        problems = [str(problem) for problem in error.problems]
        for problem in problems:
            print(problem, file=sys.stderr)
        raise LocaleAbort(problems) from None


def prepare_for(config: MkDocsConfig, locale: Locale | None = None) -> PreparedTrust:
    """The Trust prepared against this config's docs and nav: `locale`, or else the one
    TRUST names (LocaleAbort when it is invalid)."""
    return prepare_trust(locale or load_trust(config), Path(config.docs_dir), config.nav,
                         project_of(config).includes)


def apply_prepared_config(config: MkDocsConfig, prepared: PreparedTrust) -> None:
    """The Trust's name, logo, favicon, brand stylesheet, template values and navigation."""
    config.extra.update(prepared.context)
    config.site_name = prepared.site_name
    config.theme["logo"] = prepared.logo
    config.theme["favicon"] = prepared.favicon
    config.extra_css.append(prepared.extra_css)
    # MkDocs writes 404.html with root-relative links, which break under a sub-path or
    # file://; without it, a web server shows its own "not found" page.
    config.theme.static_templates.discard("404.html")
    config.nav = copy.deepcopy(prepared.nav)  # MkDocs may change it; the prepared one stays


def project_of(config: MkDocsConfig) -> Project:
    """The project being built: the folder holding this config's mkdocs.yml."""
    return Project(Path(config.config_file_path).parent)


def use_glossary(config: MkDocsConfig) -> None:
    """Give the abbr extension this project's glossary, so every page's abbreviations show
    their meaning on hover. Read once per build and passed as the extension's `glossary`
    option: appending the file to every page's Markdown made each page parse it again
    (a third of a warm build)."""
    config.mdx_configs["abbr"] = {"glossary": load_glossary(project_of(config).includes)}


class TrustSitePlugin(BasePlugin):
    """The part of a Trust's build that must happen inside MkDocs."""

    def __init__(self) -> None:
        self.handed_over: PreparedTrust | None = None  # by `use`, for the next build only
        self.prepared: PreparedTrust | None = None
        self.word_files: dict[str, File] = {}
        self.sources: dict[str, str] = {}  # built file -> source file, for the guard's messages
        self.includes = INCLUDES  # the built project's includes/, set in on_config

    def use(self, prepared: PreparedTrust) -> None:
        """Build the next site from this prepared Trust instead of preparing one here."""
        self.handed_over = prepared

    @property
    def locale(self) -> Locale:
        assert self.prepared is not None
        return self.prepared.locale

    @event_priority(100)  # before the macros plugin reads config.extra
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        prepared, self.handed_over = self.handed_over, None
        self.prepared = None
        self.word_files = {}
        self.sources = {}
        self.includes = project_of(config).includes
        self.prepared = prepared or prepare_for(config)
        apply_prepared_config(config, self.prepared)
        use_glossary(config)
        speed.use_cached_theme_environment(config.theme)
        return config

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        return speed.keep_theme_environment(env, config.theme)

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.prepared is not None
        add_prepared_files(self.prepared, files, config)
        # Empty until on_page_content fills them in, so links to them validate meanwhile.
        self.word_files = {page: File.generated(config, uri, content=b"")
                           for page, uri in WORD_TEMPLATES.items()
                           if config.extra["champions"]}
        for file in self.word_files.values():
            files.append(file)
        add_local_files(self.prepared, files, config)
        self.sources = source_names(files, Path(config.docs_dir), self.locale)
        return files

    def on_pre_page(self, page: Any, config: MkDocsConfig, files: Files) -> Any:
        speed.reuse_rendered_page(page)
        return page

    @event_priority(50)  # before mkdocs-macros: a Trust's page is rendered only in the sandbox
    def on_page_markdown(self, markdown: str, page: Any, config: MkDocsConfig,
                         files: Files) -> str:
        assert self.prepared is not None
        if page.file.src_dir != str(self.prepared.local_folder):
            return markdown
        return render_trust_page_markdown(markdown, page, self.locale, config.extra,
                                          self.includes)

    def on_page_context(self, context: dict[str, Any], page: Any, config: MkDocsConfig,
                        nav: Any) -> dict[str, Any]:
        context["review_due"] = review_notices(page.meta, self.locale)
        return context

    @event_priority(100)  # first: search, Word and the theme see only the sanitised HTML
    def on_page_content(self, html: str, page: Any, config: MkDocsConfig,
                        files: Files) -> str:
        assert self.prepared is not None
        if page.file.src_dir == str(self.prepared.local_folder):
            html = sanitise_trust_page_html(html, page, self.locale)
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
        word.content_bytes = html_to_docx(html, str(page.title),
                                          self.locale.data["trust"]["name"],
                                          _png_logo(self.locale), self.includes)

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


def add_prepared_files(prepared: PreparedTrust, files: Files, config: MkDocsConfig) -> None:
    """The brand stylesheet, logo and favicon in; switched-off and unused files out."""
    for uri, content in prepared.generated.items():
        files.append(File.generated(config, uri, content=content))
    for uri, source in prepared.copied.items():
        if uri not in prepared.local_files:
            files.append(File.generated(config, uri, abs_src_path=str(source)))
    for file in [f for f in files if is_removed(f.src_uri, prepared)]:
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


def add_local_files(prepared: PreparedTrust, files: Files, config: MkDocsConfig) -> None:
    """The Trust's own pages and files: replacing national ones at the same path, or added
    (the nav already lists the added pages)."""
    for name in prepared.local_files:
        national = files.get_file_from_path(name)
        if national is not None:
            files.remove(national)
        files.append(File(name, src_dir=str(prepared.local_folder), dest_dir=config.site_dir,
                          use_directory_urls=config.use_directory_urls))
    if prepared.replaced:
        log.info("%s", one_line(f"{prepared.locale.slug} replaces national pages: "
                                f"{', '.join(prepared.replaced)}"))


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
    r'(<li class="task-list-item">\s*(?:<p>)?)(<input [^>]*type="checkbox"[^>]*>)(.*?)'
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
