"""Every command the README prints works exactly as printed, and the Windows forms match.

The POSIX commands run in a throwaway copy of the project (only the example Trust, to keep
the builds few) that shares this checkout's .venv. PYTHONPATH points at the copy, so the
installed `trustsite` command runs the copy's code and writes into the copy, never here.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

from trustsite.cli import _parser

from conftest import PROJECT_PARTS, ROOT

README = ROOT / "README.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.M | re.S)
COPIED = [*PROJECT_PARTS, "Makefile", "requirements.txt", "pyproject.toml", "scripts"]
# Commands printed in the README that this test does not run, and why.
NOT_RUN = {
    "make test": "the whole suite: the lead runs it, and it would run this test again",
    "trustsite changes": "needs the branches it names; tests/test_changes.py runs it",
}
# What each make target runs, for comparing with the Windows forms.
MAKE_TO_TRUSTSITE = {"site": "build", "new": "new", "check": "check", "build": "build",
                     "serve": "serve"}


def blocks(language: str) -> list[str]:
    """The command lines of the README's code blocks in one language, comments removed."""
    text = README.read_text(encoding="utf-8")
    lines = []
    for found_language, body in FENCE.findall(text):
        if found_language == language:
            lines += [line.split("  #")[0].strip() for line in body.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def not_run(command: str) -> bool:
    return any(part in command for part in NOT_RUN)


def copy_project(target: Path) -> Path:
    target.mkdir()
    for part in COPIED:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, target / part)
    for locale in (target / "locales").glob("*.yml"):
        if locale.stem != "example":
            locale.unlink()
    (target / ".venv").symlink_to(ROOT / ".venv")
    # Older than .venv/.installed, so make never reinstalls the shared .venv from the copy.
    for pinned in ("requirements.txt", "pyproject.toml"):
        os.utime(target / pinned, (0, 0))
    return target


def run_as_printed(project: Path, command: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(project))
    env.pop("TRUST", None)
    return subprocess.run(["bash", "-c", command], cwd=project, env=env, capture_output=True,
                          text=True, timeout=600)


def test_the_readme_prints_posix_and_windows_commands():
    assert "make site" in blocks("sh")
    assert any(line.startswith(".venv\\Scripts\\trustsite") for line in blocks("powershell"))


def test_every_posix_command_works_as_printed(tmp_path):
    project = copy_project(tmp_path / "project")
    commands = [command for command in blocks("sh") if not not_run(command)]
    assert any(command.startswith("make new ") for command in commands)
    for command in commands:
        result = run_as_printed(project, command)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        if command.startswith("make new "):
            # The hints `new` prints must work as printed too (all but the preview).
            hints = re.findall(r"'(make [^']+)'", result.stdout)
            assert hints, result.stdout
            for hint in hints:
                if "serve" not in hint:
                    checked = run_as_printed(project, hint)
                    assert checked.returncode == 0, f"{hint}\n{checked.stdout}{checked.stderr}"
    slug = "anytown-hospitals"
    assert (project / "locales" / f"{slug}.yml").is_file()
    assert (project / "dist" / slug / "index.html").is_file()
    assert (project / "dist" / f"{slug}.zip").is_file()
    assert not (ROOT / "locales" / f"{slug}.yml").exists()  # the copy, never this checkout


def windows_trustsite_commands() -> list[list[str]]:
    prefix = ".venv\\Scripts\\trustsite "
    return [shlex.split(line[len(prefix):]) for line in blocks("powershell")
            if line.startswith(prefix)]


def test_every_windows_trustsite_command_parses():
    commands = windows_trustsite_commands()
    assert commands
    for words in commands:
        _parser().parse_args(words)  # exits (fails the test) on an unknown command or flag


def test_each_posix_step_has_the_same_windows_step():
    """Each make target and trustsite command in the sh blocks, with the same Trust and name."""
    windows = {" ".join(words) for words in windows_trustsite_commands()}
    for command in blocks("sh"):
        if not_run(command):
            continue
        words = shlex.split(command)
        if words[0] == "make":
            target = words[1]
            values = dict(word.split("=", 1) for word in words[2:])
            expected = [MAKE_TO_TRUSTSITE[target]]
            if target == "site":
                expected.append("--all")
            if target == "new":
                expected += [values["SLUG"], "--name", values["NAME"]]
            elif "TRUST" in values:
                expected.append(values["TRUST"])
        else:
            assert words[0] == ".venv/bin/trustsite", command
            expected = words[1:]
            if expected[0] not in {"new", "check", "build", "serve"}:
                continue  # Windows gives the common steps; the rest differ only by the prefix
        assert " ".join(expected) in windows, f"no Windows form of {command!r}"


def test_windows_installs_what_make_installs():
    """Each pip install that make runs has its Windows form in the README (quiet flags aside)."""
    result = subprocess.run(["make", "--dry-run", "--always-make", ".venv/.installed"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    installs = [line.split("pip install", 1)[1].split() for line in result.stdout.splitlines()
                if ".venv/bin/python -m pip install" in line]
    assert installs, result.stdout
    lines = blocks("powershell")
    assert "py -m venv .venv" in lines
    for words in installs:
        kept = [word for word in words if word not in ("--quiet", "--disable-pip-version-check")]
        windows = ".venv\\Scripts\\python -m pip install " + " ".join(kept)
        assert windows in lines, f"the README has no {windows!r}"


def test_new_prints_commands_in_the_readmes_form(tmp_path, monkeypatch, capsys):
    import trustsite.cli as cli

    monkeypatch.setattr(cli, "create_locale", lambda slug, name: tmp_path / f"{slug}.yml")
    assert cli.main(["new", "anytown", "--name", "Anytown NHS Trust"]) == 0
    hints = re.findall(r"'([^']+)'", capsys.readouterr().out)
    assert "make check TRUST=anytown" in hints and "make serve TRUST=anytown" in hints
    assert ".venv\\Scripts\\trustsite check anytown" in hints
    assert not any("python -m" in hint or "mkdocs" in hint for hint in hints)


# -- The dev container (GitHub Codespaces, VS Code) ------------------------------------------

DEVCONTAINER = ROOT / ".devcontainer" / "devcontainer.json"


def devcontainer() -> dict:
    import json

    return json.loads(DEVCONTAINER.read_text(encoding="utf-8"))


def test_the_dev_container_runs_the_readmes_commands():
    """What it runs when made is a command the README prints (and the test above runs)."""
    config = devcontainer()
    lifecycle = [config[key] for key in ("onCreateCommand", "updateContentCommand",
                                         "postCreateCommand", "postStartCommand")
                 if key in config]
    assert lifecycle == ["make site"]
    assert all(command in blocks("sh") for command in lifecycle)


def test_the_dev_container_forwards_the_port_make_serve_uses():
    """`make serve TRUST=<slug>`, as the README says to run there, listens on the port the
    container forwards (the editor reaches it from inside, so localhost is enough)."""
    port = int(_parser().parse_args(["serve"]).address.rpartition(":")[2])
    assert devcontainer()["forwardPorts"] == [port]
    readme = README.read_text(encoding="utf-8")
    assert "make serve TRUST=" in readme and f"port {port}" in readme
    assert ".devcontainer/devcontainer.json" in readme


def test_the_dev_container_has_the_python_ci_uses():
    import yaml

    image = devcontainer()["image"]
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "main.yml").read_text(
        encoding="utf-8"))
    versions = {step["with"]["python-version"] for job in workflow["jobs"].values()
                for step in job["steps"] if "setup-python" in step.get("uses", "")}
    assert versions == {"3.11"}
    assert re.search(r"python:(\d+-)?3\.11-", image), image
