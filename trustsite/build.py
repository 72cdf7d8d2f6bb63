"""Build one or many Trusts' sites, each into DIR/<slug>/ with DIR/<slug>.zip beside it.

Trusts build in parallel worker processes. Each worker builds one Trust with the MkDocs
API into a temporary folder beside DIR/<slug>/, runs the post-processors on it and only then
swaps it into place (build_atomically, also used by `trustsite serve`), so a Trust that fails
keeps its previous DIR/<slug>/ while the others still build.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import shutil
import tempfile
import time
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from trustsite.build_record import (national_digest, outputs_present, read_record,
                                    trust_digest, write_record)
from trustsite.editor import write_editor
from trustsite.html_templates import render_template
from trustsite.local_pages import find_local_pages
from trustsite.locale import Locale, LocaleError, Problem, display_path
from trustsite.prepare import PreparedTrust
from trustsite.project import INSTALLED, Project
from trustsite.reproducible import source_date, write_deterministic_zip
from trustsite.schema import DEFAULT_SHAREPOINT_SITE, FRAGMENTS_SUFFIX, SHAREPOINT_SUFFIX

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

MANIFEST = "trusts.json"


@dataclass(frozen=True)
class TrustResult:
    slug: str
    name: str
    ok: bool
    seconds: float
    message: str = ""
    replaces: tuple[str, ...] = ()  # national pages this Trust replaces with its own
    kept: bool = False  # inputs unchanged since the last build: its files were left as they are


class WarningCollector(logging.Handler):
    """Keeps the build's warnings and errors so a failure can say what went wrong."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage().strip())


# Each runs on a finished site in its temporary folder, before it replaces the previous site;
# one that raises keeps the previous site in place (e.g. a check of the built pages).
PostProcessor = Callable[[Path], None]
POST_PROCESSORS: list[PostProcessor] = []


def pdf_in_site(locale: Locale) -> str:
    """Where the whole guide's PDF goes inside a Trust's site (and so inside its zip)."""
    return f"downloads/{locale.slug}.pdf"


def build_site(locale: Locale, site_dir: Path, *, strict: bool = True,
               pdf: bool = False, project: Project = INSTALLED) -> None:
    """Build one Trust's site into site_dir with the MkDocs API (raises on failure), from
    `project`'s mkdocs.yml. With pdf, the home and About pages link to the PDF that
    build_many then prints into it."""
    from mkdocs.config import load_config

    config = load_config(str(project.mkdocs_yml), strict=strict)
    if pdf:
        config.extra["guide_pdf"] = pdf_in_site(locale)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build_atomically(config, site_dir, locale=locale)
    finally:
        config.plugins.on_shutdown()


def build_atomically(config: MkDocsConfig, site_dir: Path, *, serve_url: str | None = None,
                     post_processors: Iterable[PostProcessor] = POST_PROCESSORS,
                     locale: Locale | None = None) -> None:
    """Prepare the Trust (`locale`, else the one TRUST names) before MkDocs runs, build into
    a fresh folder beside site_dir and put it in site_dir only when the build, its strict
    checks and every post-processor succeeded."""
    from mkdocs.commands.build import build

    prepared = hand_over_prepared(config, locale)
    final = site_dir.resolve()
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=final.parent))
    try:
        config.site_dir = str(temporary)
        build(config, serve_url=serve_url)
        refuse_oversized_site(temporary, prepared.locale)
        for post_process in post_processors:
            post_process(temporary)
        replace_directory(temporary, final)
    finally:
        config.site_dir = str(final)
        shutil.rmtree(temporary, ignore_errors=True)  # gone already when it was swapped in


MAX_SITE_BYTES = 200 * 1024 * 1024  # the example Trust's site is 2 MB; its files up to 100 MB


def refuse_oversized_site(site: Path, locale: Locale) -> None:
    """A Trust's whole output has a budget too: few small pages must not become a huge site."""
    size = sum(path.stat().st_size for path in site.rglob("*") if path.is_file())
    if size > MAX_SITE_BYTES:
        raise LocaleError([Problem(display_path(locale.path), 0, "(site)",
                                   f"the built site is {size // 2**20} MB, over the limit of "
                                   f"{MAX_SITE_BYTES // 2**20} MB. Publish fewer or smaller "
                                   "pages and files.")])


def hand_over_prepared(config: MkDocsConfig, locale: Locale | None = None) -> PreparedTrust:
    """Prepare the Trust's inputs outside MkDocs and give them to this config's plugin, which
    then only applies them. An invalid locale raises the plugin's LocaleAbort, as before."""
    from trustsite.plugin import prepare_for

    prepared = prepare_for(config, locale)
    config.plugins["trustsite"].use(prepared)
    return prepared


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


