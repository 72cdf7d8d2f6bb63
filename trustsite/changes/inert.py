"""Text from Trusts made inert where the report goes: GitHub Markdown and CI logs.

A Trust's name, a page's title and a page's file name are untrusted input. In a pull-request
comment they must not mention people, link (issues as `#12` or `GH-12`, commits by their hash),
embed images or HTML; in a CI log they must not start a GitHub workflow command (`::error::`,
`::set-output` ...). Nowhere may they hold a terminal control character or an invisible
format character: both are written as escapes (`\x1b`, `\u202e`).
"""

from __future__ import annotations

import re

from trustsite.locale import escape_unprintable

ZWJ = "\u200d"  # zero-width joiner: invisible, but breaks mentions, autolinks and `::`
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()<>|~#&!:])")
_LINE_START = re.compile(r"^(\d+)([.)])|^([-+=])")


def one_line(text: str) -> str:
    """All whitespace, line breaks included, as single spaces: a value cannot start a line;
    control and format characters as escapes."""
    return escape_unprintable(" ".join(text.split()))


def markdown_inert(text: str) -> str:
    """Text shown literally in GitHub Markdown: no emphasis, links, images, HTML or mentions."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", one_line(text))
    escaped = _LINE_START.sub(lambda m: (f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}"), escaped)
    return _break_live(escaped)


# What GitHub turns into a link even in escaped text: issue and pull-request numbers (#12,
# GH-12, owner/repo#12) and commit hashes (7 to 40 hexadecimal digits).
_AUTOLINKS = re.compile(r"(?i)(#|\bgh-)(?=\d)|\b[0-9a-f]{7,}\b")


def _break_autolink(match: re.Match[str]) -> str:
    if match[1]:
        return match[1] + ZWJ
    return ZWJ.join(match[0][at:at + 6] for at in range(0, len(match[0]), 6))


def _break_live(text: str) -> str:
    """GitHub links bare addresses, @names, issue numbers and commit hashes even after
    escaping, so break them invisibly."""
    for live in ("@", "//", "::"):
        text = text.replace(live, live[0] + ZWJ + live[1:])
    text = _AUTOLINKS.sub(_break_autolink, text)
    return re.sub(r"(?i)\bwww\.", lambda m: m[0][:-1] + ZWJ + ".", text)


def code_span(text: str) -> str:
    """Text as one Markdown code span, whatever backticks it holds: nothing in it is live."""
    text = _break_live(one_line(text))
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def log_inert(text: str) -> str:
    """Build output safe to print in a CI log or a terminal: no line can start a workflow
    command, and control and format characters are escapes."""
    return "\n".join(re.sub(r"^(\s*):", r"\1:" + ZWJ, escape_unprintable(line))
                     for line in text.splitlines())
