"""`make canary`: build the example Trust with Zensical, MkDocs' successor, and say what differs.

Zensical lives in its own virtual environment (.venv-canary, from requirements-canary.txt),
so it can never disturb the pinned stack. The canary builds the example Trust twice from the
same inputs: once with `trustsite build`, once with `zensical build` on a project folder
holding the Trust's prepared inputs (dist/canary/project/: mkdocs.yml with the Trust's name,
logo, values and navigation, and docs/ with the national pages and the Trust's files, all
from trustsite/prepare.py). It writes dist/canary/REPORT.md: which of the
project's MkDocs features Zensical lacks, and which pages differ. It informs; it never blocks
(the pull-request workflow runs it with continue-on-error). Exit code 1 when Zensical could
not be installed or could not build; the report says why.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from trustsite.content import load_glossary
from trustsite.locale import load_locale
from trustsite.prepare import PreparedTrust, prepare_trust, write_docs_folder

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "dist" / "canary"
TRUST = "example"
SKIPPED_FOLDERS = {"assets", "search"}
LOG_LINES = 30
# What the project's build needs from MkDocs that Zensical 0.1.x has no place for. Checked
# against Zensical's own list of the plugins it supports when it is installed.
NO_HOOKS = ("`hooks:` are accepted but never run: Zensical has no MkDocs events.")
NO_TRUSTSITE_PLUGIN = ("plugin `trustsite` (trustsite/plugin.py) cannot run: Zensical has no MkDocs "
                       "events. The Trust's name, logo, colours, values, navigation, own pages "
                       "and switched-off sections are prepared before the build, so the canary "
                       "writes them into its project folder. Still missing inside the build: "
                       "the sandbox for a Trust's own pages, review notices, labelled task "
                       "lists, the skip link's target, Word copies and the external-reference "
                       "guard.")


@dataclass
class Canary:
    version: str = ""
    install_error: str = ""
    lacking: list[str] = field(default_factory=list)
    supported: list[str] = field(default_factory=list)
    build_error: str = ""
    mkdocs_pages: set[str] = field(default_factory=set)
    zensical_pages: set[str] = field(default_factory=set)
    unrendered: list[str] = field(default_factory=list)  # pages still showing {{ macros }}
    without_trust: list[str] = field(default_factory=list)  # pages not naming the Trust


def _tail(text: str) -> str:
    return "\n".join(text.rstrip().splitlines()[-LOG_LINES:])


def _install_errors(log: Path) -> str:
    """pip's ERROR lines, or the end of its output when it has none."""
    text = log.read_text(encoding="utf-8")
    errors = [line for line in text.splitlines() if line.startswith("ERROR")]
    return "\n".join(errors) or _tail(text)


def _zensical_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def zensical_facts(venv: Path) -> tuple[str, list[str]]:
    """Zensical's version and the MkDocs plugins it says it supports (its own table)."""
    probe = ("import json, importlib.metadata as m, zensical.config as c;"
             "print(json.dumps([m.version('zensical'), sorted(c._PLUGIN_UNSUPPORTED_OPTIONS)]))")
    result = subprocess.run([str(_zensical_python(venv)), "-c", probe], capture_output=True,
                            text=True)
    if result.returncode != 0:
        raise RuntimeError(_tail(result.stderr))
    version, plugins = json.loads(result.stdout)
    return version, plugins


def lacking_features(config: dict, supported_plugins: list[str]) -> list[str]:
    """The features mkdocs.yml uses that Zensical does not implement."""
    lacking = [NO_HOOKS] if config.get("hooks") else []
    for plugin in config.get("plugins", []):
        name = next(iter(plugin)) if isinstance(plugin, dict) else plugin
        if name == "trustsite":
            lacking.append(NO_TRUSTSITE_PLUGIN)
        elif name not in supported_plugins:
            lacking.append(f"plugin `{name}` is not supported")
    return lacking


def html_pages(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*.html")
            if path.relative_to(site).parts[0] not in SKIPPED_FOLDERS}


def build_mkdocs(out: Path) -> Path:
    subprocess.run([sys.executable, "-m", "trustsite", "build", TRUST, "--out", str(out),
                    "--jobs", "1"], cwd=ROOT, check=True)
    return out / TRUST


def _plugin_name(entry: str | dict) -> str:
    return next(iter(entry)) if isinstance(entry, dict) else entry


