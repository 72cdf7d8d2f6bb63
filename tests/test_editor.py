"""The locale editor page (issue 21 point 1): dist/editor/index.html.

In Chromium: the editor and `trustsite check` give the same verdict, in the same words, on a
table of good and bad values; a new Trust filled in and downloaded passes check and builds;
every example locale opened and downloaded unchanged gives the same data; hostile files get a
one-line message; no request leaves the page; axe finds nothing.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from browser import (DESKTOP, NARROWEST, PHONE, axe_violations, block_other_hosts, format_axe,
                     keyboard_problems, only_files, overflow_problems)
from conftest import ROOT, run_in
from trustsite.build import build_many, write_index
from trustsite.guard import content_problems
from trustsite.editor import (VENDOR_DIR, VENDORED, editor_data, editor_html, field_groups,
                              yaml_bundle)
from trustsite.locale import load_locale, locale_paths, parse_mapping, validate_file
from trustsite.project import Project
from trustsite.scaffold import PLACEHOLDER_LOGO, release_problems

LOGO = (ROOT / "locales" / "example" / "logo.svg").read_bytes()


# -- Without a browser ---------------------------------------------------------------------

@pytest.mark.parametrize("name", VENDORED)
def test_each_vendored_library_is_the_npm_packages_own_file(name):
    package, inside = VENDORED[name]
    folder = ROOT / "node_modules" / package
    if not folder.is_dir():
        pytest.skip("node_modules/ is not installed (make test runs npm ci)")
    pinned = json.loads((ROOT / "package-lock.json").read_text())["packages"][
        f"node_modules/{package}"]["version"]
    assert json.loads((folder / "package.json").read_text())["version"] == pinned
    expected = yaml_bundle(folder).encode() if inside is None else (folder / inside).read_bytes()
    assert (VENDOR_DIR / name).read_bytes() == expected, f"vendor/{name} differs from npm's"


def test_the_index_links_the_editor_written_beside_it(tmp_path):
    write_index(tmp_path, [])
    assert 'href="editor/index.html"' in (tmp_path / "index.html").read_text()
    page = (tmp_path / "editor" / "index.html").read_text()
    assert page == editor_html()
    assert not list((tmp_path / "editor").glob(".*partial"))


def test_the_form_has_every_schema_field_with_trustsite_new_s_help():
    page = editor_html()
    for group in field_groups():
        for field in group["fields"]:
            assert f'name="{field["path"]}"' in page, field["path"]
            assert field["help"].startswith("(required)" if field["required"] else "(optional)")
    names = [f["path"] for g in field_groups() for f in g["fields"]]
    assert "trust.name" in names and "partners[#].name" in names and "brand.logo" in names


def test_the_page_loads_nothing_from_another_host():
    page = editor_html()
    assert "connect-src 'none'" in page  # the page's own policy, besides the check below
    assert content_problems("html", page.encode()) == []
    assert "<script src" not in page and "<link" not in page


# -- In Chromium ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def editor_url(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("editor-dist")
    write_index(out, [])
    return (out / "editor" / "index.html").as_uri()


@pytest.fixture(scope="module")
def session(browser, editor_url):
    """One tab for the module, with every request to another host blocked and recorded."""
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    log = block_other_hosts(context, only_files)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(editor_url)
    yield page, log, errors
    context.close()


@pytest.fixture
def tab(session, editor_url):
    page, log, errors = session
    page.goto(editor_url)
    yield page
    assert not errors, errors
    assert not log.blocked, f"requests to other hosts: {log.blocked}"


def open_file(tab, path: Path) -> str:
    tab.set_input_files("#open-file", str(path))
    message = tab.locator("#open-file-message")
    message.filter(has_text=path.name).wait_for()
    return message.inner_text()


def editor_errors(tab) -> dict[str, list[str]]:
    found = tab.evaluate("() => Object.fromEntries(localeEditor.checkAll().errors)")
    found.pop("slug", None)
    return found


def editor_warnings(tab) -> dict[str, list[str]]:
    return tab.evaluate("() => Object.fromEntries(localeEditor.checkAll().warnings)")


def check_errors(path: Path) -> dict[str, list[str]]:
    _, problems = validate_file(path)
    found: dict[str, list[str]] = {}
    for problem in problems:
        found.setdefault(problem.key, []).append(problem.message)
    return found


def scratch_locale(folder: Path, text: str, slug: str = "anytown") -> Path:
    """locales/<slug>.yml with the example's logo beside it."""
    (folder / slug).mkdir(parents=True, exist_ok=True)
    (folder / slug / "logo.svg").write_bytes(LOGO)
    path = folder / f"{slug}.yml"
    path.write_text(text, encoding="utf-8")
    return path


