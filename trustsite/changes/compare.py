"""Comparing built sites: the visible text of each page's article, Trust by Trust.

Only the words a reader sees are compared, so markup-only differences, the search index, the
sitemap and the assets never show up. Each changed page gets short word-level excerpts: a few
words of context, the words removed and the words added.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from trustsite.built_page import read_built_page

SKIPPED_FOLDERS = frozenset({"assets", "search"})  # never pages a reader reads
CONTEXT_WORDS = 6         # words of unchanged text either side of a change
MAX_RUN_WORDS = 40        # removed or added words shown in one excerpt before "…"

Kind = Literal["same", "removed", "added"]


@dataclass(frozen=True)
class Page:
    title: str
    text: str


@dataclass(frozen=True)
class Excerpt:
    """One change on a page: runs of unchanged, removed and added words."""

    segments: tuple[tuple[Kind, str], ...]
    cut_before: bool  # the page has more text before the excerpt
    cut_after: bool   # and after it


@dataclass(frozen=True)
class PageChange:
    page: str  # path in the site, for example 'champions/index.html'
    title: str
    status: Literal["added", "removed", "changed"]
    excerpts: tuple[Excerpt, ...] = ()


@dataclass
class TrustChanges:
    slug: str
    name: str
    status: Literal["added", "removed", "both"]  # built in head only, base only, or both
    pages: list[PageChange] = field(default_factory=list)
    page_count: int = 0  # pages in the revision that has the Trust (head when both)

    def of(self, status: str) -> list[PageChange]:
        return [change for change in self.pages if change.status == status]

    @property
    def changed(self) -> bool:
        return self.status != "both" or bool(self.pages)


def read_pages(site_dir: Path) -> dict[str, Page]:
    """Every page of one built site by its path in the site, without assets and search."""
    pages: dict[str, Page] = {}
    for path in sorted(site_dir.rglob("*.html")):
        name = path.relative_to(site_dir).as_posix()
        if name.split("/", 1)[0] in SKIPPED_FOLDERS:
            continue
        page = read_built_page(site_dir, name)
        if page is not None:
            pages[name] = Page(page.title, page.text)
    return pages


def page_texts(site_dir: Path) -> dict[str, str]:
    """The visible text of every page of one built site, by its path in the site."""
    return {name: page.text for name, page in read_pages(site_dir).items()}


def built_trusts(out_dir: Path) -> dict[str, str]:
    """Slug and name of every Trust site in a build folder (from its trusts.json)."""
    manifest = out_dir / "trusts.json"
    names: dict[str, str] = {}
    if manifest.is_file():
        names = json.loads(manifest.read_text(encoding="utf-8"))
    return {path.parent.name: names.get(path.parent.name, path.parent.name)
            for path in sorted(out_dir.glob("*/index.html"))}


def _clip(words: list[str], limit: int = MAX_RUN_WORDS) -> str:
    if len(words) <= limit:
        return " ".join(words)
    return " ".join(words[:limit]) + f" … ({len(words) - limit} more words)"


def word_excerpt(old: str, new: str, *, context: int = CONTEXT_WORDS) -> list[Excerpt]:
    """Word-level excerpts of every change from old to new text, with `context` words around."""
    old_words, new_words = old.split(), new.split()
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    excerpts = []
    for group in matcher.get_grouped_opcodes(context):
        segments: list[tuple[Kind, str]] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                segments.append(("same", " ".join(old_words[i1:i2])))
                continue
            if i2 > i1:
                segments.append(("removed", _clip(old_words[i1:i2])))
            if j2 > j1:
                segments.append(("added", _clip(new_words[j1:j2])))
        first, last = group[0], group[-1]
        excerpts.append(Excerpt(tuple(segments), cut_before=first[1] > 0 or first[3] > 0,
                                cut_after=last[2] < len(old_words) or last[4] < len(new_words)))
    return excerpts


def compare_pages(old: dict[str, Page], new: dict[str, Page]) -> list[PageChange]:
    """The pages added, removed and changed in their text, in path order."""
    changes = []
    for name in sorted(old.keys() | new.keys()):
        if name not in old:
            changes.append(PageChange(name, new[name].title, "added"))
        elif name not in new:
            changes.append(PageChange(name, old[name].title, "removed"))
        elif old[name].text != new[name].text:
            changes.append(PageChange(name, new[name].title, "changed",
                                      tuple(word_excerpt(old[name].text, new[name].text))))
    return changes


def compare_sites(base_out: Path, head_out: Path) -> list[TrustChanges]:
    """Compare two build folders (DIR/<slug>/ for each Trust), Trust by Trust."""
    base_trusts, head_trusts = built_trusts(base_out), built_trusts(head_out)
    results = []
    for slug in sorted(base_trusts.keys() | head_trusts.keys()):
        name = head_trusts.get(slug) or base_trusts[slug]
        if slug not in base_trusts:
            count = len(read_pages(head_out / slug))
            results.append(TrustChanges(slug, name, "added", page_count=count))
        elif slug not in head_trusts:
            count = len(read_pages(base_out / slug))
            results.append(TrustChanges(slug, name, "removed", page_count=count))
        else:
            old, new = read_pages(base_out / slug), read_pages(head_out / slug)
            results.append(TrustChanges(slug, name, "both", compare_pages(old, new), len(new)))
    return results
