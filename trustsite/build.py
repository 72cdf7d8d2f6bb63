"""Build one or many Trusts' sites, each into DIR/<slug>/ with DIR/<slug>.zip beside it.

Trusts build in parallel worker processes. Each worker builds one Trust with the MkDocs
API; the hooks swap the finished site into place, so a Trust that fails keeps its previous
DIR/<slug>/ while the others still build.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import shutil
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from trustsite.html_templates import render_template
from trustsite.local_pages import find_local_pages
from trustsite.locale import ROOT, Locale

DEFAULT_OUT = ROOT / "dist"
MKDOCS_YML = ROOT / "mkdocs.yml"
MANIFEST = "trusts.json"


@dataclass(frozen=True)
class TrustResult:
    slug: str
    name: str
    ok: bool
    seconds: float
    message: str = ""
    replaces: tuple[str, ...] = ()  # national pages this Trust replaces with its own


class _Collect(logging.Handler):
    """Keeps the build's warnings and errors so a failure can say what went wrong."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage().strip())


def pdf_in_site(locale: Locale) -> str:
    """Where the whole guide's PDF goes inside a Trust's site (and so inside its zip)."""
    return f"downloads/{locale.slug}.pdf"


def build_site(locale: Locale, site_dir: Path, *, strict: bool = True,
               pdf: bool = False) -> None:
    """Build one Trust's site into site_dir with the MkDocs API (raises on failure). With
    pdf, the home and About pages link to the PDF that build_many then prints into it."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ["TRUST"] = str(locale.path)
    config = load_config(str(MKDOCS_YML), site_dir=str(site_dir), strict=strict)
    if pdf:
        config.extra["guide_pdf"] = pdf_in_site(locale)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def _import_plugins() -> None:
    """Load MkDocs, the theme and every plugin once, before the workers fork, so no worker
    spends its first second importing them."""
    from mkdocs.config import load_config

    load_config(str(MKDOCS_YML))


def _build_one(job: tuple[Locale, Path, bool]) -> TrustResult:
    """Worker: build one Trust, its zip and (if asked) its PDF, never raising, so every Trust
    gets a result."""
    locale, out_dir, pdf = job
    name = locale.data["trust"]["name"]
    started = time.monotonic()
    collected = _Collect()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(collected)
    mkdocs_log.setLevel(logging.WARNING)
    try:
        build_site(locale, out_dir / locale.slug, pdf=pdf)
        if pdf:  # printed before zipping, so the zip holds it too
            from trustsite.pdf import write_pdf  # needs Chromium; only when asked
            inside = out_dir / locale.slug / pdf_in_site(locale)
            inside.parent.mkdir(parents=True, exist_ok=True)
            write_pdf(out_dir / locale.slug, locale, inside)
            shutil.copyfile(inside, out_dir / f"{locale.slug}.pdf")
        write_zip(out_dir / locale.slug, out_dir / f"{locale.slug}.zip")
    except (Exception, SystemExit) as error:  # the macros plugin ends a failed page with exit()
        detail = "; ".join(dict.fromkeys(collected.lines)) or f"{type(error).__name__}: {error}"
        return TrustResult(locale.slug, name, False, time.monotonic() - started, detail)
    finally:
        mkdocs_log.removeHandler(collected)
    replaces = tuple(find_local_pages(locale, ROOT / "docs").replaces)
    return TrustResult(locale.slug, name, True, time.monotonic() - started, replaces=replaces)


def build_many(locales: list[Locale], out_dir: Path, *, jobs: int | None = None,
               pdf: bool = False,
               report: Callable[[int, int, TrustResult], None] | None = None,
               ) -> list[TrustResult]:
    """Build every locale into out_dir, `jobs` at a time, then write out_dir/index.html."""
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(locales) or 1))
    work = [(locale, out_dir, pdf) for locale in locales]
    results: list[TrustResult] = []
    # Workers build Trust after Trust, reusing what trustsite.speed caches; the determinism
    # test compares such builds with one-Trust-per-process builds byte for byte.
    _import_plugins()
    context = multiprocessing.get_context("fork")
    with context.Pool(processes=jobs) as pool:
        for result in pool.imap_unordered(_build_one, work):
            results.append(result)
            if report:
                report(len(results), len(work), result)
    write_index(out_dir, [r for r in results if r.ok])
    return sorted(results, key=lambda r: r.slug)


# -- Packaging -------------------------------------------------------------------------------

def _zip_timestamp() -> tuple[int, int, int, int, int, int]:
    """Fixed entry dates so the same site always zips to the same bytes."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))  # 1980-01-01, zip's minimum
    stamp = time.gmtime(max(epoch, 315532800))
    return stamp[:6]


def write_zip(site_dir: Path, zip_path: Path) -> Path:
    """Zip site_dir as <slug>/... in a fixed order, written atomically."""
    partial = zip_path.with_name(f".{zip_path.name}.partial")
    date_time = _zip_timestamp()
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
            entry = zipfile.ZipInfo(f"{site_dir.name}/{path.relative_to(site_dir).as_posix()}",
                                    date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, path.read_bytes())
    os.replace(partial, zip_path)
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
    page = render_template("dist-index.html", trusts=trusts, pdfs=pdfs)
    index = out_dir / "index.html"
    index.write_text(page, encoding="utf-8")
    return index
