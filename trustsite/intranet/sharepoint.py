"""The SharePoint pack, DIR/<slug>-sharepoint/: a PnP provisioning template (schema 2022-09)
that `Invoke-PnPSiteTemplate -Path template.xml` applies in one command.

- One modern page (pnp:ClientSidePage) per guide page, named with PAGE_PREFIX so re-applying
  the template overwrites only the pages it owns, never the Trust's own pages.
- Each page holds one Text web part with the page's clean HTML (clean_html's allow-list).
  SharePoint's text web part removes images, so an image becomes a link to its file.
- The logo, images and Word documents go into the site's Site Assets library, in ASSET_FOLDER.
- Links between pages use PnP's {site} token: {site}/SitePages/<prefix><name>.aspx.
- The guide's sections become the site's left-hand navigation (QuickLaunch).
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

from trustsite.intranet.pack import (CleanSite, clean_site, copy_site_file, page_name,
                                     replaced_atomically)
from trustsite.built_page import NavNode, Page, read_navigation

PNP = "http://schemas.dev.office.com/PnP/2022/09/ProvisioningSchema"
PAGE_PREFIX = "bpc-"  # marks the pages this template owns
ASSET_FOLDER = "SiteAssets/bpc-guide"
FILES_DIR = "files"  # beside template.xml in the pack
SCHEMA_FILE = Path(__file__).with_name("pnp-schema") / "ProvisioningSchema-2022-09.xsd"
README = Path(__file__).with_name("sharepoint-README.md")


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


def _navigation_node(parent: ET.Element, node: NavNode, by_path: dict[str, Page]) -> None:
    element = ET.SubElement(parent, _q("NavigationNode"), Title=node.title, IsExternal="false")
    if node.path is not None:
        element.set("Url", page_address(by_path[node.path]))
    for child in node.children:
        _navigation_node(element, child, by_path)


def template_xml(site: Path, clean: CleanSite, trust_name: str, files: list[str]) -> bytes:
    """The provisioning template for the cleaned site."""
    ET.register_namespace("pnp", PNP)
    root = ET.Element(_q("Provisioning"), Author=trust_name, Generator="trustsite",
                      Version="1.0", DisplayName="Best Patient Care, Clinical Research and You")
    ET.SubElement(root, _q("Preferences"), Generator="trustsite")
    templates = ET.SubElement(root, _q("Templates"), ID="BPC-TEMPLATES")
    template = ET.SubElement(templates, _q("ProvisioningTemplate"), ID="BPC-GUIDE",
                             Version="1.0", Scope="RootSite",
                             DisplayName=f"{trust_name}: research guide pages")

    pages, nodes = read_navigation(site)
    by_path = {page.path: page for page in pages}
    navigation = ET.SubElement(template, _q("Navigation"))
    current = ET.SubElement(navigation, _q("CurrentNavigation"), NavigationType="Structural")
    structural = ET.SubElement(current, _q("StructuralNavigation"), RemoveExistingNodes="false")
    for node in nodes:
        _navigation_node(structural, node, by_path)

    file_list = ET.SubElement(template, _q("Files"))
    for path in files:
        folder, _, name = f"{ASSET_FOLDER}/{path}".rpartition("/")
        ET.SubElement(file_list, _q("File"), Src=f"{FILES_DIR}/{path}", Folder=folder,
                      TargetFileName=name, Overwrite="true")

    client_pages = ET.SubElement(template, _q("ClientSidePages"))
    for clean_page in clean.pages:
        page = ET.SubElement(client_pages, _q("ClientSidePage"),
                             PageName=sharepoint_page_file(clean_page.page).removesuffix(".aspx"),
                             Title=clean_page.page.title, Overwrite="true", Publish="true",
                             Layout="Article", PromoteAsNewsArticle="false",
                             EnableComments="false")
        sections = ET.SubElement(page, _q("Sections"))
        section = ET.SubElement(sections, _q("Section"), Order="1", Type="OneColumn")
        controls = ET.SubElement(section, _q("Controls"))
        control = ET.SubElement(controls, _q("CanvasControl"), WebPartType="Text", Order="1")
        properties = ET.SubElement(control, _q("CanvasControlProperties"))
        ET.SubElement(properties, _q("CanvasControlProperty"), Key="Text", Value=clean_page.html)
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


def write_sharepoint_pack(site: Path, out: Path, trust_name: str) -> Path:
    """Write DIR/<slug>-sharepoint/ beside the built site (replaced only when complete)."""
    with replaced_atomically(out) as scratch:
        clean = clean_site(site, page_address, file_address, images=False,
                           word_version=_word_version(site, scratch, trust_name))
        files = set(clean.files) | set(_logo_paths(site))
        for path in sorted(files):
            if (site / path).is_file():
                copy_site_file(site, path, scratch / FILES_DIR / path)
        files |= {p.relative_to(scratch / FILES_DIR).as_posix()
                  for p in (scratch / FILES_DIR).rglob("*") if p.is_file()}
        (scratch / "template.xml").write_bytes(
            template_xml(site, clean, trust_name, sorted(files)))
        (scratch / "README.md").write_text(
            README.read_text(encoding="utf-8").replace("{trust}", trust_name),
            encoding="utf-8")
    return out


def schema_errors(template: Path, xsd: Path | None = None) -> list[str]:
    """Every way template.xml breaks the PnP 2022-09 schema (empty when it validates)."""
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(xsd or SCHEMA_FILE)))
    if schema.validate(etree.parse(str(template))):
        return []
    return [f"{template}:{e.line}: {e.message}" for e in schema.error_log]
