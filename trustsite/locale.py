"""Load a Trust's locale file and report every problem in it at once.

Each problem is one line, `FILE:LINE: key.path: what is wrong and what is allowed`, so a
communications team can go straight to the line to fix. Nothing is rendered until a locale
has no problems.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from trustsite.colours import contrast_ratio, MIN_CONTRAST
from trustsite.guard import svg_problems
from trustsite import schema as fields
from trustsite.schema import LOCALE_SCHEMA, SLUG_PATTERN

ROOT = Path(__file__).resolve().parents[1]
LOCALES_DIR = ROOT / "locales"
DEFAULT_TRUST = "example"
Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.key}: {self.message}"


class LocaleError(Exception):
    """A locale that cannot be used; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Locale:
    slug: str
    path: Path
    data: dict[str, Any]
    lines: dict[Path_, int] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        """The locale's own assets folder: beside the file, named after its stem."""
        return self.path.parent / self.slug

    def asset(self, relative: str) -> Path:
        return self.folder / relative


# -- Finding locale files --------------------------------------------------------------------

def locale_paths(locales_dir: Path = LOCALES_DIR) -> list[Path]:
    return sorted(p for p in locales_dir.glob("*.yml") if p.is_file())


def resolve_locale_path(name: str | None, locales_dir: Path = LOCALES_DIR) -> Path:
    """Turn a slug, a path to a .yml file, or nothing (the default Trust) into a file path."""
    name = (name or DEFAULT_TRUST).strip()
    if name.endswith((".yml", ".yaml")) or os.sep in name or "/" in name:
        path = Path(name).expanduser().resolve()
        if not path.is_file():
            raise LocaleError([Problem(name, 0, "TRUST", "no such locale file. Give a slug "
                                       "from locales/ or the path to an existing .yml file.")])
        return path
    if not re.fullmatch(SLUG_PATTERN, name):
        raise LocaleError([Problem(name, 0, "TRUST", _slug_message(name))])
    path = locales_dir / f"{name}.yml"
    if not path.is_file():
        known = [p.stem for p in locale_paths(locales_dir)]
        raise LocaleError([Problem(display_path(path), 0, "TRUST",
                                   f"there is no locale '{name}'.{_did_you_mean(name, known)} "
                                   f"Known locales: {', '.join(known) or 'none'}.")])
    return path


def _slug_message(slug: str) -> str:
    return (f"'{slug}' is not a valid slug. Use lower-case letters, digits and single hyphens "
            "only, for example 'anytown-hospitals'.")


