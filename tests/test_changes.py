"""`python -m trustsite changes`: the changed-pages report between two git revisions.

The end-to-end tests build two commits of a scratch git repository holding a copy of the
project (two of the example Trusts, to keep the builds few); the others work on small
hand-made sites and reports.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from trustsite.changes import (Excerpt, PageChange, Report, Revision, TrustChanges,
                               compare_sites, log_inert, markdown_inert, page_texts,
                               render_html, render_markdown, word_excerpt)
from trustsite.cli import main

from conftest import PROJECT_PARTS, ROOT, add_page

KEPT_TRUSTS = ["example", "northmoor-community"]
CHANGED_TRUST = "northmoor-community"
NEW_TEAM_NAME = "Research and Innovation Hub"
SEEDED = "Our seeded sentence says the quick brown fox jumps over the lazy dog today."
EDITED = "Our seeded sentence says the slow grey badger jumps over the lazy dog today."
NEW_PAGE = "research-news.md"
GITHUB_COMMENT_LIMIT = 65_536  # characters: GitHub refuses a longer comment
DELETED_PAGE = "bigger-picture.md"
GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


# -- A scratch git repository ----------------------------------------------------------------

def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                            env=dict(os.environ, **GIT_ENV), check=True)
    return result.stdout


def copy_project(project: Path, trusts: list[str]) -> Path:
    """A copy of the project with only the given Trusts' locales, as a git repository."""
    project.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, project / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, project / part)
    for locale in (project / "locales").glob("*.yml"):
        if locale.stem not in trusts:
            locale.unlink()
            shutil.rmtree(project / "locales" / locale.stem, ignore_errors=True)
    (project / ".gitignore").write_text("__pycache__/\nsite/\ndist/\n", encoding="utf-8")
    git(project, "init", "--quiet", "--initial-branch=main")
    return project


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--no-gpg-sign", "-m", message)


