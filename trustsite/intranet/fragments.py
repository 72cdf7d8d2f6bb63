"""Paste-ready pages, DIR/<slug>-pages/: one clean HTML fragment per guide page, an offline
index.html whose "Copy" button puts each page on the clipboard as formatted HTML (with plain
text beside it) and whose "Copy HTML source" button gives its markup for an editor's source
view, and pages.json with each page's fingerprint and last change.

- Links between pages are relative (`glossary.html`). The files use the Trust's own addresses
  when the locale sets `intranet.page_address` (its {page} replaced by the page's name); in
  index.html the field "Where will these pages live?" starts with it, and copy.js rewrites
  the links of what is copied the same way (at_page_address is the rule, in Python).
- Images and Word documents are copied into files/ and linked relatively from there.
- Fingerprint: sha256 of the fragment's bytes. Last change: the newest git commit date of the
  page's national source (docs/) or Trust page and of the Trust's locale file; when git has
  none, SOURCE_DATE_EPOCH; otherwise null. A changed fingerprint is the sure sign of change.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from html import escape
from pathlib import Path

from trustsite.built_page import Page
from trustsite.html_templates import render_template
from trustsite.intranet.pack import (CleanSite, clean_site, copy_site_file, page_name,
                                     replaced_atomically)
from trustsite.reproducible import source_date

STATIC = Path(__file__).with_name("static")
FILES_DIR = "files"


def fragment_address(page: Page, from_path: str = "") -> str:
    """How a fragment links to another page: its file beside it, e.g. 'glossary.html'."""
    return f"{page_name(page.path)}.html"


def at_page_address(html: str, names: set[str], page_address: str | None) -> str:
    """The fragment with each link to another page ('glossary.html') at the Trust's address:
    {page} in page_address replaced by the page's name (copy.js does the same)."""
    if not page_address:
        return html

    def address(match: re.Match[str]) -> str:
        name = match[1]
        if name not in names:
            return match[0]
        return f'href="{escape(page_address.replace("{page}", name), quote=True)}"'
    return re.sub(r'href="([a-z0-9-]+)\.html"', address, html)


def file_address(path: str, from_path: str = "") -> str:
    return f"{FILES_DIR}/{path}"


def _git_date(paths: list[Path], root: Path) -> str | None:
    existing = [str(p.relative_to(root)) for p in paths if p.is_file() and p.is_relative_to(root)]
    if not existing:
        return None
    try:
        done = subprocess.run(["git", "log", "-1", "--format=%cI", "--", *existing], cwd=root,
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def last_change(page: Page, root: Path, locale_path: Path) -> str | None:
    stem = page.path.removesuffix(".html")
    sources = [root / "docs" / f"{stem}.md", locale_path.parent / locale_path.stem / "pages" /
               f"{stem}.md", locale_path]
    found = _git_date(sources, root)
    when = source_date()  # no fallback: without git or the variable, no date is claimed
    if found is None and when:
        found = when.isoformat()
    return found


def write_fragments(site: Path, out: Path, trust_name: str, locale_path: Path, root: Path,
                    page_address: str | None = None) -> Path:
    """Write DIR/<slug>-pages/ beside the built site (replaced only when complete)."""
    with replaced_atomically(out) as scratch:
        clean: CleanSite = clean_site(site, fragment_address, file_address, images=True)
        names = {clean_page.name for clean_page in clean.pages}
        listing = []
        for clean_page in clean.pages:
            data = at_page_address(clean_page.html, names, page_address).encode("utf-8")
            (scratch / f"{clean_page.name}.html").write_bytes(data)
            listing.append({
                "name": clean_page.name, "title": clean_page.page.title,
                "section": " / ".join(clean_page.page.section),
                "file": f"{clean_page.name}.html", "site_path": clean_page.page.path,
                "sha256": hashlib.sha256(data).hexdigest(),
                "last_change": last_change(clean_page.page, root, locale_path),
            })
        for path in sorted(clean.files):
            copy_site_file(site, path, scratch / FILES_DIR / path)
        for static in ("copy.js", "pages.css"):
            shutil.copyfile(STATIC / static, scratch / static)
        (scratch / "pages.json").write_text(json.dumps(
            {"trust": trust_name, "page_address": page_address, "pages": listing},
            indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        pages = [dict(entry, html=clean_page.html)
                 for entry, clean_page in zip(listing, clean.pages)]
        (scratch / "index.html").write_text(render_template(
            "pages-index.html", trust_name=trust_name, pages=pages,
            page_address=page_address), encoding="utf-8")
    return out
