"""The locale editor page (issue 21): DIR/editor/index.html, one self-contained HTML file in
which a communications officer fills in or opens a locale, sees `check`'s messages as they
type, and downloads the file (with the logo) or proposes it on GitHub.

The form, the help beside each field and the rules all come from trustsite.schema and the
field comments `trustsite new` writes, so the page cannot drift from the schema. The three
JavaScript libraries are vendored in trustsite/templates/editor/vendor/ (see VENDORED) and
inlined, so the page makes no request and needs no Node.js to build.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from trustsite import locale as checks
from trustsite import schema as fields
from trustsite.colours import MIN_CONTRAST
from trustsite.html_templates import render_template
from trustsite.scaffold import (DRAMA_NUMBER_PREFIXES, MARKER, PLACEHOLDER_LOGO, STILL_EXAMPLE,
                                STILL_PLACEHOLDER_LOGO, _comment, _example_values,
                                _release_reason, example_contacts)
from trustsite.schema import LOCALE_SCHEMA

EDITOR_DIR = Path(__file__).parent / "templates" / "editor"
VENDOR_DIR = EDITOR_DIR / "vendor"
# Each vendored file: (npm package, file inside it). yaml ships CommonJS modules only, so its
# file is yaml_bundle() of the package; the others are the package's own browser build.
VENDORED = {
    "ajv2020.min.js": ("ajv-dist", "dist/ajv2020.min.js"),
    "fflate.min.js": ("fflate", "umd/index.js"),
    "yaml.js": ("yaml", None),
}
# A GitHub repository as `owner/name`; the CI sets GITHUB_REPOSITORY to the one it builds.
REPOSITORY_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$"
_EXAMPLE_NAME, _EXAMPLE_SLUG = "Anytown University Hospitals NHS Foundation Trust", "anytown-hospitals"


def yaml_bundle(package: Path) -> str:
    """The `yaml` package's CommonJS files (dist/**/*.js) as one browser script defining
    window.YAML: each file wrapped in a function, with a 20-line `require` between them."""
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    modules = sorted(p for p in (package / "dist").rglob("*.js"))
    parts = [f"/* yaml {version} (https://github.com/eemeli/yaml), ISC licence. The CommonJS "
             "files of the npm package's dist/ folder, each wrapped in a function by "
             "trustsite/editor.py (yaml_bundle). */\n(function () {\n'use strict';\n"
             "var files = {\n"]
    for path in modules:
        name = path.relative_to(package).as_posix()
        source = path.read_text(encoding="utf-8")
        parts.append(f"{json.dumps(name)}: function (module, exports, require) {{\n{source}\n}},\n")
    parts.append("""};
// Node built-ins the library mentions: it checks for them before use, so empty stand-ins do.
var builtins = {process: {env: {}}, buffer: {}};
var cache = {};
function load(name) {
  if (!cache[name]) {
    var module = cache[name] = {exports: {}};
    files[name](module, module.exports, requireFrom(name));
  }
  return cache[name].exports;
}
function requireFrom(from) {
  return function (spec) {
    if (builtins[spec]) return builtins[spec];
    var parts = from.split('/');
    parts.pop();
    spec.split('/').forEach(function (p) {
      if (p === '..') parts.pop(); else if (p !== '.') parts.push(p);
    });
    var name = parts.join('/');
    return load(files[name] ? name : name + '.js');
  };
}
window.YAML = load('dist/index.js');
})();
""")
    return "".join(parts)


def _inline_script(text: str, name: str) -> str:
    """Script text safe to put between <script> tags (trusted, vendored code)."""
    if re.search(r"</script|<!--", text, re.I):
        raise ValueError(f"{name} holds '</script' or '<!--' and cannot be inlined")
    return text


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _kind(field: dict[str, Any]) -> str:
    """How the page asks for a field: a choice, a number, a file, a box of text..."""
    if field.get("type") == "array":
        return "choices"
    if "enum" in field:
        return "choice"
    if field.get("type") == "integer":
        return "number"
    if field.get("pattern") == fields.ASSET_PATTERN:
        return "file"
    if field.get("pattern") == fields.MULTILINE_TEXT_PATTERN:
        return "lines"
    return {fields.EMAIL_PATTERN: "email", fields.URL_PATTERN: "url",
            fields.PHONE_PATTERN: "tel", fields.HEX_COLOUR_PATTERN: "colour"}.get(
                field.get("pattern", ""), "text")


def _example(section: str, key: str, field: dict[str, Any]) -> str:
    """An example value: the one the field's description gives, else the one `trustsite new`
    writes, else the one the pattern's help gives."""
    given = re.search(r"for example '([^']+)'", field["description"])
    if given:
        return given[1]
    scaffold = _example_values(_EXAMPLE_NAME, _EXAMPLE_SLUG).get(section, {}).get(key)
    if isinstance(scaffold, str) and field.get("format") != "date":  # a date would be today's
        return scaffold
    help_text = checks._pattern_help(field, key) if "pattern" in field else ""
    given = re.search(r"(?:for example|such as) '([^']+)'", help_text)
    return given[1] if given else ""


