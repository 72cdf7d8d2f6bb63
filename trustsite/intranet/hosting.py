"""The web-server kit: HOSTING.md and nginx, Apache and IIS examples, in each site's zip
(<slug>/server-kit/, apart from the <slug>/site/ to upload) and beside it in
DIR/<slug>.server-kit/, so IT can read it without unzipping. security_headers() is the one source of the headers: the configs are made from
it and the browser test's local server sends it.

Material's pages carry small inline scripts (their text differs only by the page's depth),
so the policy allows exactly those by their sha256 hashes rather than 'unsafe-inline'. The
hashes come from national files only: every inline `<script>` in the theme's templates and in
overrides/, with its `{{ base_url }}` filled in for each depth of the site's folders. Nothing
a page contains is hashed, so a script that reaches a Trust's page does not run. The
`<script type="application/json">` config block is data, not script, so CSP ignores it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from xml.sax.saxutils import quoteattr

import material

from trustsite.project import INSTALLED

from trustsite.intranet.pack import replaced_atomically

HOSTING_MD = Path(__file__).with_name("HOSTING.md")
THEME_TEMPLATES = (Path(material.__file__).parent / "templates", INSTALLED.overrides)
# An inline script as the theme writes it: a plain <script> tag, no type or src.
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
_JINJA_VALUE = re.compile(r"\{\{.*?\}\}", re.S)


def national_inline_scripts(folders: tuple[Path, ...] = THEME_TEMPLATES) -> list[str]:
    """The text of every inline script in the theme's and the project's templates, with its
    Jinja values left as `{{ }}`. Only scripts whose values are all the page's base_url are
    listed: any other value (or a Jinja statement) could be set by a page, so such a script
    is left out, and the browser test shows the violation if a page needs it."""
    return sorted({script for folder in folders for template in sorted(folder.rglob("*.html"))
                   for script in _INLINE_SCRIPT.findall(template.read_text(encoding="utf-8"))
                   if "{%" not in script and all(
                       "base_url" in value for value in _JINJA_VALUE.findall(script))})


def _base_urls(site: Path) -> list[str]:
    """MkDocs' base_url for a page at each depth the site has: '.', '..', '../..' ..."""
    depth = max((len(page.relative_to(site).parts) - 1 for page in site.rglob("*.html")),
                default=0)
    return ["."] + ["/".join([".."] * level) for level in range(1, depth + 1)]


def inline_script_hashes(site: Path, folders: tuple[Path, ...] = THEME_TEMPLATES) -> list[str]:
    """CSP sources ('sha256-...') for the national inline scripts at every depth of the
    site, sorted. The site's pages are never read: only its folders' depth."""
    found: set[str] = set()
    for script in national_inline_scripts(folders):
        for base_url in _base_urls(site):
            digest = hashlib.sha256(_JINJA_VALUE.sub(base_url, script).encode("utf-8")).digest()
            found.add(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return sorted(found)


def content_security_policy(site: Path, frame_ancestors: str = "'self'") -> str:
    return "; ".join([
        "default-src 'none'",
        "script-src 'self' " + " ".join(inline_script_hashes(site)),
        "style-src 'self'",
        "img-src 'self' data:",  # the theme's icons are data: SVGs in its CSS
        "font-src 'self'",
        "connect-src 'self'",  # search loads its index
        "worker-src 'self'",  # search runs in a worker
        "manifest-src 'self'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
        f"frame-ancestors {frame_ancestors}",
    ])


def security_headers(site: Path) -> dict[str, str]:
    """The headers every response of the site should carry."""
    return {
        "Content-Security-Policy": content_security_policy(site),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '\\"') + '"'


def nginx_conf(headers: dict[str, str]) -> str:
    lines = "\n".join(f"    add_header {name} {_quoted(value)} always;"
                      for name, value in headers.items())
    return f"""# nginx: serve the guide at /research-guide/. Change the path and the folder to yours.
location /research-guide/ {{
    alias /var/www/research-guide/;
    index index.html;
    charset utf-8;
{lines}
}}
"""


def apache_htaccess(headers: dict[str, str]) -> str:
    lines = "\n".join(f"    Header always set {name} {_quoted(value)}"
                      for name, value in headers.items())
    return f"""# Apache: put this file in the guide's folder as .htaccess (needs mod_headers and
# AllowOverride FileInfo), or copy the lines into the folder's <Directory> block.
DirectoryIndex index.html
AddDefaultCharset utf-8
<IfModule mod_headers.c>
{lines}
</IfModule>
"""


def iis_web_config(headers: dict[str, str]) -> str:
    lines = "\n".join(f"        <add name={quoteattr(name)} value={quoteattr(value)} />"
                      for name, value in headers.items())
    return f"""<?xml version="1.0" encoding="utf-8"?>
<!-- IIS: put this file in the guide's folder as web.config. -->
<configuration>
  <system.webServer>
    <defaultDocument>
      <files>
        <clear />
        <add value="index.html" />
      </files>
    </defaultDocument>
    <staticContent>
      <remove fileExtension=".json" />
      <mimeMap fileExtension=".json" mimeType="application/json" />
    </staticContent>
    <httpProtocol>
      <customHeaders>
{lines}
      </customHeaders>
    </httpProtocol>
  </system.webServer>
</configuration>
"""


def hosting_files(site: Path) -> dict[str, bytes]:
    """The kit's files, by their path inside the kit's folder."""
    headers = security_headers(site)
    header_list = "\n".join(f"- `{name}: {value}`" for name, value in headers.items())
    guide = re.sub(r"\{headers\}", lambda _: header_list,
                   HOSTING_MD.read_text(encoding="utf-8")).replace("{slug}", site.name)
    return {
        "HOSTING.md": guide.encode("utf-8"),
        "nginx.conf": nginx_conf(headers).encode("utf-8"),
        "apache.htaccess": apache_htaccess(headers).encode("utf-8"),
        "web.config": iis_web_config(headers).encode("utf-8"),
    }


def write_server_kit(kit: dict[str, bytes], out: Path) -> Path:
    """Write the kit's files into `out` (replaced only when complete)."""
    with replaced_atomically(out) as scratch:
        for name, data in kit.items():
            (scratch / name).write_bytes(data)
    return out
