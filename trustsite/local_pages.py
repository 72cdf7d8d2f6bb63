"""A Trust's own pages, from locales/<slug>/pages/, beside the national content.

A page at a path the national docs/ also has replaces that national page for this Trust;
any other page is added under 'Local information' in the navigation. Other files there
(images, office documents) are copied as they are.

Those files are untrusted input: only allowed types with safe names are published (see
trustsite/trust_files.py), nothing outside the locale's folder may be published through them
(no symbolic link may point outside it), and none may take the place of a file the build
generates or the theme ships (`folder_problems`, run when the locale is validated).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import material

from trustsite.locale import Locale, Problem, display_path
from trustsite.project import INSTALLED
from trustsite.speed import folder_signature
from trustsite.trust_files import (MAX_DEPTH, MAX_FILES, MAX_FOLDER_BYTES, MAX_PAGES,
                                   PAGE_SUFFIX, PAGES_FOLDER, content_problem, name_problem,
                                   shown_name, type_problem)

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
    """Everything in locales/<slug>/ that may not be published, by allow-list
    (trustsite/trust_files.py): one problem per file or folder, naming it, and one per
    budget the whole folder is over."""
    shown = display_path(locale_folder)
    if locale_folder.is_symlink():
        return [Problem(shown, 0, "folder", "the locale's folder is a symbolic link. Make it "
                        "a real folder holding the Trust's own files.")]
    if not locale_folder.is_dir():
        return []
    national = {name.lower(): name for name in national_pages(docs_dir)}
    seen: dict[str, str] = {}
    problems: list[Problem] = []
    files = pages = size = 0
    for top, folders, names in os.walk(locale_folder):
        for entry in sorted(folders + names):
            path = Path(top) / entry
            relative = path.relative_to(locale_folder).as_posix()
            reason = _entry_problem(path, relative, locale_folder, docs_dir, national, seen)
            if reason:
                problems.append(Problem(f"{shown}/{shown_name(relative)}", 0, "file", reason))
                if entry in folders:
                    folders.remove(entry)  # its contents are not published either
            elif path.is_file():
                files += 1
                pages += relative.endswith(PAGE_SUFFIX)
                size += path.stat().st_size
        folders.sort()
    problems += _budget_problems(shown, files, pages, size)
    refused = {problem.file for problem in problems}
    return problems + [problem for problem in intranet_name_problems(
        locale_folder / PAGES_FOLDER, docs_dir, f"{shown}/{PAGES_FOLDER}")
        if problem.file not in refused]  # one line for a file, never two


def _entry_problem(path: Path, relative: str, locale_folder: Path, docs_dir: Path,
                   national: dict[str, str], seen: dict[str, str]) -> str | None:
    """The first reason one file or folder in the locale's folder may not be published."""
    if (path.is_symlink() or path.is_file()) and _escapes(path, locale_folder):
        return (f"it is a symbolic link to a file outside {display_path(locale_folder)}/. "
                "Copy the file itself into the folder.")
    if path.is_symlink() and path.is_dir():
        return "a folder may not be a symbolic link. Make it a real folder."
    reason = name_problem(path.name)
    if reason:
        return reason
    earlier = seen.setdefault(relative.lower(), relative)
    if earlier != relative:
        return (f"its name differs from {earlier} only in upper and lower case, so one would "
                "replace the other on Windows and on the web server. Rename one of them.")
    in_pages = relative.startswith(PAGES_FOLDER + "/")
    if path.is_dir():
        if not in_pages and relative != PAGES_FOLDER:
            return "only a pages/ folder may be here. Move its files into pages/."
        if relative.count("/") > MAX_DEPTH:
            return f"folders nest more than {MAX_DEPTH} deep in pages/. Move it up."
        return None
    name = relative.removeprefix(PAGES_FOLDER + "/")
    reason = _reserved_reason(name, docs_dir) if in_pages else None
    if reason:
        return (f"{reason}, so a Trust may not publish a file there. "
                "Rename the file or move it to another folder.")
    if in_pages and name.lower() in national and national[name.lower()] != name:
        return (f"its name differs from the national page docs/{national[name.lower()]} only "
                "in upper and lower case. Use the same case to replace that page, or "
                "another name to add one.")
    if not in_pages:  # the logo and favicon: their content is checked with brand.logo
        return type_problem(relative)
    return type_problem(relative) or content_problem(path, path.suffix.lower())


def _budget_problems(shown: str, files: int, pages: int, size: int) -> list[Problem]:
    over = [(files, MAX_FILES, "files"), (pages, MAX_PAGES, "pages")]
    problems = [Problem(shown, 0, "folder", f"it holds {count} {what}, over the limit of "
                        f"{limit}. Publish fewer, or ask the national maintainers.")
                for count, limit, what in over if count > limit]
    if size > MAX_FOLDER_BYTES:
        problems.append(Problem(shown, 0, "folder", f"its files come to {size // 2**20} MB, "
                                f"over the limit of {MAX_FOLDER_BYTES // 2**20} MB. Make the "
                                "images and documents smaller, or publish fewer."))
    return problems


def intranet_name_problems(pages: Path, docs_dir: Path, shown: str) -> list[Problem]:
    """A page whose intranet name (intranet.pack.page_name) another page already has when case
    is ignored: SharePoint's addresses ignore case, and 'a/b.md' and 'a-b.md' share a name,
    so it would replace a national page or another of the Trust's own. (A brace in a name is
    refused earlier, by trust_files' allow-list of name characters.)"""
    from trustsite.intranet.pack import page_name  # it imports the built-page reader

    if not pages.is_dir():
        return []
    names = [path.relative_to(pages).as_posix() for path in sorted(pages.rglob("*"))]
    problems: list[Problem] = []
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
