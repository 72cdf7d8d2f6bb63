"""The SharePoint pack, DIR/<slug>-sharepoint/: a PnP provisioning template (schema 2022-09)
for the pages and files, and a PowerShell script that applies it and builds the guide's menu.

- One modern page (pnp:ClientSidePage) per guide page, named with PAGE_PREFIX so re-applying
  the template overwrites only the pages it owns, never the Trust's own pages.
- Each page holds one Text web part with the page's clean HTML (clean_html's allow-list), in
  the markup SharePoint's own editor writes (its responsive-table wrapper and table style).
  An image becomes a link to its file.
- The logo, images and Word documents go into the site's Site Assets library, in ASSET_FOLDER.
- Links between pages use PnP's {site} token: {site}/SitePages/<prefix><name>.aspx. Every
  other '{' is made inert: the engine's TokenParser (pnpframework) replaces any '{name}' or
  '{name:' it knows in Title, PageName, Text and the file attributes, and honours no escape.
- The template has no pnp:Navigation: pnpframework's ObjectNavigation.ProvisionObjects sets
  AddNewPagesToNavigation, CreateFriendlyUrlsForNewPages and NavAudienceTargetingEnabled (and
  a property-bag value) whenever a template has one, and files children under the first node
  with the parent's title. The menu is MENU_FILE, built by SCRIPT_FILE with PnP PowerShell's
  navigation cmdlets under one top-level entry the script owns (linked to the guide's home
  page), which it removes and adds again on each run.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

from trustsite.intranet.pack import (CleanSite, clean_site, copy_site_file, page_name,
                                     replaced_atomically)
from trustsite.built_page import NavNode, Page, read_navigation
from trustsite.schema import DEFAULT_SHAREPOINT_SITE

PNP = "http://schemas.dev.office.com/PnP/2022/09/ProvisioningSchema"
PAGE_PREFIX = "bpc-"  # marks the pages this template owns
ASSET_FOLDER = "SiteAssets/bpc-guide"
FILES_DIR = "files"  # beside template.xml in the pack
SCHEMA_FILE = Path(__file__).with_name("pnp-schema") / "ProvisioningSchema-2022-09.xsd"
README = Path(__file__).with_name("sharepoint-README.md")
SCRIPT_FILE = "apply-guide.ps1"  # in the pack; its source is beside this module
MENU_FILE = "menu.json"
# Where each kind of site shows its menu, as PnP PowerShell's -Location names it: a
# communication site shows the top navigation, a team site the Quick Launch (left menu).
MENU_LOCATIONS = {"communication": "TopNavigationBar", "team": "QuickLaunch"}
SITE_KINDS = tuple(MENU_LOCATIONS)
DEFAULT_SITE_KIND = DEFAULT_SHAREPOINT_SITE
# The address SharePoint itself gives a menu heading with no link (with IsExternal true).
LINKLESS_HEADER = "http://linkless.header/"
MENU_PLACES = {"communication": "the site's top menu",
               "team": "the site's left-hand menu (Quick Launch)"}
MENU_TITLE = "Research guide"  # the one top-level entry that holds the guide's menu
MENU_LEVELS = 3  # SharePoint's menus show three levels; deeper pages join the third
# SharePoint's own table markup, as its editor writes it (and as pnpframework's
# HtmlTransformator.TransformTables writes it when it moves wiki pages to modern pages).
TABLE_WRAPPER = ('<div class="canvasRteResponsiveTable"><div class="tableCenterAlign '
                 'tableWrapper">', '</div></div>')
TABLE_CLASS = "bandedRowTableStyleNeutral"
# pnpframework TokenParser.ReToken: what the engine tries as a token ('{name}' or '{name:').
ENGINE_TOKEN = re.compile(r"\{[^{]*?\}|\{[^{]*?:")
OWN_TOKEN = "{site}/"  # the only token this pack writes, at the start of its own addresses


def _q(tag: str) -> str:
    return f"{{{PNP}}}{tag}"


def sharepoint_page_file(page: Page) -> str:
    return f"{PAGE_PREFIX}{page_name(page.path)}.aspx"


def page_address(page: Page, from_path: str = "") -> str:
    return f"{{site}}/SitePages/{sharepoint_page_file(page)}"


def file_address(path: str, from_path: str = "") -> str:
    return f"{{site}}/{ASSET_FOLDER}/{path}"


def _logo_paths(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in (site / "assets" / "trust").glob(
        "logo.*"))


def _menu_node(node: NavNode, by_path: dict[str, Page], level: int) -> list[dict]:
    """A navigation entry as the script adds it: a page links to its SharePoint page, a section
    is a label-only heading. Below the last level SharePoint shows, a section's pages take its
    place."""
    if node.path is not None:
        address = f"SitePages/{sharepoint_page_file(by_path[node.path])}"
        return [{"title": node.title, "url": address, "external": False, "children": []}]
    children = [entry for child in node.children
                for entry in _menu_node(child, by_path, level + 1)]
    if level >= MENU_LEVELS:
        return children
    return [{"title": node.title, "url": LINKLESS_HEADER, "external": True,
             "children": children}]


def menu(site: Path, site_kind: str) -> dict:
    """The guide's menu for MENU_FILE: one top-level entry, linked to the guide's home page,
    holding the guide's sections (headings) and pages."""
    pages, nodes = read_navigation(site)
    by_path = {page.path: page for page in pages}
    home = next(page for page in pages if page.path == "index.html")
    return {"location": MENU_LOCATIONS[site_kind], "title": MENU_TITLE,
            "url": f"SitePages/{sharepoint_page_file(home)}", "external": False,
            "children": [entry for node in nodes for entry in _menu_node(node, by_path, 2)]}


