"""Issue 14: the SharePoint pack, the paste-ready pages and the web-server kit, for every
example Trust, built once per module as `trustsite build --sharepoint --fragments` does."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import threading
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree
from lxml import html as lxml_html

from conftest import EXAMPLE_TRUSTS
from trustsite.build import build_many, wanted_targets, write_index
from trustsite.intranet.clean_html import ALLOWED, clean_article, disallowed
from trustsite.intranet.fragments import at_page_address, write_fragments
from trustsite.intranet.hosting import security_headers
from trustsite.intranet.pack import page_name, replaced_atomically
from trustsite.built_page import page_content, read_navigation, resolve_link
from trustsite.intranet.sharepoint import (ASSET_FOLDER, FILES_DIR, MENU_FILE, PNP,
                                           TABLE_CLASS, TABLE_WRAPPER, schema_errors)
from trustsite.locale import load_locale
from trustsite.project import INSTALLED

NS = {"pnp": PNP}


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    results = build_many([load_locale(slug) for slug in EXAMPLE_TRUSTS], out, jobs=2,
                         targets=["sharepoint", "pages"])
    assert [r.message for r in results if not r.ok] == []
    return out


def _template(packs: Path, slug: str) -> etree._ElementTree:
    return etree.parse(str(packs / f"{slug}-sharepoint" / "template.xml"))


@pytest.mark.parametrize(("path", "name"), [
    ("index.html", "home"),
    ("glossary.html", "glossary"),
    ("champions/index.html", "champions"),
    ("champions/self-assessment.html", "champions-self-assessment"),
    ("your-role/patient-care.html", "your-role-patient-care"),
])
def test_each_page_has_its_name_in_the_packs(path: str, name: str) -> None:
    assert page_name(path) == name


def test_two_pages_that_would_share_a_name_are_refused(tmp_path: Path) -> None:
    from trustsite.intranet.pack import unique_page_names

    assert unique_page_names(["index.html", "a/b.html", "a/index.html"], tmp_path) == \
        ["home", "a-b", "a"]
    with pytest.raises(ValueError, match=r"a/b\.html and a-b\.html would both be called 'a-b'"):
        unique_page_names(["a/b.html", "a-b.html"], tmp_path)


def _web_parts(packs: Path, slug: str) -> dict[str, str]:
    """PageName -> the HTML of its Text web part."""
    found = {}
    for page in _template(packs, slug).iterfind(".//pnp:ClientSidePage", NS):
        [text] = page.iterfind(".//pnp:CanvasControl[@WebPartType='Text']"
                               "//pnp:CanvasControlProperty[@Key='Text']", NS)
        found[page.get("PageName")] = text.get("Value")
    return found


def _pack_files(packs: Path, slug: str) -> dict[str, str]:
    """SharePoint address ({site}/Folder/Name) -> the file's Src in the pack."""
    return {f"{{site}}/{f.get('Folder')}/{f.get('TargetFileName')}": f.get("Src")
            for f in _template(packs, slug).iterfind(".//pnp:File", NS)}


def _site_images(site: Path) -> set[str]:
    """Every image the site's pages show in their content, plus the Trust's logo."""
    pages, _ = read_navigation(site)
    found = {p.relative_to(site).as_posix() for p in (site / "assets" / "trust").glob("logo.*")}
    for page in pages:
        for img in page_content(site, page).iter("img"):
            target = resolve_link(img.get("src", ""), page.path)
            if target:
                found.add(target)
    return found


# -- SharePoint pack -------------------------------------------------------------------------

@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_sharepoint_template_validates_against_the_pnp_schema(packs: Path, slug: str) -> None:
    assert schema_errors(packs / f"{slug}-sharepoint" / "template.xml") == []


