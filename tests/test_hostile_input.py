"""Everything a Trust supplies is untrusted: each hostile or broken input ends as a
FILE:LINE problem (never a traceback), output folders are safe, and CLI output stays inert."""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

import trustsite.build as build
import trustsite.reproducible
from trustsite.build_record import RECORD, read_record
from trustsite.cli import main as cli
from trustsite.locale import (MAX_FILE_BYTES, Problem, load_locale, one_line, quoted,
                              validate_file)
from trustsite.scaffold import (PLACEHOLDER_LOGO, create_locale, is_drama_number,
                                release_problems, scaffold_text)

from conftest import ROOT
from test_validation import EXAMPLE, changed, line_of, write_locale

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def rejected(tmp_path: Path, content: str | bytes) -> list[Problem]:
    path = tmp_path / "test-trust.yml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    locale, problems = validate_file(path)
    assert locale is None and problems, "the file should have been rejected"
    return problems


# -- 10.4: every malformed locale gets FILE:LINE, never a traceback ----------------------------

def test_billion_laughs_is_refused_with_bounded_memory(tmp_path):
    assert len(BILLION_LAUGHS) < 1024
    tracemalloc.start()
    try:
        problems = rejected(tmp_path, BILLION_LAUGHS)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert problems[0].key == "(yaml alias)" and problems[0].line == 2
    assert peak < 20 * 1024 * 1024  # expanded, it would be 9**9 strings


@pytest.mark.parametrize("text, line", [
    ("trust: !!python/object/apply:os.system ['echo pwned']\n", 1),
    ("trust:\n  name: !!python/name:os.system x\n", 2),
    ("trust:\n  name: !custom x\n", 2),
    ("trust: !!binary aGVsbG8=\n", 1),
])
def test_unknown_tags_are_refused(tmp_path, text, line):
    problem = rejected(tmp_path, text)[0]
    assert (problem.key, problem.line) == ("(yaml tag)", line)
    assert "is not allowed" in problem.message


@pytest.mark.parametrize("content, line", [
    ("trust:\n  name: A\x00B\n", 2),
    ("trust:\n  name: A\x07B\n", 2),
    ("trust:\n\n  name: A\x1bB\n", 3),
])
def test_raw_control_characters_are_refused(tmp_path, content, line):
    problem = rejected(tmp_path, content)[0]
    assert problem.line == line and "control character" in problem.message


@pytest.mark.parametrize("escape", ["\\x00", "\\ud800", "\\x1b[31m", "\\x85"])
def test_control_characters_written_as_escapes_are_refused(tmp_path, escape):
    text = changed("  name: Example Hospitals NHS Foundation Trust",
                   f'  name: "Example{escape} Hospitals"')
    path = write_locale(tmp_path, text)
    locale, problems = validate_file(path)
    assert locale is None
    assert [(p.key, p.line) for p in problems] == [("trust.name", line_of(text, "Example\\"))]


def test_invalid_utf8_names_its_line(tmp_path):
    problem = rejected(tmp_path, b"trust:\n  name: caf\xe9\n")[0]
    assert problem.line == 2 and "UTF-8" in problem.message


def test_deep_nesting_is_refused_before_pyyaml_recurses(tmp_path):
    problem = rejected(tmp_path, "trust: " + "[" * 20000 + "]" * 20000 + "\n")[0]
    assert problem.line == 1 and "levels deep" in problem.message


@pytest.mark.parametrize("key", ["1", "null", "true", "~", "3.5"])
def test_keys_must_be_text(tmp_path, key):
    problem = rejected(tmp_path, f"trust:\n  {key}: x\n")[0]
    assert (problem.key, problem.line) == ("(key)", 2)
    assert "not a field name" in problem.message


def test_merge_keys_are_refused(tmp_path):
    problem = rejected(tmp_path, "base: &b {name: x}\ntrust:\n  <<: *b\n")[0]
    assert problem.line in (1, 3)
    assert "(yaml alias)" == problem.key or "merge" in problem.message


def test_merge_key_without_alias_is_refused(tmp_path):
    problem = rejected(tmp_path, "trust:\n  <<: {name: x}\n")[0]
    assert problem.line == 2 and "merge keys" in problem.message


