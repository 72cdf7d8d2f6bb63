"""`make canary` (scripts/canary.py): what Zensical lacks, reported without ever blocking."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys

import pytest
import yaml

from trustsite.svg_png import svg_to_png

from conftest import ROOT


@pytest.fixture(scope="module")
def canary():
    spec = importlib.util.spec_from_file_location("canary", ROOT / "scripts" / "canary.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["canary"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_hooks_and_unsupported_plugins_are_reported_as_lacking(canary):
    config = {"hooks": ["trustsite/hooks.py"],
              "plugins": ["search", {"macros": {"module_name": "macros"}}, "made-up", "trustsite"]}
    lacking = canary.lacking_features(config, ["search", "macros"])
    assert lacking == [canary.NO_HOOKS, "plugin `made-up` is not supported",
                       canary.NO_TRUSTSITE_PLUGIN]
    assert canary.lacking_features({"plugins": ["search"]}, ["search"]) == []


def test_a_missing_zensical_gives_a_report_and_exit_code_1(canary, tmp_path, monkeypatch):
    monkeypatch.setattr(canary, "OUT", tmp_path / "canary")
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / "install.log").write_text("Collecting zensical\nERROR: No matching distribution "
                                      "found for zensical-ui==0.0.43\n", encoding="utf-8")
    monkeypatch.setattr(canary, "ROOT", tmp_path)  # the report and mkdocs.yml: in tmp_path
    (tmp_path / "mkdocs.yml").write_text("hooks: [trustsite/hooks.py]\nplugins: [search]\n",
                                         encoding="utf-8")
    assert canary.main(["--venv", str(venv)]) == 1
    report = (tmp_path / "canary" / "REPORT.md").read_text(encoding="utf-8")
    assert "could not be installed" in report
    assert "ERROR: No matching distribution found for zensical-ui==0.0.43" in report
    assert "Collecting" not in report  # only pip's errors
    assert canary.NO_HOOKS in report


def test_the_pages_section_names_each_difference(canary):
    result = canary.Canary(version="0.1.1", mkdocs_pages={"index.html", "a.html"},
                           zensical_pages={"index.html", "b.html"}, unrendered=["index.html"],
                           without_trust=["b.html"])
    report = canary.render(result)
    assert "MkDocs built 2 pages, Zensical 2." in report
    assert "- only with MkDocs: `a.html`" in report
    assert "- only with Zensical: `b.html`" in report
    assert "- macros not rendered: `index.html`" in report
    assert "- the Trust's name missing: `b.html`" in report


def test_the_project_folder_holds_the_trusts_prepared_inputs(canary, tmp_path):
    config_file = canary.write_project("northmoor-community", tmp_path / "project",
                                       tmp_path / "site")
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    docs = tmp_path / "project" / "docs"
    assert config_file == tmp_path / "project" / "mkdocs.yml"
    assert config["site_name"] == "Northmoor Community and Mental Health NHS Trust"
    assert config["docs_dir"] == "docs" and config["site_dir"] == str(tmp_path / "site")
    assert config["theme"]["logo"] == "assets/trust/logo.png"
    assert config["theme"]["custom_dir"] == str(ROOT / "overrides")
    assert [next(iter(section)) for section in config["nav"]] == ["Staff guide", "About"]
    assert config["extra"]["trust"]["short_name"] == "Northmoor"
    assert config["extra"]["generator"] is False  # mkdocs.yml's own extra kept
    assert config["extra_css"] == ["assets/stylesheets/trust.css", "assets/trust/brand.css"]
    assert "trustsite" not in config["plugins"]
    assert {"macros", "search"} <= {next(iter(p)) for p in config["plugins"] if isinstance(p, dict)}
    assert "--md-primary-fg-color: #" in (docs / "assets/trust/brand.css").read_text()
    assert (docs / "assets/trust/logo.png").read_bytes() == svg_to_png((
        ROOT / "locales/northmoor-community/logo.svg").read_bytes())
    assert (docs / "index.md").read_bytes() == (ROOT / "docs/index.md").read_bytes()
    assert not (docs / "champions").exists()  # switched off for this Trust
    assert (tmp_path / "project" / "includes" / "references.yml").read_bytes() == (
        ROOT / "includes/references.yml").read_bytes()  # read by macros.py


def test_the_project_folder_builds_with_mkdocs_alone(canary, tmp_path):
    """Without the trustsite plugin the prepared folder still gives the Trust's site."""
    canary.write_project("northmoor-community", tmp_path / "project", tmp_path / "site")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"],
                            cwd=tmp_path / "project", capture_output=True, text=True,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), timeout=300)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "research-here.html").read_text(encoding="utf-8")
    assert "Northmoor Community and Mental Health NHS Trust" in page
    assert "assets/trust/brand.css" in page and "{{" not in page
    assert not (tmp_path / "site" / "champions").exists()


def test_a_trust_with_its_own_pages_is_refused(canary, tmp_path, monkeypatch):
    """Only the plugin renders a Trust's own pages in the sandbox."""
    project = tmp_path / "root"
    project.mkdir()
    for part in ("mkdocs.yml", "docs", "locales"):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, project / part)
        else:
            shutil.copy(source, project / part)
    (project / "locales/example/pages").mkdir()
    (project / "locales/example/pages/our-team.md").write_text("# Our team\n")
    monkeypatch.setattr(canary, "ROOT", project)
    with pytest.raises(ValueError, match="its own pages"):
        canary.write_project("example", tmp_path / "project", tmp_path / "site")
    assert not (tmp_path / "project").exists()
