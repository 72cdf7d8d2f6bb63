"""Invisible format characters: refused in a Trust's text, escaped in every message.

Unicode's format characters (category Cf) are not drawn: bidirectional overrides reorder what
a reader sees (so 'gpj.exe' can show as 'exe.jpg'), zero-width spaces and joiners hide inside
a name, tag characters carry hidden text. A Trust's values may hold them only where a language
needs them: a joiner (U+200D) or non-joiner (U+200C) between two letters of a script that is
not ASCII (as in Hindi or Persian), a joiner inside an emoji sequence, and tag characters
inside an emoji flag such as Scotland's.
"""

from __future__ import annotations

import re
import unicodedata

# Every Cf character (Unicode 15; tests/test_trust_content_allow_list.py checks it against
# unicodedata), as one character class for messages and logs.
FORMAT_CHARACTERS = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]")
ZWNJ, ZWJ = "\u200c", "\u200d"
_BLACK_FLAG = "\U0001f3f4"  # starts a tag sequence flag (England, Scotland, Wales)
_EMOJI_PARTS = {"So", "Sk"}  # pictographs, and skin tone modifiers


def _letter(char: str) -> bool:
    return not char.isascii() and unicodedata.category(char)[0] in "LM"


def _needed(text: str, at: int) -> bool:
    """Whether the format character at text[at] is one a language or an emoji needs."""
    char = text[at]
    before = text[at - 1] if at else ""
    after = text[at + 1] if at + 1 < len(text) else ""
    if char in (ZWJ, ZWNJ) and before and after and _letter(before) and _letter(after):
        return True
    if char == ZWJ and before and after:
        emoji_before = before == "\ufe0f" or unicodedata.category(before) in _EMOJI_PARTS
        return emoji_before and unicodedata.category(after) == "So"
    if "\U000e0020" <= char <= "\U000e007f":
        return before == _BLACK_FLAG or "\U000e0020" <= before <= "\U000e007e"
    return False


def hidden_characters(text: str) -> list[str]:
    """The format characters in text that nothing needs there, in order, each once."""
    found = [match[0] for match in FORMAT_CHARACTERS.finditer(text)
             if not _needed(text, match.start())]
    return list(dict.fromkeys(found))


def describe(char: str) -> str:
    """'U+202E (RIGHT-TO-LEFT OVERRIDE)', for a message."""
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'format character')})"


def escape_format_characters(text: str) -> str:
    """Every format character written as its escape (\\u202e), so a log shows it."""
    return FORMAT_CHARACTERS.sub(lambda m: f"\\u{ord(m[0]):04x}" if ord(m[0]) <= 0xFFFF
                                 else f"\\U{ord(m[0]):08x}", text)
