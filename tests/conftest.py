"""Shared fixtures: the example Trusts built once per session, and scratch projects."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from trustsite.build import build_many
from trustsite.locale import load_locale

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_TRUSTS = ["example", "northmoor-community", "brightwater-valley"]
PROJECT_PARTS = ["mkdocs.yml", "macros.py", "docs", "overrides", "includes", "locales",
                 "trustsite"]


@pytest.fixture(scope="session")
def built_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every example Trust built once, as `trustsite build` builds them."""
    out = tmp_path_factory.mktemp("dist")
    results = build_many([load_locale(slug) for slug in EXAMPLE_TRUSTS], out, jobs=2)
    failures = [f"{r.slug}: {r.message}" for r in results if not r.ok]
    assert not failures, failures
    return {slug: out / slug for slug in EXAMPLE_TRUSTS}


def soup(site: Path, page: str = "index.html") -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@pytest.fixture
def scratch_project(tmp_path: Path) -> Path:
    """A copy of the project that a test may break without touching the real one."""
    project = tmp_path / "project"
    project.mkdir()
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, project / part,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, project / part)
    return project


def run_in(project: Path, *args: str, trust: str | None = None) -> subprocess.CompletedProcess:
    """Run a command with the scratch project's own code first on the import path."""
    env = dict(os.environ, PYTHONPATH=str(project), NO_MKDOCS_2_WARNING="1")
    env.pop("TRUST", None)
    if trust is not None:
        env["TRUST"] = trust
    return subprocess.run([sys.executable, *args], cwd=project, env=env, text=True,
                          capture_output=True, timeout=300)


def add_page(project: Path, name: str, text: str) -> None:
    """Add a page to a scratch project's docs and to its nav."""
    (project / "docs" / name).write_text(text, encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      - glossary.md\n", f"      - glossary.md\n      - {name}\n"), encoding="utf-8")


# -- A real browser: Debian's Chromium driven by Playwright, one per session -----------------

@pytest.fixture(scope="session")
def browser():
    """Debian's /usr/bin/chromium, launched once for the whole session."""
    from playwright.sync_api import sync_playwright

    import browser as checks

    with sync_playwright() as playwright:
        chromium = checks.launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def all_pages(built_sites) -> list[Path]:
    """Every HTML page of every example Trust."""
    return [page for site in built_sites.values() for page in html_pages(site)]