def test_schema_check_fails_on_a_broken_template(packs: Path, tmp_path: Path) -> None:
    broken = tmp_path / "template.xml"
    text = (packs / "example-sharepoint" / "template.xml").read_text(encoding="utf-8")
    broken.write_text(text.replace('WebPartType="Text"', 'WebPartType="Nonsense"', 1),
                      encoding="utf-8")
    assert schema_errors(broken)


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_sharepoint_pack_holds_every_page_and_image(packs: Path, slug: str) -> None:
    site = packs / slug
    built = {p.relative_to(site).as_posix() for p in site.rglob("*.html")
             if not p.relative_to(site).as_posix().startswith(("search/", "404"))}
    pages, _ = read_navigation(site)
    assert built == {page.path for page in pages}, "a built page is missing from the navigation"
    web_parts = _web_parts(packs, slug)
    assert len(web_parts) == len(pages), "two pages share a name in the pack"
    assert set(web_parts) == {f"bpc-{page_name(page.path)}" for page in pages}
    files = _pack_files(packs, slug)
    for image in _site_images(site):
        address = f"{{site}}/{ASSET_FOLDER}/{image}"
        assert address in files, f"{image} is not in the pack"
        assert (packs / f"{slug}-sharepoint" / files[address]).read_bytes() == \
            (site / image).read_bytes()


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_sharepoint_links_resolve_inside_the_pack(packs: Path, slug: str) -> None:
    pack = packs / f"{slug}-sharepoint"
    web_parts = _web_parts(packs, slug)
    files = _pack_files(packs, slug)
    page_addresses = {f"{{site}}/SitePages/{name}.aspx" for name in web_parts}
    for src in files.values():
        assert (pack / src).is_file(), src
    problems = []
    for name, html in web_parts.items():
        root = lxml_html.fragment_fromstring(html, create_parent="div")
        for link in root.iter("a"):
            href = link.get("href")
            if urlsplit(href).scheme in ("http", "https", "mailto", "tel"):
                continue
            if href not in page_addresses and href not in files:
                problems.append(f"{name}: {href}")
    menu = json.loads((pack / MENU_FILE).read_text(encoding="utf-8"))

    def urls(entry: dict) -> list[str]:
        own = [] if entry["external"] else [f"{{site}}/{entry['url']}"]
        return own + [url for child in entry["children"] for url in urls(child)]
    nav_urls = urls(menu)
    problems += [f"navigation: {url}" for url in nav_urls if url not in page_addresses]
    assert problems == []
    assert set(nav_urls) == page_addresses, "every page is in the navigation"


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_sharepoint_web_parts_hold_only_allowed_html(packs: Path, slug: str) -> None:
    start, end = TABLE_WRAPPER
    for name, html in _web_parts(packs, slug).items():
        html = html.replace(start, "").replace(end, "").replace(
            f'<table class="{TABLE_CLASS}" title="Table">', "<table>")
        assert disallowed(html) == [], name
        root = lxml_html.fragment_fromstring(html, create_parent="div")
        assert not list(root.iter("img")), f"{name}: the text web part drops images"


def test_self_assessment_is_a_printable_checklist_with_a_word_version(packs: Path) -> None:
    html = _web_parts(packs, "example")["bpc-champions-self-assessment"]
    assert "☐ " in html and "<input" not in html and "<form" not in html
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    words = [a.get("href") for a in root.iter("a") if a.get("href").endswith(".docx")]
    assert words and words[0] in _pack_files(packs, "example")


def test_sharepoint_readme_walks_the_admin_through(packs: Path) -> None:
    readme = (packs / "example-sharepoint" / "README.md").read_text(encoding="utf-8")
    for step in ("Install-Module PnP.PowerShell", "Connect-PnPOnline",
                 "Invoke-PnPSiteTemplate -Path template.xml", "AllSites.FullControl",
                 "./apply-guide.ps1",
                 "site owner", "bpc-"):
        assert step in readme


# -- The cleaner -----------------------------------------------------------------------------

def _clean(body: str, images: bool = True) -> str:
    article = lxml_html.fragment_fromstring(body, create_parent="article")
    return clean_article(article, lambda href: href, lambda src: src, images=images)


def test_cleaner_removes_script_classes_styles_and_ids() -> None:
    html = _clean('<h2 id="x" class="c" style="color:red" onclick="alert(1)">Title'
                  '<a class="headerlink" href="#x">¶</a></h2><script>alert(2)</script>'
                  '<p>Text<iframe src="https://example.com"></iframe></p>'
                  '<div class="admonition note"><p class="admonition-title">Note</p>'
                  '<p>Body</p></div>')
    assert disallowed(html) == []
    for bad in ("script", "alert", "class=", "style=", "id=", "onclick", "iframe"):
        assert bad not in html
    assert "<p><strong>Note</strong></p><p>Body</p>" in html and "blockquote" not in html


