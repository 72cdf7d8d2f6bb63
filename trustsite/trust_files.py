"""What a Trust's folder may hold, by allow-list: file types, names and sizes.

locales/<slug>/ holds the Trust's logo and favicon, and pages/ holds its own Markdown pages
and the images and office documents they link to. Everything else is refused: a type is
allowed only when its name ends in a listed extension AND its first bytes are that type's
(a PNG that is not a PNG is refused), and nothing a web server or browser treats as active
(.html, .shtml, .xml, .js, .css, .svg in pages, web.config, .htaccess...) is on the list.
Names come from a safe set of characters, so they mean the same on every system and unzip
in the same place; each file and the whole folder have a size budget (see SECURITY.md).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Callable

PAGES_FOLDER = "pages"
PAGE_SUFFIX = ".md"

# -- Budgets (SECURITY.md lists them) ----------------------------------------------------------
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # a 12-megapixel photo fits; a decompression bomb does not
MAX_FILES = 300
MAX_PAGES = 60
MAX_FOLDER_BYTES = 100 * 1024 * 1024
MAX_NAME_LENGTH = 80
MAX_DEPTH = 4  # folders inside pages/

# -- Names -------------------------------------------------------------------------------------
# Letters, digits, hyphen, underscore and dot; starting and ending with a letter or digit.
_SAFE_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
# Windows refuses these as a file's name, whatever its extension.
_RESERVED = re.compile(r"(?:CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(?:\..*)?", re.I)
NAME_HELP = ("Use only letters, digits, hyphens, underscores and dots, starting and ending "
             "with a letter or digit, for example 'annual-report-2025.pdf'.")


def shown_name(name: str) -> str:
    """A name as messages show it: anything but printable ASCII as an escape such as
    \\u202e, so no character can hide or reorder the line it is on."""
    return "".join(c if " " <= c <= "~" else c.encode("unicode_escape").decode("ascii")
                   for c in name)


def name_problem(part: str) -> str | None:
    """Why one part of a path (a file or folder name) is not allowed, if it is not."""
    if not _SAFE_NAME.fullmatch(part):
        return (f"the name '{shown_name(part)}' holds a character that is not allowed. "
                f"{NAME_HELP}")
    if _RESERVED.fullmatch(part):
        return (f"'{part}' is a name Windows reserves for a device, so the file could not be "
                "unzipped there. Choose another name.")
    if len(part) > MAX_NAME_LENGTH:
        return f"the name is {len(part)} characters long. Keep it to {MAX_NAME_LENGTH}."
    return None


# -- Types, recognised by their content ------------------------------------------------------

def _is_png(head: bytes, path: Path) -> bool:
    return head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR"


def _is_jpeg(head: bytes, path: Path) -> bool:
    return head.startswith(b"\xff\xd8\xff")


def _is_gif(head: bytes, path: Path) -> bool:
    return head[:6] in (b"GIF87a", b"GIF89a")


def _is_webp(head: bytes, path: Path) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def _is_pdf(head: bytes, path: Path) -> bool:
    return head.startswith(b"%PDF-")


def _zip_names(path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return []


def _office_open(main_part: str) -> Callable[[bytes, Path], bool]:
    """A Word, Excel or PowerPoint file: a zip with its main part and no macros."""
    def check(head: bytes, path: Path) -> bool:
        names = _zip_names(path) if head.startswith(b"PK\x03\x04") else []
        return ("[Content_Types].xml" in names and main_part in names
                and not any(name.lower().endswith("vbaproject.bin") for name in names))
    return check


def _open_document(mimetype: str) -> Callable[[bytes, Path], bool]:
    """An OpenDocument file: a zip whose first entry, 'mimetype', names its type."""
    def check(head: bytes, path: Path) -> bool:
        return head.startswith(b"PK\x03\x04") and head[30:38] == b"mimetype" \
            and head[38:38 + len(mimetype)] == mimetype.encode("ascii")
    return check


IMAGE_TYPES: dict[str, Callable[[bytes, Path], bool]] = {
    ".png": _is_png, ".jpg": _is_jpeg, ".jpeg": _is_jpeg, ".gif": _is_gif, ".webp": _is_webp}
DOCUMENT_TYPES: dict[str, Callable[[bytes, Path], bool]] = {
    ".pdf": _is_pdf,
    ".docx": _office_open("word/document.xml"),
    ".xlsx": _office_open("xl/workbook.xml"),
    ".pptx": _office_open("ppt/presentation.xml"),
    ".odt": _open_document("application/vnd.oasis.opendocument.text"),
    ".ods": _open_document("application/vnd.oasis.opendocument.spreadsheet"),
    ".odp": _open_document("application/vnd.oasis.opendocument.presentation"),
}
# Outside pages/: the logo and favicon only (an SVG is drawn as PNG, see svg_png.py).
BRAND_SUFFIXES = (".svg", ".png")
PAGE_FOLDER_SUFFIXES = (PAGE_SUFFIX, *IMAGE_TYPES, *DOCUMENT_TYPES)
TYPES_HELP = ("Pages are .md files; images .png, .jpg, .gif or .webp; documents .pdf, .docx, "
              ".xlsx, .pptx, .odt, .ods or .odp.")


def image_size(head: bytes) -> tuple[int, int] | None:
    """Width and height from an image's header, without decoding it (None if not found)."""
    if head.startswith(b"\x89PNG"):
        return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    if head[:3] == b"GIF":
        return int.from_bytes(head[6:8], "little"), int.from_bytes(head[8:10], "little")
    if head[:4] == b"RIFF" and head[12:16] == b"VP8X":
        return (int.from_bytes(head[24:27], "little") + 1,
                int.from_bytes(head[27:30], "little") + 1)
    if head[:4] == b"RIFF" and head[12:16] == b"VP8L":
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if head[:4] == b"RIFF" and head[12:16] == b"VP8 ":
        return (int.from_bytes(head[26:28], "little") & 0x3FFF,
                int.from_bytes(head[28:30], "little") & 0x3FFF)
    if head.startswith(b"\xff\xd8"):
        return _jpeg_size(head)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 9 < len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE,
                      0xCF):
            return (int.from_bytes(data[at + 7:at + 9], "big"),
                    int.from_bytes(data[at + 5:at + 7], "big"))
        at += 2 + int.from_bytes(data[at + 2:at + 4], "big")
    return None


