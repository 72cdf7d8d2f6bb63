"""`trustsite new`: write a complete, commented locale for a new Trust, ready to build.

Every field is written with a comment saying what it is and whether it is required. Values a
Trust must replace carry the marker comment `# example value: replace`; `check` warns about
each one still unchanged and `build --release` refuses them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from trustsite.locale import LOCALES_DIR, Locale, Problem, display_path
from trustsite.reviews import today
from trustsite.schema import LOCALE_SCHEMA, SLUG_PATTERN

MARKER = "# example value: replace"
PLACEHOLDER_LOGO = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64" role="img" aria-labelledby="t">
  <title id="t">Placeholder logo: replace with your Trust's logo</title>
  <rect x="2" y="2" width="60" height="60" rx="8" fill="#FFFFFF" stroke="#4C6272" stroke-width="3" stroke-dasharray="6 4"/>
  <text x="32" y="37" font-family="Arial, Helvetica, sans-serif" font-size="12" fill="#4C6272" text-anchor="middle">LOGO</text>
</svg>
"""


def _example_values(name: str, slug: str) -> dict[str, Any]:
    """Valid example values, so the new Trust builds at once; the domain is reserved."""
    domain = f"{slug}.example"
    return {
        "trust": {"name": name, "short_name": _short_name(name), "type": "acute",
                  "website": f"https://www.{domain}", "intranet_home": f"https://intranet.{domain}"},
        "brand": {"primary_colour": "#005EB8", "logo": "logo.svg"},
        "research_office": {"team_name": "Research and Development Office",
                            "email": f"research@{domain}",
                            "intranet_url": f"https://intranet.{domain}/research",
                            "phone": "01632 960000", "location": "Education Centre"},
        "network": {"name": "North West"},
        "site": {"owner": "Communications team", "feedback_email": f"intranet@{domain}",
                 "last_reviewed": today().isoformat()},
        "accessibility": {"contact_email": f"accessibility@{domain}"},
    }


# Not marked for replacement: the name comes from --name, and the placeholder logo is
# recognised by its content.
_NOT_MARKED = {("trust", "name"), ("trust", "short_name"), ("brand", "logo")}


def _short_name(name: str) -> str:
    short = re.sub(r"\s+(University\s+)?(Teaching\s+)?(Hospitals?\s+)?NHS\s+(Foundation\s+)?Trust$",
                   "", name).strip()
    return short or name


def _comment(field: dict[str, Any], required: bool, indent: str) -> str:
    description = re.sub(r"^Optional:?\s+(\w)", lambda m: m[1].upper(), field["description"])
    return f"{indent}# ({'required' if required else 'optional'}) {description}"


def scaffold_text(name: str, slug: str) -> str:
    """The text of a new locale file: every field, commented, with marked example values."""
    values = _example_values(name, slug)
    lines = ["# yaml-language-server: $schema=schema.json",
             f"# Locale for {name}.",
             "# Every field is explained above it. Replace each value marked",
             f"# '{MARKER}', then run: make check TRUST={slug}", ""]
    for section, schema in LOCALE_SCHEMA["properties"].items():
        required = section in LOCALE_SCHEMA["required"]
        if section in values:
            lines.append(_comment(schema, required, ""))
            lines.append(f"{section}:")
            for key, field in schema["properties"].items():
                lines.append(_comment(field, key in schema["required"], "  "))
                if key not in values[section]:
                    lines.append(f"  # {key}:")
                    continue
                marker = "" if (section, key) in _NOT_MARKED else f"  {MARKER}"
                lines.append(f"  {key}: {_yaml_scalar(values[section][key])}{marker}")
        else:
            lines.append("# To use this section, remove the '# ' from the start of its lines.")
            lines.append(_comment(schema, False, ""))
            lines += _commented_section(section, schema)
        lines.append("")
    return "\n".join(lines)


def _commented_section(section: str, schema: dict[str, Any]) -> list[str]:
    """An optional section left out, with each of its fields described, ready to fill in."""
    item = schema.get("items")
    fields = (item or schema)["properties"]
    required = (item or schema)["required"]
    lines = [f"# {section}:"]
    for number, (key, field) in enumerate(fields.items()):
        lead = "  - " if item and number == 0 else "    " if item else "  "
        lines.append("# " + _comment(field, key in required, " " * len(lead)))
        lines.append(f"# {lead}{key}:")
    return lines


def _yaml_scalar(value: Any) -> str:
    text = str(value)
    needs_quotes = re.search(r"^[#&*!|>'\"%@`]|: | #|^\d{4}-\d{2}-\d{2}$", text)
    return f'"{text}"' if needs_quotes else text


def create_locale(slug: str, name: str, locales_dir: Path = LOCALES_DIR) -> Path:
    """Write locales/<slug>.yml and its placeholder logo; refuse a bad or existing slug."""
    if not re.fullmatch(SLUG_PATTERN, slug):
        raise ValueError(f"'{slug}' is not a valid slug. Use lower-case letters, digits and "
                         "single hyphens, for example 'anytown-hospitals'.")
    path = locales_dir / f"{slug}.yml"
    if path.exists() or (locales_dir / slug).exists():
        raise ValueError(f"{path} already exists. Choose another slug or edit that file.")
    if not name.strip() or re.search(r"[<>]", name):
        raise ValueError("Give the Trust's full name with --name, without < or >.")
    (locales_dir / slug).mkdir(parents=True)
    (locales_dir / slug / "logo.svg").write_text(PLACEHOLDER_LOGO, encoding="utf-8")
    path.write_text(scaffold_text(name.strip(), slug), encoding="utf-8")
    return path


def placeholder_warnings(locale: Locale) -> list[Problem]:
    """Every value still marked as a scaffold example, and a logo still the placeholder."""
    file = display_path(locale.path)
    text_lines = locale.path.read_text(encoding="utf-8").splitlines()
    warnings = []
    for path, line in sorted(locale.lines.items(), key=lambda item: item[1]):
        if path and 0 < line <= len(text_lines) and text_lines[line - 1].rstrip().endswith(MARKER):
            if isinstance(_value_at(locale.data, path), (dict, list)):
                continue
            warnings.append(Problem(file, line, ".".join(map(str, path)),
                                    "still the example value from 'trustsite new'. Replace it, "
                                    "or delete the comment if it is right."))
    logo = locale.asset(locale.data["brand"]["logo"])
    if logo.is_file() and logo.read_text(encoding="utf-8", errors="ignore") == PLACEHOLDER_LOGO:
        warnings.append(Problem(file, locale.lines.get(("brand", "logo"), 0), "brand.logo",
                                "is still the placeholder logo. Use your Trust's own logo."))
    return warnings


def _value_at(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data
