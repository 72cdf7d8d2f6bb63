"""Text from Trusts made inert where the report goes: GitHub Markdown and CI logs.

A Trust's name, a page's title and a page's file name are untrusted input. In a pull-request
comment they must not mention people, link, embed images or HTML; in a CI log they must not
start a GitHub workflow command (`::error::`, `::set-output` ...).
"""

from __future__ import annotations

import re

ZWJ = "\u200d"  # zero-width joiner: invisible, but breaks mentions, autolinks and `::`
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()<>|~#&!:])")
_LINE_START = re.compile(r"^(\d+)([.)])|^([-+=])")


def one_line(text: str) -> str:
    """All whitespace, line breaks included, as single spaces: a value cannot start a line."""
    return " ".join(text.split())


def markdown_inert(text: str) -> str:
    """Text shown literally in GitHub Markdown: no emphasis, links, images, HTML or mentions."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", one_line(text))
    escaped = _LINE_START.sub(lambda m: (f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}"), escaped)
    return _break_live(escaped)


def _break_live(text: str) -> str:
    """GitHub links bare addresses and @names even after escaping, so break them invisibly."""
    for live in ("@", "//", "::"):
        text = text.replace(live, live[0] + ZWJ + live[1:])
    return re.sub(r"(?i)\bwww\.", lambda m: m[0][:-1] + ZWJ + ".", text)


def code_span(text: str) -> str:
    """Text as one Markdown code span, whatever backticks it holds: nothing in it is live."""
    text = _break_live(one_line(text))
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def log_inert(text: str) -> str:
    """Build output safe to print in a CI log: no line can start a workflow command."""
    return "\n".join(re.sub(r"^(\s*):", r"\1:" + ZWJ, line) for line in text.splitlines())
