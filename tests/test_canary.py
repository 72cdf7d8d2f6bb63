"""`make canary` (scripts/canary.py): what Zensical lacks, reported without ever blocking."""

from __future__ import annotations

import importlib.util
import sys

import pytest

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