def _field(section: str, key: str, field: dict[str, Any], required: bool, path: str) -> dict:
    help_text = _comment(field, required, "").removeprefix("# ")
    example = _example(section, key, field)
    return {"key": key, "path": path, "label": _label(key), "kind": _kind(field),
            "required": required, "help": help_text,
            "example": example, "show_example": bool(example) and f"'{example}'" not in help_text,
            "options": field.get("enum")
            or field.get("items", {}).get("enum") or [],
            "id": field_id(path)}


def field_id(path: str) -> str:
    """The HTML id of a field's input: `partners[#].name` gives `f-partners-#-name` (the page
    puts the item's number in place of #)."""
    return "f-" + re.sub(r"[^a-z0-9#]+", "-", path.lower()).strip("-")


def field_groups() -> list[dict[str, Any]]:
    """Every section of the locale, in the file's order, with its fields. A list section's
    fields have `#` where the item's number goes (`partners[#].name`)."""
    groups = []
    for section, schema in LOCALE_SCHEMA["properties"].items():
        required = section in LOCALE_SCHEMA["required"]
        item = schema.get("items")
        body = item or schema
        prefix = f"{section}[#]." if item else f"{section}."
        groups.append({
            "key": section, "label": _label(section), "required": required,
            "list": bool(item), "max_items": schema.get("maxItems"),
            "help": _comment(schema, required, "").removeprefix("# "),
            "item_help": item["description"] if item else "",
            "fields": [_field(section, key, field, key in body["required"], prefix + key)
                       for key, field in body["properties"].items()],
        })
    return groups


def _release_messages() -> dict[str, str]:
    """The words `check` and `build --release` use for each kind of placeholder, from their
    own code."""
    return {"example": STILL_EXAMPLE, "placeholderLogo": STILL_PLACEHOLDER_LOGO,
            "contact": _release_reason("known@contact", {"known@contact"}),
            "domain": _release_reason("a.example", set()),
            "drama": _release_reason("01632 960000", set())}


def editor_data(repository: str = "") -> dict[str, Any]:
    """Everything the page's script needs from Python, as JSON."""
    return {
        "schema": LOCALE_SCHEMA,
        "messages": checks.MESSAGES,
        "wantedTypes": checks.WANTED_TYPES,
        "patternHelp": checks._PATTERN_HELP,
        "helpByPattern": checks._HELP_BY_PATTERN,
        "urlPattern": fields.URL_PATTERN,
        "slugPattern": fields.SLUG_PATTERN,
        "slugMessage": checks._slug_message("{slug}"),
        "minContrast": MIN_CONTRAST,
        "marker": MARKER.removeprefix("#"),
        "placeholderLogo": PLACEHOLDER_LOGO,
        "dramaPrefixes": list(DRAMA_NUMBER_PREFIXES),
        "exampleContacts": sorted(example_contacts()),
        "releaseMessages": _release_messages(),
        "maxFileBytes": checks.MAX_FILE_BYTES,
        "maxDepth": checks.MAX_DEPTH,
        "maxAliases": checks.MAX_ALIASES,
        "repository": repository if re.fullmatch(REPOSITORY_PATTERN, repository) else "",
        "repositoryPattern": REPOSITORY_PATTERN,
    }


def _json_for_script(data: Any) -> str:
    """JSON that cannot end its <script> element: every '<' written as \\u003c."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def editor_html(repository: str = "") -> str:
    """The whole page: form, data, libraries and script in one file."""
    scripts = [_inline_script((VENDOR_DIR / name).read_text(encoding="utf-8"), name)
               for name in VENDORED]
    scripts.append(_inline_script((EDITOR_DIR / "editor.js").read_text(encoding="utf-8"),
                                  "editor.js"))
    return render_template("editor/editor.html", groups=field_groups(),
                           data=_json_for_script(editor_data(repository)),
                           style=(EDITOR_DIR / "editor.css").read_text(encoding="utf-8"),
                           scripts=scripts)


def write_editor(out_dir: Path) -> Path:
    """Write out_dir/editor/index.html in one step (a temporary file renamed into place)."""
    folder = out_dir / "editor"
    folder.mkdir(parents=True, exist_ok=True)
    page = editor_html(os.environ.get("GITHUB_REPOSITORY", ""))
    partial = folder / ".index.html.partial"
    partial.write_text(page, encoding="utf-8")
    os.replace(partial, folder / "index.html")
    return folder / "index.html"
