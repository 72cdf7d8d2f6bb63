"""A Trust's own pages, from locales/<slug>/pages/, beside the national content.

A page at a path the national docs/ also has replaces that national page for this Trust;
any other page is added under 'Local information' in the navigation. Other files there
(images, PDFs) are copied as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from trustsite.locale import Locale

PAGES_FOLDER = "pages"
NAV_SECTION = "Local information"
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
