"""`mkdocs serve` rebuilds when the locale, its assets or macros.py change."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import run_in  # noqa: F401  (same environment rules as other scratch runs)


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


@pytest.fixture
def served(scratch_project: Path):
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(scratch_project), NO_MKDOCS_2_WARNING="1",
               TRUST="example")
    process = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve",
                                "-a", f"127.0.0.1:{port}"], cwd=scratch_project, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield scratch_project, f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_serve_reloads_on_locale_asset_and_macros_changes(served):
    project, url = served
    _wait_for(url + "index.html", "Example Hospitals NHS Foundation Trust")

    locale = project / "locales" / "example.yml"
    locale.write_text(locale.read_text().replace("Example Hospitals NHS Foundation Trust",
                                                 "Renamed Hospitals NHS Foundation Trust"))
    _wait_for(url + "index.html", "Renamed Hospitals NHS Foundation Trust")

    logo = project / "locales" / "example" / "logo.svg"
    logo.write_text(logo.read_text().replace(">EH<", ">RH<"))
    _wait_for(url + "assets/trust/logo.svg", ">RH<")

    macros = project / "macros.py"
    macros.write_text(macros.read_text().replace(
        'return _anchor(f"mailto:{address}", address)',
        'return _anchor(f"mailto:{address}", "Write to " + address)'))
    _wait_for(url + "index.html", "Write to ")
