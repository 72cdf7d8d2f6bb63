"""Which Trusts a pull request changes (trustsite/changed_trusts.py), on scratch git repositories,
and the comment rows that link each one's files."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import trustsite.changes
from trustsite import cli
from trustsite.changed_trusts import (MAX_TRUST_ARTIFACTS, ChangedTrusts, TrustRow, classify,
                                      changed_trusts, render_rows, trust_of, trust_rows)
from trustsite.locale import Problem

from conftest import ROOT


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True, timeout=60).stdout


def write(repo: Path, path: str, text: str) -> None:
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--allow-empty", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A project with two Trusts and a national page on `main`, and a branch `pr` from it."""
    repo = tmp_path / "project"
    repo.mkdir()
    git(repo, "init", "--quiet", "--initial-branch=main")
    git(repo, "config", "user.email", "ci@example.invalid")
    git(repo, "config", "user.name", "CI test")
    write(repo, "docs/index.md", "# Welcome\n")
    write(repo, "locales/schema.json", "{}\n")
    for slug in ("anytown", "brightwater"):
        write(repo, f"locales/{slug}.yml", "trust:\n  name: A Trust\n")
        write(repo, f"locales/{slug}/logo.svg", "<svg/>\n")
    commit(repo, "Two Trusts")
    git(repo, "checkout", "--quiet", "-b", "pr")
    return repo


def changed_after(repo: Path, message: str) -> ChangedTrusts:
    commit(repo, message)
    return changed_trusts(repo, "main", "HEAD")


def test_a_locale_edited_changes_that_trust_only(repo):
    write(repo, "locales/anytown.yml", "trust:\n  name: Anytown Hospitals\n")
    assert changed_after(repo, "Rename") == ChangedTrusts(trusts=["anytown"])


def test_a_logo_replaced_changes_its_trust(repo):
    write(repo, "locales/brightwater/logo.svg", "<svg><rect/></svg>\n")
    assert changed_after(repo, "New logo") == ChangedTrusts(trusts=["brightwater"])


def test_a_page_added_changes_its_trust(repo):
    write(repo, "locales/anytown/pages/parking.md", "# Parking\n")
    assert changed_after(repo, "A local page") == ChangedTrusts(trusts=["anytown"])


def test_a_national_page_edited_is_national_not_a_trust(repo):
    write(repo, "docs/index.md", "# Welcome to the guide\n")
    write(repo, "locales/schema.json", '{"type": "object"}\n')
    assert changed_after(repo, "National") == ChangedTrusts(
        national=["docs/index.md", "locales/schema.json"])


def test_a_file_deleted_in_a_trusts_folder_changes_that_trust(repo):
    (repo / "locales/anytown/logo.svg").unlink()
    assert changed_after(repo, "No logo") == ChangedTrusts(trusts=["anytown"])


def test_a_trust_deleted_is_removed_not_built(repo):
    shutil.rmtree(repo / "locales/brightwater")
    (repo / "locales/brightwater.yml").unlink()
    changed = changed_after(repo, "Brightwater leaves")
    assert changed == ChangedTrusts(removed=["brightwater"])
    assert changed.to_build == []


def test_a_trust_renamed_builds_the_new_name_and_removes_the_old(repo):
    git(repo, "mv", "locales/anytown.yml", "locales/anytown-hospitals.yml")
    git(repo, "mv", "locales/anytown", "locales/anytown-hospitals")
    assert changed_after(repo, "Rename") == ChangedTrusts(trusts=["anytown-hospitals"],
                                                          removed=["anytown"])


def test_only_the_pull_requests_own_commits_count(repo):
    """Commits on main after the branch left it are not the pull request's changes."""
    write(repo, "locales/anytown.yml", "trust:\n  name: Anytown\n")
    commit(repo, "On the branch")
    git(repo, "checkout", "--quiet", "main")
    write(repo, "locales/brightwater.yml", "trust:\n  name: Brightwater\n")
    commit(repo, "On main meanwhile")
    git(repo, "checkout", "--quiet", "pr")
    assert changed_trusts(repo, "main", "pr") == ChangedTrusts(trusts=["anytown"])


@pytest.mark.parametrize(("path", "slug"), [
    ("locales/anytown.yml", "anytown"),
    ("locales/anytown/pages/a.md", "anytown"),
    ("locales/schema.json", None),
    ("locales/anytown.yaml", None),  # not a locale: check says what to do with it
    ("locales/Any Town.yml", None),  # not a slug, so never a matrix value or artifact name
    ("locales/$(id)/logo.svg", None),
    ("locales/::error::x.yml", None),
    ("docs/locales/anytown.yml", None),
    ("locales", None),
])
def test_only_a_valid_slug_is_a_trust(path, slug):
    assert trust_of(path) == slug


def test_a_file_name_that_is_not_a_slug_counts_as_national():
    changed = classify(["locales/Any Town.yml", "locales/anytown.yml"], {"anytown"})
    assert changed == ChangedTrusts(trusts=["anytown"], national=["locales/Any Town.yml"])


def test_at_most_twenty_trusts_are_built_one_by_one():
    slugs = [f"trust-{number:02}" for number in range(MAX_TRUST_ARTIFACTS + 3)]
    changed = classify([f"locales/{slug}.yml" for slug in slugs], set(slugs))
    assert MAX_TRUST_ARTIFACTS == 20
    assert changed.to_build == slugs[:20]
    assert changed.not_built == slugs[20:]


