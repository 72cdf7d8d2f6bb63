"""Reading revisions: resolve git revisions and build each one in a throwaway git worktree.

The working tree is never touched: each revision is checked out with `git worktree add
--detach` into a temporary folder, built there by its own code and content, exactly as
`trustsite build` builds it, and the worktree is removed again whatever happens.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from trustsite.changes.inert import log_inert

LOG_LINES = 40  # lines of a failed build's output kept for the report


class ChangesError(Exception):
    """A repository or revision that cannot be used; the message says why."""


@dataclass(frozen=True)
class Revision:
    label: str   # as given, for example 'origin/main'
    commit: str  # the full commit id it resolved to

    @property
    def short(self) -> str:
        return self.commit[:7]


class BuildFailed(ChangesError):
    """A revision whose build failed; `log` holds the end of the build's output."""

    def __init__(self, revision: Revision, log: str):
        self.revision = revision
        self.log = log
        super().__init__(f"the build of {revision.label} ({revision.short}) failed")


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


def same_tree(repo: Path, first: Revision, second: Revision) -> bool:
    """Whether two revisions hold exactly the same files (then one build serves both)."""
    return (_git(repo, "rev-parse", f"{first.commit}^{{tree}}")
            == _git(repo, "rev-parse", f"{second.commit}^{{tree}}"))


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
        raise BuildFailed(revision, log_inert(tail) or f"exit code {result.returncode}, no output")
    return out_dir