def test_disallowed_finds_what_the_allow_list_forbids() -> None:
    assert disallowed('<p class="x">a</p><script>b</script><th>c</th>') == \
        ["<p class>", "<script>"]
    assert "script" not in ALLOWED


def test_cleaner_turns_task_lists_and_details_into_plain_html() -> None:
    html = _clean('<h2>A</h2><ul class="task-list"><li><input type="checkbox" disabled> Do'
                  '</li></ul><details><summary>More</summary><p>Hidden</p></details>'
                  '<h6>Deep</h6><p><abbr title="National Health Service">NHS</abbr></p>')
    assert "<li>☐  Do</li>" in html
    assert "<h3>More</h3>" in html and "<h4>Deep</h4>" in html and "<p>NHS</p>" in html


def test_cleaner_keeps_alt_text_and_table_headers() -> None:
    html = _clean('<table><thead><tr><th>Col</th></tr></thead><tbody><tr><td>1</td></tr>'
                  '</tbody></table><p><img src="a.png" alt="A chart" class="x"></p>')
    assert '<th scope="col">Col</th>' in html and '<img src="a.png" alt="A chart">' in html
    as_link = _clean('<p><img src="a.png" alt="A chart"></p>', images=False)
    assert '<a href="a.png">Image: A chart</a>' in as_link


# -- Paste-ready pages -----------------------------------------------------------------------

