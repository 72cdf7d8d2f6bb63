"""The web-server kit: HOSTING.md and nginx, Apache and IIS examples, in each site's zip
(<slug>/server-kit/, apart from the <slug>/site/ to upload) and beside it in
DIR/<slug>.server-kit/, so IT can read it without unzipping. security_headers() is the one source of the headers: the configs are made from
it and the browser test's local server sends it.

Material's pages carry two small inline scripts (their text differs only by the page's depth),
so the policy allows exactly those by their sha256 hashes rather than 'unsafe-inline'. The
`<script type="application/json">` config block is data, not script, so CSP ignores it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from xml.sax.saxutils import quoteattr

from lxml import html as lxml_html

from trustsite.intranet.pack import replaced_atomically

HOSTING_MD = Path(__file__).with_name("HOSTING.md")
_EXECUTABLE_TYPES = {"", "text/javascript", "module", "application/javascript"}


def inline_script_hashes(site: Path) -> list[str]:
    """CSP sources ('sha256-...') for every inline script in the built site, sorted."""
    found: set[str] = set()
    for page in sorted(site.rglob("*.html")):
        tree = lxml_html.fromstring(page.read_bytes())
        for script in tree.iter("script"):
            if script.get("src") or (script.get("type") or "").lower() not in _EXECUTABLE_TYPES:
                continue
            digest = hashlib.sha256((script.text or "").encode("utf-8")).digest()
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
