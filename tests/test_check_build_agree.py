"""Check and build agree (issue 23 point 9): over every hostile case in tests/hostile_cases.py,
`trustsite check` and `trustsite build` both refuse, each with the same one FILE:LINE line
and no traceback, and build writes nothing; whatever check passes, build builds with every
target (--pdf, --sharepoint, --fragments)."""

from __future__ import annotations

import re

import pytest

from trustsite.cli import main as cli

from conftest import ROOT
from hostile_cases import CASES, _page, _with_files

PROBLEM_LINE = re.compile(r"^\S.*:\d+: ")


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_check_and_build_refuse_each_hostile_case_with_one_line(tmp_path, capsys, case):
    folder = tmp_path / "locales"
    folder.mkdir()
    path = case.write(folder)
    assert cli(["check", str(path)]) == 1
    checked = capsys.readouterr()
    lines = [line for line in checked.err.splitlines() if PROBLEM_LINE.match(line)]
    assert len(lines) == 1, checked.err
    problem = lines[0]
    assert problem.startswith(f"{folder.resolve()}/{case.says}"), problem
    assert cli(["build", str(path), "--out", str(tmp_path / "out"), "--jobs", "1"]) == 1
    built = capsys.readouterr()
    assert [line for line in built.err.splitlines() if problem in line] != [], built.err
    assert len([line for line in built.err.splitlines() if problem in line]) == 1, built.err
    assert "Traceback" not in built.err + built.out + checked.out
    assert not (tmp_path / "out" / path.stem).exists()


def _good_trust(folder):
    from trustsite.svg_png import svg_to_png

    photo = svg_to_png((ROOT / "locales" / "example" / "logo.svg").read_bytes())
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    leaflet = BytesIO()
    writer.write(leaflet)
    return _with_files({
        "pages/our-team.md": _page("Meet the team.\n\n![The team](images/team.png)\n\n"
                                   "[Our leaflet (PDF)](files/leaflet.pdf)"),
        "pages/images/team.png": photo, "pages/files/leaflet.pdf": leaflet.getvalue()})(folder)


def test_what_check_passes_build_builds_with_every_target(tmp_path, capsys):
    path = _good_trust(tmp_path)
    assert cli(["check", str(path)]) == 0
    out = tmp_path / "out"
    assert cli(["build", str(path), "--out", str(out), "--jobs", "1", "--pdf", "--sharepoint",
                "--fragments"]) == 0, capsys.readouterr().err
    for made in ("test-trust/our-team.html", "test-trust/images/team.png",
                 "test-trust/files/leaflet.pdf", "test-trust.zip", "test-trust.pdf",
                 "test-trust-sharepoint/template.xml", "test-trust-pages/index.html"):
        assert (out / made).is_file(), made