@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_fragments_are_allowed_html_in_navigation_order(packs: Path, slug: str) -> None:
    kit = packs / f"{slug}-pages"
    listing = json.loads((kit / "pages.json").read_text(encoding="utf-8"))["pages"]
    pages, _ = read_navigation(packs / slug)
    assert [entry["site_path"] for entry in listing] == [page.path for page in pages]
    for entry in listing:
        data = (kit / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert entry["last_change"], entry["file"]
        fragment = data.decode("utf-8")
        assert disallowed(fragment) == [], entry["file"]
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
        for img in root.iter("img"):
            assert img.get("alt") is not None and (kit / img.get("src")).is_file()
        for link in root.iter("a"):
            href = link.get("href")
            if not urlsplit(href).scheme:
                assert (kit / href).is_file(), f"{entry['file']}: {href}"


def test_page_address_turns_links_into_the_trusts_addresses(packs: Path, tmp_path: Path) -> None:
    pattern = "https://intranet.example.nhs.uk/research/{page}"
    kit = write_fragments(packs / "example", tmp_path / "example-pages", "Example",
                          INSTALLED.root / "locales" / "example.yml", INSTALLED.root, pattern)
    home = (kit / "home.html").read_text(encoding="utf-8")
    assert 'href="https://intranet.example.nhs.uk/research/glossary"' in home
    assert 'href="glossary.html"' not in home


# Spacing is the host intranet's part (its stylesheet), not the fragment's: the wrapper gives
# the line height and list spacing any intranet theme has, so WCAG 2.5.8 target size applies
# to the fragment's structure, not to the browser's bare default styles.
HOST_STYLE = "body { line-height: 1.5; } li, td { padding: 0.25rem 0; }"


def _fragment_page(title: str, fragment: str) -> str:
    return (f'<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>{title}'
            f'</title><style>{HOST_STYLE}</style></head><body><main><h1>{title}</h1>'
            f'{fragment}</main></body></html>')


def test_axe_finds_no_violation_in_any_fragment(packs: Path, browser) -> None:
    import browser as checks

    seen: set[str] = set()
    problems = []
    with checks.new_tab(browser, checks.DESKTOP) as page:
        for slug in EXAMPLE_TRUSTS:
            kit = packs / f"{slug}-pages"
            for entry in json.loads((kit / "pages.json").read_text())["pages"]:
                if entry["sha256"] in seen:
                    continue
                seen.add(entry["sha256"])
                page.set_content(_fragment_page(
                    entry["title"], (kit / entry["file"]).read_text(encoding="utf-8")))
                problems += [f"{slug}/{entry['file']}: {line}"
                             for line in checks.format_axe(checks.axe_violations(page))]
    assert problems == [], "\n".join(problems)


def _read_clipboard_html(page) -> str:
    """The text/html on the clipboard as written (Chromium wraps it in <html><body>; an
    unsanitized read keeps relative links as they are, which a sanitized read resolves)."""
    found = page.evaluate("""async () => {
        for (const item of await navigator.clipboard.read({unsanitized: ["text/html"]})) {
            if (item.types.includes("text/html")) {
                return await (await item.getType("text/html")).text();
            }
        }
        return "";
    }""")
    return found.removeprefix("<html><head></head><body>").removesuffix("</body></html>")


def _kit_tab(browser, kit: Path):
    """A tab on the kit's index.html from file, allowed to use the clipboard."""
    import browser as checks

    context = browser.new_context()
    log = checks.block_other_hosts(context, checks.only_files)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto((kit / "index.html").as_uri())
    return context, page, log, errors


def test_copy_gives_formatted_html_that_keeps_headings_lists_tables_and_links(
        packs: Path, browser) -> None:
    kit = packs / "example-pages"
    listing = json.loads((kit / "pages.json").read_text())["pages"]
    # A page with every kind of formatting a rich editor must keep.
    target = next(entry for entry in listing if all(
        f"<{tag}" in (kit / entry["file"]).read_text(encoding="utf-8")
        for tag in ("h2", "ul", "table", "a")))
    context, page, log, errors = _kit_tab(browser, kit)
    try:
        page.locator(f"section[data-page='{target['name']}'] button[data-copy=page]").click()
        page.wait_for_function("() => /Copied/.test(document.getElementById("
                               "'copy-status').textContent)")
        copied = lxml_html.fragment_fromstring(_read_clipboard_html(page), create_parent="div")
        for tag in ("h2", "li", "table", "th", "a"):
            assert copied.xpath(f".//{tag}"), f"no <{tag}> in the copied HTML"
        assert copied.xpath(".//a[@href]") and copied.xpath(".//table//td")
        text = page.evaluate("() => navigator.clipboard.readText()")
        assert text.strip() and "<" not in text  # the plain text beside it has no tags
        assert log.blocked == [] and errors == []
    finally:
        context.close()


def test_copy_falls_back_to_a_clipboard_item_where_execcommand_is_refused(
        packs: Path, browser) -> None:
    kit = packs / "example-pages"
    context, page, log, errors = _kit_tab(browser, kit)
    try:
        page.evaluate("() => { document.execCommand = () => false; }")
        page.locator("section[data-page='home'] button[data-copy=page]").click()
        page.wait_for_function("() => /Copied/.test(document.getElementById("
                               "'copy-status').textContent)")
        copied = lxml_html.fragment_fromstring(_read_clipboard_html(page), create_parent="div")
        for tag in ("h2", "li", "table", "a"):
            assert copied.xpath(f".//{tag}"), f"no <{tag}> in the copied HTML"
        assert page.evaluate("() => navigator.clipboard.readText()").strip()
        assert errors == []
    finally:
        context.close()


def test_copy_points_links_between_pages_where_the_pages_will_live(packs: Path,
                                                                   browser) -> None:
    kit = packs / "example-pages"
    home = (kit / "home.html").read_text(encoding="utf-8")
    assert 'href="glossary.html"' in home  # example sets no page_address
    context, page, log, errors = _kit_tab(browser, kit)
    try:
        assert page.get_by_label("Where will these pages live?").input_value() == ""
        page.get_by_label("Where will these pages live?").fill(
            "https://intranet.example.nhs.uk/sites/research/SitePages/{page}.aspx")
        page.locator("section[data-page='home'] button[data-copy=page]").click()
        page.wait_for_function("() => /Copied/.test(document.getElementById("
                               "'copy-status').textContent)")
        hrefs = lxml_html.fragment_fromstring(_read_clipboard_html(page),
                                              create_parent="div").xpath(".//a/@href")
        assert "https://intranet.example.nhs.uk/sites/research/SitePages/glossary.aspx" in hrefs
        assert not [href for href in hrefs if href.endswith(".html")]
        page.locator("section[data-page='home'] button[data-copy=html]").click()
        page.wait_for_function("() => /HTML source/.test(document.getElementById("
                               "'copy-status').textContent)")
        source = page.evaluate("() => navigator.clipboard.readText()")
        names = {entry["name"] for entry in json.loads((kit / "pages.json").read_text())["pages"]}
        assert source == at_page_address(  # the same rule as the files'
            home, names, "https://intranet.example.nhs.uk/sites/research/SitePages/{page}.aspx")
        assert log.blocked == [] and errors == []
    finally:
        context.close()


def test_copy_field_starts_with_the_locales_page_address(packs: Path, tmp_path: Path,
                                                         browser) -> None:
    pattern = "https://intranet.example.nhs.uk/research/{page}"
    kit = write_fragments(packs / "example", tmp_path / "example-pages", "Example",
                          INSTALLED.root / "locales" / "example.yml", INSTALLED.root, pattern)
    context, page, log, errors = _kit_tab(browser, kit)
    try:
        assert page.get_by_label("Where will these pages live?").input_value() == pattern
        page.locator("section[data-page='home'] button[data-copy=html]").click()
        page.wait_for_function("() => /Copied/.test(document.getElementById("
                               "'copy-status').textContent)")
        assert page.evaluate("() => navigator.clipboard.readText()") == \
            (kit / "home.html").read_text(encoding="utf-8")
        assert errors == []
    finally:
        context.close()


def test_copy_buttons_work_from_file_by_keyboard(packs: Path, browser) -> None:
    kit = packs / "example-pages"
    first = json.loads((kit / "pages.json").read_text())["pages"][0]
    expected_html = (kit / first["file"]).read_text(encoding="utf-8")
    context, page, log, errors = _kit_tab(browser, kit)
    try:
        titles = page.locator("section > h2").all_text_contents()
        assert titles[0] == first["title"] and len(titles) == len(
            json.loads((kit / "pages.json").read_text())["pages"])
        # Reach the first "Copy" button with Tab alone, then press Enter.
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.dataset.copy") == "page":
                break
        else:
            pytest.fail("Copy is not reachable with the keyboard")
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.getElementById('copy-status').textContent")
        assert f"Copied '{first['title']}'" in page.locator("#copy-status").text_content()
        assert _read_clipboard_html(page) == expected_html
        text = page.evaluate("() => navigator.clipboard.readText()")
        assert text.strip() and "<p>" not in text
        assert page.locator("section .preview").first.inner_text() == text
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_function("() => /HTML source/.test(document.getElementById("
                               "'copy-status').textContent)")
        assert page.evaluate("() => navigator.clipboard.readText()") == expected_html
        assert log.blocked == [] and errors == []
    finally:
        context.close()


def test_copy_works_without_the_clipboard_api(packs: Path, browser) -> None:
    import browser as checks

    kit = packs / "example-pages"
    first = json.loads((kit / "pages.json").read_text())["pages"][0]
    with checks.new_tab(browser, checks.DESKTOP) as page:
        page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined});"
                             "window.copied = {};"
                             "window.addEventListener('copy', e => {"
                             " for (const type of e.clipboardData.types)"
                             "  window.copied[type] = e.clipboardData.getData(type); });")
        page.goto((kit / "index.html").as_uri())
        page.locator("button[data-copy=page]").first.click()
        page.wait_for_function("() => window.copied['text/html'] !== undefined")
        copied = page.evaluate("() => window.copied")
        assert copied["text/html"] == (kit / first["file"]).read_text(encoding="utf-8")
        assert copied["text/plain"].strip() and "<p>" not in copied["text/plain"]