_HEAD_BYTES = 256 * 1024  # enough for a JPEG's frame header after its metadata


def content_problem(path: Path, suffix: str) -> str | None:
    """Why a file's content is not the allowed type its extension names, or over budget."""
    size = path.stat().st_size
    limit = MAX_IMAGE_BYTES if suffix in IMAGE_TYPES else MAX_DOCUMENT_BYTES
    if suffix in (*IMAGE_TYPES, *DOCUMENT_TYPES) and size > limit:
        return f"it is {size // 1024} KB, over the limit of {limit // 1024 // 1024} MB."
    if suffix not in IMAGE_TYPES and suffix not in DOCUMENT_TYPES:
        return None  # pages and SVGs are read and checked where they are used
    with path.open("rb") as stream:
        head = stream.read(_HEAD_BYTES)
    kind = IMAGE_TYPES.get(suffix) or DOCUMENT_TYPES[suffix]
    if not kind(head, path):
        return (f"its content is not a {suffix[1:].upper()} file, whatever its name says. "
                "Save or export it again in that format.")
    if suffix in IMAGE_TYPES:
        found = image_size(head)
        if found is None:
            return "its width and height cannot be read. Save the image again."
        width, height = found
        if width * height > MAX_IMAGE_PIXELS:
            return (f"it is {width} x {height} pixels, over the limit of "
                    f"{MAX_IMAGE_PIXELS // 1_000_000} million. Make it smaller.")
    return None


def type_problem(relative: str) -> str | None:
    """Why a file at `relative` (inside locales/<slug>/) is not an allowed type there."""
    suffix = Path(relative).suffix.lower()
    in_pages = relative.startswith(PAGES_FOLDER + "/")
    allowed = PAGE_FOLDER_SUFFIXES if in_pages else BRAND_SUFFIXES
    if suffix in allowed and (suffix != PAGE_SUFFIX or relative.endswith(PAGE_SUFFIX)):
        return None
    if in_pages and suffix in (".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".txt"):
        return f"pages must end in .md. Rename it to {Path(relative).stem}.md."
    if in_pages and suffix == ".svg":
        return "an SVG can hold code, so pages may not publish one. Export the image as PNG."
    if not in_pages:
        return ("only the logo and favicon (.svg or .png) may be here. "
                "Put pages and their files in pages/, and delete anything else.")
    return f"this type of file cannot be published. {TYPES_HELP}"


def brand_image_problem(path: Path) -> str | None:
    """Why a logo or favicon cannot be published: a PNG must be one, within the image
    budgets; an SVG must draw as PNG within the rendering budget (svg_png.py)."""
    from trustsite.svg_png import SvgRenderError, svg_to_png

    if path.suffix.lower() != ".svg":
        return content_problem(path, path.suffix.lower())
    try:
        svg_to_png(path.read_bytes())
    except SvgRenderError as error:
        return f"{error}. Export it again as a plain SVG, or use a PNG."
    return None