def _import_plugins(project: Project = INSTALLED) -> None:
    """Load MkDocs, the theme and every plugin once, before the workers fork, so no worker
    spends its first second importing them."""
    from mkdocs.config import load_config

    load_config(str(project.mkdocs_yml))


def wanted_targets(locale: Locale, asked: Iterable[str] = ()) -> frozenset[str]:
    """What to make for a Trust: its locale's publishing.targets plus what the flags ask.
    The site is always built (the packs are made from it); 'word' is part of the site."""
    own = locale.data.get("publishing", {}).get("targets", ["site"])
    return frozenset(own) | frozenset(asked) | {"site"}


def sharepoint_site(locale: Locale, asked: str | None = None) -> str:
    """The kind of SharePoint site the pack is for: the build option, else the locale's
    publishing.sharepoint_site, else a communication site."""
    return asked or locale.data.get("publishing", {}).get("sharepoint_site",
                                                          DEFAULT_SHAREPOINT_SITE)


def write_packs(locale: Locale, out_dir: Path, targets: frozenset[str],
                project: Project = INSTALLED, site_kind: str | None = None) -> None:
    """The intranet packs a Trust wants, from its built site (issue 14); site_kind is the
    --sharepoint-site option, if given."""
    from trustsite.intranet.fragments import write_fragments
    from trustsite.intranet.sharepoint import write_sharepoint_pack

    site, name = out_dir / locale.slug, locale.data["trust"]["name"]
    if "sharepoint" in targets:
        write_sharepoint_pack(site, out_dir / f"{locale.slug}{SHAREPOINT_SUFFIX}", name,
                              sharepoint_site(locale, site_kind))
    if "pages" in targets:
        write_fragments(site, out_dir / f"{locale.slug}{FRAGMENTS_SUFFIX}", name, locale.path, project.root,
                        locale.data.get("intranet", {}).get("page_address"))


def _build_one(job: tuple[Locale, Path, frozenset[str], Project, str | None]) -> TrustResult:
    """Worker: build one Trust, its zip and the packs it wants (PDF, SharePoint, pages),
    never raising, so every Trust gets a result."""
    locale, out_dir, asked, project, site_kind = job
    targets = wanted_targets(locale, asked)
    name = locale.data["trust"]["name"]
    started = time.monotonic()
    collected = WarningCollector()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(collected)
    mkdocs_log.setLevel(logging.WARNING)
    try:
        build_site(locale, out_dir / locale.slug, pdf="pdf" in targets, project=project)
        if "pdf" in targets:  # printed before zipping, so the zip holds it too
            from trustsite.pdf import write_pdf  # needs Chromium; only when asked
            inside = out_dir / locale.slug / pdf_in_site(locale)
            inside.parent.mkdir(parents=True, exist_ok=True)
            write_pdf(out_dir / locale.slug, locale, inside)
            shutil.copyfile(inside, out_dir / f"{locale.slug}.pdf")
        from trustsite.intranet.hosting import hosting_files, write_server_kit
        kit = hosting_files(out_dir / locale.slug)
        write_zip(out_dir / locale.slug, out_dir / f"{locale.slug}.zip", kit)
        write_server_kit(kit, out_dir / server_kit_folder(locale.slug))
        write_packs(locale, out_dir, targets, project, site_kind)
    except (Exception, SystemExit) as error:  # the macros plugin ends a failed page with exit()
        detail = "; ".join(dict.fromkeys(collected.lines)) or (
            str(error) if isinstance(error, LocaleError) else f"{type(error).__name__}: {error}")
        return TrustResult(locale.slug, name, False, time.monotonic() - started, detail)
    finally:
        mkdocs_log.removeHandler(collected)
    replaces = tuple(find_local_pages(locale, project.docs).replaces)
    return TrustResult(locale.slug, name, True, time.monotonic() - started, replaces=replaces)


# The project's own folders: a build must never write into, over or around them.
SOURCE_FOLDERS = ("docs", "locales", "overrides", "includes", "trustsite", "tests", ".git")
# What an interrupted build can leave in the output folder (see build_atomically and write_zip).
LEFTOVER_PATTERNS = (".*.building-*", ".*.old-*", ".*.zip.partial")