def prepared_config(prepared: PreparedTrust, base: dict, site_dir: Path) -> dict:
    """mkdocs.yml for an engine without MkDocs events: the Trust's prepared values written
    in, paths made absolute, and the trustsite plugin left out (the rest of its work is
    reported as lacking)."""
    config = copy.deepcopy(base)
    # Plain text: MkDocs gets the escaped Markup, but Zensical's templates escape it.
    config["site_name"] = prepared.trust_name
    config.update(docs_dir="docs", site_dir=str(site_dir), strict=False)
    config.pop("watch", None)
    config["theme"].update(custom_dir=str(ROOT / "overrides"), logo=prepared.logo,
                           favicon=prepared.favicon)
    config["extra"] = {**(config.get("extra") or {}), **prepared.context}
    config["extra_css"] = [*(config.get("extra_css") or []), prepared.extra_css]
    config["nav"] = prepared.nav
    config["plugins"] = [entry for entry in config.get("plugins", [])
                         if _plugin_name(entry) != "trustsite"]
    for entry in config["plugins"]:
        if isinstance(entry, dict) and "macros" in entry:
            entry["macros"]["module_name"] = str(ROOT / entry["macros"]["module_name"])
    # The glossary the trustsite plugin gives the abbr extension (use_glossary).
    config["markdown_extensions"] = [
        {"abbr": {"glossary": load_glossary(ROOT / "includes")}} if entry == "abbr" else entry
        for entry in config.get("markdown_extensions", [])]
    return config


def write_project(slug: str, project: Path, site_dir: Path) -> Path:
    """The Trust's prepared inputs as a project folder (mkdocs.yml, docs/ and includes/, where
    macros.py reads the references and Trust-type facts) that an engine without MkDocs events
    builds as it is. Returns the mkdocs.yml written."""
    base = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    prepared = prepare_trust(load_locale(slug, ROOT / "locales"), ROOT / "docs",
                             base.get("nav"))
    if any(uri.endswith(".md") for uri in prepared.local_files):
        # Only the plugin renders a Trust's own pages in the sandbox; the engine would not.
        raise ValueError(f"{slug} has its own pages, which only `trustsite build` renders "
                         "safely. Run the canary on a Trust without them.")
    write_docs_folder(prepared, ROOT / "docs", project / "docs")
    shutil.copytree(ROOT / "includes", project / "includes", dirs_exist_ok=True)
    config_file = project / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(prepared_config(prepared, base, site_dir),
                                          sort_keys=False, allow_unicode=True),
                           encoding="utf-8")
    return config_file


def build_zensical(venv: Path, out: Path) -> subprocess.CompletedProcess:
    """`zensical build` on the prepared project folder (see write_project)."""
    config_file = write_project(TRUST, OUT / "project", out)
    command = [str(_zensical_python(venv)), "-m", "zensical", "build", "--clean",
               "--config-file", str(config_file)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def run(venv: Path) -> Canary:
    canary = Canary()
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    try:
        canary.version, canary.supported = zensical_facts(venv)
    except (RuntimeError, OSError) as error:
        log = venv / "install.log"
        canary.install_error = _install_errors(log) if log.is_file() else str(error)
        canary.lacking = [NO_HOOKS] if config.get("hooks") else []
        return canary
    canary.lacking = lacking_features(config, canary.supported)
    canary.mkdocs_pages = html_pages(build_mkdocs(OUT / "mkdocs"))
    result = build_zensical(venv, OUT / "zensical")
    if result.returncode != 0:
        canary.build_error = _tail(result.stdout + result.stderr)
        return canary
    site = OUT / "zensical"
    canary.zensical_pages = html_pages(site)
    name = yaml.safe_load((ROOT / "locales" / f"{TRUST}.yml").read_text(encoding="utf-8"))
    trust_name = name["trust"]["name"]
    for page in sorted(canary.zensical_pages):
        text = (site / page).read_text(encoding="utf-8")
        if "{{" in text or "{%" in text:
            canary.unrendered.append(page)
        if trust_name not in text:
            canary.without_trust.append(page)
    return canary


def render(canary: Canary) -> str:
    lines = ["# Canary: the example Trust built with Zensical", ""]
    if canary.install_error:
        lines += ["Zensical could not be installed into `.venv-canary`, so nothing was built. "
                  "pip said:", "", "```text", canary.install_error, "```", ""]
    else:
        lines += [f"Zensical {canary.version}.", ""]
    lines += ["## Features the build uses that Zensical lacks", ""]
    lines += [f"- {item}" for item in canary.lacking] or ["- none found"]
    if canary.build_error:
        lines += ["", "## The Zensical build failed", "", "```text", canary.build_error, "```"]
    elif canary.zensical_pages or canary.mkdocs_pages:
        only_mkdocs = sorted(canary.mkdocs_pages - canary.zensical_pages)
        only_zensical = sorted(canary.zensical_pages - canary.mkdocs_pages)
        lines += ["", "## Pages", "",
                  f"MkDocs built {len(canary.mkdocs_pages)} pages, Zensical "
                  f"{len(canary.zensical_pages)}.", ""]
        lines += [f"- only with MkDocs: `{page}`" for page in only_mkdocs]
        lines += [f"- only with Zensical: `{page}`" for page in only_zensical]
        lines += [f"- macros not rendered: `{page}`" for page in canary.unrendered]
        lines += [f"- the Trust's name missing: `{page}`" for page in canary.without_trust]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/canary.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv-canary",
                        help="the virtual environment holding Zensical")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    canary = run(args.venv)
    report = OUT / "REPORT.md"
    report.write_text(render(canary), encoding="utf-8")
    print(f"Wrote {report.relative_to(ROOT)}")
    return 1 if canary.install_error or canary.build_error else 0


if __name__ == "__main__":
    sys.exit(main())
