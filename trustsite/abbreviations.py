"""Abbreviations used before they are explained, in the text of a built page.

NHS content style: explain an abbreviation in full the first time a page uses it, as
"Care Quality Commission (CQC)" or "CQC (Care Quality Commission)", unless it is one of the
few everyone knows. The hover tooltip from includes/abbreviations.md does not count: touch
screens, print and many screen readers never show it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup

from trustsite.readability import page_text

# Well known enough to use without explaining. Source: NHS digital service manual, Content
# guide, Formatting, "Abbreviations and acronyms" (service-manual.nhs.uk/content/formatting,
# updated January 2025): "We explain an abbreviation or acronym in full on its first use
# unless it's well known, like UK, NHS, GP." Nothing else is added here.
WELL_KNOWN = frozenset({"NHS", "UK", "GP"})

# Capitals that are not short for any words, so there is nothing to spell out: the Web
# Content Accessibility Guidelines grade pages A, AA or AAA ("level AA" is a grade's name).
NOT_ABBREVIATIONS = frozenset({"AA"})

ABBREVIATION = re.compile(r"\b[A-Z][A-Z&]*[A-Z]s?\b")
# Addresses and file names are not prose: "www.hra.nhs.uk", "Guide-PPIE.docx", emails.
_NOT_PROSE = re.compile(r"\b(?:https?://|www\.)\S+|\S+@\S+|\S+\.[a-z]{2,5}\b")
_QUOTES = re.compile(r"[\"“”‘’]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
# Text read from HTML has a space either side of each inline element: "( <abbr>CQC</abbr> )".
_SPACE_AFTER_OPENING = re.compile(r"([(\[])\s+")
_SPACE_BEFORE_CLOSING = re.compile(r"\s+([)\]'’.,;:!?])")


@dataclass(frozen=True)
class UndefinedAbbreviation:
    abbreviation: str
    sentence: str


def _singular(token: str) -> str:
    return token[:-1] if token.endswith("s") else token


def _plain(text: str) -> str:
    """Lower case, one space between words, hyphens as spaces, no quotation marks: how
    meanings are compared ("patient and public involvement" (PPI) spells PPI out)."""
    return " ".join(_QUOTES.sub("", text.replace("-", " ")).lower().split())


def _spelled_out(meaning: str) -> str:
    """The words a page must use: the glossary meaning without its note after "(" or ","."""
    return _plain(re.split(r"\s\(|,\s", meaning, maxsplit=1)[0])


def _expansions(token: str, meanings: dict[str, str]) -> set[str]:
    singular = _singular(token)
    found = {_spelled_out(meanings[t]) for t in (token, singular) if t in meanings}
    if singular != token and singular in meanings:
        found.add(_spelled_out(meanings[singular]) + "s")
    return found


def is_defined_here(text: str, start: int, end: int, meanings: dict[str, str]) -> bool:
    """Whether the abbreviation at text[start:end] is spelled out right beside it.

    Either "Care Quality Commission (CQC)" (the words, then the abbreviation in brackets)
    or "CQC (Care Quality Commission)" (the abbreviation, then the words in brackets).
    """
    expansions = _expansions(text[start:end], meanings)
    before, after = text[:start], text[end:]
    if before.endswith("(") and after.startswith(")"):
        words_before = _plain(before[:-1])
        return any(words_before.endswith(words) for words in expansions)
    if after.startswith(" ("):
        in_brackets = _plain(after[2:].split(")", 1)[0])
        return any(in_brackets.startswith(words) for words in expansions)
    return False


def _tidy(block: str) -> str:
    """The block as written: no space inside brackets or before punctuation."""
    return _SPACE_BEFORE_CLOSING.sub(r"\1", _SPACE_AFTER_OPENING.sub(r"\1", block))


def _sentence_around(text: str, start: int) -> str:
    """The sentence of `text` holding the character at `start`, for a readable message."""
    begin = 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() >= start:
            return text[begin:match.start()].strip()
        begin = match.end()
    return text[begin:].strip()


def undefined_abbreviations(blocks: list[str], meanings: dict[str, str],
                            own_names: tuple[str, ...] = ()) -> list[UndefinedAbbreviation]:
    """Each abbreviation whose first use in `blocks` (in reading order) is not explained.

    `meanings` maps each abbreviation to what it stands for (includes/abbreviations.md);
    one not in it cannot be explained. `own_names` are the Trust's names, ignored as names.
    Singular and plural ("ICB", "ICBs") are one abbreviation.
    """
    seen: set[str] = set()
    undefined = []
    for block in map(_tidy, blocks):
        for name in sorted(filter(None, own_names), key=len, reverse=True):
            block = block.replace(name, " " * len(name))
        prose = _NOT_PROSE.sub(lambda m: " " * len(m.group(0)), block)
        for match in ABBREVIATION.finditer(prose):
            key = _singular(match.group(0))
            if key in seen or key in WELL_KNOWN or key in NOT_ABBREVIATIONS:
                continue
            seen.add(key)
            if not is_defined_here(prose, match.start(), match.end(), meanings):
                undefined.append(UndefinedAbbreviation(match.group(0),
                                                       _sentence_around(block, match.start())))
    return undefined


def notice_text(html: str) -> list[str]:
    """The "About this copy" notice: the same on every page, so it explains its own words."""
    notice = BeautifulSoup(html, "html.parser").select_one(".trust-notice")
    if notice is None:
        return []
    return [" ".join(p.get_text(" ").split()) for p in notice.select("p")]


def page_regions(html: str) -> dict[str, list[str]]:
    """A page's text in the parts a reader meets separately: the notice and the page itself.

    The notice is folded away above the heading, so a word it explains is not explained
    for someone reading the page, and the page must explain it again.
    """
    return {"notice": notice_text(html), "page": page_text(html)}
