"""Live preview (`trustsite serve` and `mkdocs serve`) rebuilds on every kind of change."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from trustsite.preview import PREVIEW_POLL_SECONDS, PreviewServer
from trustsite.svg_png import svg_to_png


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str) -> str:
    """The page's text, also when the server answers with an error status."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.read().decode("utf-8")


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
def _serving(project: Path, command: list[str], port: int | None = None):
    """Run a preview server for the scratch project on a free port; yield its address. What
    it prints goes to project/../serve.log."""
    port = port or _free_port()
    address = f"127.0.0.1:{port}"
    env = dict(os.environ, PYTHONPATH=str(project), NO_MKDOCS_2_WARNING="1", TRUST="example")
    args = [a.replace("ADDRESS", address) for a in command]
    with open(project.parent / "serve.log", "a", encoding="utf-8") as log:
        process = subprocess.Popen([sys.executable, "-m", *args], cwd=project, env=env,
                                   stdout=log, stderr=log)
        try:
            yield f"http://{address}/"
        finally:
            process.terminate()
            process.wait(timeout=20)


def _wait_for_bytes(url: str, wanted: bytes, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.read() == wanted:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never served the expected bytes")


def _wait_for_log(project: Path, text: str, seconds: float = 60) -> str:
    log = project.parent / "serve.log"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        printed = log.read_text(encoding="utf-8") if log.exists() else ""
        if text in printed:
            return printed
        time.sleep(0.3)
    raise AssertionError(f"{text!r} never printed; printed:\n{printed}")


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
    # the theme's static files, and must list them again).
    (project / "overrides" / "assets").mkdir()
    (project / "overrides" / "assets" / "added.txt").write_text("added while serving\n")
    page = project / "docs" / "glossary.md"
    page.write_text(page.read_text() + "\nA sentence that triggers a rebuild.\n")
    _wait_for(url + "assets/added.txt", "added while serving")

    logo = project / "locales" / "example" / "logo.svg"
    logo.write_text(logo.read_text().replace(">EH<", ">RH<"))
    _wait_for_bytes(url + "assets/trust/logo.png", svg_to_png(logo.read_bytes()))  # as PNG

    macros = project / "macros.py"
    macros.write_text(macros.read_text() + (
        "\n\n_national_env = define_env\n\n\n"
        "def define_env(env):\n"
        "    _national_env(env)\n"
        "    env.macro(lambda address: 'Write to ' + address, 'email_link')\n"))
    _wait_for(url + "index.html", "Write to ")


def test_trustsite_serve_looks_for_saved_files_every_tenth_of_a_second(tmp_path):
    server = PreviewServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        assert server.observer.timeout == PREVIEW_POLL_SECONDS == 0.1  # mkdocs serve: 0.5 s
    finally:
        server.server_close()


def test_trustsite_serve_says_where_and_shows_errors_in_the_page(trustsite_served):
    project, url = trustsite_served
    printed = _wait_for_log(project, "Press Ctrl+C to stop.")
    assert f"Previewing example at {url}" in printed
    _wait_for(url + "index.html", "Example Hospitals NHS Foundation Trust")

    locale = project / "locales" / "example.yml"
    good = locale.read_text()
    locale.write_text(good.replace('"#005EB8"', '"#FFFF00"'))
    page = _wait_for(url + "index.html", "The preview cannot be built")
    assert "locales/example.yml:" in page and "brand.primary_colour" in page
    assert "/livereload/" in page  # reloads by itself once fixed
    locale.write_text(good)
    _wait_for(url + "index.html", "Example Hospitals NHS Foundation Trust")
    assert "The preview cannot be built" not in _fetch(url + "index.html")

    (project / "docs" / "index.md").write_text("# Welcome\n\n{{ no_such_variable }}\n")
    page = _wait_for(url + "index.html", "The preview cannot be built")
    assert "docs/index.md:3" in page and "no_such_variable" in page


def test_trustsite_serve_moves_to_the_next_port_when_one_is_taken(scratch_project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = ["trustsite", "serve", "example", "--address", "ADDRESS"]
        with _serving(scratch_project, command, port=port):
            printed = _wait_for_log(scratch_project, "Press Ctrl+C to stop.")
    assert f"Port {port} on 127.0.0.1 is in use" in printed
    assert f"--address 127.0.0.1:{port + 1}" in printed
    assert f"Previewing example at http://127.0.0.1:{port + 1}/" in printed
