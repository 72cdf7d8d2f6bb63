"""Which pages two git revisions change, Trust by Trust: `python -m trustsite changes BASE [HEAD]`.

Each revision is checked out with `git worktree add --detach` into a temporary folder (the
working tree is never touched) and built there by its own code and content, exactly as
`python -m trustsite build` builds it. Then, for every Trust, the visible text of each page's
article is compared, so markup-only differences, the search index, the sitemap and the assets
never show up. Each changed page gets short word-level excerpts: a few words of context, the
words removed and the words added. The report is written as Markdown for a pull-request
comment and as a standalone HTML page for the preview site.
"""

from __future__ import annotations

import difflib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from bs4 import BeautifulSoup
from markupsafe import Markup

from trustsite.html_templates import render_template

PAGE_SELECTOR = "article.md-content__inner"
SKIPPED_FOLDERS = frozenset({"assets", "search"})  # never pages a reader reads
BLOCK_TAGS = ["address", "article", "aside", "blockquote", "br", "caption", "dd", "details",
              "div", "dl", "dt", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
              "hr", "li", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr",
              "ul"]
CONTEXT_WORDS = 6         # words of unchanged text either side of a change
MAX_RUN_WORDS = 40        # removed or added words shown in one excerpt before "…"
MARKDOWN_EXCERPTS = 3     # excerpts per page in the Markdown report; the HTML shows them all
COMMENT_LIMIT = 65_536    # GitHub's limit on a comment's length, in characters
# The workflow puts a few lines (the preview link) above the report in the same comment.
MARKDOWN_LIMIT = COMMENT_LIMIT - 2_000
LOG_LINES = 40            # lines of a failed build's output shown in the report

Kind = Literal["same", "removed", "added"]


class ChangesError(Exception):
    """A repository or revision that cannot be used; the message says why."""


class BuildFailed(ChangesError):
    """A revision whose build failed; `log` holds the end of the build's output."""

    def __init__(self, revision: Revision, log: str):
        self.revision = revision
        self.log = log
        super().__init__(f"the build of {revision.label} ({revision.short}) failed")


@dataclass(frozen=True)
class Revision:
    label: str   # as given, for example 'origin/main'
    commit: str  # the full commit id it resolved to

    @property
    def short(self) -> str:
        return self.commit[:7]


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


@dataclass
class Report:
    base: Revision
    head: Revision
    trusts: list[TrustChanges] = field(default_factory=list)
    failure: BuildFailed | None = None


# -- Git -------------------------------------------------------------------------------------

def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise ChangesError(f"git {' '.join(args)} failed: {detail}")
    return result.stdout.strip()


def repository_root(path: Path) -> Path:
    """The top folder of the git repository that holds path."""
    try:
        return Path(_git(path, "rev-parse", "--show-toplevel"))
    except ChangesError:
        raise ChangesError(f"{path} is not in a git repository. Run the command from a clone "
                           "of the project.") from None


def resolve_revision(repo: Path, label: str) -> Revision:
    """The commit a revision name (branch, tag, commit, 'origin/main', 'HEAD~1') stands for."""
    try:
        commit = _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options",
                      f"{label}^{{commit}}")
    except ChangesError:
        commit = ""
    if not commit:
        raise ChangesError(f"there is no git revision '{label}' in {repo}. Give a branch, tag "
                           "or commit; for a remote branch, fetch it first (in GitHub Actions: "
                           "actions/checkout with fetch-depth: 0).")
    return Revision(label, commit)


def _remove_worktree(repo: Path, worktree: Path) -> None:
    try:
        _git(repo, "worktree", "remove", "--force", str(worktree))
    except ChangesError:
        shutil.rmtree(worktree, ignore_errors=True)
        subprocess.run(["git", "-C", str(repo), "worktree", "prune"], capture_output=True)


