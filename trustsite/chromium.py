"""Where the Chromium that prints PDFs (and runs the browser tests) is, on any system.

Searched in this order: the TRUSTSITE_CHROMIUM (or CHROMIUM_PATH) environment variable, then
the usual browser commands on PATH, then the browser Playwright installed itself (if any).
Nothing is downloaded: the machine building the sites may have no internet.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

ENV_VARIABLES = ("TRUSTSITE_CHROMIUM", "CHROMIUM_PATH")
# Debian/Ubuntu, other Linux, Google Chrome, Windows/macOS installs on PATH, Microsoft Edge.
COMMANDS = ("chromium", "chromium-browser", "google-chrome", "chrome", "msedge")

CHROMIUM_ARGS = ["--disable-gpu", "--disable-quic", "--no-first-run",
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


# Chromium's sandbox keeps what a page does away from the rest of the machine. Chromium will
# not start it as root (the usual user in a container) or where the system gives it no user
# namespaces; only then does it print without, and says so once. It prints with JavaScript
# off either way, and only pages that passed the Trust-content checks (see pdf.py).
ROOT_REASON = ("Chromium's sandbox is off: Chromium cannot start it as root, as in most "
               "containers. Printing goes on with JavaScript off; run the build as an "
               "ordinary user to have the sandbox too.")
_said: set[str] = set()


def _say_once(reason: str) -> None:
    if reason not in _said:
        _said.add(reason)
        print(f"note: {reason}", file=sys.stderr, flush=True)


def sandbox_off_reason() -> str | None:
    """Why Chromium cannot use its sandbox here, known before trying (None: try it)."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return ROOT_REASON
    return None


def launch_for_printing(playwright: Any) -> Any:
    """Chromium with its sandbox on wherever the system allows it (see above)."""
    from playwright.sync_api import Error

    executable = find_chromium()
    reason = sandbox_off_reason()
    if reason is None:
        try:
            return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS,
                                              chromium_sandbox=True)
        except Error as error:
            reason = ("Chromium's sandbox is off: this system would not start it ("
                      f"{str(error).strip().splitlines()[0][:200]}). Printing goes on with "
                      "JavaScript off.")
    _say_once(reason)
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS,
                                      chromium_sandbox=False)
