"""find_chromium's search order: the environment variable, then PATH, then Playwright's own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from trustsite import chromium
from trustsite.chromium import ChromiumNotFound, find_chromium


def _browser(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def nowhere(monkeypatch, tmp_path):
    """No variable set, an empty PATH and no Playwright browser, for each test to fill in."""
    for variable in chromium.ENV_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(chromium, "_playwright_chromium", lambda: None)
    return tmp_path


def test_the_variable_comes_first(nowhere, monkeypatch):
    chosen = _browser(nowhere / "opt", "my-chrome")
    _browser(nowhere / "bin", "chromium")
    monkeypatch.setenv("PATH", str(nowhere / "bin"))
    monkeypatch.setenv("TRUSTSITE_CHROMIUM", str(chosen))
    assert find_chromium() == str(chosen)


def test_chromium_path_is_read_too(nowhere, monkeypatch):
    chosen = _browser(nowhere / "opt", "chrome.exe")
    monkeypatch.setenv("CHROMIUM_PATH", str(chosen))
    assert find_chromium() == str(chosen)


def test_a_variable_naming_no_file_says_so(nowhere, monkeypatch):
    monkeypatch.setenv("TRUSTSITE_CHROMIUM", str(nowhere / "missing"))
    with pytest.raises(ChromiumNotFound, match="TRUSTSITE_CHROMIUM=.*no such file"):
        find_chromium()


@pytest.mark.parametrize("present, expected", [
    (["google-chrome", "chromium-browser"], "chromium-browser"),
    (["msedge", "chrome"], "chrome"),
    (["msedge"], "msedge"),
])
def test_path_is_searched_in_order(nowhere, monkeypatch, present, expected):
    for name in present:
        _browser(nowhere / "bin", name)
    monkeypatch.setenv("PATH", str(nowhere / "bin"))
    assert Path(find_chromium()).name == expected


def test_playwrights_own_browser_comes_last(nowhere, monkeypatch):
    bundled = _browser(nowhere / "ms-playwright", "chrome")
    monkeypatch.setattr(chromium, "_playwright_chromium", lambda: str(bundled))
    assert find_chromium() == str(bundled)
    _browser(nowhere / "bin", "chromium")
    monkeypatch.setenv("PATH", str(nowhere / "bin") + os.pathsep + str(nowhere / "empty"))
    assert find_chromium() == str(nowhere / "bin" / "chromium")


def test_nothing_found_says_what_to_do(nowhere):
    with pytest.raises(ChromiumNotFound, match="apt-get install chromium.*TRUSTSITE_CHROMIUM"):
        find_chromium()