def build_revision(repo: Path, revision: Revision, out_dir: Path, *, jobs: int | None = None,
                   python: str = sys.executable) -> Path:
    """Build every Trust of one revision into out_dir/<slug>/ with the revision's own code.

    The revision is checked out into a temporary worktree, built there by
    `python -m trustsite build --out out_dir` with PYTHONPATH set to the worktree, and the
    worktree is removed again whatever happens. Raises BuildFailed if the build fails.
    """
    out_dir = out_dir.resolve()
    with tempfile.TemporaryDirectory(prefix="trustsite-worktree-") as scratch:
        worktree = Path(scratch) / revision.short
        _git(repo, "worktree", "add", "--detach", str(worktree), revision.commit)
        try:
            command = [python, "-m", "trustsite", "build", "--out", str(out_dir)]
            if jobs:
                command += ["--jobs", str(jobs)]
            env = dict(os.environ, PYTHONPATH=str(worktree), NO_MKDOCS_2_WARNING="1")
            env.pop("TRUST", None)
            result = subprocess.run(command, cwd=worktree, env=env, text=True,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        finally:
            _remove_worktree(repo, worktree)
    if result.returncode != 0:
        tail = "\n".join(result.stdout.rstrip().splitlines()[-LOG_LINES:])
        raise BuildFailed(revision, tail or f"exit code {result.returncode}, no output")
    return out_dir


# -- Reading built sites ---------------------------------------------------------------------

_ARTICLE_START = re.compile(r"<article\b[^>]*\bclass=\"[^\"]*\bmd-content__inner\b")


def _page(document: str) -> Page | None:
    """The title and the visible, whitespace-normalised text of a page's article."""
    start = _ARTICLE_START.search(document)
    end = document.rfind("</article>")
    if start and end > start.start():  # parse the article alone: several times faster
        document = document[start.start():end + len("</article>")]
    soup = BeautifulSoup(document, "html.parser")
    article = soup.select_one(PAGE_SELECTOR)
    if article is None:
        return None
    for tag in article.select("script, style, template, a.headerlink"):
        tag.decompose()
    heading = article.find("h1")
    title = " ".join(heading.get_text(" ").split()) if heading else ""
    for tag in article.find_all(BLOCK_TAGS):  # words in neighbouring blocks stay apart
        tag.insert_before(" ")
        tag.insert_after(" ")
    return Page(title, " ".join(article.get_text().split()))


def read_pages(site_dir: Path) -> dict[str, Page]:
    """Every page of one built site by its path in the site, without assets and search."""
    pages: dict[str, Page] = {}
    for path in sorted(site_dir.rglob("*.html")):
        name = path.relative_to(site_dir).as_posix()
        if name.split("/", 1)[0] in SKIPPED_FOLDERS:
            continue
        page = _page(path.read_text(encoding="utf-8"))
        if page is not None:
            pages[name] = page
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


# -- Comparing -------------------------------------------------------------------------------

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
            same_tree = role == "head" and _tree(repo, base_rev) == _tree(repo, head_rev)
            if same_tree:
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


def _tree(repo: Path, revision: Revision) -> str:
    return _git(repo, "rev-parse", f"{revision.commit}^{{tree}}")


# -- Markdown --------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#@&!])")


def markdown_escape(text: str) -> str:
    """Text shown literally in GitHub Markdown (no emphasis, links, mentions or HTML)."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    escaped = re.sub(r"^(\d+)([.)])", r"\1\\\2", escaped)  # no list at the start of a line
    return re.sub(r"^([-+=])", r"\\\1", escaped)


def _excerpt_markdown(excerpt: Excerpt) -> str:
    parts = []
    for kind, text in excerpt.segments:
        text = markdown_escape(text)
        parts.append({"same": text, "removed": f"~~{text}~~", "added": f"**{text}**"}[kind])
    return ("…" if excerpt.cut_before else "") + " ".join(parts) + (
        "…" if excerpt.cut_after else "")


def _trust_heading(trust: TrustChanges) -> str:
    return f"{markdown_escape(trust.name)} (`{trust.slug}`)"


def _page_label(change: PageChange) -> str:
    title = f" — {markdown_escape(change.title)}" if change.title else ""
    return f"`{change.page}`{title}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _trust_markdown(trust: TrustChanges) -> list[str]:
    lines = ["", f"### {_trust_heading(trust)}", ""]
    if trust.status == "added":
        return lines + [f"A new Trust: its {_plural(trust.page_count, 'page')} are all new."]
    if trust.status == "removed":
        return lines + [f"This Trust is no longer built: its "
                        f"{_plural(trust.page_count, 'page')} are gone."]
    for status, heading in (("added", "Pages added"), ("removed", "Pages removed"),
                            ("changed", "Pages changed")):
        changes = trust.of(status)
        if not changes:
            continue
        lines += [f"**{heading}**", ""]
        for change in changes:
            lines.append(f"- {_page_label(change)}")
            shown = change.excerpts[:MARKDOWN_EXCERPTS]
            lines += [f"  - {_excerpt_markdown(excerpt)}" for excerpt in shown]
            hidden = len(change.excerpts) - len(shown)
            if hidden:
                lines.append(f"  - _and {_plural(hidden, 'more change')} on this page_")
        lines.append("")
    return lines


def _title_markdown(report: Report) -> list[str]:
    return ["## Changes to the Trust sites", "",
            f"Comparing the pages built from `{report.base.label}` ({report.base.short}) with "
            f"those from `{report.head.label}` ({report.head.short}). Only the words on the "
            "pages are compared, not the markup, search index or assets."]


def _failure_lines(failure: BuildFailed) -> list[str]:
    longest = max((len(run) for run in re.findall(r"`+", failure.log)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"**The build of `{failure.revision.label}` ({failure.revision.short}) failed**, "
            "so the pages could not be compared. The end of its output:", "",
            f"{fence}text", failure.log, fence]


def _summary_markdown(report: Report) -> list[str]:
    changed = [trust for trust in report.trusts if trust.changed]
    if not report.trusts:
        return ["", "Neither revision builds any Trust."]
    if not changed:
        return ["", f"No page's text changed for any of the {_plural(len(report.trusts), 'Trust')}."]
    verb = "has" if len(changed) == 1 else "have"
    lines = ["", f"{len(changed)} of {_plural(len(report.trusts), 'Trust')} {verb} changes.", "",
             "| Trust | Pages added | Pages removed | Pages changed |",
             "| --- | ---: | ---: | ---: |"]
    for trust in changed:
        if trust.status == "both":
            counts = [str(len(trust.of(s))) for s in ("added", "removed", "changed")]
        else:
            counts = ["new Trust" if trust.status == "added" else "Trust removed", "", ""]
        lines.append(f"| {_trust_heading(trust)} | {' | '.join(counts)} |")
    unchanged = [trust for trust in report.trusts if not trust.changed]
    if unchanged:
        names = ", ".join(f"`{trust.slug}`" for trust in unchanged)
        lines += ["", f"No page's text changed for: {names}."]
    return lines


def render_markdown(report: Report, *, limit: int = MARKDOWN_LIMIT) -> str:
    """The report as GitHub Markdown for a pull-request comment, cut to at most limit characters."""
    lines = _title_markdown(report)
    if report.failure is not None:
        return _truncate(lines + [""] + _failure_lines(report.failure), limit)
    lines += _summary_markdown(report)
    for trust in report.trusts:
        if trust.changed:
            lines += _trust_markdown(trust)
    return _truncate(lines, limit)


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
            "or run `python -m trustsite changes` locally.")
    return "\n".join(kept).rstrip() + "\n\n" + note + "\n"


# -- HTML ------------------------------------------------------------------------------------

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