def run_changes(project: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m trustsite changes ...` with the scratch project's own code."""
    env = dict(os.environ, PYTHONPATH=str(project), NO_MKDOCS_2_WARNING="1",
               PYTHONDONTWRITEBYTECODE="1", **GIT_ENV)
    env.pop("TRUST", None)
    return subprocess.run([sys.executable, "-m", "trustsite", "changes", *args], cwd=project,
                          env=env, text=True, capture_output=True, timeout=600)


def delete_page(project: Path, page: str) -> None:
    """Delete a page, its nav entry and every link to it (keeping the links' words)."""
    (project / "docs" / page).unlink()
    config = project / "mkdocs.yml"
    nav = config.read_text(encoding="utf-8")
    assert f"- {page}\n" in nav, f"{page} is not in the nav any more; pick another page"
    config.write_text(nav.replace(f"      - {page}\n", ""), encoding="utf-8")
    link = re.compile(r"\[([^\]]*)\]\((?:[^)\s]*/)?" + re.escape(Path(page).name) +
                      r"(?:#[^)]*)?\)")
    for markdown in (project / "docs").rglob("*.md"):
        text = markdown.read_text(encoding="utf-8")
        if link.search(text):
            markdown.write_text(link.sub(r"\1", text), encoding="utf-8")


def set_team_name(project: Path, slug: str, name: str) -> None:
    locale = project / "locales" / f"{slug}.yml"
    text, count = re.subn(r"(?m)^(\s+team_name:).*$", rf"\1 {name}",
                          locale.read_text(encoding="utf-8"))
    assert count == 1
    locale.write_text(text, encoding="utf-8")


def snapshot(repo: Path) -> dict[str, tuple[int, int]]:
    """Every file of the working tree (not .git) with its size and modification time."""
    return {path.relative_to(repo).as_posix(): (path.stat().st_size, path.stat().st_mtime_ns)
            for path in repo.rglob("*") if path.is_file() and ".git" not in path.parts}


def worktree_dirs() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("trustsite-*")}


@pytest.fixture(scope="module")
def edited_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two commits: the project as it is (plus a seeded sentence), then the known edits."""
    project = copy_project(tmp_path_factory.mktemp("changes") / "project", KEPT_TRUSTS)
    page = project / "docs" / "what-is-research.md"
    page.write_text(page.read_text(encoding="utf-8").rstrip() + f"\n\n{SEEDED}\n",
                    encoding="utf-8")
    commit_all(project, "Base")
    page.write_text(page.read_text(encoding="utf-8").replace(SEEDED, EDITED), encoding="utf-8")
    add_page(project, NEW_PAGE, "# Research news\n\nNews from {{ trust.short_name }} about "
             "studies that are open now.\n")
    assert f"- {NEW_PAGE}" in (project / "mkdocs.yml").read_text(encoding="utf-8")
    delete_page(project, DELETED_PAGE)
    set_team_name(project, CHANGED_TRUST, NEW_TEAM_NAME)
    commit_all(project, "Head")
    return project


@pytest.fixture(scope="module")
def report_run(edited_repo: Path, tmp_path_factory: pytest.TempPathFactory):
    """The command run once on the edited repository, with an uncommitted edit present."""
    uncommitted = edited_repo / "docs" / "index.md"
    uncommitted.write_text(uncommitted.read_text(encoding="utf-8") + "\nUNCOMMITTED WORDS\n",
                           encoding="utf-8")
    out = tmp_path_factory.mktemp("report")
    before = {"files": snapshot(edited_repo),
              "status": git(edited_repo, "status", "--porcelain"),
              "worktrees": git(edited_repo, "worktree", "list", "--porcelain"),
              "head": git(edited_repo, "rev-parse", "HEAD"),
              "temp": worktree_dirs()}
    result = run_changes(edited_repo, "HEAD~1", "--jobs", "2",
                         "--markdown", str(out / "report.md"), "--html", str(out / "changes.html"))
    after = {"files": snapshot(edited_repo),
             "status": git(edited_repo, "status", "--porcelain"),
             "worktrees": git(edited_repo, "worktree", "list", "--porcelain"),
             "head": git(edited_repo, "rev-parse", "HEAD"),
             "temp": worktree_dirs()}
    return {"result": result, "before": before, "after": after,
            "markdown": (out / "report.md").read_text(encoding="utf-8")
            if (out / "report.md").exists() else "",
            "html": (out / "changes.html").read_text(encoding="utf-8")
            if (out / "changes.html").exists() else ""}


def trust_sections(html: str) -> dict[str, BeautifulSoup]:
    page = BeautifulSoup(html, "html.parser")
    return {section.h2["id"].removeprefix("trust-"): section
            for section in page.select("section") if section.h2 and section.h2.get("id", "")
            .startswith("trust-")}


def listed(section: BeautifulSoup, heading: str) -> dict[str, str]:
    """Page path -> the text of its excerpts, for one list ('Pages changed' etc.)."""
    h3 = next((h for h in section.find_all("h3") if h.get_text() == heading), None)
    if h3 is None:
        return {}
    items = h3.find_next_sibling("ul").find_all("li", recursive=False)
    return {item.code.get_text(): " ".join(li.get_text(" ") for li in item.select(".excerpts li"))
            for item in items}


def markdown_sections(markdown: str) -> dict[str, str]:
    parts = re.split(r"(?m)^### ", markdown)
    return {re.search(r"\(`([a-z0-9-]+)`\)", part).group(1): part for part in parts[1:]}


# -- End to end ------------------------------------------------------------------------------

def test_command_succeeds_and_leaves_the_repository_as_it_was(report_run):
    result = report_run["result"]
    assert result.returncode == 0, result.stderr
    before, after = report_run["before"], report_run["after"]
    assert after["files"] == before["files"]
    assert after["status"] == before["status"]
    assert " M docs/index.md" in after["status"]  # the uncommitted edit is still there
    assert after["worktrees"] == before["worktrees"]
    assert after["worktrees"].count("worktree ") == 1
    assert after["head"] == before["head"]
    assert after["temp"] <= before["temp"], "temporary worktree folders were left behind"


def test_html_report_lists_exactly_the_known_changes(report_run):
    sections = trust_sections(report_run["html"])
    assert set(sections) == set(KEPT_TRUSTS)
    new_page = NEW_PAGE.replace(".md", ".html")
    deleted = DELETED_PAGE.replace(".md", ".html")
    for slug, section in sections.items():
        assert list(listed(section, "Pages added")) == [new_page], slug
        assert list(listed(section, "Pages removed")) == [deleted], slug
        changed = listed(section, "Pages changed")
        assert "what-is-research.html" in changed, slug
        excerpt = changed["what-is-research.html"]
        assert "quick brown fox" in excerpt and "slow grey badger" in excerpt
    # Unlinking the deleted page changed about/index.html's markup only: not reported.
    untouched = listed(sections["example"], "Pages changed")
    assert list(untouched) == ["what-is-research.html"]
    assert NEW_TEAM_NAME not in report_run["html"].split('id="trust-northmoor-community"')[0]


def test_locale_change_shows_only_under_its_trust(report_run):
    changed = listed(trust_sections(report_run["html"])[CHANGED_TRUST], "Pages changed")
    others = {page: text for page, text in changed.items() if page != "what-is-research.html"}
    assert len(others) >= 2, changed
    for page, text in others.items():
        assert NEW_TEAM_NAME.split()[-1] in text, (page, text)  # "Hub"
    assert "Innovation" in changed["what-is-research.html"]  # the tip names the team too


def test_markdown_report_matches(report_run):
    markdown = report_run["markdown"]
    assert markdown.startswith("## Changes to the Trust sites")
    assert len(markdown) < GITHUB_COMMENT_LIMIT
    assert "UNCOMMITTED" not in markdown  # HEAD is the commit, not the working tree
    sections = markdown_sections(markdown)
    assert set(sections) == set(KEPT_TRUSTS)
    for slug, text in sections.items():
        added = text.split("**Pages added**")[1].split("**")[0]
        removed = text.split("**Pages removed**")[1].split("**")[0]
        assert re.findall(r"^- `([^`]+)`", added, re.M) == [NEW_PAGE.replace(".md", ".html")]
        assert re.findall(r"^- `([^`]+)`", removed, re.M) == [DELETED_PAGE.replace(".md", ".html")]
        assert "~~quick brown fox~~ **slow grey badger**" in text
    assert "Innovation" in sections[CHANGED_TRUST]
    assert "Innovation" not in sections["example"]
    example_changed = re.findall(r"^- `([^`]+)`",
                                 sections["example"].split("**Pages changed**")[1], re.M)
    assert example_changed == ["what-is-research.html"]


def test_html_report_is_standalone_and_accessible(report_run):
    page = BeautifulSoup(report_run["html"], "html.parser")
    assert page.html["lang"].startswith("en")
    assert "HEAD~1" in page.title.get_text()
    assert len(page.find_all("h1")) == 1
    assert page.find("del") and page.find("ins")
    assert page.select("del .visually-hidden") and page.select("ins .visually-hidden")
    external = [tag for tag in page.find_all(["script", "link", "img", "iframe"])]
    assert not external, external
    hrefs = [a["href"] for a in page.find_all("a")]
    assert all(not re.match(r"^([a-z]+:)?//", href) for href in hrefs), hrefs


def test_a_failed_build_is_reported_and_exits_nonzero(tmp_path):
    project = copy_project(tmp_path / "project", ["example"])
    commit_all(project, "Good")
    page = project / "docs" / "what-is-research.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n{{ no_such_value }}\n",
                    encoding="utf-8")
    commit_all(project, "Broken")
    worktrees = git(project, "worktree", "list", "--porcelain")
    # The broken commit as BASE: it is built first and fails, so only one build runs.
    result = run_changes(project, "HEAD", "HEAD~1", "--markdown", str(tmp_path / "r.md"),
                         "--html", str(tmp_path / "r.html"))
    assert result.returncode == 1
    assert "failed" in result.stderr and "no_such_value" in result.stderr
    markdown = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "**The build of `HEAD`" in markdown and "no_such_value" in markdown
    html = BeautifulSoup((tmp_path / "r.html").read_text(encoding="utf-8"), "html.parser")
    assert "failed" in html.h2.get_text()
    assert git(project, "worktree", "list", "--porcelain") == worktrees


def test_an_unknown_revision_exits_2_without_building(tmp_path):
    project = copy_project(tmp_path / "project", ["example"])
    commit_all(project, "Only")
    result = run_changes(project, "no-such-branch")
    assert result.returncode == 2
    assert "no git revision 'no-such-branch'" in result.stderr
    assert "Building" not in result.stderr


# -- Comparing sites -------------------------------------------------------------------------

def write_site(out: Path, slug: str, name: str, pages: dict[str, str]) -> None:
    """A tiny built site: each page's article text wrapped in Material's markup."""
    manifest = out / "trusts.json"
    names = json.loads(manifest.read_text()) if manifest.exists() else {}
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps({**names, slug: name}))
    for page, body in {"index.html": "<h1>Home</h1>", **pages}.items():
        path = out / slug / page
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<html><body><nav>{page} menu</nav><main><article "
                        f'class="md-content__inner md-typeset">{body}</article></main>'
                        "</body></html>")