def example_data() -> dict:
    data, _, problems = parse_mapping((ROOT / "locales" / "example.yml").read_text(), "example")
    assert not problems
    return data


def with_value(path: str, value) -> dict:
    """The example's data with one field set (None: the field taken out)."""
    data = example_data()
    section, key = path.split(".")
    if value is None:
        data[section].pop(key, None)
    else:
        data[section][key] = value
    return data


# (field, what the officer types). Integers are typed as text; the editor writes a whole
# number as a number, as YAML would read it.
TYPED = [
    ("trust.name", "Anytown University Hospitals NHS Foundation Trust"),
    ("trust.name", "Anytown <b>Hospitals</b>"),
    ("trust.name", "A" * 121),
    ("trust.short_name", ""),
    ("trust.short_name", "Anytown {{ page }}"),
    ("trust.website", "https://www.anytown.nhs.uk"),
    ("trust.website", "www.anytown.nhs.uk"),
    ("trust.website", "javascript:alert(1)"),
    ("trust.intranet_home", "mailto:intranet@anytown.nhs.uk"),
    ("brand.primary_colour", "#005EB8"),
    ("brand.primary_colour", "#FFB81C"),
    ("brand.primary_colour", "#41B6E6"),
    ("brand.primary_colour", "005EB8"),
    ("brand.primary_colour", "#12345"),
    ("brand.primary_colour", "red"),
    ("research_office.email", "research@anytown.nhs.uk"),
    ("research_office.email", "research at anytown"),
    ("research_office.email", "research@anytown"),
    ("research_office.phone", "01632 960123 ext. 1234"),
    ("research_office.phone", "call us"),
    ("research_office.phone", "+44 (0)1632 960123"),
    ("research_office.location", ""),
    ("research_office.team_name", ""),
    ("site.last_reviewed", "2026-02-30"),
    ("site.last_reviewed", "2026-13-01"),
    ("site.last_reviewed", "31/03/2026"),
    ("site.last_reviewed", "2024-02-29"),
    ("site.next_review", "2020-01-01"),
    ("site.next_review", "2027-10-01"),
    ("accessibility.response_days", "0"),
    ("accessibility.response_days", "61"),
    ("accessibility.response_days", "ten"),
    ("accessibility.response_days", "1,000"),
    ("accessibility.response_days", "12.5"),
    ("accessibility.response_days", "10"),
    ("research_figures.year", "2025-26"),
    ("research_figures.year", "2025/26"),
    ("research_figures.participants", "-1"),
    ("strategy.summary", "Line one.\nLine two."),
    ("strategy.summary", "See <script>"),
    ("champions.protected_time", "x" * 81),
]


def typed_value(path: str, text: str):
    integer = path.split(".")[1] in {"response_days", "participants", "studies"}
    if text == "":
        return None
    return int(text) if integer and text.strip().lstrip("-").isdigit() else text


