"""Issue 22: every output of every example Trust (the site, its Word files, the SharePoint
pack, the paste-ready pages and the PDF) says what is true where it lands, and its phone
links dial. Built once per module as `trustsite build --sharepoint --fragments --pdf` does."""

from __future__ import annotations

import functools
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from conftest import EXAMPLE_TRUSTS
from trustsite.build import build_many
from trustsite.built_page import WEBSITE_ONLY_PHRASES
from trustsite.intranet.sharepoint import PNP
from trustsite.locale import load_locale
from trustsite.page_macros import tel_uri

NS = {"pnp": PNP}
WORD_NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"

# A telephone URI as RFC 3966 section 3 defines it: a global number ("+" and digits), or a
# local number with its phone-context; an extension (";ext=") comes first among the
# parameters, then the context.
_DIGIT = r"[0-9.()-]"
_GLOBAL = rf"\+{_DIGIT}*[0-9]{_DIGIT}*"
_LOCAL = r"[0-9A-Fa-f*#.()-]*[0-9A-Fa-f*#][0-9A-Fa-f*#.()-]*"
_EXT = rf"(;ext={_DIGIT}+)?"
_PARAMETERS = r"(;[A-Za-z0-9-]+(=[A-Za-z0-9\-_.!~*'()%&+$\[\]/:]+)?)*"
TELEPHONE_URI = re.compile(
    rf"^tel:(?:{_GLOBAL}{_EXT}|{_LOCAL}{_EXT};phone-context=(?:{_GLOBAL}|[A-Za-z0-9.-]+))"
    rf"{_PARAMETERS}$")


@dataclass(frozen=True)
class Output:
    where: str  # for messages, e.g. "example-sharepoint/template.xml: bpc-glossary"
    kind: str  # "site", "word", "sharepoint", "pages" or "pdf"
    text: str  # the words a reader sees
    links: tuple[tuple[str, str], ...]  # (href, the link's words) of every link


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    results = build_many([load_locale(slug) for slug in EXAMPLE_TRUSTS], out, jobs=2,
                         targets=["sharepoint", "pages", "pdf"])
    assert [r.message for r in results if not r.ok] == []
    return out


def _html_output(where: str, kind: str, html: str) -> Output:
    root = lxml_html.fromstring(f"<div>{html}</div>")
    for hidden in root.xpath("//*[@hidden] | //script | //style | //template"):
        hidden.drop_tree()  # not what a reader sees
    links = tuple((a.get("href"), " ".join(a.text_content().split()))
                  for a in root.iter("a") if a.get("href") is not None)
    return Output(where, kind, " ".join(root.text_content().split()), links)


def _word_output(where: str, data: bytes) -> Output:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        relationships = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
    text = " ".join(" ".join(node.text or "" for node in paragraph.iterfind(".//w:t", WORD_NS))
                    for paragraph in document.iterfind(".//w:p", WORD_NS))
    links = tuple((rel.get("Target"), "") for rel in relationships.iter(RELATIONSHIPS)
                  if rel.get("TargetMode") == "External")
    return Output(where, "word", " ".join(text.split()), links)


def _pdf_output(where: str, path: Path) -> Output:
    from pypdf import PdfReader

    reader = PdfReader(path)
    links = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                links.append((str(action["/URI"]), ""))
    text = " ".join(page.extract_text() for page in reader.pages)
    return Output(where, "pdf", " ".join(text.split()), tuple(links))


@functools.cache
def every_output(dist: Path, slug: str) -> list[Output]:
    """Every page, document and file a reader of this Trust's outputs can see (read once)."""
    found: list[Output] = []
    site = dist / slug
    for page in sorted(site.rglob("*.html")):
        found.append(_html_output(f"{slug}/{page.relative_to(site)}", "site",
                                  page.read_text(encoding="utf-8")))
    packs = [(dist / f"{slug}-sharepoint", "sharepoint"), (dist / f"{slug}-pages", "pages")]
    for word in sorted(site.rglob("*.docx")) + [
            path for pack, _ in packs for path in sorted(pack.rglob("*.docx"))]:
        found.append(_word_output(str(word.relative_to(dist)), word.read_bytes()))
    template = etree.parse(str(dist / f"{slug}-sharepoint" / "template.xml"))
    for page in template.iterfind(".//pnp:ClientSidePage", NS):
        for text in page.iterfind(".//pnp:CanvasControlProperty[@Key='Text']", NS):
            found.append(_html_output(f"{slug}-sharepoint: {page.get('PageName')}",
                                      "sharepoint", text.get("Value")))
    for fragment in sorted((dist / f"{slug}-pages").glob("*.html")):
        found.append(_html_output(f"{slug}-pages/{fragment.name}", "pages",
                                  fragment.read_text(encoding="utf-8")))
    found.append(_pdf_output(f"{slug}.pdf", dist / f"{slug}.pdf"))
    return found


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_no_website_only_words_outside_the_website(dist: Path, slug: str) -> None:
    outputs = every_output(dist, slug)
    assert {"site", "sharepoint", "pages", "pdf"} <= {output.kind for output in outputs}
    if load_locale(slug).data.get("champions"):  # its templates are Word files too
        assert "word" in {output.kind for output in outputs}
    found = [f"{output.where}: '{phrase}'" for output in outputs if output.kind != "site"
             for phrase in WEBSITE_ONLY_PHRASES if phrase in output.text.lower()]
    assert found == [], "\n".join(found)