def test_page_texts_read_only_the_article_and_skip_assets_and_search(tmp_path):
    write_site(tmp_path, "a", "A", {
        "p.html": '<h1>Title<a class="headerlink" href="#t">¶</a></h1><p>One <em>two</em>'
                  "</p><p>three</p><script>var x = 1;</script>",
        "assets/x.html": "<p>asset</p>", "search/y.html": "<p>search</p>"})
    (tmp_path / "a" / "plain.html").write_text("<html><body>No article</body></html>")
    texts = page_texts(tmp_path / "a")
    assert texts == {"index.html": "Home", "p.html": "Title One two three"}


def test_compare_sites_reports_trusts_added_and_removed_and_ignores_markup(tmp_path):
    base, head = tmp_path / "base", tmp_path / "head"
    write_site(base, "kept", "Kept Trust", {"same.html": "<p>Same <b>words</b></p>",
                                            "gone.html": "<p>Old</p>"})
    write_site(base, "old-trust", "Old Trust", {})
    write_site(head, "kept", "Kept Trust", {"same.html": "<p>Same <i>words</i> </p>",
                                            "new.html": "<p>New</p>"})
    write_site(head, "new-trust", "New Trust", {"x.html": "<p>x</p>"})
    trusts = {trust.slug: trust for trust in compare_sites(base, head)}
    assert set(trusts) == {"kept", "old-trust", "new-trust"}
    assert (trusts["new-trust"].status, trusts["new-trust"].page_count) == ("added", 2)
    assert (trusts["old-trust"].status, trusts["old-trust"].page_count) == ("removed", 1)
    kept = trusts["kept"]
    assert [(c.page, c.status) for c in kept.pages] == [("gone.html", "removed"),
                                                        ("new.html", "added")]
    report = Report(Revision("main", "a" * 40), Revision("HEAD", "b" * 40), list(trusts.values()))
    markdown = render_markdown(report)
    assert "### New Trust (`new-trust`)" in markdown and "A new Trust" in markdown
    assert "### Old Trust (`old-trust`)" in markdown and "no longer built" in markdown
    html = render_html(report, site_dir=head)
    assert 'href="kept/new.html"' in html and 'href="kept/gone.html"' not in html