@pytest.mark.parametrize("field,text", TYPED)
def test_a_typed_value_gets_check_s_verdict_in_check_s_words(tab, tmp_path, field, text):
    open_file(tab, scratch_locale(tmp_path, (ROOT / "locales" / "example.yml").read_text()))
    box = tab.locator(f'[name="{field}"]')
    box.fill(text)
    box.blur()
    expected = check_errors(scratch_locale(
        tmp_path / "check", yaml.safe_dump(with_value(field, typed_value(field, text)),
                                           sort_keys=False, allow_unicode=True)))
    shown = tab.locator(f"#{box.get_attribute('id')}-error")
    if field in expected:
        assert box.get_attribute("aria-invalid") == "true"
        assert f"{box.get_attribute('id')}-error" in box.get_attribute("aria-describedby").split()
        assert shown.text_content() == "Error: " + " ".join(expected[field])
        summary = tab.locator("#error-summary-list a", has_text=expected[field][0])
        assert summary.get_attribute("href") == f"#{box.get_attribute('id')}"
    else:
        assert box.get_attribute("aria-invalid") is None
        assert shown.is_hidden()
    assert editor_errors(tab) == expected


# Whole files that only an opened file can hold (a line break in a one-line field, a typo in
# a list of allowed values, an unknown field...): every field's messages must be check's.
OPENED = {
    "line break": ("  name: Example Hospitals NHS Foundation Trust",
                   '  name: "Example Hospitals\\nNHS Foundation Trust"'),
    "enum typo": ("  name: West Midlands", "  name: West Midland"),
    "trust type": ("  type: acute", "  type: hospital"),
    "unknown field": ("  short_name: Example Hospitals", "  short_nme: Example Hospitals"),
    "unquoted colour": ('  primary_colour: "#005EB8"', "  primary_colour: #005EB8"),
    "commas": ("  participants: 3150", "  participants: 3,150"),
    "empty required": ("  team_name: Research and Development Office", "  team_name:"),
    "empty optional": ("  phone: 01632 960100", "  phone:"),
    "boolean": ("  owner: Communications team", "  owner: yes"),
    "list section": ("icb:", "partners:\n  - name: Anytown University\n    url: ftp://x\n  - "
                     "description: no name\nicb:"),
    "tab in a value": ("  owner: Communications team", '  owner: "Communications\tteam"'),
    "empty text": ("  owner: Communications team", '  owner: ""'),
    "empty list": ("icb:", "partners: []\nicb:"),
    "too many": ("icb:", "partners:\n" + "  - name: Partner\n" * 13 + "icb:"),
    "targets": ("icb:", "publishing:\n  targets: [site, web, site]\nicb:"),
    "repeated targets": ("icb:", "publishing:\n  targets: [site, pdf, site]\nicb:"),
    "item as text": ("icb:", "stories:\n  - A story\n  -\nicb:"),
    "section as text": ("icb:\n  name: NHS Example County Integrated Care Board",
                        "icb: NHS Example County Integrated Care Board"),
    "text for a section": ("  contact_email: accessibility@example-hospitals.example",
                           "  contact_email: [a, b]"),
}


@pytest.mark.parametrize("case", OPENED)
def test_an_opened_file_gets_check_s_verdicts_field_by_field(tab, tmp_path, case):
    old, new = OPENED[case]
    original = (ROOT / "locales" / "example.yml").read_text()
    assert old in original
    path = scratch_locale(tmp_path, original.replace(old, new, 1))
    expected = check_errors(path)
    assert "Opened" in open_file(tab, path)
    assert editor_errors(tab) == expected
    if not expected:  # valid, with warnings: those agree too
        warnings = {p.key: [p.message] for p in load_locale(path).warnings}
        shown = editor_warnings(tab)
        assert warnings and {key: shown.get(key) for key in warnings} == warnings
    for name, messages in expected.items():
        field = tab.locator(f'[name="{name}"]').first
        if field.count():
            assert field.get_attribute("aria-invalid") == "true"


# Placeholders: `check` warns about marked example values; `build --release` refuses these.
RELEASE = {
    "marked": ("  team_name: Research and Development Office",
               "  team_name: Research and Development Office  # example value: replace"),
    "drama number": ("  phone: 01632 960100", "  phone: 01632 960100"),
    "reserved domain": ("  email: research@example-hospitals.example",
                        "  email: research@anytown.example"),
    "example contact": ("  email: research@example-hospitals.example",
                        "  email: research@example-hospitals.example"),
}


