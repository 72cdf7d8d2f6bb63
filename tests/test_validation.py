"""One test per validation rule: each bad locale is reported as FILE:LINE: key: message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from trustsite.cli import main as cli
from trustsite.locale import LocaleError, Problem, load_locale, resolve_locale_path, validate_file

from conftest import ROOT, run_in

EXAMPLE = (ROOT / "locales" / "example.yml").read_text(encoding="utf-8")


def write_locale(folder: Path, text: str, slug: str = "test-trust", logo: bool = True) -> Path:
    """A locale file in folder/, with the example logo in its assets folder."""
    path = folder / f"{slug}.yml"
    path.write_text(text, encoding="utf-8")
    if logo:
        (folder / slug).mkdir(exist_ok=True)
        shutil.copy(ROOT / "locales" / "example" / "logo.svg", folder / slug / "logo.svg")
    return path


def line_of(text: str, fragment: str) -> int:
    """The 1-based line on which fragment first appears."""
    for number, line in enumerate(text.splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in text")


def changed(old: str, new: str) -> str:
    assert old in EXAMPLE, old
    return EXAMPLE.replace(old, new, 1)


def problems_for(tmp_path: Path, text: str, **kwargs) -> tuple[Path, list[Problem]]:
    path = write_locale(tmp_path, text, **kwargs)
    locale, problems = validate_file(path)
    assert locale is None and problems, "the locale should have been rejected"
    return path, problems


def the_problem(problems: list[Problem], key: str) -> Problem:
    matching = [p for p in problems if p.key == key]
    assert matching, f"no problem for {key}: {[str(p) for p in problems]}"
    return matching[0]


def assert_reported(path: Path, problems: list[Problem], key: str, line: int,
                    *words: str) -> Problem:
    problem = the_problem(problems, key)
    assert str(problem).startswith(f"{path}:{line}: {key}: "), str(problem)
    for word in words:
        assert word in problem.message, f"{word!r} not in {problem.message!r}"
    return problem


def test_the_example_locales_are_valid():
    for slug in ("example", "northmoor-community", "brightwater-valley"):
        assert load_locale(slug).slug == slug


def test_malformed_yaml_gives_line_and_column(tmp_path):
    text = changed("  short_name: Example Hospitals", "  short_name: [Example Hospitals")
    path, problems = problems_for(tmp_path, text)
    problem = problems[0]
    assert problem.key == "(yaml syntax)"
    assert str(problem).startswith(f"{path}:{problem.line}: (yaml syntax): ")
    assert problem.line >= line_of(text, "short_name")
    assert f"line {problem.line}, column" in problem.message


def test_empty_file(tmp_path):
    path, problems = problems_for(tmp_path, "# nothing but a comment\n")
    assert_reported(path, problems, "(whole file)", 1, "empty")


def test_file_that_is_not_a_mapping(tmp_path):
    path, problems = problems_for(tmp_path, "- trust\n- brand\n")
    assert_reported(path, problems, "(whole file)", 1, "mapping")


def test_duplicate_key(tmp_path):
    text = changed("  type: acute\n", "  type: acute\n  name: Another Name\n")
    path, problems = problems_for(tmp_path, text)
    problem = assert_reported(path, problems, "trust.name", line_of(text, "Another Name"),
                              "twice", f"line {line_of(text, 'name: Example Hospitals NHS')}")
    assert problem.line > line_of(text, "name: Example Hospitals NHS")


def test_missing_required_field(tmp_path):
    text = changed("  email: research@example-hospitals.example\n", "")
    path, problems = problems_for(tmp_path, text)
    assert_reported(path, problems, "research_office.email", line_of(text, "research_office:"),
                    "required", "mailbox")


def test_wrong_type(tmp_path):
    text = changed("  participants: 3150", "  participants: lots")
    path, problems = problems_for(tmp_path, text)
    assert_reported(path, problems, "research_figures.participants",
                    line_of(text, "participants: lots"), "whole number", "text")


def test_section_of_the_wrong_type(tmp_path):
    text = changed("network:\n  name: West Midlands", "network: West Midlands")
    path, problems = problems_for(tmp_path, text)
    assert_reported(path, problems, "network", line_of(text, "network:"), "mapping")


def test_unknown_key_suggests_the_right_one(tmp_path):
    text = changed("  short_name: Example Hospitals", "  short_nme: Example Hospitals")
    path, problems = problems_for(tmp_path, text)
    assert_reported(path, problems, "trust.short_nme", line_of(text, "short_nme"),
                    "not a known field", "Did you mean 'short_name'?")


def test_unknown_network_suggests_the_right_one(tmp_path):
    text = changed("  name: West Midlands", "  name: West Midland")
    path, problems = problems_for(tmp_path, text)
    assert_reported(path, problems, "network.name", line_of(text, "West Midland"),
                    "Did you mean 'West Midlands'?", "North East and North Cumbria")


def test_invalid_email(tmp_path):
    text = changed("  feedback_email: intranet@example-hospitals.example",
                   "  feedback_email: intranet at example-hospitals")
    path, problems = problems_for(tmp_path, text)
    assert_reported(path, problems, "site.feedback_email", line_of(text, "intranet at"),
                    "email address")


@pytest.mark.parametrize("bad_url", ["javascript:alert(1)", "data:text/html,hi",
                                     "ftp://files.example/research", "intranet/research"])
def test_url_scheme_must_be_https_http_mailto_or_tel(tmp_path, bad_url):
    text = changed("  intranet_url: https://intranet.example-hospitals.example/research",
                   f'  intranet_url: "{bad_url}"')
    path, problems = problems_for(tmp_path, text)
    problem = assert_reported(path, problems, "research_office.intranet_url",
                              line_of(text, bad_url), "https://", "mailto:", "tel:")
    if bad_url.startswith(("javascript", "data")):
        assert "not allowed" in problem.message


@pytest.mark.parametrize("colour", ["blue", "#12345", "#GGGGGG", "005EB8"])
def test_colour_must_be_hex(tmp_path, colour):
    text = changed('  primary_colour: "#005EB8"', f'  primary_colour: "{colour}"')
    path, problems = problems_for(tmp_path, text)
    assert_reported(path, problems, "brand.primary_colour", line_of(text, "primary_colour"),
                    "hex colour")


def test_colour_with_poor_contrast_says_the_ratio(tmp_path):
    text = changed('  primary_colour: "#005EB8"', '  primary_colour: "#41B6E6"')
    path, problems = problems_for(tmp_path, text)
    assert_reported(path, problems, "brand.primary_colour", line_of(text, "primary_colour"),
                    "2.", ":1", "4.5:1")


def test_logo_that_is_missing(tmp_path):
    text = changed("  logo: logo.svg", "  logo: missing.svg")
    path, problems = problems_for(tmp_path, text)
    assert_reported(path, problems, "brand.logo", line_of(text, "missing.svg"), "does not exist")


def test_logo_that_is_not_svg_or_png(tmp_path):
    text = changed("  logo: logo.svg", "  logo: logo.gif")
    path, problems = problems_for(tmp_path, text)
    assert_reported(path, problems, "brand.logo", line_of(text, "logo.gif"), ".svg", ".png")


def test_logo_outside_the_locale_folder(tmp_path):
    text = changed("  logo: logo.svg", "  logo: ../example/logo.svg")
    path, problems = problems_for(tmp_path, text)
    assert_reported(path, problems, "brand.logo", line_of(text, "../example"), "outside")


@pytest.mark.parametrize("date", ["2026-13-45", "last week", "01/10/2026"])
def test_date_that_is_not_a_date(tmp_path, date):
    text = changed('  last_reviewed: "2026-10-01"', f'  last_reviewed: "{date}"')
    path, problems = problems_for(tmp_path, text)
    assert_reported(path, problems, "site.last_reviewed", line_of(text, "last_reviewed"),
                    "YYYY-MM-DD")


def test_unquoted_date_is_accepted(tmp_path):
    path = write_locale(tmp_path, changed('"2026-10-01"', "2026-10-01"))
    locale, problems = validate_file(path)
    assert not problems and locale.data["site"]["last_reviewed"] == "2026-10-01"


def test_markup_in_text_is_rejected(tmp_path):
    text = changed("  name: Example Hospitals NHS Foundation Trust",
                   "  name: <script>alert(1)</script>")
    path, problems = problems_for(tmp_path, text)
    assert_reported(path, problems, "trust.name", line_of(text, "<script>"), "< and >")


def test_file_name_that_is_not_a_slug(tmp_path):
    path, problems = problems_for(tmp_path, EXAMPLE, slug="Bad_Slug")
    assert_reported(path, problems, "(file name)", 0, "lower-case")


@pytest.mark.parametrize("name", ["../x", "Bad Slug", "UPPER"])
def test_trust_that_is_not_a_slug(name):
    with pytest.raises(LocaleError) as caught:
        resolve_locale_path(name)
    problem = caught.value.problems[0]
    assert problem.key == "TRUST" and ("not a valid slug" in problem.message
                                       or "no such locale file" in problem.message)


def test_unknown_slug_suggests_a_known_one():
    with pytest.raises(LocaleError) as caught:
        resolve_locale_path("exampel")
    assert "Did you mean 'example'?" in caught.value.problems[0].message


def test_every_problem_is_reported_at_once(tmp_path):
    text = changed('  primary_colour: "#005EB8"', '  primary_colour: "#FFFF00"')
    text = text.replace("  short_name: Example Hospitals", "  short_nme: Example Hospitals")
    text = text.replace("  feedback_email: intranet@example-hospitals.example",
                        "  feedback_email: nope")
    path, problems = problems_for(tmp_path, text)
    keys = {p.key for p in problems}
    assert {"brand.primary_colour", "trust.short_nme", "site.feedback_email"} <= keys


def test_check_command_prints_each_problem_on_stderr(tmp_path, capsys):
    path = write_locale(tmp_path, changed("  short_name: Example Hospitals", "  short_nme: x"))
    assert cli(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:{line_of(path.read_text(), 'short_nme')}: trust.short_nme: " in err


def test_check_command_passes_the_examples(capsys):
    assert cli(["check"]) == 0
    assert "ok  example" in capsys.readouterr().out


def test_mkdocs_build_with_a_bad_locale_writes_nothing(scratch_project):
    bad = write_locale(scratch_project / "locales", changed("  logo: logo.svg", "  logo: x.svg"),
                       slug="broken")
    result = run_in(scratch_project, "-m", "mkdocs", "build", "-q", trust=str(bad))
    assert result.returncode != 0
    line = line_of(bad.read_text(), "x.svg")
    assert f"locales/broken.yml:{line}: brand.logo: 'x.svg' does not exist" in result.stderr
    assert not (scratch_project / "site").exists()
    assert not list(scratch_project.glob(".site.building-*"))


def test_mkdocs_build_with_a_missing_locale_names_it(scratch_project):
    result = run_in(scratch_project, "-m", "mkdocs", "build", "-q", trust="no-such-trust")
    assert result.returncode != 0
    assert "there is no locale 'no-such-trust'" in result.stderr


def test_many_locales_are_checked_in_parallel_with_the_same_answers_in_order(tmp_path,
                                                                             monkeypatch):
    """`trustsite build --all` checks many locales on every core; what it finds, and its
    order, must be what checking them one by one finds."""
    from trustsite import cli

    paths = [write_locale(tmp_path, EXAMPLE, slug=f"trust-{number:02d}")
             for number in range(cli._CHECK_IN_PARALLEL_FROM + 5)]
    broken = changed("primary_colour:", "primary_colour: 12 #")
    paths[7] = write_locale(tmp_path, broken, slug="trust-07")
    monkeypatch.setattr(cli.os, "cpu_count", lambda: 2)
    parallel = cli._validated_files(paths)
    assert parallel == [validate_file(path) for path in paths]
    assert parallel[7][0] is None and parallel[7][1]
    assert [locale.slug for locale, _ in parallel if locale] == \
        [f"trust-{number:02d}" for number in range(len(paths)) if number != 7]


def test_many_locales_are_checked_one_by_one_where_processes_cannot_fork(tmp_path,
                                                                          monkeypatch):
    import multiprocessing

    from trustsite import cli

    paths = [write_locale(tmp_path, EXAMPLE, slug=f"trust-{number:02d}")
             for number in range(cli._CHECK_IN_PARALLEL_FROM)]
    monkeypatch.setattr(cli.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setattr(multiprocessing, "get_context", None)  # never asked for
    assert [locale.slug for locale, _ in cli._validated_files(paths)] == \
        [f"trust-{number:02d}" for number in range(len(paths))]
