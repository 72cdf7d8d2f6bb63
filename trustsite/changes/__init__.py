"""Which pages two git revisions change, Trust by Trust: `.venv/bin/trustsite changes BASE [HEAD]`.

Three modules, one job each: `revisions` builds each revision in a throwaway git worktree,
`compare` compares the visible text of the built sites, `report` renders the result as
Markdown for a pull-request comment and as a standalone HTML page for the preview site
(`inert` keeps what Trusts supply from acting there). This module ties them together.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from trustsite.changes.compare import (Excerpt, Page, PageChange, TrustChanges, compare_pages,
                                       compare_sites, page_texts, read_pages, word_excerpt)
from trustsite.changes.inert import code_span, log_inert, markdown_inert
from trustsite.changes.report import COMMENT_LIMIT, Report, render_html, render_markdown
from trustsite.changes.revisions import (BuildFailed, ChangesError, Revision, build_revision,
                                         repository_root, resolve_revision, same_tree)

__all__ = ["COMMENT_LIMIT", "BuildFailed", "ChangesError", "Excerpt", "Page", "PageChange",
           "Report", "Revision", "TrustChanges", "build_revision", "code_span",
           "compare_pages", "compare_revisions", "compare_sites", "log_inert", "markdown_inert",
           "page_texts", "read_pages", "render_html", "render_markdown", "repository_root",
           "resolve_revision", "word_excerpt"]


def compare_revisions(repo: Path, base: str, head: str = "HEAD", *,
                      jobs: int | None = None) -> Report:
    """Build both revisions in temporary worktrees and compare them.

    A failed build is kept in the report (report.failure) rather than raised, so the report
    can say so; a revision that does not exist raises ChangesError.
    """
    base_rev, head_rev = resolve_revision(repo, base), resolve_revision(repo, head)
    report = Report(base_rev, head_rev)
    with tempfile.TemporaryDirectory(prefix="trustsite-changes-") as scratch:
        outs: dict[str, Path] = {}
        for role, revision in (("base", base_rev), ("head", head_rev)):
            if role == "head" and same_tree(repo, base_rev, head_rev):
                outs[role] = outs["base"]
                continue
            print(f"Building {role} {revision.label} ({revision.short})…", file=sys.stderr,
                  flush=True)
            try:
                outs[role] = build_revision(repo, revision, Path(scratch) / role, jobs=jobs)
            except BuildFailed as failure:
                report.failure = failure
                return report
        report.trusts = compare_sites(outs["base"], outs["head"])
    return report
