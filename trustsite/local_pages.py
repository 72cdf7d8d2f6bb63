"""A Trust's own pages, from locales/<slug>/pages/, beside the national content.

A page at a path the national docs/ also has replaces that national page for this Trust;
any other page is added under 'Local information' in the navigation. Other files there
(images, PDFs) are copied as they are.

Those files are untrusted input: nothing outside the locale's folder may be published
through them (no symbolic link may point outside it), and none may take the place of a file
the build generates or the theme ships (`folder_problems`, run when the locale is validated).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import material

from trustsite.guard import svg_problems

from trustsite.locale import Locale, Problem, display_path
from trustsite.project import INSTALLED
from trustsite.sanitise import removed
from trustsite.speed import folder_signature

PAGES_FOLDER = "pages"
NAV_SECTION = "Local information"
# Where the build writes its own files; a Trust's file there would replace one of them.
GENERATED_FOLDERS = ("assets/trust/", "assets/javascripts/", "assets/stylesheets/",
                     "assets/images/", "assets/vendor/", "search/", "downloads/")
GENERATED_FILES = {"sitemap.xml", "sitemap.xml.gz", "404.html", ".print-view.html",
                   "objects.inv"}
THEME_DIRS = (Path(material.__file__).parent / "templates", INSTALLED.overrides)
# Straight after the first section (the staff guide), so staff find their Trust's own pages
# near the top of the menu rather than below the References.
NAV_SECTION_POSITION = 1


@dataclass
class LocalPages:
    folder: Path
    replaces: list[str] = field(default_factory=list)  # national pages this Trust replaces
    adds: list[str] = field(default_factory=list)  # the Trust's own new pages
    other_files: list[str] = field(default_factory=list)

    @property
    def all_pages(self) -> dict[str, Path]:
        return {name: self.folder / name for name in self.replaces + self.adds}


def find_local_pages(locale: Locale, docs_dir: Path) -> LocalPages:
    folder = locale.folder / PAGES_FOLDER
    found = LocalPages(folder)
    if not folder.is_dir():
        return found
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if path.suffix != ".md":
            found.other_files.append(name)
        elif (docs_dir / name).is_file():
            found.replaces.append(name)
        else:
            found.adds.append(name)
    return found


def national_pages(docs_dir: Path) -> dict[str, Path]:
    return {p.relative_to(docs_dir).as_posix(): p for p in sorted(docs_dir.rglob("*.md"))}


def theme_files() -> frozenset[str]:
    """Every file the theme (Material and overrides/) copies into each site. Listed again
    when a file is added to or removed from overrides/ (`serve` runs on; the installed theme
    does not change)."""
    return _theme_files(THEME_DIRS, folder_signature(THEME_DIRS[-1]))


@lru_cache(maxsize=2)
def _theme_files(folders: tuple[Path, ...], overrides_signature: tuple) -> frozenset[str]:
    return frozenset(path.relative_to(folder).as_posix() for folder in folders
                     for path in folder.rglob("*") if path.is_file())


def _published_name(name: str) -> str:
    return name[:-3] + ".html" if name.endswith(".md") else name


def _reserved_reason(name: str, docs_dir: Path) -> str | None:
    """Why a Trust's file at `name` (inside pages/) may not be published, if it may not."""
    published = _published_name(name)
    if published.startswith(GENERATED_FOLDERS) or published in GENERATED_FILES:
        return f"the build writes its own {published} there"
    if published in theme_files():
        return f"{published} is one of the theme's own files"
    national = docs_dir / name
    if not name.endswith(".md") and national.is_file():
        return f"it would replace the national file docs/{name}"
    if name.endswith(".html") and (docs_dir / (name[:-5] + ".md")).is_file():
        return f"it would replace the national page built from docs/{name[:-5]}.md"
    return None


def _escapes(path: Path, folder: Path) -> bool:
    return not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))