# -- Excerpts and rendering ------------------------------------------------------------------

def test_word_excerpt_gives_context_and_the_changed_words():
    old = " ".join(f"w{i}" for i in range(100))
    new = old.replace("w50", "changed").replace("w90 ", "")
    first, second = word_excerpt(old, new, context=3)
    assert first.segments == (("same", "w47 w48 w49"), ("removed", "w50"),
                              ("added", "changed"), ("same", "w51 w52 w53"))
    assert first.cut_before and first.cut_after
    assert second.segments == (("same", "w87 w88 w89"), ("removed", "w90"),
                               ("same", "w91 w92 w93"))
    assert word_excerpt("same words", "same words") == []
    long = word_excerpt("a", "a " + " ".join(["new"] * 100))[0]
    assert long.segments[-1][1].endswith("(60 more words)")


def test_markdown_inert_escapes_page_text():
    # GitHub links an issue number even after a backslash: a joiner breaks it (issue 23).
    assert markdown_inert("a *b* _c_ [d](e) <f> #1 ~~h~~ |") == (
        r"a \*b\* \_c\_ \[d\]\(e\) \<f\> \#" "\u200d" r"1 \~\~h\~\~ \|")
    assert markdown_inert("- item") == r"\- item"
    assert markdown_inert("1. item") == r"1\. item"
    assert markdown_inert("two\nlines") == "two lines"


HOSTILE = "@everyone ![x](http://a) ::error::boom <img src=x> `tick`"