# -- Web-server kit --------------------------------------------------------------------------

def test_zip_holds_the_hosting_kit_apart_from_the_site(packs: Path) -> None:
    policy = security_headers(packs / "example")["Content-Security-Policy"]
    with zipfile.ZipFile(packs / "example.zip") as archive:
        names = archive.namelist()
        kit = {name.removeprefix("example/server-kit/"): archive.read(name) for name in names
               if name.startswith("example/server-kit/")}
        upload = [name for name in names if name.startswith("example/site/")]
    # Two folders only: the site to upload, and the kit that must not be published with it.
    assert len(kit) + len(upload) == len(names)
    assert set(kit) == {"HOSTING.md", "nginx.conf", "apache.htaccess", "web.config"}
    assert "example/site/index.html" in upload
    assert not any(name.rsplit("/", 1)[-1] in kit for name in upload)
    for name in ("nginx.conf", "apache.htaccess"):
        assert policy in kit[name].decode("utf-8")
    web_config = etree.fromstring(kit["web.config"])
    assert policy in [add.get("value") for add in web_config.iter("add")]
    hosting = kit["HOSTING.md"].decode("utf-8")
    assert "frame-ancestors" in hosting and "`example/site/`" in hosting \
        and "example.server-kit" in hosting


def test_hosting_kit_is_readable_beside_the_zip(packs: Path) -> None:
    beside = packs / "example.server-kit"
    with zipfile.ZipFile(packs / "example.zip") as archive:
        zipped = {name.removeprefix("example/server-kit/"): archive.read(name)
                  for name in archive.namelist() if name.startswith("example/server-kit/")}
    assert {p.name: p.read_bytes() for p in beside.iterdir()} == zipped
    index = lxml_html.fromstring((packs / "index.html").read_bytes())
    assert "example.server-kit/HOSTING.md" in index.xpath("//a/@href")


