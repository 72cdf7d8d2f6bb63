"""Which Trusts a pull request changes, and the comment rows for their files to download.

`trustsite changed BASE HEAD` runs this in the pull-request workflow: its list of slugs is the
matrix of per-Trust builds (one artifact each, named by the slug), and its Markdown is the
comment's "Your Trust's files" section.

A Trust's own files are its locale, `locales/<slug>.yml`, and its folder, `locales/<slug>/`.
Every other changed file is national (pages, theme, code, the schema): it may change every
Trust, so the comment points to the full set instead. File names come from the pull request,
so they are untrusted: only a name that is a valid slug ever becomes a matrix value, an
artifact name or a link, and anything else under `locales/` counts as national (the check
job names what is wrong with it).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from trustsite.changes.inert import code_span, markdown_inert
from trustsite.locale import LOCALES_DIR, Problem, validate_file
from trustsite.scaffold import release_problems
from trustsite.schema import SLUG_PATTERN

MAX_TRUST_ARTIFACTS = 20  # a pull request builds the files of 20 Trusts one by one at most
RESERVED_ARTIFACT_NAMES = frozenset({"sites"})  # the workflow's artifact of every site
GIT_TIMEOUT_SECONDS = 60
# Addresses the workflow hands over (the preview's, the run's, an artifact's): https only, and
# nothing that could end a Markdown link or start markup.
_SAFE_ADDRESS = re.compile(r"https://[A-Za-z0-9.-]+(/[A-Za-z0-9._~%/?=&-]*)?")


class GitError(RuntimeError):
    """A git command failed, for example a revision that does not exist."""


@dataclass(frozen=True)
class ChangedTrusts:
    """The Trusts whose own files differ between two revisions, sorted by slug."""

    trusts: list[str] = field(default_factory=list)   # changed, with a locale at HEAD
    removed: list[str] = field(default_factory=list)  # changed, with no locale at HEAD
    national: list[str] = field(default_factory=list)  # every other changed path

    @property
    def to_build(self) -> list[str]:
        """The Trusts CI builds one by one: at most MAX_TRUST_ARTIFACTS."""
        buildable = [slug for slug in self.trusts if slug not in RESERVED_ARTIFACT_NAMES]
        return buildable[:MAX_TRUST_ARTIFACTS]

    @property
    def not_built(self) -> list[str]:
        """Changed Trusts left to the full set (past the cap, or named like an artifact)."""
        return [slug for slug in self.trusts if slug not in self.to_build]


@dataclass(frozen=True)
class TrustRow:
    """One changed Trust in the comment: its name, its files' link and its release problems."""

    slug: str
    name: str
    artifact_url: str  # empty when its files were not built
    problems: list[Problem] = field(default_factory=list)


def trust_of(path: str) -> str | None:
    """The slug whose own files hold `path` ('locales/<slug>.yml' or 'locales/<slug>/...'),
    or None for a national file."""
    parts = PurePosixPath(path).parts
    if len(parts) < 2 or parts[0] != "locales":
        return None
    if len(parts) == 2:  # a file in locales/: a locale, or locales/schema.json and the like
        name = parts[1].removesuffix(".yml") if parts[1].endswith(".yml") else ""
    else:
        name = parts[1]
    return name if re.fullmatch(SLUG_PATTERN, name) else None