@pytest.mark.parametrize("case", RELEASE)
def test_placeholders_release_refuses_are_shown_in_its_words(tab, tmp_path, case):
    old, new = RELEASE[case]
    path = scratch_locale(tmp_path, (ROOT / "locales" / "example.yml").read_text()
                          .replace(old, new, 1))
    locale = load_locale(path)
    expected: dict[str, list[str]] = {}
    for problem in release_problems(locale):
        expected.setdefault(problem.key, []).append(problem.message)
    open_file(tab, path)
    shown = editor_warnings(tab)
    assert {k: v for k, v in shown.items() if k in expected} == expected
    assert set(shown) >= set(expected)


def fill_new_trust(tab, slug: str) -> None:
    """Every field of a new Trust, each optional section switched on."""
    tab.click("#start-new")
    tab.fill('[name="slug"]', slug)
    for group in field_groups():
        if not group["required"]:
            tab.check(f"#include-{group['key']}")
        for field in group["fields"]:
            name = field["path"].replace("#", "0")
            example = {"trust.name": "Anytown University Hospitals NHS Foundation Trust",
                       "trust.website": "https://www.anytown.nhs.uk",
                       "trust.intranet_home": "https://intranet.anytown.nhs.uk",
                       "research_office.email": "research@anytown.nhs.uk",
                       "research_office.intranet_url": "https://intranet.anytown.nhs.uk/rd",
                       "research_office.phone": "01234 567890",
                       "site.feedback_email": "intranet@anytown.nhs.uk",
                       "site.last_reviewed": "2026-11-30", "site.next_review": "2027-11-30",
                       "accessibility.contact_email": "access@anytown.nhs.uk",
                       "accessibility.contact_phone": "01234 567891",
                       "accessibility.response_days": "10",
                       "champions.contact_email": "champions@anytown.nhs.uk"}.get(name)
            box = tab.locator(f'[name="{name}"]').first
            if field["kind"] == "file":
                box.set_input_files(files=[{"name": "trust-logo.svg", "mimeType": "image/svg+xml",
                                            "buffer": LOGO}])
            elif field["kind"] == "choice":
                box.select_option(field["options"][1])
            elif field["kind"] == "choices":
                box.check()
            elif field["kind"] == "number":
                box.fill("12")
            elif example or field["example"]:
                box.fill(example or field["example"])
            elif field["kind"] == "url":
                box.fill("https://www.anytown.nhs.uk/more")
            elif field["kind"] == "email":
                box.fill("team@anytown.nhs.uk")
            else:
                box.fill(f"Anytown {field['label'].lower()}")


def download(tab) -> zipfile.ZipFile:
    with tab.expect_download() as info:
        tab.get_by_role("button", name="Download").click()
    return zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes()))


def test_a_new_trust_filled_in_and_downloaded_passes_check_and_builds(tab, scratch_project,
                                                                      tmp_path, monkeypatch):
    fill_new_trust(tab, "anytown")
    assert editor_errors(tab) == {}, editor_errors(tab)
    assert tab.locator("[aria-invalid]").count() == 0
    archive = download(tab)
    names = archive.namelist()
    assert {"locales/anytown.yml", "locales/anytown/logo.svg", "locales/anytown/favicon.svg",
            "WHAT-TO-DO-NEXT.txt"} <= set(names)
    archive.extractall(scratch_project)
    checked = run_in(scratch_project, "-m", "trustsite", "check", "anytown")
    assert checked.returncode == 0, checked.stderr
    locale = load_locale(scratch_project / "locales" / "anytown.yml")
    assert locale.data["trust"]["name"] == "Anytown University Hospitals NHS Foundation Trust"
    assert set(locale.data) == set(json.loads((ROOT / "locales" / "schema.json").read_text())
                                   ["properties"])
    monkeypatch.delenv("TRUST", raising=False)
    [result] = build_many([locale], tmp_path / "out", jobs=1, project=Project(scratch_project))
    assert result.ok, result.message