def display_path(path: Path) -> str:
    """A path as short as possible for messages: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# -- YAML with line numbers ------------------------------------------------------------------

class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text, so the schema checks them and says what is wrong."""


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _walk_nodes(node: yaml.Node, path: Path_, file: str, lines: dict[Path_, int],
                problems: list[Problem]) -> None:
    """Record the line of every key and item, and report duplicate keys."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            child = path + (key,)
            if key in seen:
                problems.append(Problem(file, line, _dotted(child),
                                        f"this key is given twice (first on line {seen[key]}). "
                                        "Keep one and delete the other."))
                continue
            seen[key] = line
            _walk_nodes(value_node, child, file, lines, problems)
            lines[child] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk_nodes(item, path + (index,), file, lines, problems)


def _dotted(path: Iterable[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(whole file)"


def read_yaml(path: Path) -> tuple[Any, dict[Path_, int], list[Problem]]:
    """Parse a locale file, returning its data, the line of each key and any parse problems."""
    file = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, {}, [Problem(file, 0, "(whole file)", f"cannot be read: {error}. Save it "
                                  "as UTF-8 text.")]
    try:
        node = yaml.compose(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = error.problem or "the YAML cannot be read"
        return None, {}, [Problem(file, line, "(yaml syntax)",
                                  f"{what} at line {line}, column {column}. Check the "
                                  "indentation and that text with a colon or # is in quotes.")]
    if node is None:
        return None, {}, [Problem(file, 1, "(whole file)", "the file is empty. Start from "
                                  "locales/example.yml or run 'python -m trustsite new'.")]
    if not isinstance(node, yaml.MappingNode):
        return None, {}, [Problem(file, node.start_mark.line + 1, "(whole file)",
                                  "the file must be a mapping of keys to values (like "
                                  "'trust:' on the first line), not a list or a single value.")]
    lines: dict[Path_, int] = {}
    problems: list[Problem] = []
    _walk_nodes(node, (), file, lines, problems)
    data = yaml.load(text, Loader=_StrictLoader)  # duplicates: the last value wins, reported
    return data, lines, problems


# -- Schema checks ---------------------------------------------------------------------------

_VALIDATOR = Draft202012Validator(LOCALE_SCHEMA, format_checker=FormatChecker(["date"]))

_PATTERN_HELP = {
    "primary_colour": "a hex colour such as '#005EB8'",
    "email": "an email address such as 'research@anytown.nhs.uk'",
    "url": "a web address starting https:// or http://, or a mailto: or tel: link "
           "(javascript: and data: are not allowed)",
    "phone": "a phone number of digits, spaces and brackets, for example '01632 960123'",
    "date": "a date written YYYY-MM-DD, for example '2026-03-31'",
    "logo": "the name of an .svg or .png file in the locale's folder",
    "text": "text without the characters < and >",
    "year": "a financial year such as '2025/26'",
}


_HELP_BY_PATTERN = {fields.HEX_COLOUR_PATTERN: "primary_colour", fields.EMAIL_PATTERN: "email",
                    fields.URL_PATTERN: "url", fields.PHONE_PATTERN: "phone",
                    fields.DATE_PATTERN: "date", fields.ASSET_PATTERN: "logo",
                    fields.TEXT_PATTERN: "text"}


def _pattern_help(schema: dict[str, Any], key: str) -> str:
    kind = _HELP_BY_PATTERN.get(schema.get("pattern", ""), key)
    return _PATTERN_HELP.get(kind, f"text matching {schema.get('pattern')}")


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


def _type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", int: "a whole number",
            float: "a number", bool: "true/false", type(None): "empty"}.get(type(value),
                                                                           type(value).__name__)


def _describe(error: ValidationError) -> tuple[Path_, str]:
    """Turn a jsonschema error into the key it concerns and a sentence for a person."""
    path: Path_ = tuple(error.absolute_path)
    key = str(path[-1]) if path else ""
    kind, schema, value = error.validator, error.schema, error.instance
    if kind == "required":
        missing = re.search(r"'([^']+)' is a required property", error.message)
        name = missing.group(1) if missing else "?"
        described = schema["properties"].get(name, {}).get("description", "")
        return path + (name,), f"is required but missing. {described}".strip()
    if kind == "additionalProperties":
        extras = sorted(set(value) - set(schema.get("properties", {})))
        name = extras[0] if extras else "?"
        allowed = ", ".join(schema.get("properties", {}))
        return path + (name,), (f"is not a known field.{_did_you_mean(name, schema['properties'])}"
                                f" Allowed here: {allowed}.")
    if kind == "type":
        wanted = {"object": "a mapping of fields", "string": "text", "integer": "a whole number",
                  "array": "a list"}.get(schema.get("type"), schema.get("type"))
        return path, f"must be {wanted}, but it is {_type_name(value)}."
    if kind == "enum":
        options = schema["enum"]
        return path, (f"'{value}' is not allowed.{_did_you_mean(value, options)} "
                      f"Use one of: {', '.join(options)}.")
    if kind in ("pattern", "format"):
        if schema.get("pattern") == fields.URL_PATTERN and re.match(r"^\s*(javascript|data):",
                                                                 str(value), re.I):
            return path, (f"'{value}' is not allowed: javascript: and data: links are unsafe. "
                          f"Use {_PATTERN_HELP['url']}.")
        if schema.get("format") == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
            return path, f"'{value}' is not a real date. Use {_PATTERN_HELP['date']}."
        return path, f"'{value}' is not valid. Use {_pattern_help(schema, key)}."
    if kind == "minLength":
        return path, "is empty. Fill it in or delete the line if the field is optional."
    if kind == "maxLength":
        return path, f"is too long ({len(value)} characters). Keep it to {schema['maxLength']}."
    if kind == "minItems":
        return path, "is an empty list. Add an item or delete the section."
    if kind == "maxItems":
        return path, f"has {len(value)} items. Keep it to {schema['maxItems']}."
    if kind in ("minimum", "maximum"):
        return path, f"{value} is out of range ({kind} {schema[kind]})."
    return path, error.message


def _schema_problems(data: Any, file: str, lines: dict[Path_, int]) -> list[Problem]:
    problems = []
    for error in _VALIDATOR.iter_errors(data):
        path, message = _describe(error)
        problems.append(Problem(file, _line_for(path, lines), _dotted(path), message))
    return problems


def _line_for(path: Path_, lines: dict[Path_, int]) -> int:
    """The line of the key, or of its nearest parent when the key is missing."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return 1