def inert_tokens(html: str) -> str:
    """The Text web part's HTML with every '{' written as the character reference '&#123;'
    (a browser shows '{'; the provisioning engine sees no token), except this pack's own
    '{site}/' at the start of a link it wrote. An '<a href="' in the serialised fragment is
    always markup, never text (text has its '<' escaped)."""
    escaped = html.replace("{", "&#123;")
    return escaped.replace(f'<a href="&#123;{OWN_TOKEN[1:]}', f'<a href="{OWN_TOKEN}')


def plain_attribute(value: str, what: str) -> str:
    """A plain-text attribute the engine parses (a page's title, a file's name): it may hold no
    '{' at all, since the engine honours no escape."""
    if "{" in value:
        raise ValueError(
            f"{what} holds '{{', which SharePoint's provisioning engine would read as the start "
            f"of one of its tokens ({value!r}). Remove the braces from it.")
    return value


def _markdown_text(text: str) -> str:
    """Trust text as literal Markdown text in the README: every punctuation mark escaped."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~&])", r"\\\1", text)


def sharepoint_tables(html: str) -> str:
    """Each table in the responsive-table wrapper and table style SharePoint's editor writes."""
    start, end = TABLE_WRAPPER
    html = html.replace("<table>", f'{start}<table class="{TABLE_CLASS}" title="Table">')
    return html.replace("</table>", f"</table>{end}")