@pytest.mark.parametrize("path", locale_paths(ROOT / "locales"), ids=lambda p: p.stem)
def test_each_example_locale_opened_and_downloaded_unchanged_keeps_its_data(tab, path):
    open_file(tab, path)
    assert editor_errors(tab) == {}
    archive = download(tab)
    text = archive.read(f"locales/{path.stem}.yml").decode()
    data, _, problems = parse_mapping(text, "downloaded")
    original, _, _ = parse_mapping(path.read_text(), "original")
    assert not problems and data == original
    comments = [line.strip() for line in path.read_text().splitlines()
                if line.strip().startswith("#")]
    assert all(comment in text for comment in comments)


def test_an_edit_keeps_the_file_s_comments_and_order(tab, tmp_path):
    original = (ROOT / "locales" / "example.yml").read_text()
    path = scratch_locale(tmp_path, original.replace("  type: acute",
                                                     "  # kept comment\n  type: acute"))
    open_file(tab, path)
    tab.fill('[name="trust.short_name"]', "Example General")
    text = tab.evaluate("() => localeEditor.yamlText()")
    assert "  # kept comment\n  type: acute" in text
    assert "short_name: Example General" in text
    keys = [line.split(":")[0] for line in text.splitlines() if line and line[0].isalpha()]
    assert keys == [line.split(":")[0] for line in original.splitlines()
                    if line and line[0].isalpha()]


HOSTILE = {
    "binary.yml": bytes(range(256)) * 4,
    "huge.yml": b"trust:\n  name: " + b"x" * (300 * 1024),
    "tag.yml": b"trust: !!python/object/apply:os.system ['true']\n",
    "anchor.yml": b"trust: &t\n  name: X\nbrand: *t\n",
    "bomb.yml": b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
                b"c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
    "list.yml": b"- trust\n- brand\n",
    "broken.yml": b"trust:\n  name: [unclosed\n",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_file_gets_one_line_and_keeps_what_was_typed(tab, tmp_path, name):
    tab.click("#start-new")
    tab.fill('[name="trust.name"]', "Typed <b>before</b>")
    path = tmp_path / name
    path.write_bytes(HOSTILE[name])
    message = open_file(tab, path)
    assert "\n" not in message and "was not opened" in message or "limit" in message \
        or "UTF-8" in message, message
    assert tab.locator('[name="trust.name"]').input_value() == "Typed <b>before</b>"
    assert tab.locator("b").count() == 0  # nothing typed became markup


def test_a_logo_that_is_not_an_image_is_refused_in_one_line(tab):
    tab.click("#start-new")
    tab.fill('[name="trust.name"]', "Kept")
    tab.set_input_files('[name="brand.logo"]', files=[
        {"name": "logo.png", "mimeType": "image/png", "buffer": b"MZ\x90\x00 not an image"}])
    status = tab.locator("#f-brand-logo-file")
    status.filter(has_text="not an SVG or PNG").wait_for()
    assert "\n" not in status.inner_text()
    assert tab.locator('[name="trust.name"]').input_value() == "Kept"


def test_an_unsafe_svg_logo_gets_check_s_words(tab, tmp_path):
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>'
           b'<image href="https://tracker.invalid/x.png"/></svg>')
    path = scratch_locale(tmp_path, (ROOT / "locales" / "example.yml").read_text())
    (tmp_path / "anytown" / "logo.svg").write_bytes(svg)
    expected = check_errors(path)["brand.logo"]
    open_file(tab, path)
    tab.set_input_files('[name="brand.logo"]', files=[
        {"name": "logo.svg", "mimeType": "image/svg+xml", "buffer": svg}])
    tab.locator("#f-brand-logo-error").filter(has_text="not safe").wait_for()
    assert editor_errors(tab)["brand.logo"] == expected