def test_readme_hosting_steps_upload_only_the_site_folder() -> None:
    readme = " ".join((INSTALLED.root / "README.md").read_text(encoding="utf-8").split())
    assert "Upload the zip's contents" not in readme
    assert "Upload only `<your-slug>/site/`" in readme
    assert "dist/<your-slug>.server-kit/" in readme


class _HeadersHandler(http.server.SimpleHTTPRequestHandler):
    headers_to_send: dict[str, str] = {}

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass

    def end_headers(self) -> None:
        for name, value in self.headers_to_send.items():
            self.send_header(name, value)
        super().end_headers()


VIOLATIONS_JS = """document.addEventListener('securitypolicyviolation', e => {
  (window.__violations = window.__violations || []).push(e.violatedDirective + ' ' + e.blockedURI);
});"""


def _serve_with_headers(site: Path, headers: dict[str, str]):
    handler = type("Handler", (_HeadersHandler,), {"headers_to_send": headers})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _csp_violations(browser, site: Path, headers: dict[str, str]) -> list[str]:
    import browser as checks

    server = _serve_with_headers(site, headers)
    found: list[str] = []
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        with checks.new_tab(browser, checks.DESKTOP) as page:
            page.add_init_script(VIOLATIONS_JS)
            page.on("console", lambda m: found.append(m.text)
                    if "Content Security Policy" in m.text else None)
            for path in ("index.html", "glossary.html", "champions/self-assessment.html",
                         "about/references.html"):
                checks.open_page(page, base + path)
                found += page.evaluate("() => window.__violations || []")
            word, _ = checks.unique_word(site)
            results = checks.search(page, word)
            found += page.evaluate("() => window.__violations || []")
            if not results:
                found.append(f"search for {word!r} found nothing under the policy")
    finally:
        server.shutdown()
        server.server_close()
    return found


def test_site_passes_its_own_content_security_policy(packs: Path, browser) -> None:
    site = packs / "example"
    assert _csp_violations(browser, site, security_headers(site)) == []


def test_csp_test_sees_a_violation_when_the_hashes_are_missing(packs: Path, browser) -> None:
    site = packs / "example"
    headers = security_headers(site)
    policy = headers["Content-Security-Policy"]
    script_src = next(part for part in policy.split("; ") if part.startswith("script-src"))
    headers["Content-Security-Policy"] = policy.replace(script_src, "script-src 'self'")
    assert _csp_violations(browser, site, headers)


# -- Choosing, the index page and safe writing ----------------------------------------------

def test_locale_targets_and_flags_decide_the_packs() -> None:
    locale = load_locale("example")
    assert wanted_targets(locale) == {"site"}
    assert wanted_targets(locale, ["pages"]) == {"site", "pages"}
    locale.data["publishing"] = {"targets": ["sharepoint"]}
    assert wanted_targets(locale) == {"site", "sharepoint"}