def unsafe_out_dir(out_dir: Path, root: Path = INSTALLED.root,
                   locale_files: Iterable[Path] = ()) -> str:
    """Why out_dir must not be written to ('' when it is safe): it is an existing file, the
    project itself, or is inside or holds one of the project's source folders; or, for the
    locale files being built, it is or holds their folder (DIR/<slug>/ would replace the
    Trust's own folder) or is inside a Trust's own folder."""
    out = out_dir.expanduser().resolve()
    if out.exists() and not out.is_dir():
        return f"{out_dir} is a file, not a folder. Give a folder, for example dist/."
    for locale_file in locale_files:
        locales, own = locale_file.resolve().parent, locale_file.resolve().with_suffix("")
        if locales.is_relative_to(out) or out.is_relative_to(own):
            where = f"the folder of {locale_file.name}" if locales.is_relative_to(out) \
                else f"the Trust's own folder {own.name}/"
            relation = "is" if out in (locales, own) else \
                "holds" if locales.is_relative_to(out) else "is inside"
            return (f"{out_dir} {relation} {where}: the build would replace the Trust's own "
                    "files. Choose another folder, for example dist/.")
    project = root.resolve()
    for source in [project] + [project / name for name in SOURCE_FOLDERS]:
        holds = source.is_relative_to(out)  # also when out is the source itself
        inside = source != project and out.is_relative_to(source)
        if holds or inside:
            where = "the project folder" if source == project else f"{source.name}/"
            relation = "is" if out == source else "holds" if holds else "is inside"
            return (f"{out_dir} {relation} {where}, which a build must never overwrite. "
                    "Choose another folder, for example dist/.")
    return ""


def remove_leftovers(out_dir: Path) -> list[Path]:
    """Delete the temporary folders and partial zips an interrupted build left behind."""
    removed = []
    for pattern in LEFTOVER_PATTERNS:
        for path in out_dir.glob(pattern):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def build_many(locales: list[Locale], out_dir: Path, *, jobs: int | None = None,
               pdf: bool = False, targets: Iterable[str] = (),
               report: Callable[[int, int, TrustResult], None] | None = None,
               project: Project = INSTALLED, skip_unchanged: bool = False,
               sharepoint_site: str | None = None) -> list[TrustResult]:
    """Build every locale into out_dir, `jobs` at a time, from `project`, then write
    out_dir/index.html and the record of each built Trust's inputs (build_record.py). With
    skip_unchanged, a Trust whose inputs match the record and whose outputs are all there is
    not built again (`trustsite build` does this unless given --force). sharepoint_site
    overrides each locale's kind of SharePoint site."""
    reason = unsafe_out_dir(out_dir, project.root, [locale.path for locale in locales])
    if reason:
        raise ValueError(reason)
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out_dir)
    asked = frozenset(targets) | ({"pdf"} if pdf else frozenset())
    record = read_record(out_dir)
    national = national_digest(project)
    options = [f"sharepoint-site={sharepoint_site}"] if sharepoint_site else []
    digests = {locale.slug: trust_digest(national, locale,
                                         [*wanted_targets(locale, asked), *options])
               for locale in locales}
    results = [_kept(locale, project) for locale in locales if skip_unchanged
               and record.get(locale.slug) == digests[locale.slug]
               and outputs_present(trust_outputs(out_dir, locale.slug,
                                                 wanted_targets(locale, asked)))]
    kept = {result.slug for result in results}
    to_build = [locale for locale in locales if locale.slug not in kept]
    for locale in to_build:  # until it is built again, its old entry would not be true
        record.pop(locale.slug, None)
    write_record(out_dir, record)
    for done, result in enumerate(results, 1):
        if report:
            report(done, len(locales), result)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(to_build) or 1))
    work = [(locale, out_dir, asked, project, sharepoint_site) for locale in to_build]
    # Workers build Trust after Trust, reusing what trustsite.speed caches; the determinism
    # test compares such builds with one-Trust-per-process builds byte for byte.
    # Forked workers share what this process loads; where there is no fork (Windows), each
    # worker starts afresh and loads the plugins itself.
    fork = "fork" in multiprocessing.get_all_start_methods()
    if fork and work:
        _import_plugins(project)
    context = multiprocessing.get_context("fork" if fork else "spawn")
    try:
        with context.Pool(processes=jobs, initializer=None if fork else _import_plugins,
                          initargs=(project,)) if work else nullcontext() as pool:
            for result in pool.imap_unordered(_build_one, work) if work else ():
                results.append(result)
                if result.ok:
                    record[result.slug] = digests[result.slug]
                if report:
                    report(len(results), len(locales), result)
    except BaseException:  # Ctrl-C or a crash: the stopped workers cannot clean up
        remove_leftovers(out_dir)
        write_record(out_dir, record)  # the Trusts finished before the stop stay recorded
        raise
    write_record(out_dir, record)
    write_index(out_dir, [r for r in results if r.ok])
    return sorted(results, key=lambda r: r.slug)


