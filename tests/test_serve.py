"""Live preview (`trustsite serve` and `mkdocs serve`) rebuilds on every kind of change."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from trustsite.cli import PREVIEW_POLL_SECONDS, quick_polling_server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait_for(url: str, text: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        try:
            last = _fetch(url)
            if text in last:
                return last
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{text!r} never appeared at {url}")


@contextmanager
def _serving(project: Path, command: list[str]):
    """Run a preview server for the scratch project on a free port; yield its address."""
    port = _free_port()
    address = f"127.0.0.1:{port}"
    env = dict(os.environ, PYTHONPATH=str(project), NO_MKDOCS_2_WARNING="1", TRUST="example")
    args = [a.replace("ADDRESS", address) for a in command]
    process = subprocess.Popen([sys.executable, "-m", *args], cwd=project, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield f"http://{address}/"
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
def served(scratch_project: Path):
    with _serving(scratch_project, ["mkdocs", "serve", "-a", "ADDRESS"]) as url:
        yield scratch_project, url


@pytest.fixture
def trustsite_served(scratch_project: Path):
    command = ["trustsite", "serve", "example", "--address", "ADDRESS"]
    with _serving(scratch_project, command) as url:
        yield scratch_project, url


def test_trustsite_serve_reloads_on_content_and_local_pages(trustsite_served):
    project, url = trustsite_served
    _wait_for(url + "index.html", "Example Hospitals NHS Foundation Trust")

    page = project / "docs" / "what-is-research.md"
    page.write_text(page.read_text().replace("# What is health and care research?",
                                             "# What is health research, in short?"))
    _wait_for(url + "what-is-research.html", "What is health research, in short?")

    local = project / "locales" / "example" / "pages"
    local.mkdir()
    (local / "our-wards.md").write_text("# Our wards\n\nWard news for {{ trust.short_name }}.\n")
    _wait_for(url + "our-wards.html", "Ward news for Example Hospitals.")
    (local / "our-wards.md").write_text("# Our wards\n\nUpdated ward news.\n")
    _wait_for(url + "our-wards.html", "Updated ward news.")


def test_serve_reloads_on_locale_asset_and_macros_changes(served):
    project, url = served
    _wait_for(url + "index.html", "Example Hospitals NHS Foundation Trust")

    locale = project / "locales" / "example.yml"
    locale.write_text(locale.read_text().replace("Example Hospitals NHS Foundation Trust",
                                                 "Renamed Hospitals NHS Foundation Trust"))
    _wait_for(url + "index.html", "Renamed Hospitals NHS Foundation Trust")

    # A file added to the theme overrides while serving is picked up (trustsite.speed caches
    # the theme's file list, and must list it again).
    (project / "overrides" / "assets").mkdir()
    (project / "overrides" / "assets" / "added.txt").write_text("added while serving\n")
    page = project / "docs" / "glossary.md"
    page.write_text(page.read_text() + "\nA sentence that triggers a rebuild.\n")
    _wait_for(url + "assets/added.txt", "added while serving")

    logo = project / "locales" / "example" / "logo.svg"
    logo.write_text(logo.read_text().replace(">EH<", ">RH<"))
    _wait_for(url + "assets/trust/logo.svg", ">RH<")

    macros = project / "macros.py"
    macros.write_text(macros.read_text().replace(
        'return _anchor(f"mailto:{address}", address)',
        'return _anchor(f"mailto:{address}", "Write to " + address)'))
    _wait_for(url + "index.html", "Write to ")


def test_trustsite_serve_looks_for_saved_files_every_tenth_of_a_second(tmp_path):
    server = quick_polling_server()(builder=lambda: None, host="127.0.0.1", port=0,
                                    root=str(tmp_path))
    try:
        assert server.observer.timeout == PREVIEW_POLL_SECONDS == 0.1  # mkdocs serve: 0.5 s
    finally:
        server.server_close()
