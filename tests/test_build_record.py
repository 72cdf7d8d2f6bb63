"""The skip record (trustsite/build_record.py): an edit to each kind of input rebuilds exactly
the Trusts it should, and a missing or corrupt record rebuilds everything (issue 25)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from trustsite import build_record
from trustsite.build import build_many, trust_outputs
from trustsite.build_record import (RECORD, national_digest, outputs_present, read_record,
                                    trust_digest, write_record)
from trustsite.locale import load_locale
from trustsite.project import Project


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


# -- What each digest covers: cheap, no build ------------------------------------------------

NATIONAL_EDITS = {
    "a national page": lambda root: append(root / "docs" / "index.md", "\nA new sentence.\n"),
    "a page added": lambda root: (root / "docs" / "extra.md").write_text("# Extra\n"),
    "a national file deleted": lambda root: (root / "docs" / "glossary.md").unlink(),
    "includes": lambda root: append(root / "includes" / "references.yml", "\n# note\n"),
    "an override": lambda root: append(root / "overrides" / "main.html", "\n"),
    "mkdocs.yml": lambda root: append(root / "mkdocs.yml", "\n# note\n"),
    "macros.py": lambda root: append(root / "macros.py", "\n# note\n"),
}


@pytest.mark.parametrize("edit", NATIONAL_EDITS, ids=list(NATIONAL_EDITS))
def test_every_national_input_changes_the_national_digest(scratch_project, edit):
    project = Project(scratch_project)
    before = national_digest(project)
    assert national_digest(project) == before  # the same files hash the same
    NATIONAL_EDITS[edit](scratch_project)
    assert national_digest(project) != before


def test_the_code_packages_and_date_change_the_national_digest(scratch_project, tmp_path,
                                                              monkeypatch):
    project = Project(scratch_project)
    code = tmp_path / "code"
    shutil.copytree(build_record.CODE, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    before = national_digest(project, code)
    (code / "__pycache__").mkdir(exist_ok=True)
    (code / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"cache")
    assert national_digest(project, code) == before, "Python's own cache is not an input"
    append(code / "build.py", "\n# a change to the code\n")
    after_code = national_digest(project, code)
    assert after_code != before
    monkeypatch.setattr(build_record, "installed_packages", lambda: ["mkdocs==9.9.9"])
    after_packages = national_digest(project, code)
    assert after_packages != after_code
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700086400")
    assert national_digest(project, code) != after_packages


def test_without_source_date_epoch_the_digest_holds_todays_date(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    from datetime import date
    assert build_record.build_date() == f"today {date.today().isoformat()}"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert build_record.build_date() == "1970-01-01T00:00:00+00:00"


TRUST_EDITS = {
    "its locale": lambda folder: append(folder.with_suffix(".yml"), "\n# a comment\n"),
    "its logo replaced": lambda folder: (folder / "logo.svg").write_bytes(
        (folder / "logo.svg").read_bytes().replace(b"</svg>", b"<!-- new --></svg>")),
    "a page added": lambda folder: ((folder / "pages").mkdir(exist_ok=True),
                                    (folder / "pages" / "new.md").write_text("# New\n")),
    "a file deleted": lambda folder: (folder / "logo.svg").unlink(),
}


@pytest.mark.parametrize("edit", TRUST_EDITS, ids=list(TRUST_EDITS))
def test_a_trusts_own_edit_changes_its_digest_only(scratch_project, edit):
    locales = scratch_project / "locales"
    assert (locales / "example" / "logo.svg").is_file()
    example, other = (load_locale(locales / f"{slug}.yml")
                      for slug in ("example", "brightwater-valley"))
    national = national_digest(Project(scratch_project))
    before = trust_digest(national, example, ["site"]), trust_digest(national, other, ["site"])
    TRUST_EDITS[edit](locales / "example")
    after = trust_digest(national, example, ["site"]), trust_digest(national, other, ["site"])
    assert after[0] != before[0]
    assert after[1] == before[1], "another Trust's edit must not rebuild this one"


def test_the_build_options_and_the_national_digest_change_a_trusts_digest(scratch_project):
    example = load_locale(scratch_project / "locales" / "example.yml")
    digest = trust_digest("national", example, ["site"])
    assert trust_digest("national", example, ["site", "pdf"]) != digest
    assert trust_digest("other national", example, ["site"]) != digest
    assert trust_digest("national", example, ["site"]) == digest


@pytest.mark.parametrize("text", ["", "not json", "[]", '{"format": 0, "trusts": {"a": "b"}}',
                                  '{"format": 1, "trusts": ["a"]}', '{"format": 1}'])
def test_a_corrupt_or_foreign_record_reads_as_empty(tmp_path, text):
    (tmp_path / RECORD).write_text(text, encoding="utf-8")
    assert read_record(tmp_path) == {}


def test_a_missing_record_reads_as_empty_and_a_written_one_reads_back(tmp_path):
    assert read_record(tmp_path) == {}
    write_record(tmp_path, {"b": "2", "a": "1"})
    assert read_record(tmp_path) == {"a": "1", "b": "2"}
    assert not list(tmp_path.glob(".*.partial"))


def test_outputs_present_needs_every_output_of_the_targets(tmp_path):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "index.html").write_text("x")
    assert not outputs_present(trust_outputs(tmp_path, "t", ["site"]))  # no zip
    (tmp_path / "t.zip").write_bytes(b"x")
    assert not outputs_present(trust_outputs(tmp_path, "t", ["site"]))  # no server kit
    (tmp_path / "t.server-kit").mkdir()
    (tmp_path / "t.server-kit" / "HOSTING.md").write_text("x")
    assert outputs_present(trust_outputs(tmp_path, "t", ["site"]))
    assert not outputs_present(trust_outputs(tmp_path, "t", ["site", "pdf"]))
    (tmp_path / "t.pdf").write_bytes(b"x")
    assert outputs_present(trust_outputs(tmp_path, "t", ["site", "pdf"]))


# -- Real builds: what is built, what is kept ------------------------------------------------

def _build(project: Path, out: Path, slugs: list[str], **options) -> dict[str, bool]:
    """slug -> True when built this time, False when kept."""
    locales = [load_locale(project / "locales" / f"{slug}.yml") for slug in slugs]
    results = build_many(locales, out, jobs=1, project=Project(project), **options)
    assert all(r.ok for r in results), [r.message for r in results]
    return {r.slug: not r.kept for r in results}


def test_builds_skip_exactly_what_did_not_change(scratch_project, tmp_path, monkeypatch):
    monkeypatch.delenv("TRUST", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765065600")
    out, slugs = tmp_path / "out", ["example", "saltmarsh-community"]
    skip = {"skip_unchanged": True}
    assert _build(scratch_project, out, slugs, **skip) == {"example": True,
                                                          "saltmarsh-community": True}
    home = out / "example" / "index.html"
    first = home.stat().st_mtime_ns, home.read_bytes()
    assert _build(scratch_project, out, slugs, **skip) == {"example": False,
                                                          "saltmarsh-community": False}
    assert (home.stat().st_mtime_ns, home.read_bytes()) == first, "a kept site is untouched"
    assert (out / "index.html").is_file()

    # One locale edited: only that Trust builds, and its edit shows.
    locale = scratch_project / "locales" / "example.yml"
    text = locale.read_text(encoding="utf-8")
    assert "name: Example Hospitals NHS Foundation Trust" in text
    locale.write_text(text.replace("name: Example Hospitals NHS Foundation Trust",
                                   "name: Example Changed NHS Foundation Trust", 1),
                      encoding="utf-8")
    assert _build(scratch_project, out, slugs, **skip) == {"example": True,
                                                          "saltmarsh-community": False}
    assert "Example Changed NHS Foundation Trust" in home.read_text(encoding="utf-8")

    # Without skip_unchanged (trustsite build --force) everything builds.
    assert _build(scratch_project, out, slugs) == {"example": True, "saltmarsh-community": True}

    # A national page edited: every Trust builds.
    append(scratch_project / "docs" / "index.md", "\nA national sentence added.\n")
    assert _build(scratch_project, out, slugs, **skip) == {"example": True,
                                                          "saltmarsh-community": True}

    # A deleted output: that Trust builds again.
    (out / "saltmarsh-community.zip").unlink()
    assert _build(scratch_project, out, slugs, **skip) == {"example": False,
                                                          "saltmarsh-community": True}

    # Other build options: a Trust built for more targets builds again.
    assert _build(scratch_project, out, ["example"], targets=["pages"], **skip) == {
        "example": True}

    # A corrupt record: everything builds.
    (out / RECORD).write_text("{corrupt", encoding="utf-8")
    assert _build(scratch_project, out, slugs, **skip) == {"example": True,
                                                          "saltmarsh-community": True}
    # A missing record: everything builds.
    (out / RECORD).unlink()
    assert _build(scratch_project, out, slugs, **skip) == {"example": True,
                                                          "saltmarsh-community": True}
    assert set(json.loads((out / RECORD).read_text())["trusts"]) == set(slugs)


def test_a_failed_build_is_not_recorded(scratch_project, tmp_path, monkeypatch):
    from trustsite import build as build_module

    monkeypatch.delenv("TRUST", raising=False)
    out = tmp_path / "out"
    _build(scratch_project, out, ["example"], skip_unchanged=True)
    assert "example" in read_record(out)

    def broken(job):  # a build that fails after the record was read
        raise RuntimeError("broken")
    append(scratch_project / "locales" / "example.yml", "\n# edited\n")
    monkeypatch.setattr(build_module, "build_site", lambda *a, **k: broken(a))
    locale = load_locale(scratch_project / "locales" / "example.yml")
    [result] = build_many([locale], out, jobs=1, project=Project(scratch_project),
                          skip_unchanged=True)
    assert not result.ok
    assert "example" not in read_record(out), "a failed Trust must build again next time"