def test_propose_on_github_opens_the_web_editor_with_the_file(tab):
    open_file(tab, ROOT / "locales" / "example.yml")
    tab.fill("#repository", "anytown-nhs/trustsite")
    href = tab.locator("#propose").get_attribute("href")
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "github.com",
                                                        "/anytown-nhs/trustsite/new/main")
    query = parse_qs(parts.query)
    assert query["filename"] == ["locales/example.yml"]
    assert query["value"] == [tab.evaluate("() => localeEditor.yamlText()")]


@pytest.mark.parametrize("slug", ["Anytown", "anytown--hospitals", "anytown hospitals"])
def test_a_bad_slug_gets_check_s_words(tab, tmp_path, slug):
    tab.fill('[name="slug"]', slug)
    expected = check_errors(scratch_locale(tmp_path, (ROOT / "locales" / "example.yml")
                                           .read_text(), slug=slug))["(file name)"]
    shown = tab.locator("#f-slug-error").text_content()
    assert tab.locator('[name="slug"]').get_attribute("aria-invalid") == "true"
    assert expected == [shown.removeprefix("Error: ") + " Rename the file (its name is the slug)."]


def test_the_interface_other_checks_rely_on(tab):
    assert tab.locator('input[type="file"][accept=".yml"]').count() == 1
    assert "Download" in tab.get_by_role("button", name="Download").inner_text()
    for name in ("trust.name", "research_office.email", "brand.primary_colour"):
        assert tab.locator(f'[name="{name}"]').count() == 1


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_axe_violation_keyboard_or_reflow_problem_with_errors_shown(browser, editor_url,
                                                                        viewport):
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.goto(editor_url)
        assert format_axe(axe_violations(page)) == []
        page.get_by_role("button", name="Download").click()
        assert page.locator("#error-summary").is_visible()
        assert page.evaluate("() => document.activeElement.id") == "error-summary"
        assert format_axe(axe_violations(page)) == []
        # An opened file with a colour too light for white text, shown in the preview.
        page.set_input_files("#open-file", str(ROOT / "locales" / "example.yml"))
        page.fill('[name="brand.primary_colour"]', "#41B6E6")
        assert page.locator("#f-brand-primary-colour-error").is_visible()
        assert format_axe(axe_violations(page)) == []
        assert keyboard_problems(page) == []
        page.set_viewport_size(NARROWEST)
        assert overflow_problems(page) == []
    finally:
        context.close()


def test_a_section_switched_on_is_quiet_until_touched_or_download(tab):
    open_file(tab, ROOT / "locales" / "example.yml")
    tab.check("#include-partners")
    name = tab.locator('[name="partners[0].name"]')
    assert name.get_attribute("aria-invalid") is None
    assert "partners[0].name" in editor_errors(tab)
    tab.get_by_role("button", name="Download").click()
    assert name.get_attribute("aria-invalid") == "true"


def test_the_error_summary_link_moves_focus_to_the_field(tab):
    tab.click("#start-new")
    tab.get_by_role("button", name="Download").click()
    tab.locator("#error-summary-list a", has_text="trust.name").click()
    assert tab.evaluate("() => document.activeElement.name") == "trust.name"


def test_the_page_is_valid_html(tmp_path):
    from checks import html_errors, run_vnu

    write_index(tmp_path, [])
    assert html_errors(run_vnu([tmp_path / "editor" / "index.html"]), tmp_path) == []


def test_the_repository_setting_is_baked_in_only_when_it_is_a_repository_name():
    assert editor_data("anytown-nhs/trustsite")["repository"] == "anytown-nhs/trustsite"
    for bad in ("", "anytown-nhs", "https://evil.invalid/x", "a/b/c", "a/<b>"):
        assert editor_data(bad)["repository"] == ""


