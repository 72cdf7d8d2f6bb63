"""The GitHub Actions workflows: valid against GitHub's schema, and running what README.md says."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from trustsite.cli import _parser

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
README = ROOT / "README.md"
SECTION = "## Previews for reviewers and turning on the workflows"
TRUSTSITE = re.compile(r"python -m trustsite ([a-z]+)[^\n`|;)>]*")
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@v\d+\.\d+\.\d+$")  # owner/action@vX.Y.Z


def check_jsonschema(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                           "vendor.github-workflows", *map(str, paths)],
                          capture_output=True, text=True, timeout=120)


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def run_lines(workflow: dict) -> list[str]:
    return [line.strip() for step in steps(workflow) for line in step.get("run", "").splitlines()]


def trustsite_commands(workflow: dict) -> list[str]:
    """Every `python -m trustsite ...` command line the workflow runs."""
    return [match.group(0).strip() for line in run_lines(workflow)
            for match in TRUSTSITE.finditer(line)]


def uses(workflow: dict, action: str) -> list[dict]:
    return [step for step in steps(workflow) if step.get("uses", "").startswith(action + "@")]


def readme_section() -> str:
    text = README.read_text(encoding="utf-8")
    assert SECTION in text
    return text.split(SECTION, 1)[1].split("\n## ", 1)[0]


def test_both_workflows_exist():
    assert {"main.yml", "pull-request.yml"} <= {p.name for p in WORKFLOWS.glob("*.y*ml")}


@pytest.mark.parametrize("workflow", sorted(WORKFLOWS.glob("*.y*ml")), ids=lambda p: p.name)
def test_workflow_is_valid_against_githubs_schema(workflow):
    result = check_jsonschema(workflow)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    text = (WORKFLOWS / "main.yml").read_text(encoding="utf-8")
    broken.write_text(text.replace("runs-on:", "run-on:", 1), encoding="utf-8")
    result = check_jsonschema(broken)
    assert result.returncode != 0
    assert "run-on" in result.stdout + result.stderr


@pytest.mark.parametrize("name", ["main.yml", "pull-request.yml"])
def test_every_trustsite_command_is_real_and_documented(name):
    commands = trustsite_commands(load(name))
    assert commands
    documented = set(TRUSTSITE.findall(README.read_text(encoding="utf-8")))
    parser = _parser()
    for command in commands:
        words = shlex.split(command)[3:]
        assert words[0] in documented, f"{command!r} is not in README.md"
        parser.parse_args(words)  # exits (fails the test) on an unknown command or option


@pytest.mark.parametrize("name", ["main.yml", "pull-request.yml"])
def test_readme_section_names_what_each_workflow_runs(name):
    """Each workflow runs every trustsite command the README's table row for it names."""
    row = next(line for line in readme_section().splitlines() if line.startswith(f"| `{name}`"))
    named = {match.split()[0] for match in TRUSTSITE.findall(row)}
    run = {shlex.split(command)[3] for command in trustsite_commands(load(name))}
    assert named and named <= run, (named, run)
    assert "python -m pytest" in row and "python -m pytest" in run_lines(load(name))


def test_every_action_is_pinned_to_a_version():
    for name in ("main.yml", "pull-request.yml"):
        for step in steps(load(name)):
            action = step.get("uses")
            if action and not action.startswith("actions/"):
                assert PINNED.match(action), f"{name}: {action} is not pinned to vX.Y.Z"


def test_pull_request_workflow():
    workflow = load("pull-request.yml")
    assert workflow["on"]["pull_request"]["types"] == ["opened", "reopened", "synchronize",
                                                      "closed"]
    assert workflow["permissions"] == {"contents": "write", "pull-requests": "write"}
    jobs = workflow["jobs"]
    # The Trusts to build come from `list --json`, one matrix job each.
    assert "python -m trustsite list --json" in " ".join(run_lines({"jobs": {
        "t": jobs["trusts"]}}))
    assert "fromJSON(needs.trusts.outputs.slugs)" in str(jobs["build"]["strategy"]["matrix"])
    assert any(line.startswith("python -m trustsite check") for line in run_lines(workflow))
    # The tests need Debian's chromium and Java, and the project installed as make does.
    test_lines = run_lines({"jobs": {"t": jobs["test"]}})
    assert any("chromium" in line and "default-jre-headless" in line for line in test_lines)
    assert "pip install -r requirements.txt" in test_lines
    assert "pip install --no-deps -e ." in test_lines
    assert "python -m pytest" in test_lines
    # The changes report needs the whole history to build the base branch.
    preview = jobs["preview"]
    assert preview["steps"][0]["with"]["fetch-depth"] == 0
    changes = [c for c in trustsite_commands(workflow) if " changes " in f"{c} "]
    assert changes == ['python -m trustsite changes "origin/$BASE_REF" HEAD --markdown '
                       'report.md --html dist/changes.html']
    assert any(s.get("env", {}).get("BASE_REF") == "${{ github.base_ref }}"
               for s in preview["steps"])
    assert any(s.get("with", {}).get("path") == "dist/" for s in uses(workflow,
               "actions/upload-artifact"))
    # One preview under pr-preview/pr-<N>/ on gh-pages, removed on close, and one comment.
    deploys = uses(workflow, "rossjrw/pr-preview-action")
    assert {s["with"]["action"] for s in deploys} == {"deploy", "remove"}
    for step in deploys:
        assert step["with"]["preview-branch"] == "gh-pages"
        assert step["with"]["umbrella-dir"] == "pr-preview"
        assert step["with"]["comment"] is False
    comments = uses(workflow, "marocchino/sticky-pull-request-comment")
    assert {s["with"]["header"] for s in comments} == {"trust-sites-preview"}
    assert any(s["with"].get("path") == "comment.md" for s in comments)
    assert any("cat report.md" in line for line in run_lines(workflow))


def test_main_workflow():
    workflow = load("main.yml")
    assert workflow["on"] == {"push": {"branches": ["main"]}}
    assert workflow["permissions"] == {"contents": "write"}
    lines = run_lines(workflow)
    assert "python -m trustsite check" in lines
    assert "python -m trustsite build --all --out dist" in lines
    assert "python -m pytest" in lines
    assert workflow["jobs"]["publish"]["needs"] == "test"
    (deploy,) = uses(workflow, "JamesIves/github-pages-deploy-action")
    assert deploy["with"]["branch"] == "gh-pages"
    assert deploy["with"]["folder"] == "dist"
    assert deploy["with"]["clean-exclude"] == "pr-preview/"  # keep the open previews
    assert deploy["with"]["force"] is False


def test_check_jsonschema_is_pinned():
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert re.search(r"(?m)^check-jsonschema==\d+\.\d+\.\d+\b", requirements)
