"""Regular expressions run on Trust text take linear time (issue 23 point 5): each is fed a
megabyte of input built to make a backtracking engine, or a search from every position, go
quadratic. Each runs in a child process stopped after STALL_SECONDS: a linear pass over a
megabyte takes well under a second, a quadratic one hours. (A stall detector, not a speed
target.) Trust page source is no longer parsed by html.parser, which is quadratic on some
unclosed markup: see the sanitiser (issue 23 point 1)."""

from __future__ import annotations

import multiprocessing
import re
from typing import Any, Callable

import pytest

from trustsite import documents, guard, locale, page_macros, sandbox, schema, trust_files

STALL_SECONDS = 30
MEGABYTE = 1_000_000


def repeated(fragment: str) -> str:
    return (fragment * (MEGABYTE // len(fragment) + 1))[:MEGABYTE]


def _schema_patterns(text: str) -> list[Any]:
    """Each locale field's pattern, as locale.py applies it (a final '$' read as the end)."""
    patterns = [value for name, value in vars(schema).items()
                if name.endswith("_PATTERN") and isinstance(value, str)]
    return [re.search(pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern, text)
            for pattern in patterns]


CASES: list[tuple[str, Callable[[str], Any], str]] = [
    ("front matter", locale._FRONT_MATTER.match, "---\n" + repeated("\n")),
    ("front matter dashes", locale._FRONT_MATTER.match, "---\n" + repeated("-- \n")),
    ("control characters", lambda t: locale._text_problems(t, "f"), repeated("\x01")),
    ("control characters on lines", lambda t: locale._text_problems(t, "f"),
     repeated("\x01\n")),
    ("tabs", lambda t: locale._text_problems(t, "f"), repeated(" " * 40 + "\n")),
    ("one line", locale.one_line, repeated("a\x01")),
    ("schema: email", _schema_patterns, "a@b" + repeated(".c") + "!"),
    ("schema: phone", _schema_patterns, "1" + repeated(" ") + "x"),
    ("schema: page address", _schema_patterns, "https://" + repeated("{page}") + " "),
    ("schema: asset", _schema_patterns, "a" + repeated(".svg") + "x"),
    ("schema: mailto", _schema_patterns, "mailto:" + repeated("a") + " "),
    ("css url(", guard.css_references, repeated("url(")),
    ("css comments", guard.css_references, repeated("/*")),
    ("css import", guard.css_references, repeated("@import '")),
    ("css escapes", guard.css_references, repeated("\\")),
    ("quick look: attributes", guard.may_load_from_other_host, repeated("/src=")),
    ("quick look: quoted", guard.may_load_from_other_host, repeated(' src="')),
    ("quick look: link", guard.may_load_from_other_host, repeated("<link")),
    ("quick look: style", guard.may_load_from_other_host, repeated("<style")),
    ("quick look: style url", guard.may_load_from_other_host, repeated(" style=url(")),
    ("markdown escaping", page_macros.as_text, repeated("*")),
    ("file names", trust_files.name_problem, repeated("a.")),
    ("reserved names", trust_files._RESERVED.fullmatch, "CON" + repeated(".")),
    ("svg references", lambda t: documents._SVG_OUTSIDE_REFERENCE.search(t.encode()),
     repeated("href =")),
    ("svg declarations", guard.svg_problems, repeated("<!").encode()),
    ("markdown: unclosed tags", lambda t: sandbox._markdown_budget_problems(t, "f", 1),
     repeated("<http://x ")),
    ("markdown: unclosed tag names", lambda t: sandbox._markdown_budget_problems(t, "f", 1),
     "<a" + repeated("b")),
    ("markdown: brackets", lambda t: sandbox._markdown_budget_problems(t, "f", 1),
     repeated("[a\n\n")),
]


def _run(function: Callable[[str], Any], text: str) -> None:
    function(text)


@pytest.mark.parametrize("name, function, text", CASES, ids=[case[0] for case in CASES])
def test_each_regular_expression_on_trust_text_takes_linear_time(name, function, text):
    child = multiprocessing.get_context("fork").Process(target=_run, args=(function, text))
    child.start()
    child.join(STALL_SECONDS)
    stalled = child.is_alive()
    if stalled:
        child.kill()
        child.join()
    assert not stalled, f"{name}: still running after {STALL_SECONDS} s on 1 MB"