def template_xml(clean: CleanSite, trust_name: str, files: list[str]) -> bytes:
    """The provisioning template for the cleaned site: its pages and files, and nothing else
    (no navigation, no site settings)."""
    ET.register_namespace("pnp", PNP)
    trust_name = plain_attribute(trust_name, "The Trust's name")
    root = ET.Element(_q("Provisioning"), Author=trust_name, Generator="trustsite",
                      Version="1.0", DisplayName="Best Patient Care, Clinical Research and You")
    ET.SubElement(root, _q("Preferences"), Generator="trustsite")
    templates = ET.SubElement(root, _q("Templates"), ID="BPC-TEMPLATES")
    template = ET.SubElement(templates, _q("ProvisioningTemplate"), ID="BPC-GUIDE",
                             Version="1.0", Scope="RootSite",
                             DisplayName=f"{trust_name}: research guide pages")

    file_list = ET.SubElement(template, _q("Files"))
    for path in files:
        plain_attribute(path, f"The file {path}")
        folder, _, name = f"{ASSET_FOLDER}/{path}".rpartition("/")
        ET.SubElement(file_list, _q("File"), Src=f"{FILES_DIR}/{path}", Folder=folder,
                      TargetFileName=name, Overwrite="true")

    client_pages = ET.SubElement(template, _q("ClientSidePages"))
    for clean_page in clean.pages:
        page = ET.SubElement(client_pages, _q("ClientSidePage"),
                             PageName=plain_attribute(
                                 sharepoint_page_file(clean_page.page).removesuffix(".aspx"),
                                 f"The name of the page {clean_page.page.path}"),
                             Title=plain_attribute(clean_page.page.title,
                                                   f"The title of the page {clean_page.page.path}"),
                             Overwrite="true", Publish="true",
                             Layout="Article", PromoteAsNewsArticle="false",
                             EnableComments="false")
        sections = ET.SubElement(page, _q("Sections"))
        section = ET.SubElement(sections, _q("Section"), Order="1", Type="OneColumn")
        controls = ET.SubElement(section, _q("Controls"))
        control = ET.SubElement(controls, _q("CanvasControl"), WebPartType="Text", Order="1")
        properties = ET.SubElement(control, _q("CanvasControlProperties"))
        ET.SubElement(properties, _q("CanvasControlProperty"), Key="Text",
                      Value=inert_tokens(sharepoint_tables(clean_page.html)))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _word_version(site: Path, out: Path, trust_name: str):
    """A Word copy of a checklist page for the pack: the site's own when it has one."""
    def make(page: Page, html: str) -> str:
        from trustsite.documents import html_to_docx

        path = f"downloads/{page_name(page.path)}.docx"
        if not (site / path).is_file():
            target = out / FILES_DIR / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(html_to_docx(html, page.title, trust_name))
        return file_address(path)
    return make


def write_sharepoint_pack(site: Path, out: Path, trust_name: str,
                          site_kind: str = DEFAULT_SITE_KIND) -> Path:
    """Write DIR/<slug>-sharepoint/ beside the built site (replaced only when complete), with
    the menu where a site_kind ('communication' or 'team') site shows it."""
    with replaced_atomically(out) as scratch:
        clean = clean_site(site, page_address, file_address, images=False,
                           word_version=_word_version(site, scratch, trust_name))
        files = set(clean.files) | set(_logo_paths(site))
        for path in sorted(files):
            if (site / path).is_file():
                copy_site_file(site, path, scratch / FILES_DIR / path)
        files |= {p.relative_to(scratch / FILES_DIR).as_posix()
                  for p in (scratch / FILES_DIR).rglob("*") if p.is_file()}
        (scratch / "template.xml").write_bytes(template_xml(clean, trust_name, sorted(files)))
        (scratch / MENU_FILE).write_text(
            json.dumps(menu(site, site_kind), indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8")
        shutil.copyfile(Path(__file__).with_name(SCRIPT_FILE), scratch / SCRIPT_FILE)
        (scratch / "README.md").write_text(readme(trust_name, site_kind), encoding="utf-8")
    return out


def readme(trust_name: str, site_kind: str) -> str:
    """The admin's README for this Trust and kind of site."""
    text = README.read_text(encoding="utf-8").replace("{menu_site}", f"{site_kind} site")
    return text.replace("{menu}", MENU_PLACES[site_kind]).replace(
        "{trust}", _markdown_text(trust_name))


def schema_errors(template: Path, xsd: Path | None = None) -> list[str]:
    """Every way template.xml breaks the PnP 2022-09 schema (empty when it validates)."""
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(xsd or SCHEMA_FILE)))
    if schema.validate(etree.parse(str(template))):
        return []
    return [f"{template}:{e.line}: {e.message}" for e in schema.error_log]
