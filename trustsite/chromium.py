"""Where the Chromium that prints PDFs (and runs the browser tests) is, on any system.

Searched in this order: the TRUSTSITE_CHROMIUM (or CHROMIUM_PATH) environment variable, then
the usual browser commands on PATH, then the browser Playwright installed itself (if any).
Nothing is downloaded: the machine building the sites may have no internet.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ENV_VARIABLES = ("TRUSTSITE_CHROMIUM", "CHROMIUM_PATH")
# Debian/Ubuntu, other Linux, Google Chrome, Windows/macOS installs on PATH, Microsoft Edge.
COMMANDS = ("chromium", "chromium-browser", "google-chrome", "chrome", "msedge")

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


class ChromiumNotFound(RuntimeError):
    pass


def find_chromium() -> str:
    """The path of a Chromium-based browser to launch, or ChromiumNotFound saying what to do."""
    for variable in ENV_VARIABLES:
        value = os.environ.get(variable)
        if value:
            if not Path(value).is_file():
                raise ChromiumNotFound(f"{variable}={value}: no such file. Set it to the path "
                                       "of Chromium, Chrome or Edge, or unset it.")
            return value
    for command in COMMANDS:
        found = shutil.which(command)
        if found:
            return found
    bundled = _playwright_chromium()
    if bundled:
        return bundled
    raise ChromiumNotFound(
        "No Chromium found. Install it (Debian/Ubuntu: 'apt-get install chromium'; otherwise "
        "Chrome or Edge), or set TRUSTSITE_CHROMIUM to the browser's path.")


def _playwright_chromium() -> str | None:
    """The browser `playwright install chromium` put in place, when it did."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as playwright:
            path = playwright.chromium.executable_path
    except Exception:  # no driver, or no browser installed for it
        return None
    return path if path and Path(path).is_file() else None