def test_the_website_keeps_its_own_words(dist: Path) -> None:
    """The phrases are the site's real words (so the search above can find them)."""
    site_text = " ".join(  # hidden parts too: script shows some (the Reset button)
        " ".join(lxml_html.fromstring(page.read_bytes()).text_content().lower().split())
        for page in (dist / "example").rglob("*.html"))
    missing = [phrase for phrase in WEBSITE_ONLY_PHRASES if phrase not in site_text]
    assert missing == []


@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_every_phone_link_is_a_telephone_uri_made_by_tel_uri(dist: Path, slug: str) -> None:
    outputs = every_output(dist, slug)
    phone_links = [(output, href, words) for output in outputs for href, words in output.links
                   if href.lower().startswith("tel:")]
    kinds = {output.kind for output, _, _ in phone_links}
    if load_locale(slug).data["research_office"].get("phone"):  # then every output shows it
        assert {"site", "sharepoint", "pages", "pdf"} <= kinds
    bad = [f"{output.where}: {href}" for output, href, words in phone_links
           if not TELEPHONE_URI.match(href)
           or (words and re.fullmatch(r"[0-9+() .-]+( ext.*)?", words)
               and href != tel_uri(words))]
    assert bad == [], "\n".join(sorted(set(bad)))


def test_a_phone_extension_dials_as_ext(dist: Path) -> None:
    phone = load_locale("brightwater-valley").data["research_office"]["phone"]
    assert " ext" in phone  # the example Trust that shows an extension
    footer = lxml_html.fromstring((dist / "brightwater-valley" / "glossary.html").read_bytes())
    hrefs = footer.xpath("//*[contains(@class, 'trust-footer')]//a/@href")
    assert "tel:+441632960555;ext=2001" in hrefs


@pytest.mark.parametrize(("number", "uri"), [
    ("01632 960123", "tel:+441632960123"),
    ("01632 960123 ext. 1234", "tel:+441632960123;ext=1234"),
    ("01632 960123 extension 12", "tel:+441632960123;ext=12"),
    ("01632 960123 Ext 7", "tel:+441632960123;ext=7"),
    ("+44 (0)1632 960123", "tel:+441632960123"),
    ("(01632) 960-123", "tel:+441632960123"),
    ("tel:01632 960123", "tel:+441632960123"),
    ("1632 960123", "tel:1632960123;phone-context=+44"),
])
def test_tel_uri_makes_rfc_3966_uris(number: str, uri: str) -> None:
    assert tel_uri(number) == uri
    assert TELEPHONE_URI.match(uri)


@pytest.mark.parametrize("uri", ["tel:01632960100", "tel:01632 960100", "tel:+44 1632",
                                 "tel:+441632960100 ext. 12", "tel:+441632960100;ext=",
                                 "tel:"])
def test_the_telephone_uri_check_refuses_what_rfc_3966_refuses(uri: str) -> None:
    assert not TELEPHONE_URI.match(uri)


# -- Point 4: an accessibility statement true where it is published --------------------------

def _statement(dist: Path, slug: str, kind: str) -> Output:
    where = {"sharepoint": f"{slug}-sharepoint: bpc-about-accessibility",
             "pages": f"{slug}-pages/about-accessibility.html"}[kind]
    [found] = [output for output in every_output(dist, slug) if output.where == where]
    return found


@pytest.mark.parametrize("kind", ["sharepoint", "pages"])
@pytest.mark.parametrize("slug", EXAMPLE_TRUSTS)
def test_the_packs_accessibility_statement_is_for_their_own_place(dist: Path, slug: str,
                                                                  kind: str) -> None:
    data = load_locale(slug).data["accessibility"]
    statement = _statement(dist, slug, kind)
    text = statement.text
    # No claim that holds only on the website: offline use, hover, menus, its test tools.
    for claim in ("offline", "file share", "hover", "with the menus left out", "axe-core",
                  "Nu Html Checker", "zoom in up to 400%"):
        assert claim not in text, f"{statement.where}: {claim}"
    assert "we have not tested this copy in the place where you are reading it" in text
    assert data["contact_email"] in text
    hrefs = [href for href, _ in statement.links]
    assert f"mailto:{data['contact_email']}" in hrefs
    if data.get("contact_phone"):
        assert tel_uri(data["contact_phone"]) in hrefs
    # Its links go to other pages of the pack or out: none lands back on itself.
    own = {"sharepoint": "bpc-about-accessibility.aspx", "pages": "about-accessibility.html"}
    assert not [href for href in hrefs if href.split("#")[0].endswith(own[kind])
                or href.startswith("#")]


def test_the_site_keeps_its_own_accessibility_statement(dist: Path) -> None:
    page = lxml_html.fromstring((dist / "example" / "about" / "accessibility.html").read_bytes())
    for hidden in page.xpath("//*[@hidden]"):
        hidden.drop_tree()
    text = " ".join(page.text_content().split())
    assert "axe-core" in text and "search works offline" in text
    assert "we have not tested this copy" not in text
    assert page.xpath("//a[@href='#non-accessible-content']") and \
        page.xpath("//*[@id='non-accessible-content']")
