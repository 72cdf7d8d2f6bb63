"""Rendering the report: Markdown for a pull-request comment (trustsite/templates/changes.md)
and a standalone HTML page for the preview site (trustsite/templates/changes.html).

Every value a Trust supplies is made inert on the way: see trustsite/changes/inert.py.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from trustsite.changes.compare import Excerpt, TrustChanges
from trustsite.changes.inert import code_span, markdown_inert
from trustsite.changes.revisions import BuildFailed, Revision
from trustsite.html_templates import render_markdown_template, render_template

MARKDOWN_EXCERPTS = 3     # excerpts per page in the Markdown report; the HTML shows them all
COMMENT_LIMIT = 65_536    # GitHub's limit on a comment's length, in characters
# The workflow puts a few lines (the preview link) above the report in the same comment.
MARKDOWN_LIMIT = COMMENT_LIMIT - 2_000


@dataclass
class Report:
    base: Revision
    head: Revision
    trusts: list[TrustChanges] = field(default_factory=list)
    failure: BuildFailed | None = None


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _excerpt_markdown(excerpt: Excerpt) -> str:
    parts = []
    for kind, text in excerpt.segments:
        text = markdown_inert(text)
        parts.append({"same": text, "removed": f"~~{text}~~", "added": f"**{text}**"}[kind])
    return ("…" if excerpt.cut_before else "") + " ".join(parts) + (
        "…" if excerpt.cut_after else "")


def _fence(log: str) -> str:
    """A code fence longer than any run of backticks in the log, so the log cannot close it."""
    longest = max((len(run) for run in re.findall(r"`+", log)), default=0)
    return "`" * max(3, longest + 1)


def render_markdown(report: Report, *, limit: int = MARKDOWN_LIMIT) -> str:
    """The report as GitHub Markdown for a pull-request comment, cut to at most limit characters."""
    text = render_markdown_template(
        "changes.md", {"inert": markdown_inert, "code": code_span}, report=report,
        plural=_plural, markdown_excerpt=_excerpt_markdown, excerpts_shown=MARKDOWN_EXCERPTS,
        fence=_fence(report.failure.log) if report.failure else "```",
        changed=[t for t in report.trusts if t.changed],
        unchanged=[t for t in report.trusts if not t.changed])
    return _truncate(re.sub(r"\n{3,}", "\n\n", text).splitlines(), limit)


def _truncate(lines: list[str], limit: int) -> str:
    text = "\n".join(lines).rstrip() + "\n"
    if len(text) <= limit:
        return text
    kept: list[str] = []
    size = 0
    note_room = 400
    for line in lines:
        if size + len(line) + 1 > limit - note_room:
            break
        kept.append(line)
        size += len(line) + 1
    left = len(lines) - len(kept)
    if sum(line.count("```") for line in kept) % 2:
        kept.append("```")  # close a code block cut in half
    note = (f"> **This report was cut short** to fit in one pull-request comment ({left} more "
            f"lines left out). The full report is the page `changes.html` in the preview site, "
            "or run `.venv/bin/trustsite changes` locally.")
    return "\n".join(kept).rstrip() + "\n\n" + note + "\n"


def _excerpt_html(excerpt: Excerpt) -> str:
    parts = []
    for kind, text in excerpt.segments:
        text = html.escape(text)
        if kind == "removed":
            text = f'<del><span class="visually-hidden">removed: </span>{text}</del>'
        elif kind == "added":
            text = f'<ins><span class="visually-hidden">added: </span>{text}</ins>'
        parts.append(text)
    return ("…" if excerpt.cut_before else "") + " ".join(parts) + (
        "…" if excerpt.cut_after else "")


def render_html(report: Report, *, site_dir: Path | None = None) -> str:
    """The report as one standalone, accessible HTML page with no external assets.

    When site_dir is given (the folder the page will sit in, holding <slug>/ sites), each
    page that exists there is linked, relative to the report.
    """
    def link(slug: str, page: str) -> str | None:
        if site_dir is not None and (site_dir / slug / page).is_file():
            return f"{slug}/{page}"
        return None

    return render_template("changes.html", report=report, link=link, plural=_plural,
                           excerpt=lambda e: Markup(_excerpt_html(e)),
                           changed=[t for t in report.trusts if t.changed],
                           unchanged=[t for t in report.trusts if not t.changed])