def test_file_over_the_size_limit_is_refused(tmp_path):
    problem = rejected(tmp_path, "# x\n" * (MAX_FILE_BYTES // 4 + 1))[0]
    assert "over the limit" in problem.message


@pytest.mark.parametrize("field, value", [
    ("  name: Example Hospitals NHS Foundation Trust", '  name: "Example\\nHospitals"'),
    ("  name: Example Hospitals NHS Foundation Trust", "  name: |\n    Example Hospitals"),
    ("  owner: Communications team", '  owner: "Comms\\r\\n# Heading"'),
    ("  email: research@example-hospitals.example", '  email: "research@x.example\\n"'),
    ("  intranet_home: https://intranet.example-hospitals.example",
     '  intranet_home: "https://intranet.example\\n"'),
    ("  phone: 01632 960100", '  phone: "01632 960100\\n"'),
    ("  name: Example Hospitals NHS Foundation Trust", '  name: "Example\\tHospitals"'),
])
def test_single_line_fields_refuse_line_breaks(tmp_path, field, value):
    text = changed(field, value)
    path = write_locale(tmp_path, text)
    locale, problems = validate_file(path)
    assert locale is None and len(problems) == 1, problems
    assert problems[0].line == line_of(text, value.split("\n")[0])
    assert "\n" not in str(problems[0])


def test_multi_line_fields_may_hold_line_breaks(tmp_path):
    text = changed("  summary: Our research strategy",
                   "  summary: |\n    Line one.\n    Line two. Our research strategy")
    locale, problems = validate_file(write_locale(tmp_path, text))
    assert problems == [] and "\n" in locale.data["strategy"]["summary"]


# -- Front matter of a Trust's own pages ----------------------------------------------------

def locale_with_page(folder: Path, page: str) -> Path:
    path = write_locale(folder, EXAMPLE, slug="paged")
    (folder / "paged" / "pages").mkdir(parents=True)
    (folder / "paged" / "pages" / "our-team.md").write_text(page, encoding="utf-8")
    return path


@pytest.mark.parametrize("front_matter, key, line", [
    ('title: "Our\\nteam"', "title", 2),
    ("title: Our team\nlast_reviewed: 2026-02-30", "last_reviewed", 3),
    ("last_reviewed: 31/01/2026", "last_reviewed", 2),
    ("last_reviewed: 2026-05-01\nnext_review: 2026-01-01", "next_review", 3),
    ("title: <script>x</script>", "title", 2),
    ("title: !!python/object/apply:os.system [x]", "(yaml tag)", 2),
])
def test_page_front_matter_is_checked_with_the_pages_own_line(tmp_path, front_matter, key,
                                                             line):
    path = locale_with_page(tmp_path, f"---\n{front_matter}\n---\n# Our team\n")
    locale, problems = validate_file(path)
    assert locale is None
    assert [(Path(p.file).name, p.key, p.line) for p in problems] == [
        ("our-team.md", key, line)]


def test_page_metadata_without_dashes_is_checked_too(tmp_path):
    path = locale_with_page(tmp_path, "Title: Our team\nlast_reviewed: soon\n\n# Our team\n")
    _, problems = validate_file(path)
    assert [(p.key, p.line) for p in problems] == [("last_reviewed", 2)]


# -- Whatever check accepts, build builds; whatever check refuses, build refuses -------------

BAD_VALUES = [
    ("  name: Example Hospitals NHS Foundation Trust", '  name: "Example\\nHospitals"'),
    ("  name: Example Hospitals NHS Foundation Trust", '  name: "::error::x"\n  bad: 1'),
    ("  phone: 01632 960100", "  phone: 01632 960100 ext 12 or 13"),
    ("  participants: 3150", "  participants: 3,150"),
    ("  name: Example Hospitals NHS Foundation Trust", "  name: !!python/name:os.system x"),
]
GOOD_VALUES = [
    ("  name: Example Hospitals NHS Foundation Trust",
     "  name: 'St Mary''s [Test]: \"Hospitals\" #1 NHS Trust'"),
    ("  phone: 01632 960100", "  phone: 01632 960100 ext. 1234"),
]


@pytest.mark.parametrize("old, new", BAD_VALUES)
def test_check_and_build_both_refuse_bad_values(tmp_path, capsys, old, new):
    path = write_locale(tmp_path, changed(old, new))
    assert cli(["check", str(path)]) == 1
    checked = capsys.readouterr().err
    assert cli(["build", str(path), "--out", str(tmp_path / "out"), "--jobs", "1"]) == 1
    built = capsys.readouterr().err
    assert checked.splitlines()[0] in built.splitlines()
    assert not (tmp_path / "out" / "test-trust").exists()


@pytest.mark.parametrize("old, new", GOOD_VALUES)
def test_check_and_build_both_accept_good_values(tmp_path, old, new):
    path = write_locale(tmp_path, changed(old, new))
    assert cli(["check", str(path)]) == 0
    assert cli(["build", str(path), "--out", str(tmp_path / "out"), "--jobs", "1"]) == 0
    assert (tmp_path / "out" / "test-trust" / "index.html").is_file()


def test_build_refuses_a_page_check_refuses(tmp_path, capsys):
    path = locale_with_page(tmp_path, '---\ntitle: "a\\nb"\n---\n# Our team\n')
    assert cli(["check", str(path)]) == 1
    assert cli(["build", str(path), "--out", str(tmp_path / "out"), "--jobs", "1"]) == 1
    assert "our-team.md:2: title:" in capsys.readouterr().err


# -- 10.5: output folders are safe -----------------------------------------------------------

@pytest.mark.parametrize("out", [".", "docs", "docs/site", "locales", "locales/example",
                                 "overrides", "includes", "trustsite", "tests", "..",
                                 "README.md"])
def test_build_refuses_an_unsafe_output_folder(capsys, out):
    before = sorted(p.name for p in ROOT.iterdir())
    assert cli(["build", "example", "--out", str(ROOT / out), "--jobs", "1"]) == 2
    assert "--out: " in capsys.readouterr().err
    assert sorted(p.name for p in ROOT.iterdir()) == before


def test_index_refuses_an_unsafe_output_folder(capsys):
    assert cli(["index", "--out", str(ROOT / "docs")]) == 2
    assert "--out: " in capsys.readouterr().err
    assert not (ROOT / "docs" / "trusts.json").exists()


def test_safe_output_folders_are_allowed(tmp_path):
    assert build.unsafe_out_dir(tmp_path / "dist") == ""
    assert build.unsafe_out_dir(ROOT / "dist") == ""


def test_interrupted_build_leaves_no_temporary_folders(tmp_path, monkeypatch):
    out = tmp_path / "out"

    class InterruptedPool:
        def __init__(self, processes: int, **options: object) -> None: ...
        def __enter__(self): return self
        def __exit__(self, *exc: object) -> None: ...

        def imap_unordered(self, function, work):
            (out / ".example.building-abc123").mkdir()  # as a worker leaves it when stopped
            (out / ".example.zip.partial").write_bytes(b"PK")
            raise KeyboardInterrupt

    class Context:
        Pool = InterruptedPool

    monkeypatch.setattr(build.multiprocessing, "get_context", lambda method: Context)
    monkeypatch.setattr(build, "_import_plugins", lambda project: None)
    with pytest.raises(KeyboardInterrupt):
        build.build_many([load_locale("example")], out, jobs=1)
    # Only the record of inputs is left, and it does not claim the stopped Trust was built.
    assert [path.name for path in out.iterdir()] == [RECORD]
    assert read_record(out) == {}


def test_next_build_removes_leftovers_it_recognises(tmp_path):
    (tmp_path / ".example.building-x1").mkdir()
    (tmp_path / ".example.old-123").mkdir()
    (tmp_path / ".example.zip.partial").write_bytes(b"PK")
    (tmp_path / "keep.txt").write_text("mine")
    build.remove_leftovers(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_interrupted_zip_leaves_no_partial_file(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("x")

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(trustsite.reproducible, "deflate", interrupt)  # mid-way through
    with pytest.raises(KeyboardInterrupt):
        build.write_zip(site, tmp_path / "site.zip")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_two_locale_files_with_one_slug_are_an_error_naming_both(tmp_path, capsys):
    other = write_locale(tmp_path, EXAMPLE, slug="example")
    assert cli(["check", "example", str(other)]) == 1
    error = capsys.readouterr().err
    assert str(other) in error and "locales/example.yml" in error


# -- 10.6: trustsite new always writes a valid file ------------------------------------------

@pytest.mark.parametrize("name", [
    "St Mary's [Teaching] Hospitals NHS Trust",
    'The "Anytown": Hospitals #1 NHS Trust',
    "Birmingham and Solihull Mental Health NHS Foundation Trust",
    "A" * 40 + " " + "B" * 40 + " University Hospitals NHS Trust",  # 100+ characters
    "yes", "2026-01-01", "- Dash NHS Trust", "% Percent & Co * NHS Trust",
])
def test_new_round_trips_any_name(tmp_path, name):
    path = create_locale("new-trust", name, locales_dir=tmp_path)
    locale, problems = validate_file(path)
    assert problems == []
    assert locale.data["trust"]["name"] == name


@pytest.mark.parametrize("name", ["Two\nLines NHS Trust", "Tab\tNHS Trust", "Bell\x07 Trust"])
def test_new_refuses_line_breaks_and_control_characters(tmp_path, name):
    with pytest.raises(ValueError, match="one line"):
        create_locale("new-trust", name, locales_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_new_lists_the_allowed_values_of_every_enumerated_field():
    text = scaffold_text("Anytown NHS Trust", "anytown")
    assert "Allowed values: acute, mental health, community" in text
    assert "South West Peninsula." in text and "North East and North Cumbria" in text


# -- 10.7: CLI output cannot act in CI logs --------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("a\nb", "a\\nb"), ("a\r\nb", "a\\r\\nb"), ("::error::x", "\\::error::x"),
    ("  ::add-mask::x", "\\  ::add-mask::x"), ("a\x1b[2Jb", "a\\x1b[2Jb"),
    ("a\u2028b", "a\\u2028b"), ("100%0A::error::x", "100%0A::error::x"),
])
def test_one_line_escapes_what_could_act_in_a_log(text, expected):
    assert one_line(text) == expected


def test_quoted_values_never_start_a_line():
    assert quoted("x\n::error::y") == "'x\\n::error::y'"


def test_check_output_keeps_each_problem_on_one_inert_line(tmp_path, capsys):
    text = changed("  name: Example Hospitals NHS Foundation Trust",
                   '  name: "<b>\\n::error::pwned%0A::set-output name=x::y"')
    text = text.replace("  type: acute", '  type: "::add-mask::x\\r\\nfoo"')
    path = write_locale(tmp_path, text, slug="::warning::x")
    assert cli(["check", str(path)]) == 1
    output = capsys.readouterr()
    lines = (output.out + output.err).splitlines()
    assert len([line for line in lines if "trust." in line]) == 2
    assert not [line for line in lines if line.lstrip().startswith("::")]


# -- 10.8: locales/schema.json is valid for other JSON Schema tools ---------------------------

def test_schema_passes_check_jsonschema_and_validates_the_examples():
    tool = Path(sys.executable).with_name("check-jsonschema")
    schema = ROOT / "locales" / "schema.json"
    meta = subprocess.run([str(tool), "--check-metaschema", str(schema)],
                          capture_output=True, text=True)
    assert meta.returncode == 0, meta.stdout + meta.stderr
    examples = sorted(str(p) for p in (ROOT / "locales").glob("*.yml"))
    result = subprocess.run([str(tool), "--schemafile", str(schema), *examples],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# -- 13.4: messages a non-developer can act on -----------------------------------------------

def only_problem(tmp_path: Path, text: str) -> Problem:
    locale, problems = validate_file(write_locale(tmp_path, text))
    assert locale is None and len(problems) == 1, problems
    return problems[0]


def test_unquoted_colour_says_put_it_in_quotes(tmp_path):
    problem = only_problem(tmp_path, changed('primary_colour: "#005EB8"',
                                             "primary_colour: #007F3B"))
    assert "Put the colour in quotes: '#007F3B'" in problem.message


def test_number_with_commas_says_write_it_without(tmp_path):
    problem = only_problem(tmp_path, changed("participants: 3150", "participants: 3,412"))
    assert "Write it without commas: 3412." in problem.message


def test_empty_optional_field_is_a_warning_not_an_error(tmp_path, capsys):
    text = changed("  location: Education Centre, Example General Hospital", "  location:")
    locale, problems = validate_file(write_locale(tmp_path, text))
    assert problems == [] and "location" not in locale.data["research_office"]
    assert [(w.key, w.line) for w in locale.warnings] == [
        ("research_office.location", line_of(text, "  location:"))]


def test_empty_optional_field_in_a_list_item_is_a_warning(tmp_path):
    text = EXAMPLE + "\npartners:\n  - name: Anytown University\n    url:\n"
    locale, problems = validate_file(write_locale(tmp_path, text))
    assert problems == [] and locale.data["partners"] == [{"name": "Anytown University"}]
    assert [w.key for w in locale.warnings] == ["partners[0].url"]


def test_empty_required_field_is_still_an_error(tmp_path):
    problem = only_problem(tmp_path, changed("  owner: Communications team", "  owner:"))
    assert problem.key == "site.owner" and problem.message.startswith("is empty. Fill it in")


def test_tab_says_use_spaces(tmp_path):
    text = changed("  short_name: Example Hospitals", "\tshort_name: Example Hospitals")
    problem = only_problem(tmp_path, text)
    assert problem.line == line_of(text, "\tshort_name")
    assert "Use spaces, not tabs" in problem.message


@pytest.mark.parametrize("phone", ["01632 960100 ext. 1234", "01632 960100 extension 12",
                                   "01632 960100 ext 7"])
def test_phone_with_an_extension_is_accepted(tmp_path, phone):
    _, problems = validate_file(write_locale(tmp_path, changed("01632 960100", phone)))
    assert problems == []


def test_phone_link_dials_the_number_and_its_extension():
    import macros

    class Env:
        conf = {"config_file_path": str(ROOT / "mkdocs.yml")}  # macros read its includes/
        variables: dict = {}
        functions: dict = {}

        def macro(self, function, name=None):
            self.functions[name or function.__name__] = function
            return function

    env = Env()
    macros.define_env(env)
    link = env.functions["phone_link"]("01632 960100 ext. 1234")
    assert 'href="tel:+441632960100;ext=1234"' in link and "ext. 1234" in link


def test_a_bad_date_is_reported_once(tmp_path):
    problem = only_problem(tmp_path, changed('last_reviewed: "2026-10-01"',
                                             "last_reviewed: 31/03/2026"))
    assert problem.message.count("31/03/2026") == 1


# -- 13.6: --release catches real placeholders ----------------------------------------------

@pytest.mark.parametrize("old, new, key", [
    ("research@example-hospitals.example", "research@anytown.nhs.uk", None),
    ("https://www.example-hospitals.example", "https://www.example.com", "trust.website"),
    ("research@example-hospitals.example", "research@example.org", "research_office.email"),
    ("01632 960100", "020 7946 0123", "research_office.phone"),
    ("01632 960100", "0113 496 0500", "research_office.phone"),
    ("01632 960100", "+44 7700 900123", "research_office.phone"),
])
def test_release_refuses_placeholder_values(tmp_path, old, new, key):
    real = {"research@example-hospitals.example": "research@anytown.nhs.uk",
            "https://www.example-hospitals.example": "https://www.anytown.nhs.uk",
            "01632 960100": "0121 555 0100"}
    text = EXAMPLE
    for placeholder, value in real.items():
        text = text.replace(placeholder, new if placeholder == old else value)
    text = text.replace("example-hospitals.example", "anytown.nhs.uk")
    text = text.replace("Education Centre, Example General Hospital", "Main building")
    locale = load_locale(write_locale(tmp_path, text))
    keys = [p.key for p in release_problems(locale)]
    assert keys == ([key] if key else [])


def test_release_refuses_the_example_trusts_own_contacts(tmp_path):
    locale = load_locale(write_locale(tmp_path, EXAMPLE))
    keys = {p.key for p in release_problems(locale)}
    assert {"research_office.location", "research_office.phone", "trust.website"} <= keys


def test_release_refuses_the_placeholder_logo_by_its_bytes(tmp_path):
    path = write_locale(tmp_path, EXAMPLE)
    (tmp_path / "test-trust" / "logo.svg").write_bytes(PLACEHOLDER_LOGO.encode())
    assert "brand.logo" in {p.key for p in release_problems(load_locale(path))}


@pytest.mark.parametrize("number, drama", [
    ("01632 960000", True), ("01632 960999", True), ("01632 961000", False),
    ("020 7946 0000", True), ("020 7946 1000", False), ("0121 496 0123", True),
    ("07700 900999", True), ("07700 901000", False), ("0191 498 0001", True),
])
def test_ofcom_drama_numbers(number, drama):
    assert is_drama_number(number) is drama


def test_release_build_refuses_placeholders_but_plain_build_is_allowed(tmp_path, capsys):
    path = write_locale(tmp_path, EXAMPLE)
    assert cli(["check", str(path)]) == 0
    assert cli(["build", str(path), "--release", "--out", str(tmp_path / "out"),
                "--jobs", "1"]) == 1
    assert "research_office.phone: is the example Trust's" in capsys.readouterr().err
