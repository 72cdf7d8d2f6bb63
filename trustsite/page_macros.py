"""The macros a page may call, and how printed values are made safe.

National pages get them through mkdocs-macros (macros.py); a Trust's own pages get exactly the
same functions in the sandbox (trustsite/sandbox.py). Every value printed with `{{ }}` is
escaped for both HTML and Markdown, so a name like "King's College Hospital" shows exactly and
no value can become markup or a link. Macros build links themselves and mark their output safe.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any, Callable

from markupsafe import Markup

from trustsite.content import INCLUDES, REFERENCES_PAGE, load_references

# Characters that start Markdown syntax inline; a backslash makes each literal.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|-])")


def as_text(value: Any) -> Markup:
    """Jinja finalize: print a value as literal text unless a macro already made it safe."""
    if isinstance(value, Markup):
        return value
    text = _MARKDOWN_SPECIALS.sub(r"\\\1", str(value))
    # Only &, < and > matter in text; entities for quotes would carry a '#' into Markdown.
    return Markup(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


_EXTENSION = re.compile(r"\s+(?:ext\.?|extension)\s*([0-9]+)\s*$", re.I)


def tel_uri(number: str) -> str:
    """The one maker of tel: links (every page, the footer, the packs): a telephone URI
    (RFC 3966) from a number as the locale writes it, '01632 960123 ext. 1234' ->
    'tel:+441632960123;ext=1234'. UK numbers starting 0 become +44 numbers (RFC 3966 has
    no bare national numbers); any other number without + is dialled within +44."""
    number = number.strip()
    if number.lower().startswith("tel:"):
        number = number[4:]
    extension = _EXTENSION.search(number)
    main = number[:extension.start()] if extension else number
    digits = re.sub(r"[^0-9]", "", main.replace("(0)", ""))  # '+44 (0)1632': no trunk 0
    if main.lstrip().startswith("+"):
        uri = f"tel:+{digits}"
    elif digits.startswith("0"):
        uri = f"tel:+44{digits[1:]}"
    else:
        uri = f"tel:{digits}"
    if extension:
        uri += f";ext={extension[1]}"
    return uri if uri.startswith("tel:+") else f"{uri};phone-context=+44"


def _anchor(href: str, text: str) -> Markup:
    # Markdown still runs between inline HTML tags, so the text is escaped for it too.
    return Markup('<a href="{}">').format(href) + as_text(text) + Markup("</a>")


def page_macros(page_uri: Callable[[], str], includes: Path = INCLUDES,
                ) -> dict[str, Callable[..., Markup]]:
    """Every macro pages may call; `page_uri` gives the page being rendered (for cite), and
    `includes` the project's folder holding the references it numbers."""
    numbers = {ref["key"]: number
               for number, ref in enumerate(load_references(includes=includes), start=1)}

    def email_link(address: str) -> Markup:
        """A mailto: link showing the address."""
        return _anchor(f"mailto:{address}", address)

    def link(text: str, url: str) -> Markup:
        """A link to a locale URL (validated as https, http, mailto or tel)."""
        return _anchor(tel_uri(url) if url.lower().startswith("tel:") else url, text)

    def phone_link(number: str) -> Markup:
        """A tel: link that phones can dial, with any 'ext. 1234' as its extension."""
        return _anchor(tel_uri(number), number)

    def cite(*keys: str) -> Markup:
        """Numbered citations, each linking to its entry on the References page."""
        unknown = [key for key in keys if key not in numbers]
        if unknown or not keys:
            raise ValueError(f"cite(): unknown reference key(s) {unknown or '(none given)'}; "
                             f"known keys are in includes/references.yml")
        here = posixpath.dirname(page_uri())
        target = posixpath.relpath(REFERENCES_PAGE, here or ".")
        links = ", ".join(f"[{numbers[key]}]({target}#ref-{key})" for key in keys)
        return Markup(f'<sup class="citation">[{links}]</sup>')

    return {"email_link": email_link, "link": link, "phone_link": phone_link, "cite": cite}
