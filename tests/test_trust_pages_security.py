"""A Trust's own files are untrusted input (issue 10 points 1-3, issue 13 point 5).

Each test breaks one rule on purpose in a throwaway copy of the project (or calls the one
function that enforces it) and checks the rule catches it, naming the Trust's own file.
"""

from __future__ import annotations

import pytest

from conftest import run_in
from trustsite.context import template_context
from trustsite.locale import LocaleError, load_locale
from trustsite.page_macros import page_macros
from trustsite.sandbox import render_trust_page

PAGE = "locales/example/pages/local.md"


@pytest.fixture(scope="module")
def context() -> dict:
    return template_context(load_locale("example"))


def render(source: str, context: dict) -> str:
    return render_trust_page(source, context, page_macros(lambda: "local.md"), PAGE, 3)


# -- 1. Trust pages cannot run code ----------------------------------------------------------

@pytest.mark.parametrize("source, line, says", [
    ("x\n{{ ''.__class__.__mro__ }}", 4, "__class__"),
    ("{{ trust.name.__class__.__init__.__globals__ }}", 3, "unsafe"),
    ("{{ trust.name|attr('__class__') }}", 3, "__class__"),
    ("{{ trust.update({'name': 'x'}) }}", 3, "update"),
    ("{{ config }}", 3, "'config'"),
    ("{{ cycler.__init__.__globals__ }}", 3, "'cycler'"),
    ("{{ lipsum() }}", 3, "'lipsum'"),
    ("a\nb\n{% include '/etc/passwd' %}", 5, "may not include"),
    ("{% import 'macros.py' as m %}", 3, "may not include"),
    ("{% extends 'main.html' %}", 3, "may not include"),
    ("{{ trust.no_such_field }}", 3, "'trust.no_such_field'"),
])
def test_a_trust_page_that_reaches_outside_its_variables_is_refused(source, line, says,
                                                                    context):
    with pytest.raises(LocaleError) as raised:
        render(source, context)
    problem, = raised.value.problems
    assert str(problem).startswith(f"{PAGE}:{line}: ")
    assert says in str(problem)


def test_a_trust_page_keeps_its_variables_macros_and_escaping(context):
    rendered = render("{{ trust.short_name }} {{ email_link(research_office.email) }} "
                      "{{ cite('nihr-2021') if false }}{{ guide.title }}", context)
    assert rendered.startswith("Example Hospitals <a href=\"mailto:research@example")
    assert "Best Patient Care" in rendered


def test_a_hostile_trust_page_fails_the_build_naming_its_own_file_and_line(scratch_project):
    pages = scratch_project / "locales" / "example" / "pages"
    pages.mkdir()
    (pages / "local.md").write_text("---\ntitle: Local\n---\n# Local\n\n"
                                    "{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    env_secret = "s3cret-build-token-value"
    for command in (["-m", "trustsite", "build", "example", "--out", "out"],
                    ["-m", "mkdocs", "build", "-q"]):
        result = run_in(scratch_project, *command, trust="example")
        output = result.stdout + result.stderr
        assert result.returncode != 0, output
        assert "locales/example/pages/local.md:6: security:" in output
        assert "docs/local.md" not in output
        assert env_secret not in output
    assert not (scratch_project / "out" / "example").exists()
    assert not (scratch_project / "site").exists()


def test_a_trust_page_is_not_rendered_again_by_the_macros_plugin(scratch_project):
    pages = scratch_project / "locales" / "example" / "pages"
    pages.mkdir()
    # Jinja text that the sandbox prints literally must reach the page as it is.
    (pages / "local.md").write_text("---\nrender_macros: true\n---\n# Local\n\n"
                                    "{{ '{{ config.site_name }}' }} for {{ trust.short_name }}\n")
    result = run_in(scratch_project, "-m", "trustsite", "build", "example", "--out", "out")
    assert result.returncode == 0, result.stderr
    text = (scratch_project / "out" / "example" / "local.html").read_text()
    assert "{{ config.site_name }} for Example Hospitals" in text


# -- 4. `trustsite check` checks the Trust's own pages (issue 13 point 5) ---------------------

def test_check_names_each_trust_page_problem_with_its_line_and_a_suggestion(scratch_project):
    pages = scratch_project / "locales" / "example" / "pages"
    (pages / "team").mkdir(parents=True)
    (pages / "team" / "x.md").write_text(
        "---\ntitle: Our team\n---\n# Our team\n\nAsk {{ trust.shortname }}.\n"
        "Write to {{ emial_link(research_office.email) }}.\n"
        "Call {{ phone_link() }} {{ cite('no-such-key') }}.\n")
    (pages / "broken.md").write_text("# Broken\n\n{% if trust.name %}\n")
    result = run_in(scratch_project, "-m", "trustsite", "check", "example")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith("locales/example/pages/team/x.md:6: trust.shortname: ")
               and "Did you mean 'trust.short_name'?" in line for line in lines), lines
    assert any(line.startswith("locales/example/pages/team/x.md:7: emial_link: ")
               and "Did you mean 'email_link'?" in line for line in lines), lines
    assert any(line.startswith("locales/example/pages/broken.md:3: syntax: ")
               for line in lines), lines
    assert "docs/" not in result.stderr
    assert "ok  example" not in result.stdout


@pytest.mark.parametrize("source, says", [
    ("{{ phone_link() }}", "missing 1 required positional argument"),
    ("{{ cite('no-such-key') }}", "unknown reference key"),
])
def test_check_reports_macro_misuse(source, says, context):
    with pytest.raises(LocaleError) as raised:
        render(source, context)
    assert says in str(raised.value) and str(raised.value).startswith(f"{PAGE}:3: macro: ")