# -- Checks the schema cannot express ---------------------------------------------------------

def _colour_problems(data: dict[str, Any], file: str, lines: dict[Path_, int]) -> list[Problem]:
    colour = data.get("brand", {}).get("primary_colour")
    if not isinstance(colour, str) or not re.fullmatch(r"#[0-9A-Fa-f]{6}", colour):
        return []
    ratio = contrast_ratio(colour, "#FFFFFF")
    if ratio >= MIN_CONTRAST:
        return []
    path = ("brand", "primary_colour")
    return [Problem(file, _line_for(path, lines), _dotted(path),
                    f"white text on {colour} has a contrast ratio of {ratio:.2f}:1, below the "
                    f"minimum of {MIN_CONTRAST}:1 (WCAG 2.2 AA). Use a darker shade, such as "
                    "NHS Blue '#005EB8'.")]


def _asset_problems(data: dict[str, Any], locale_folder: Path, file: str,
                    lines: dict[Path_, int]) -> list[Problem]:
    problems = []
    for key in ("logo", "favicon"):
        value = data.get("brand", {}).get(key)
        if not isinstance(value, str):
            continue
        path = ("brand", key)
        where = f"the locale's folder {display_path(locale_folder)}/"
        target = (locale_folder / value).resolve()
        if Path(value).is_absolute() or not target.is_relative_to(locale_folder.resolve()):
            message = f"'{value}' is outside {where}. Put the file there and give its name."
        elif target.suffix.lower() not in (".svg", ".png"):
            message = f"'{value}' is not an SVG or PNG file. Use an .svg or .png logo."
        elif not target.is_file():
            message = f"'{value}' does not exist in {where}. Check the file name and its case."
        elif unsafe := (svg_problems(target.read_bytes()) if target.suffix.lower() == ".svg"
                        else []):
            message = (f"'{value}' is not safe to publish: {'; '.join(unsafe)}. Export the "
                       "logo again as a plain SVG, or use a PNG.")
        else:
            continue
        problems.append(Problem(file, _line_for(path, lines), _dotted(path), message))
    return problems


def _date_order_problems(data: dict[str, Any], file: str,
                         lines: dict[Path_, int]) -> list[Problem]:
    site = data.get("site", {})
    try:
        last = dt.date.fromisoformat(site["last_reviewed"])
        following = dt.date.fromisoformat(site["next_review"])
    except (KeyError, TypeError, ValueError):
        return []
    if following > last:
        return []
    path = ("site", "next_review")
    return [Problem(file, _line_for(path, lines), _dotted(path),
                    f"{following} is not after last_reviewed ({last}). Give a later date.")]


def _local_file_problems(locale_folder: Path) -> list[Problem]:
    from trustsite.local_pages import folder_problems  # it imports this module

    return folder_problems(locale_folder, ROOT / "docs")


# -- Public entry points ---------------------------------------------------------------------

def validate_file(path: Path) -> tuple[Locale | None, list[Problem]]:
    """Read and check one locale file. Returns the locale (if usable) and every problem."""
    path = path.resolve()
    file = display_path(path)
    slug = path.stem
    problems: list[Problem] = []
    if not re.fullmatch(SLUG_PATTERN, slug):
        problems.append(Problem(file, 0, "(file name)", _slug_message(slug) +
                                " Rename the file (its name is the slug)."))
    data, lines, parse_problems = read_yaml(path)
    problems += parse_problems
    if data is None:
        return None, problems
    problems += _schema_problems(data, file, lines)
    if isinstance(data, dict) and isinstance(data.get("brand"), dict):
        problems += _colour_problems(data, file, lines)
        problems += _asset_problems(data, path.parent / slug, file, lines)
    if isinstance(data, dict) and isinstance(data.get("site"), dict):
        problems += _date_order_problems(data, file, lines)
    problems += _local_file_problems(path.parent / slug)
    problems.sort(key=lambda p: (p.line, p.key))
    if problems:
        return None, problems
    return Locale(slug=slug, path=path, data=data, lines=lines), []


def load_locale(name: str | Path | None = None, locales_dir: Path = LOCALES_DIR) -> Locale:
    """The locale named by a slug or path (default: the example Trust), or LocaleError."""
    path = name if isinstance(name, Path) else resolve_locale_path(name, locales_dir)
    locale, problems = validate_file(path)
    if problems:
        raise LocaleError(problems)
    assert locale is not None
    return locale