def test_a_trust_named_like_the_workflows_own_artifact_is_left_to_the_full_set():
    changed = classify(["locales/sites.yml", "locales/anytown.yml"], {"sites", "anytown"})
    assert changed.to_build == ["anytown"] and changed.not_built == ["sites"]


def test_a_revision_that_does_not_exist_is_an_error(repo, capsys, monkeypatch):
    monkeypatch.setattr(trustsite.changes, "repository_root", lambda root: repo)
    assert cli.main(["changed", "no-such-branch"]) == 2
    assert "no-such-branch" in capsys.readouterr().err


# -- The comment's rows ----------------------------------------------------------------------

PREVIEW = "https://owner.github.io/repo/pr-preview/pr-7/"
RUN = "https://github.com/owner/repo/actions/runs/42"
ARTIFACT = "https://github.com/owner/repo/actions/runs/42/artifacts/9001"


def test_each_trust_gets_a_row_with_its_preview_and_its_files():
    rows = [TrustRow("anytown", "Anytown Hospitals NHS Trust", ARTIFACT)]
    text = render_rows(rows, ChangedTrusts(trusts=["anytown"]), preview=PREVIEW, run=RUN)
    assert (f"| Anytown Hospitals NHS Trust (`anytown`) | [anytown]({PREVIEW}anytown/) "
            f"| [anytown.zip]({ARTIFACT}) |") in text
    assert "not ready" not in text and "national" not in text


def test_release_problems_are_listed_under_the_trusts_name_inert():
    problem = Problem("locales/anytown.yml", 12, "research_office.phone",
                      "is an Ofcom drama number [x](https://evil.example) @someone")
    rows = [TrustRow("anytown", "Anytown <b>@everyone</b> [x](https://evil.example)", "",
                     [problem])]
    text = render_rows(rows, ChangedTrusts(trusts=["anytown"]), preview=PREVIEW)
    heading = next(line for line in text.splitlines() if line.startswith("### "))
    assert "<b>" not in heading and "](" not in heading and "@everyone" not in heading
    assert "not ready to publish" in heading
    bullet = next(line for line in text.splitlines() if line.startswith("- "))
    assert bullet.startswith("- `") and "locales/anytown.yml:12: research_office.phone" in bullet
    assert "@someone" not in bullet  # a mention is broken even inside the code span
    assert "not built: see below" in text


@pytest.mark.parametrize("address", ["javascript:alert(1)", "http://plain.example/",
                                     "https://x.example/a)[b](https://y", "https://x/ a"])
def test_an_address_that_is_not_plain_https_is_never_linked(address):
    rows = [TrustRow("anytown", "Anytown", address)]
    text = render_rows(rows, ChangedTrusts(trusts=["anytown"]), preview=address, run=address)
    assert address not in text
    assert "not published" in text and "not built" in text


def test_the_comment_says_where_the_full_set_is():
    changed = ChangedTrusts(trusts=[f"t{n:02}" for n in range(22)], removed=["gone"],
                            national=["docs/index.md"])
    rows = [TrustRow(slug, slug, ARTIFACT) for slug in changed.to_build]
    text = render_rows(rows, changed, preview=PREVIEW, run=RUN)
    assert "`t20`, `t21`" in text and f"at most {MAX_TRUST_ARTIFACTS}" in text
    assert "`gone`" in text
    assert "1 national file(s)" in text and f"[this run]({RUN})" in text


def test_rows_name_each_trust_and_its_release_problems_from_its_locale(tmp_path):
    """The example Trust's contacts are made up, so it is not ready to publish."""
    links = tmp_path / "links"
    links.mkdir()
    (links / "example").write_text(ARTIFACT + "\n", encoding="utf-8")
    (row,) = trust_rows(["example"], links)
    assert row.name == "Example Hospitals NHS Foundation Trust"
    assert row.artifact_url == ARTIFACT
    assert row.problems and all(p.file == "locales/example.yml" for p in row.problems)
    (missing,) = trust_rows(["example"], tmp_path / "none")
    assert missing.artifact_url == ""


def test_the_command_writes_the_matrix_and_the_rows(repo, tmp_path, monkeypatch):
    monkeypatch.setattr(trustsite.changes, "repository_root", lambda root: repo)
    write(repo, "locales/anytown.yml", "trust:\n  name: Anytown\n")
    commit(repo, "Edit")
    output, markdown = tmp_path / "github-output", tmp_path / "rows.md"
    output.write_text("earlier=1\n", encoding="utf-8")
    assert cli.main(["changed", "main", "--github-output", str(output),
                     "--markdown", str(markdown), "--preview", PREVIEW]) == 0
    lines = output.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "earlier=1"  # appended, as GitHub expects
    assert json.loads(lines[1].removeprefix("trusts=")) == ["anytown"]
    assert f"({PREVIEW}anytown/)" in markdown.read_text(encoding="utf-8")


def test_the_readme_names_the_comments_section():
    """What the comment calls the section is what the README tells officers to look for."""
    heading = render_rows([], ChangedTrusts()).splitlines()[0].removeprefix("## ")
    assert heading in (ROOT / "README.md").read_text(encoding="utf-8")