def test_served_from_github_pages_it_proposes_to_that_repository(browser, editor_url):
    """At <owner>.github.io/<repo>/editor/ the page knows its repository (served here by a
    route: no request leaves the machine)."""
    page_text = Path(urlsplit(editor_url).path).read_bytes()
    context = browser.new_context()
    try:
        context.route("**/*", lambda route: route.fulfill(body=page_text,
                                                          content_type="text/html")
                      if route.request.url.startswith("https://anytown-nhs.github.io/")
                      else route.abort())
        page = context.new_page()
        page.goto("https://anytown-nhs.github.io/trustsite/editor/index.html")
        page.set_input_files("#open-file", str(ROOT / "locales" / "example.yml"))
        page.locator("#open-file-message").filter(has_text="Opened").wait_for()
        href = page.locator("#propose").get_attribute("href")
        assert href.startswith("https://github.com/anytown-nhs/trustsite/new/main?")
    finally:
        context.close()


def test_a_file_dropped_on_the_box_is_opened(tab):
    text = (ROOT / "locales" / "northmoor-community.yml").read_text()
    tab.evaluate("""(text) => {
        const data = new DataTransfer();
        data.items.add(new File([text], 'northmoor-community.yml', {type: 'application/yaml'}));
        document.getElementById('drop-zone').dispatchEvent(
            new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));
    }""", text)
    tab.locator("#open-file-message").filter(has_text="Opened").wait_for()
    assert tab.locator('[name="slug"]').input_value() == "northmoor-community"
    assert tab.locator('[name="trust.type"]').input_value() == yaml.safe_load(text)["trust"]["type"]


def test_a_png_logo_shows_its_format_size_and_dimensions_and_the_preview(tab):
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 40, 12, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"\x00" + b"\x00\x5e\xb8" * 40) * 1)
           + chunk(b"IEND", b""))
    tab.click("#start-new")
    tab.fill('[name="trust.name"]', "Anytown NHS Trust")
    tab.set_input_files('[name="brand.logo"]', files=[
        {"name": "Our logo.png", "mimeType": "image/png", "buffer": png}])
    status = tab.locator("#f-brand-logo-file")
    status.filter(has_text="40 by 12 pixels").wait_for()
    assert "PNG" in status.inner_text() and "locales/<slug>/logo.png" in status.inner_text()
    for width in ("phone", "desktop"):
        header = tab.locator(f"#preview-{width} .preview__header")
        assert header.locator("img").count() == 1
        assert header.inner_text() == "Anytown NHS Trust"


def test_the_placeholder_logo_is_flagged_as_release_flags_it(tab, tmp_path):
    path = scratch_locale(tmp_path, (ROOT / "locales" / "example.yml").read_text())
    (tmp_path / "anytown" / "logo.svg").write_text(PLACEHOLDER_LOGO, encoding="utf-8")
    expected = [p.message for p in release_problems(load_locale(path)) if p.key == "brand.logo"]
    open_file(tab, path)
    tab.set_input_files('[name="brand.logo"]', files=[
        {"name": "logo.svg", "mimeType": "image/svg+xml", "buffer": PLACEHOLDER_LOGO.encode()}])
    tab.locator("#f-brand-logo-warning").filter(has_text="placeholder").wait_for()
    assert expected and editor_warnings(tab)["brand.logo"] == expected


def test_copy_gives_the_locale_file_or_selects_it(browser, editor_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(editor_url)
        open_file(page, ROOT / "locales" / "example.yml")
        text = page.evaluate("() => localeEditor.yamlText()")
        page.click("#copy")
        page.locator("#copy-message").filter(has_text="Copied").wait_for()
        assert page.evaluate("() => navigator.clipboard.readText()") == text
        # Where the clipboard is refused, the text is selected for Ctrl+C instead.
        page.evaluate("() => { navigator.clipboard.writeText = () => Promise.reject(new Error('no')); }")
        page.click("#copy")
        page.locator("#copy-message").filter(has_text="selected").wait_for()
        assert page.evaluate("() => { const t = document.activeElement; "
                             "return t.id === 'yaml-text' && "
                             "t.value.slice(t.selectionStart, t.selectionEnd); }") == text
    finally:
        context.close()