def _kept(locale: Locale, project: Project) -> TrustResult:
    """The result for a Trust whose inputs did not change: nothing built, its files kept."""
    replaces = tuple(find_local_pages(locale, project.docs).replaces)
    return TrustResult(locale.slug, locale.data["trust"]["name"], True, 0.0,
                       replaces=replaces, kept=True)


# -- Packaging -------------------------------------------------------------------------------

# Inside DIR/<slug>.zip: <slug>/site/ is what the web server publishes, <slug>/server-kit/
# what IT reads (HOSTING.md, server configurations), which must never be published with it.
ZIP_SITE_FOLDER = "site"
ZIP_KIT_FOLDER = "server-kit"


def server_kit_folder(slug: str) -> str:
    """DIR/<slug>.server-kit/: the kit beside the zip, readable without unzipping. A slug
    has no dot, so no Trust's folder, zip or pack can have this name."""
    return f"{slug}.{ZIP_KIT_FOLDER}"


def trust_outputs(out_dir: Path, slug: str, targets: Iterable[str]) -> list[Path]:
    """A file of each output a build of this Trust writes into out_dir, for its targets."""
    outputs = [out_dir / slug / "index.html", out_dir / f"{slug}.zip",
               out_dir / server_kit_folder(slug) / "HOSTING.md"]
    by_target = {"pdf": out_dir / f"{slug}.pdf",
                 "sharepoint": out_dir / f"{slug}{SHAREPOINT_SUFFIX}" / "template.xml",
                 "pages": out_dir / f"{slug}{FRAGMENTS_SUFFIX}" / "index.html"}
    return outputs + [path for target, path in by_target.items() if target in set(targets)]


def write_zip(site_dir: Path, zip_path: Path, kit: dict[str, bytes] | None = None) -> Path:
    """Zip site_dir as <slug>/site/... and the kit (path -> bytes, such as the web-server
    kit) as <slug>/server-kit/..., in a fixed order, written atomically."""
    partial = zip_path.with_name(f".{zip_path.name}.partial")
    contents: dict[str, Path | bytes] = {
        f"{ZIP_SITE_FOLDER}/{path.relative_to(site_dir).as_posix()}": path
        for path in site_dir.rglob("*") if path.is_file()}
    contents.update({f"{ZIP_KIT_FOLDER}/{name}": data for name, data in (kit or {}).items()})
    entries = ((f"{site_dir.name}/{name}", data if isinstance(data, bytes) else data.read_bytes())
               for name, data in sorted(contents.items()))
    try:
        # Entries dated SOURCE_DATE_EPOCH, else 1980-01-01 (zip's earliest), never the
        # build's own time, so the same site always zips to the same bytes.
        write_deterministic_zip(partial, entries, source_date())
        os.replace(partial, zip_path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return zip_path


def write_index(out_dir: Path, built: Iterable[TrustResult]) -> Path:
    """out_dir/index.html linking every Trust whose site is in out_dir (this run or earlier)."""
    manifest_path = out_dir / MANIFEST
    trusts: dict[str, str] = {}
    if manifest_path.is_file():
        trusts = json.loads(manifest_path.read_text(encoding="utf-8"))
    trusts.update({result.slug: result.name for result in built})
    trusts = {slug: name for slug, name in sorted(trusts.items())
              if (out_dir / slug / "index.html").is_file()}
    manifest_path.write_text(json.dumps(trusts, indent=2) + "\n", encoding="utf-8")
    pdfs = {slug for slug in trusts if (out_dir / f"{slug}.pdf").is_file()}
    sharepoint = {slug for slug in trusts
                  if (out_dir / f"{slug}{SHAREPOINT_SUFFIX}" / "template.xml").is_file()}
    pages = {slug for slug in trusts
             if (out_dir / f"{slug}{FRAGMENTS_SUFFIX}" / "index.html").is_file()}
    kits = {slug: f"{server_kit_folder(slug)}/HOSTING.md" for slug in trusts
            if (out_dir / server_kit_folder(slug) / "HOSTING.md").is_file()}
    page = render_template("dist-index.html", trusts=trusts, pdfs=pdfs, sharepoint=sharepoint,
                           pages=pages, kits=kits)
    index = out_dir / "index.html"
    index.write_text(page, encoding="utf-8")
    write_editor(out_dir)  # the locale editor the index links to (issue 21)
    return index
