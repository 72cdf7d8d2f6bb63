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


# difflib's matcher takes cubic time on repetitive text (900 words took 11 s), so it only
# compares stretches of at most MAX_DIFF_CELLS word pairs, found between words that occur once
# on each side (as patience diff does), and at most MAX_DIFF_WORK pairs a page; anything
# beyond is shown as removed and added, never compared word by word.
MAX_DIFF_CELLS = 150 * 150
MAX_DIFF_WORK = 20 * MAX_DIFF_CELLS

Opcode = tuple[str, int, int, int, int]


def _unique_anchors(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    """Positions of words found once in old and once in new, in an order both agree on
    (the longest increasing run, O(n log n))."""
    def once(words: list[str]) -> dict[str, int]:
        seen: dict[str, int] = {}
        for index, word in enumerate(words):
            seen[word] = -1 if word in seen else index
        return {word: index for word, index in seen.items() if index >= 0}

    in_old, in_new = once(old), once(new)
    pairs = sorted((in_old[word], in_new[word]) for word in in_old.keys() & in_new.keys())
    tails: list[int] = []  # tails[k]: index in pairs ending the best run of length k+1
    before: list[int] = []
    for index, (_, j) in enumerate(pairs):
        at = _bisect_tails(tails, pairs, j)
        before.append(tails[at - 1] if at else -1)
        if at == len(tails):
            tails.append(index)
        else:
            tails[at] = index
    run, at = [], tails[-1] if tails else -1
    while at != -1:
        run.append(pairs[at])
        at = before[at]
    return run[::-1]


def _bisect_tails(tails: list[int], pairs: list[tuple[int, int]], j: int) -> int:
    low, high = 0, len(tails)
    while low < high:
        middle = (low + high) // 2
        if pairs[tails[middle]][1] < j:
            low = middle + 1
        else:
            high = middle
    return low


def bounded_opcodes(old: list[str], new: list[str]) -> list[Opcode]:
    """difflib-style opcodes from old to new words, within the budget above."""
    codes: list[Opcode] = []
    work = [MAX_DIFF_WORK]

    def stretch(i1: int, i2: int, j1: int, j2: int) -> None:
        cells = (i2 - i1) * (j2 - j1)
        if cells == 0 or cells > min(MAX_DIFF_CELLS, work[0]):
            tag = "equal" if old[i1:i2] == new[j1:j2] else \
                "delete" if j1 == j2 else "insert" if i1 == i2 else "replace"
            if i2 > i1 or j2 > j1:
                codes.append((tag, i1, i2, j1, j2))
            return
        work[0] -= cells
        matcher = difflib.SequenceMatcher(None, old[i1:i2], new[j1:j2], autojunk=False)
        codes.extend((tag, a1 + i1, a2 + i1, b1 + j1, b2 + j1)
                     for tag, a1, a2, b1, b2 in matcher.get_opcodes())

    i = j = 0
    for anchor_i, anchor_j in [*_unique_anchors(old, new), (len(old), len(new))]:
        stretch(i, anchor_i, j, anchor_j)
        if anchor_i < len(old):
            codes.append(("equal", anchor_i, anchor_i + 1, anchor_j, anchor_j + 1))
        i, j = anchor_i + 1, anchor_j + 1
    return _merged(codes)


def _merged(codes: list[Opcode]) -> list[Opcode]:
    """Neighbouring opcodes of one kind as one (difflib gives them so)."""
    merged: list[Opcode] = []
    for code in codes:
        if merged and merged[-1][0] == code[0] == "equal":
            merged[-1] = ("equal", merged[-1][1], code[2], merged[-1][3], code[4])
        elif merged and merged[-1][0] != "equal" and code[0] != "equal":
            merged[-1] = ("replace", merged[-1][1], code[2], merged[-1][3], code[4])
        else:
            merged.append(code)
    return merged or [("equal", 0, 0, 0, 0)]


class _BoundedMatcher(difflib.SequenceMatcher):
    """difflib's grouping of opcodes, over bounded_opcodes."""

    def __init__(self, old: list[str], new: list[str]) -> None:
        super().__init__(None, old, new, autojunk=False)
        self._codes = bounded_opcodes(old, new)

    def get_opcodes(self) -> list[Opcode]:  # type: ignore[override]
        return list(self._codes)


def word_excerpt(old: str, new: str, *, context: int = CONTEXT_WORDS) -> list[Excerpt]:
    """Word-level excerpts of every change from old to new text, with `context` words around."""
    old_words, new_words = old.split(), new.split()
    matcher = _BoundedMatcher(old_words, new_words)
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
