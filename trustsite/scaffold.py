"""`trustsite new`: write a complete, commented locale for a new Trust, ready to build.

Every field is written with a comment saying what it is and whether it is required. Values a
Trust must replace carry the marker comment `# example value: replace`; `check` warns about
each one still unchanged and `build --release` refuses them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from trustsite.invisible import describe, hidden_characters
from trustsite.locale import LOCALES_DIR, Locale, Problem, display_path
from trustsite.reviews import today
from trustsite.schema import LOCALE_SCHEMA, SLUG_PATTERN

MARKER = "# example value: replace"
STILL_EXAMPLE = ("still the example value from 'trustsite new'. Replace it, or delete the "
                 "comment if it is right.")
STILL_PLACEHOLDER_LOGO = "is still the placeholder logo. Use your Trust's own logo."
NAME_MAX_LENGTH = LOCALE_SCHEMA["properties"]["trust"]["properties"]["name"]["maxLength"]
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
    if "enum" in field:  # say every allowed value, so nobody has to guess the spelling
        description += " Allowed values: " + ", ".join(field["enum"]) + "."
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
    """The value as YAML text, written by the YAML emitter so any name reads back the same."""
    text = yaml.safe_dump(value, default_style=None, width=10_000, allow_unicode=True)
    return text.removesuffix("\n...\n").removesuffix("\n")


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
    if re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", name):
        raise ValueError("Give the Trust's full name on one line, with no line breaks, tabs "
                         "or control characters.")
    if hidden := hidden_characters(name):
        raise ValueError(f"The name holds the invisible character {describe(hidden[0])}. "
                         "Type the name again without it.")
    if len(name.strip()) > NAME_MAX_LENGTH:
        raise ValueError(f"The name is {len(name.strip())} characters; the limit is "
                         f"{NAME_MAX_LENGTH}. Check it is the Trust's name.")
    (locales_dir / slug).mkdir(parents=True)
    (locales_dir / slug / "logo.svg").write_bytes(PLACEHOLDER_LOGO.encode("utf-8"))
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
            warnings.append(Problem(file, line, ".".join(map(str, path)), STILL_EXAMPLE))
    logo = locale.asset(locale.data["brand"]["logo"])
    if logo.is_file() and logo.read_bytes() == PLACEHOLDER_LOGO.encode("utf-8"):
        warnings.append(Problem(file, locale.lines.get(("brand", "logo"), 0), "brand.logo",
                                STILL_PLACEHOLDER_LOGO))
    return warnings


def _value_at(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


# -- Publishing: values that are placeholders even without the marker comment ----------------

# Numbers Ofcom keeps for TV and radio drama, so they never ring anyone: the first 8 digits
# of each 11-digit range (Ofcom, "Telephone numbers for drama programmes").
DRAMA_NUMBER_PREFIXES = (
    "01134960", "01144960", "01154960", "01164960", "01174960", "01184960", "01214960",
    "01314960", "01414960", "01514960", "01614960", "01914980", "02079460", "02896496",
    "02920180", "01632960", "07700900", "08081570", "09098790", "03069990",
)
_PHONE_LIKE = re.compile(r"\+?[0-9][0-9 ()-]{8,}[0-9]")
_RESERVED_DOMAIN = re.compile(r"[\w-]\.example\b|\bexample\.(com|org|net)\b", re.I)
# Fields of the example Trust whose values are its made-up contact details.
_CONTACT_KEYS = {"email", "feedback_email", "contact_email", "website", "intranet_home",
                 "intranet_url", "url", "phone", "contact_phone", "location"}


def is_drama_number(text: str) -> bool:
    """True if the text holds a UK number from Ofcom's drama ranges (as 0... or +44...)."""
    for match in _PHONE_LIKE.finditer(text):
        digits = re.sub(r"\D", "", match[0])
        digits = "0" + digits[2:] if match[0].startswith("+44") else digits
        if len(digits) == 11 and digits.startswith(DRAMA_NUMBER_PREFIXES):
            return True
    return False


def _leaves(data: Any, path: tuple = ()) -> list[tuple[tuple, Any]]:
    if isinstance(data, dict):
        return [leaf for key, value in data.items() for leaf in _leaves(value, path + (key,))]
    if isinstance(data, list):
        return [leaf for index, value in enumerate(data) for leaf in _leaves(value, path + (index,))]
    return [(path, data)]


def example_contacts(locales_dir: Path = LOCALES_DIR) -> set[str]:
    """The example Trust's own made-up addresses and numbers, from locales/example.yml."""
    source = locales_dir / "example.yml"
    if not source.is_file():
        return set()
    data = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    return {str(value).strip().lower() for path, value in _leaves(data)
            if path and path[-1] in _CONTACT_KEYS and isinstance(value, str)}


def _release_reason(value: str, contacts: set[str]) -> str:
    if value.strip().lower() in contacts:
        return "is the example Trust's own made-up contact. Give your Trust's real one."
    if _RESERVED_DOMAIN.search(value):
        return "uses a reserved example domain (.example, example.com). Give a real address."
    if is_drama_number(value):
        return ("is an Ofcom drama number that never rings anyone. Give your Trust's real "
                "number.")
    return ""


def release_problems(locale: Locale, locales_dir: Path = LOCALES_DIR) -> list[Problem]:
    """Everything that must not be published: marked example values, the placeholder logo,
    example domains, the example Trust's contacts and Ofcom drama numbers."""
    file = display_path(locale.path)
    problems = placeholder_warnings(locale)
    flagged = {problem.line for problem in problems}
    contacts = example_contacts(locales_dir)
    for path, value in _leaves(locale.data):
        line = locale.lines.get(path, 0)
        reason = _release_reason(value, contacts) if isinstance(value, str) else ""
        if reason and line not in flagged:
            problems.append(Problem(file, line, ".".join(map(str, path)), reason))
    return sorted(problems, key=lambda problem: problem.line)
