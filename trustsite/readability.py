"""Readability of built pages: words, average sentence length and Flesch reading ease.

Text is read from the built HTML so it is what staff see, with the Trust's values filled in.
Each paragraph, list item, heading and table cell counts as its own sentence or sentences, so
a bulleted list is not scored as one long sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import textstat
from bs4 import BeautifulSoup

from trustsite.built_page import HEADER_LINK, NOTICE, SOURCE_FILE, class_selector, content_of

MAX_AVERAGE_SENTENCE = 15.0  # issue 11: the house target for every page
MIN_READING_EASE = 60.0
MAX_SENTENCE_WORDS = 25  # house style: no single sentence longer than this
_BLOCKS = "p, li, h1, h2, h3, h4, dt, dd, td, th, figcaption, summary"
_SKIP = class_selector(NOTICE, HEADER_LINK, "citation", SOURCE_FILE) + ", pre, code"  # not prose
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)")


@dataclass(frozen=True)
class PageScore:
    page: str
    words: int
    sentences: int
    average_sentence: float
    reading_ease: float


def page_text(html: str) -> list[str]:
    """The readable blocks of a page's article, one string each."""
    article = content_of(html)
    if article is None:
        return []
    for element in article.select(_SKIP):
        element.decompose()
    blocks = []
    for element in article.select(_BLOCKS):
        if element.find(_BLOCKS.split(", ")):  # a list item holding a list: read the inner one
            element = _own_text_copy(element)
        text = " ".join(element.get_text(" ").split())
        if re.search(r"[A-Za-z]", text):
            blocks.append(text)
    return blocks


def _own_text_copy(element):
    copy = BeautifulSoup(str(element), "html.parser")
    for inner in copy.select(_BLOCKS)[1:]:
        inner.decompose()
    return copy


def _as_sentences(block: str) -> str:
    return block if _SENTENCE_END.search(block[-3:] + " ") else block + "."


def score_page(name: str, html: str) -> PageScore:
    text = " ".join(_as_sentences(block) for block in page_text(html))
    words = len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’&/-]*", text))
    sentences = max(1, len(_SENTENCE_END.findall(text)))
    ease = textstat.flesch_reading_ease(text) if words else 0.0
    return PageScore(name, words, sentences, round(words / sentences, 1), ease)


def sentences(html: str) -> list[str]:
    """Every sentence of a page's readable text, split where the scores split them."""
    found = []
    for block in page_text(html):
        found += [part.strip() for part in _SENTENCE_END.split(_as_sentences(block))
                  if part.strip()]
    return found


def long_sentences(html: str, limit: int = MAX_SENTENCE_WORDS) -> list[str]:
    """The sentences of a page with more than `limit` words."""
    return [sentence for sentence in sentences(html) if len(sentence.split()) > limit]


def score_site(site_dir: Path) -> list[PageScore]:
    pages = sorted(p for p in site_dir.rglob("*.html") if p.name != "404.html")
    return [score_page(p.relative_to(site_dir).as_posix(),
                       p.read_text(encoding="utf-8")) for p in pages]


def format_report(scores: list[PageScore]) -> str:
    lines = [f"{'page':48} {'words':>6} {'avg sent':>9} {'ease':>6}"]
    for s in scores:
        flag = "".join(note for note, bad in (
            ("  (sentences too long)", s.average_sentence > MAX_AVERAGE_SENTENCE),
            ("  (hard to read)", s.reading_ease < MIN_READING_EASE)) if bad)
        lines.append(f"{s.page:48} {s.words:6d} {s.average_sentence:9.1f} "
                     f"{s.reading_ease:6.1f}{flag}")
    total = sum(s.words for s in scores)
    lines.append(f"{'total':48} {total:6d}")
    return "\n".join(lines)