def classify(paths: list[str], slugs_at_head: set[str]) -> ChangedTrusts:
    """Sort changed paths into changed Trusts, removed Trusts and national files."""
    trusts: set[str] = set()
    national: list[str] = []
    for path in paths:
        slug = trust_of(path)
        if slug is None:
            national.append(path)
        else:
            trusts.add(slug)
    return ChangedTrusts(trusts=sorted(trusts & slugs_at_head),
                         removed=sorted(trusts - slugs_at_head), national=sorted(national))


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                            timeout=GIT_TIMEOUT_SECONDS, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise GitError(f"git {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout


def changed_trusts(repo: Path, base: str, head: str = "HEAD") -> ChangedTrusts:
    """The Trusts changed by the commits on `head` since it left `base` (as a pull request
    shows them: `git diff BASE...HEAD`). A rename counts as its old and its new path."""
    diff = _git(repo, "diff", "--name-only", "--no-renames", "-z", f"{base}...{head}", "--")
    paths = [path for path in diff.split("\0") if path]
    listing = _git(repo, "ls-tree", "--name-only", "-z", head, "--", "locales/")
    slugs_at_head = {PurePosixPath(path).name.removesuffix(".yml")
                     for path in listing.split("\0") if path.endswith(".yml")}
    return classify(paths, slugs_at_head)


def trust_rows(slugs: list[str], links: Path | None,
               locales_dir: Path = LOCALES_DIR) -> list[TrustRow]:
    """A row for each Trust built one by one: its name and, as `trustsite build --release`
    would list them, the problems that stop it being published. `links` holds a file per
    Trust, named by its slug, with the address of its artifact (none when it was not built)."""
    rows = []
    for slug in slugs:
        locale, problems = validate_file(locales_dir / f"{slug}.yml")
        name = slug
        if locale is not None:
            name = str(locale.data["trust"]["name"])
            problems = problems + release_problems(locale, locales_dir)
        link = links / slug if links is not None else None
        url = link.read_text(encoding="utf-8").strip() if link and link.is_file() else ""
        rows.append(TrustRow(slug, name, url, problems))
    return rows


def safe_address(address: str) -> str:
    """An address the workflow gave, if it is a plain https address; otherwise ''."""
    return address if _SAFE_ADDRESS.fullmatch(address) else ""


def render_rows(rows: list[TrustRow], changed: ChangedTrusts, *, preview: str = "",
                run: str = "") -> str:
    """The comment's "Your Trust's files" section, in GitHub Markdown. Trust names and
    problems are made inert (trustsite/changes/inert.py), as in the changes report."""
    preview, run = safe_address(preview), safe_address(run)
    full_set = f"the `sites` artifact of [this run]({run})" if run else "the `sites` artifact"
    lines = ["## Your Trust's files", ""]
    if rows:
        lines += ["Each Trust this pull request changes is built for publishing: its site, "
                  "the zip for a web server, the PDF, the SharePoint pack, the paste-ready "
                  "pages and the Word files, in one download named after the Trust. Sign in "
                  "to GitHub to download it. Downloads are kept for 7 days.", "",
                  "| Trust | Preview | Files to download |", "| --- | --- | --- |"]
        for row in rows:
            site = f"[{row.slug}]({preview}{row.slug}/)" if preview else "not published"
            url = safe_address(row.artifact_url)
            files = f"[{row.slug}.zip]({url})" if url else "not built: see below"
            lines.append(f"| {markdown_inert(row.name)} ({code_span(row.slug)}) | {site} "
                         f"| {files} |")
        for row in rows:
            if row.problems:
                lines += ["", f"### {markdown_inert(row.name)} ({code_span(row.slug)}): "
                          "not ready to publish", "",
                          "Fix each line in the Trust's locale, then push again:", ""]
                lines += [f"- {code_span(str(problem))}" for problem in row.problems]
            elif not safe_address(row.artifact_url):
                lines += ["", f"### {markdown_inert(row.name)} ({code_span(row.slug)}): "
                          "not built", "", "The build failed. The run's log says why."]
    else:
        lines.append("No Trust's own locale or folder changed.")
    if changed.not_built:
        names = ", ".join(code_span(slug) for slug in changed.not_built)
        lines += ["", f"Also changed, but not built one by one (at most "
                  f"{MAX_TRUST_ARTIFACTS} Trusts are): {names}. Their sites are in "
                  f"{full_set}."]
    if changed.removed:
        names = ", ".join(code_span(slug) for slug in changed.removed)
        lines += ["", f"No longer built, because their locale file is removed: {names}."]
    if changed.national:
        lines += ["", f"This pull request also changes {len(changed.national)} national "
                  f"file(s), so every Trust's site may change. Every site is in the preview "
                  f"and in {full_set}."]
    return "\n".join(lines) + "\n"