def test_publishing_targets_must_be_known(tmp_path: Path) -> None:
    from trustsite.locale import validate_file

    text = (INSTALLED.root / "locales" / "example.yml").read_text(encoding="utf-8")
    bad = tmp_path / "example.yml"
    bad.write_text(text + "\npublishing:\n  targets: [website]\n"
                   "intranet:\n  page_address: https://intranet.example.nhs.uk/x\n",
                   encoding="utf-8")
    (tmp_path / "example").symlink_to(INSTALLED.root / "locales" / "example")
    _, problems = validate_file(bad)
    keys = {problem.key for problem in problems}
    assert any("publishing.targets" in key for key in keys), problems
    assert any("intranet.page_address" in key for key in keys), problems


def test_dist_index_links_each_trusts_packs(packs: Path) -> None:
    index = write_index(packs, []).read_text(encoding="utf-8")
    for slug in EXAMPLE_TRUSTS:
        assert f'href="{slug}-sharepoint/README.md"' in index
        assert f'href="{slug}-pages/index.html"' in index


def test_a_failed_pack_leaves_the_previous_one(tmp_path: Path) -> None:
    target = tmp_path / "example-pages"
    target.mkdir()
    (target / "old.html").write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with replaced_atomically(target) as scratch:
            (scratch / "new.html").write_text("half", encoding="utf-8")
            raise RuntimeError("failed half-way")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example-pages"]
    assert [p.name for p in target.iterdir()] == ["old.html"]


def test_build_flags_ask_for_the_packs(monkeypatch, tmp_path: Path) -> None:
    from trustsite import cli

    asked = {}

    def fake_build_many(locales, out_dir, **options):
        asked.update(options)
        return []
    monkeypatch.setattr(cli, "build_many", fake_build_many)
    cli.main(["build", "example", "--sharepoint", "--fragments", "--out", str(tmp_path)])
    assert sorted(asked["targets"]) == ["pages", "sharepoint"]


def test_a_failing_pack_fails_its_trust(monkeypatch, tmp_path: Path) -> None:
    import trustsite.intranet.sharepoint as sharepoint

    def broken(site, out, trust_name, site_kind):
        with replaced_atomically(out) as scratch:
            (scratch / "template.xml").write_text("half", encoding="utf-8")
            raise ValueError("no navigation")
    monkeypatch.setattr(sharepoint, "write_sharepoint_pack", broken)
    [result] = build_many([load_locale("example")], tmp_path, jobs=1, targets=["sharepoint"])
    assert not result.ok and "no navigation" in result.message
    assert not (tmp_path / "example-sharepoint").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".example-sharepoint")]


def test_pages_index_is_accessible(packs: Path, browser) -> None:
    import browser as checks

    with checks.new_tab(browser, checks.DESKTOP) as page:
        page.goto((packs / "example-pages" / "index.html").as_uri())
        assert checks.format_axe(checks.axe_violations(page)) == []


def test_images_in_pages_reach_both_packs(packs: Path, tmp_path: Path) -> None:
    """The example Trusts show no image in their content, so add one to a copy of a site."""
    import shutil

    from trustsite.intranet.sharepoint import write_sharepoint_pack

    site = tmp_path / "example"
    shutil.copytree(packs / "example", site)
    (site / "assets" / "chart.png").write_bytes(b"\x89PNG not really")
    page = site / "champions" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        '<article class="md-content__inner md-typeset">',
        '<article class="md-content__inner md-typeset"><p><img src="../assets/chart.png" '
        'alt="Studies open each year" class="x"></p>', 1), encoding="utf-8")
    assert "assets/chart.png" in _site_images(site)

    pack = write_sharepoint_pack(site, tmp_path / "example-sharepoint", "Example")
    address = f"{{site}}/{ASSET_FOLDER}/assets/chart.png"
    assert (pack / FILES_DIR / "assets" / "chart.png").is_file()
    assert f'<a href="{address}">Image: Studies open each year</a>' in \
        (pack / "template.xml").read_text(encoding="utf-8").replace("&lt;", "<").replace(
            "&gt;", ">").replace("&quot;", '"')

    kit = write_fragments(site, tmp_path / "example-pages", "Example",
                          INSTALLED.root / "locales" / "example.yml", INSTALLED.root)
    assert '<img src="files/assets/chart.png" alt="Studies open each year">' in \
        (kit / "champions.html").read_text(encoding="utf-8")
    assert (kit / "files" / "assets" / "chart.png").is_file()