def assert_inert(markdown: str) -> None:
    """Nothing from HOSTILE acts in GitHub Markdown or in a CI log."""
    assert "@everyone" not in markdown  # a mention needs @ right before the name
    assert "http://" not in markdown  # no bare autolink, even in code
    # Outside code spans (where Markdown is not read), no image, link or HTML.
    prose = re.sub(r"(?<![`\\])(`+)(?!`).*?(?<!`)\1(?!`)", "", markdown)
    assert "![x](" not in prose and "](http" not in prose
    assert not re.search(r"(?<!\\)<img", prose)
    assert not re.search(r"^\s*::", markdown, re.M)  # no workflow command at a line start
    assert "::error::" not in markdown


def test_hostile_trust_name_title_and_file_name_are_inert():
    excerpt = Excerpt((("same", HOSTILE), ("added", "\n::set-output name=x::y")), False, False)
    report = Report(Revision("a", "e" * 40), Revision("b", "f" * 40), [
        TrustChanges("t", HOSTILE, "both",
                     [PageChange(f"{HOSTILE}.html", HOSTILE, "changed", (excerpt,))], 1),
        TrustChanges("u", HOSTILE, "added", [], 3)])
    markdown = render_markdown(report)
    assert_inert(markdown)
    assert "\u200d" in markdown  # the mention was broken, not dropped
    assert "everyone" in markdown and "boom" in markdown  # the words still show


def test_a_failed_builds_log_cannot_run_workflow_commands():
    assert log_inert("ok\n::error::boom\n  ::set-output name=a::b") == (
        "ok\n:\u200d:error::boom\n  :\u200d:set-output name=a::b")
    assert not re.search(r"^\s*::", log_inert("::warning::x"), re.M)


def big_report(trusts: int, pages: int) -> Report:
    excerpt = Excerpt((("same", "some words before"), ("removed", "old"), ("added", "new"),
                       ("same", "and after")), True, True)
    return Report(Revision("origin/main", "c" * 40), Revision("HEAD", "d" * 40), [
        TrustChanges(f"trust-{t}", f"Trust number {t}", "both",
                     [PageChange(f"page-{p}.html", f"Page {p}", "changed", (excerpt,) * 5)
                      for p in range(pages)], pages)
        for t in range(trusts)])


def test_markdown_is_cut_to_fit_a_comment_with_a_note():
    markdown = render_markdown(big_report(60, 30))
    assert len(markdown) < GITHUB_COMMENT_LIMIT
    assert "This report was cut short" in markdown
    assert "| Trust number 59 (`trust-59`) | 0 | 0 | 30 |" in markdown  # the summary survives
    assert "_and 2 more changes on this page_" in markdown
    small = render_markdown(big_report(1, 1))
    assert "cut short" not in small and "~~old~~ **new**" in small


def test_html_escapes_page_text():
    excerpt = Excerpt((("same", "<script>"), ("added", "<b>&")), False, False)
    report = Report(Revision("a", "e" * 40), Revision("b", "f" * 40), [
        TrustChanges("t", "T <i>", "both", [PageChange("p.html", "", "changed", (excerpt,))], 1)])
    html = render_html(report)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;&amp;" in html and "T &lt;i&gt;" in html


# -- `list` ----------------------------------------------------------------------------------

def test_list_prints_every_locale_slug(capsys):
    slugs = sorted(path.stem for path in (ROOT / "locales").glob("*.yml"))
    assert main(["list"]) == 0
    assert capsys.readouterr().out.split() == slugs
    assert main(["list", "--json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out) == slugs and out.count("\n") == 1


# -- `index` ---------------------------------------------------------------------------------

def test_index_links_sites_gathered_from_separate_builds(tmp_path, capsys):
    """The pull-request workflow builds each Trust in its own job, then writes one index."""
    (tmp_path / "example").mkdir()
    (tmp_path / "example" / "index.html").write_text("<html></html>")
    (tmp_path / "not-a-trust").mkdir()
    assert main(["index", "--out", str(tmp_path)]) == 0
    page = BeautifulSoup((tmp_path / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in page.find_all("a")]
    assert links == ["example/index.html", "example.zip", "editor/index.html"]
    assert (tmp_path / "editor" / "index.html").is_file()  # the locale editor it links to
    assert json.loads((tmp_path / "trusts.json").read_text())["example"].startswith("Example")