def folder_problems(locale_folder: Path, docs_dir: Path) -> list[Problem]:
    """Symbolic links in locales/<slug>/ that lead outside it, and files in its pages/ that
    would replace a generated or theme file. One problem per file, naming it."""
    shown = display_path(locale_folder)
    if locale_folder.is_symlink():
        return [Problem(shown, 0, "folder", "the locale's folder is a symbolic link. Make it "
                        "a real folder holding the Trust's own files.")]
    if not locale_folder.is_dir():
        return []
    problems = []
    for top, folders, names in os.walk(locale_folder):
        for entry in sorted(folders + names):
            path = Path(top) / entry
            if (path.is_symlink() or path.is_file()) and _escapes(path, locale_folder):
                problems.append(Problem(f"{shown}/{path.relative_to(locale_folder).as_posix()}",
                                        0, "file", "it is a symbolic link to a file outside "
                                        f"{shown}/. Copy the file itself into the folder."))
    pages = locale_folder / PAGES_FOLDER
    for path in sorted(pages.rglob("*")) if pages.is_dir() else []:
        name = path.relative_to(pages).as_posix()
        reason = _reserved_reason(name, docs_dir) if path.is_file() else None
        if reason:
            problems.append(Problem(f"{shown}/{PAGES_FOLDER}/{name}", 0, "file",
                                    f"{reason}, so a Trust may not publish a file there. "
                                    "Rename the file or move it to another folder."))
        elif path.is_file() and not _escapes(path, locale_folder):
            problems += _active_file_problems(path, f"{shown}/{PAGES_FOLDER}/{name}")
    return problems + intranet_name_problems(pages, docs_dir, f"{shown}/{PAGES_FOLDER}")


def intranet_name_problems(pages: Path, docs_dir: Path, shown: str) -> list[Problem]:
    """Names the SharePoint pack cannot carry: a name with a brace (its provisioning engine
    would read a token), and a page whose intranet name (intranet.pack.page_name) another page
    already has when case is ignored (SharePoint's addresses ignore case, so it would replace
    a national page or another of the Trust's own)."""
    from trustsite.intranet.pack import page_name  # it imports the built-page reader

    if not pages.is_dir():
        return []
    names = [path.relative_to(pages).as_posix() for path in sorted(pages.rglob("*"))]
    problems = [Problem(f"{shown}/{name}", 0, "file", "the name holds { or }, which the "
                        "SharePoint pack cannot carry: its provisioning engine would read them "
                        "as a token. Rename the file.") for name in names if {"{", "}"} & set(name)]
    national = national_pages(docs_dir)
    taken = {page_name(_published_name(name)).casefold(): f"the national page docs/{name}"
             for name in national}
    for name in names:
        if not name.endswith(".md") or name in national:
            continue  # not a page, or it replaces that national page, as intended
        intranet_name = page_name(_published_name(name))
        mine = f"your page {shown}/{name}"
        other = taken.setdefault(intranet_name.casefold(), mine)
        if other != mine:
            problems.append(Problem(
                f"{shown}/{name}", 0, "file",
                f"on the intranet this page would be called '{intranet_name}', like {other} "
                "(SharePoint ignores case in page names), and would replace it. Rename the "
                "file, or give it exactly the national page's name to replace that page."))
    return problems


def _active_file_problems(path: Path, shown: str) -> list[Problem]:
    """An HTML or SVG file a Trust publishes as it is holds only what the one allow-list
    (trustsite/sanitise.py) keeps."""
    suffix = path.suffix.lower()
    if suffix == ".svg":
        return [Problem(shown, 0, "file", f"{problem}. Export it again as a plain SVG.")
                for problem in svg_problems(path.read_bytes())]
    if suffix not in (".html", ".htm", ".xhtml"):
        return []
    text = path.read_bytes().decode("utf-8", errors="replace")
    return [Problem(shown, part.line, "html", f"{part.what} is not allowed in a Trust's "
                    "file. Publish the content as a Markdown page instead.")
            for part in removed(text)]
