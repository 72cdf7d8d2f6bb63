"""Load a Trust's locale file and report every problem in it at once.

Each problem is one line, `FILE:LINE: key.path: what is wrong and what is allowed`, so a
communications team can go straight to the line to fix. Nothing is rendered until a locale
has no problems.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml
from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError

from trustsite.colours import contrast_ratio, MIN_CONTRAST
from trustsite.guard import svg_problems
from trustsite.invisible import describe, escape_format_characters, hidden_characters
from trustsite.project import INSTALLED
from trustsite import schema as fields
from trustsite.schema import LOCALE_SCHEMA, SLUG_PATTERN
from trustsite.trust_files import brand_image_problem

LOCALES_DIR = INSTALLED.locales
DEFAULT_TRUST = "example"
Path_ = tuple[str | int, ...]


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def escape_unprintable(text: str) -> str:
    """Control and invisible format characters written as escapes, so a terminal or a CI log
    shows them instead of obeying them (colours, cursor moves, right-to-left overrides)."""
    return escape_format_characters(
        _UNPRINTABLE.sub(lambda m: "\\t" if m[0] == "\t" else repr(m[0])[1:-1], text))


def one_line(text: str) -> str:
    """Text safe to print as one line of a CI log: control characters and line breaks are
    escaped, and the line cannot start a GitHub workflow command ('::error::' and the like)."""
    escaped = escape_unprintable(text)
    return "\\" + escaped if escaped.lstrip().startswith("::") else escaped


def quoted(value: object) -> str:
    """A value from a Trust's file, as it appears in a message: in quotes, on one line."""
    return "'" + escape_unprintable(str(value)) + "'"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        return one_line(f"{self.file}:{self.line}: {self.key}: {self.message}")


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
    warnings: list[Problem] = field(default_factory=list)  # valid, but worth a look

    @property
    def folder(self) -> Path:
        """The locale's own assets folder: beside the file, named after its stem."""
        return self.path.parent / self.slug

    def asset(self, relative: str) -> Path:
        return self.folder / relative


# -- Finding locale files --------------------------------------------------------------------

def locale_paths(locales_dir: Path = LOCALES_DIR) -> list[Path]:
    return sorted(p for p in locales_dir.glob("*.yml") if p.is_file())


def duplicate_slug_problems(paths: list[Path]) -> list[Problem]:
    """Two files with one slug in one run would build into the same folder: name both."""
    first: dict[str, Path] = {}
    problems = []
    for path in paths:
        earlier = first.setdefault(path.stem, path)
        if earlier.resolve() != path.resolve():
            problems.append(Problem(display_path(path), 0, "(file name)",
                                    f"has the same slug '{path.stem}' as "
                                    f"{display_path(earlier)}. Rename one of them, or build "
                                    "them in separate runs."))
    return problems


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
    if slug.endswith((fields.SHAREPOINT_SUFFIX, fields.FRAGMENTS_SUFFIX)):
        return (f"'{slug}' ends in '-{slug.rsplit('-', 1)[1]}', which names another Trust's "
                "intranet pack folder. Choose a slug that does not end in '-sharepoint' or "
                "'-pages'.")
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
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR_TAG:
                problems.append(Problem(file, line, "(key)", _key_message(key_node)))
                continue
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
    elif _CONTROL.search(str(node.value)):  # written as an escape such as "\x00" or "\ud800"
        problems.append(Problem(file, lines[path], _dotted(path), CONTROL_IN_VALUE))
    elif hidden := hidden_characters(str(node.value)):
        problems.append(Problem(file, lines[path], _dotted(path), _hidden_message(hidden)))


def _hidden_message(hidden: list[str]) -> str:
    return (f"holds the invisible character {describe(hidden[0])}, which can hide or reorder "
            "text. Delete it; retype the value if unsure.")


def _key_message(node: yaml.Node) -> str:
    if node.tag == "tag:yaml.org,2002:merge":
        return "merge keys (<<) are not allowed. Write each field out in full."
    if not isinstance(node, yaml.ScalarNode):
        return "a key must be a plain name, not a list or mapping. Check the indentation."
    return (f"the key {quoted(node.value)} is a number, true/false or empty, not a field "
            "name. Use the field's name, such as 'name', as in locales/example.yml.")


def _dotted(path: Iterable[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(whole file)"


CONTROL_IN_VALUE = ("holds a control character or a broken character escape. Delete it; "
                    "retype the value if unsure.")
MAX_FILE_BYTES = 256 * 1024  # a full locale is about 3 KB; anything far bigger is a mistake
MAX_DEPTH = 10  # a locale nests 3 deep; the limit stops PyYAML recursing into a hostile file
MAX_ALIASES = 10  # aliases may repeat a short value; more, or a whole section, is refused
_STR_TAG = "tag:yaml.org,2002:str"
_PLAIN_TAGS = {_STR_TAG, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
               "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
               "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
# Characters no locale value needs: C0 controls (tab and line breaks are handled apart), DEL,
# C1 controls, and lone surrogates (only reachable through a "\ud800" escape).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _line_at(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def read_untrusted_text(path: Path, file: str) -> tuple[str | None, list[Problem]]:
    """A Trust's file as text, refusing one too big or not UTF-8, checking size first."""
    too_big = Problem(file, 0, "(whole file)", f"is over the limit of "
                      f"{MAX_FILE_BYTES // 1024} KB. A locale or page is a few KB: check you "
                      "chose the right file.")
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None, [too_big]
        with path.open("rb") as stream:  # never more than the limit, whatever stat said
            raw = stream.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            return None, [too_big]
    except OSError as error:
        return None, [Problem(file, 0, "(whole file)", f"cannot be read: {error.strerror}.")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return None, [Problem(file, line, "(whole file)", "is not UTF-8 text. Save it as "
                              "UTF-8 (in most editors: Save As, Encoding, UTF-8).")]
    return text, []


def _text_problems(text: str, file: str) -> list[Problem]:
    """Control characters anywhere, and tabs used to indent."""
    # Only the first five of each are read: each line number counts from the start (linear).
    problems = [Problem(file, _line_at(text, m.start()), "(whole file)",
                        f"holds a control character (U+{ord(m[0]):04X}) on line "
                        f"{_line_at(text, m.start())}. Delete it; retype the line if unsure.")
                for m in itertools.islice(_CONTROL.finditer(text), 5)]
    problems += list(itertools.islice(
        (Problem(file, number, "(indentation)", "starts with a tab character. "
                 "Use spaces, not tabs, to indent (two spaces a level).")
         for number, line in enumerate(text.splitlines(), 1) if re.match(r" *\t", line)), 5))
    return problems


def _structure_problems(text: str, file: str) -> list[Problem]:
    """Refuse what a locale never needs before building the node tree: unknown tags
    (!!python/...), deep nesting and aliases that could expand without bound."""
    collections: set[str] = set()
    aliases, depth = 0, 0
    for event in yaml.parse(text, Loader=_StrictLoader):
        line = event.start_mark.line + 1
        tag = getattr(event, "tag", None)
        if tag and tag not in _PLAIN_TAGS and tag != "!":
            return [Problem(file, line, "(yaml tag)", f"the tag {tag} is not allowed. Delete "
                            "it: a locale holds plain text, numbers and lists only.")]
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if event.anchor:
                collections.add(event.anchor)
            if depth > MAX_DEPTH:
                return [Problem(file, line, "(whole file)", f"nests more than {MAX_DEPTH} "
                                "levels deep. A locale needs at most 3: check the indentation.")]
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if event.anchor in collections or aliases > MAX_ALIASES:
                return [Problem(file, line, "(yaml alias)", "aliases (*name) may repeat a "
                                f"single value, at most {MAX_ALIASES} times. Write the "
                                "section out in full.")]
    return []


def _yaml_error_problem(error: yaml.YAMLError, file: str) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    what = getattr(error, "problem", None) or "the YAML cannot be read"
    return Problem(file, line, "(yaml syntax)", f"{what} at line {line}, column {column}. "
                   "Check the indentation and that text with a colon or # is in quotes.")


def read_yaml(path: Path) -> tuple[Any, dict[Path_, int], list[Problem]]:
    """Parse a locale file, returning its data, the line of each key and any parse problems.

    The file is untrusted: every way it can be hostile or broken ends as a Problem."""
    file = display_path(path)
    text, problems = read_untrusted_text(path, file)
    if text is None:
        return None, {}, problems
    return parse_mapping(text, file)


def parse_mapping(text: str, file: str) -> tuple[Any, dict[Path_, int], list[Problem]]:
    """Untrusted YAML text that must be a mapping: its data, the line of each key, and every
    problem. Lines count from the start of `text` (pad it with line breaks to shift them)."""
    problems = _text_problems(text, file)
    if problems:
        return None, {}, problems
    try:
        problems = _structure_problems(text, file)
        if problems:
            return None, {}, problems
        node = yaml.compose(text, Loader=_StrictLoader)
    except yaml.YAMLError as error:
        return None, {}, [_yaml_error_problem(error, file)]
    if node is None:
        return None, {}, [Problem(file, 1, "(whole file)", "the file is empty. Start from "
                                  "locales/example.yml or run 'make new SLUG=your-slug "
                                  "NAME=\"Your Trust name\"'.")]
    if not isinstance(node, yaml.MappingNode):
        return None, {}, [Problem(file, node.start_mark.line + 1, "(whole file)",
                                  "the file must be a mapping of keys to values (like "
                                  "'trust:' on the first line), not a list or a single value.")]
    lines: dict[Path_, int] = {}
    _walk_nodes(node, (), file, lines, problems)
    if any(p.key.startswith("(") or p.message == CONTROL_IN_VALUE for p in problems):
        return None, {}, problems  # only a duplicate key still leaves data worth checking
    try:
        # From the tree composed above, as yaml.load would build it, without parsing the
        # text a third time. Duplicates: the last wins (reported above).
        data = _StrictLoader("").construct_document(node)
    except (yaml.YAMLError, ValueError) as error:
        return None, {}, [_yaml_error_problem(error, file)]  # type: ignore[arg-type]
    return data, lines, problems


# -- Schema checks ---------------------------------------------------------------------------

def _pattern_to_the_end(validator: Any, pattern: str, instance: Any, schema: Any) -> Any:
    """'pattern' as JSON Schema tools read it: in Python '$' also matches before a final line
    break, which would let 'name\\n' through, so a final '$' means the very end here."""
    if isinstance(instance, str):
        whole = pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern
        if not re.search(whole, instance):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")


_VALIDATOR = validators.extend(Draft202012Validator, {"pattern": _pattern_to_the_end})(
    LOCALE_SCHEMA, format_checker=FormatChecker(["date"]))

_PATTERN_HELP = {
    "primary_colour": "a hex colour such as '#005EB8'",
    "email": "an email address such as 'research@anytown.nhs.uk'",
    "url": "a web address starting https:// or http://, or a mailto: or tel: link "
           "(javascript: and data: are not allowed)",
    "phone": "a phone number of digits, spaces and brackets, for example '01632 960123', "
             "with any extension after it as 'ext. 1234'",
    "date": "a date written YYYY-MM-DD, for example '2026-03-31'",
    "logo": "the name of an .svg or .png file in the locale's folder",
    "text": "text without the characters < and >, or { and }",
    "title": "text without the characters < and >, { and }, or an HTML character reference "
             "such as '&amp;' (write & itself)",
    "year": "a financial year such as '2025/26'",
}


_HELP_BY_PATTERN = {fields.HEX_COLOUR_PATTERN: "primary_colour", fields.EMAIL_PATTERN: "email",
                    fields.URL_PATTERN: "url", fields.PHONE_PATTERN: "phone",
                    fields.DATE_PATTERN: "date", fields.ASSET_PATTERN: "logo",
                    fields.TEXT_PATTERN: "text", fields.PAGE_TITLE_PATTERN: "title"}


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


# What check says about a field, by kind of problem: {names} are filled in by _describe and
# the checks below. The locale editor (trustsite/editor.py) fills in the same words in the
# browser, so the two cannot say different things.
MESSAGES = {
    "required": "is required but missing. {description}",
    "unknown": "is not a known field.{did_you_mean} Allowed here: {allowed}.",
    "colour_comment": "is empty: YAML reads an unquoted # as the start of a comment. Put the "
                      "colour in quotes: '#005EB8'.",
    "commas": "{value} has commas. Write it without commas: {without_commas}.",
    "empty_in_section": "is empty. Fill it in: this field is needed when its section is there.",
    "type": "must be {wanted}, but it is {found}.",
    "enum": "{value} is not allowed.{did_you_mean} Use one of: {options}.",
    "unsafe_link": "{value} is not allowed: javascript: and data: links are unsafe. Use {help}.",
    "not_a_date": "{value} is not a real date. Use {help}.",
    "line_break": "{value} runs over more than one line. Put it all on one line: a line break "
                  "here would break the page.",
    "control": "{value} holds a control character (shown with a \\). Delete it; retype the "
               "value if unsure.",
    "pattern": "{value} is not valid. Use {help}.",
    "min_length": "is empty. Fill it in or delete the line if the field is optional.",
    "max_length": "is too long ({length} characters). Keep it to {limit}.",
    "min_items": "is an empty list. Add an item or delete the section.",
    "max_items": "has {count} items. Keep it to {limit}.",
    "range": "{number} is out of range ({kind} {limit}).",
    "contrast": "white text on {colour} has a contrast ratio of {ratio}:1, below the minimum "
                "of {minimum}:1 (WCAG 2.2 AA). Use a darker shade, such as NHS Blue '#005EB8'.",
    "date_order": "{following} is not after last_reviewed ({last}). Give a later date.",
    "left_out": "is empty, so it is left out. Give a value or delete the line.",
    "unsafe_logo": "{value} is not safe to publish: {problems}. Export the logo again as a "
                   "plain SVG, or use a PNG.",
}
# How _describe names a JSON type, and a YAML value's type.
WANTED_TYPES = {"object": "a mapping of fields", "string": "text", "integer": "a whole number",
                "array": "a list"}


def _describe(error: ValidationError) -> tuple[Path_, str]:
    """Turn a jsonschema error into the key it concerns and a sentence for a person."""
    path: Path_ = tuple(error.absolute_path)
    key = str(path[-1]) if path else ""
    kind, schema, value = error.validator, error.schema, error.instance
    if kind == "required":
        missing = re.search(r"'([^']+)' is a required property", error.message)
        name = missing.group(1) if missing else "?"
        described = schema["properties"].get(name, {}).get("description", "")
        return path + (name,), MESSAGES["required"].format(description=described).strip()
    if kind == "additionalProperties":
        extras = sorted(set(value) - set(schema.get("properties", {})))
        name = extras[0] if extras else "?"
        allowed = ", ".join(schema.get("properties", {}))
        return path + (name,), MESSAGES["unknown"].format(
            did_you_mean=_did_you_mean(name, schema["properties"]), allowed=allowed)
    if kind == "type" and key == "primary_colour" and value is None:
        return path, MESSAGES["colour_comment"]
    if kind == "type" and isinstance(value, str) and re.fullmatch(r"\d{1,3}(,\d{3})+", value):
        return path, MESSAGES["commas"].format(value=quoted(value),
                                               without_commas=value.replace(",", ""))
    if kind == "type" and value is None:
        return path, MESSAGES["empty_in_section"]
    if kind == "type":
        wanted = WANTED_TYPES.get(schema.get("type"), schema.get("type"))
        return path, MESSAGES["type"].format(wanted=wanted, found=_type_name(value))
    if kind == "enum":
        options = schema["enum"]
        return path, MESSAGES["enum"].format(value=quoted(value),
                                             did_you_mean=_did_you_mean(value, options),
                                             options=", ".join(options))
    if kind in ("pattern", "format"):
        if schema.get("pattern") == fields.URL_PATTERN and re.match(r"^\s*(javascript|data):",
                                                                 str(value), re.I):
            return path, MESSAGES["unsafe_link"].format(value=quoted(value),
                                                        help=_PATTERN_HELP["url"])
        if schema.get("format") == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
            return path, MESSAGES["not_a_date"].format(value=quoted(value),
                                                       help=_PATTERN_HELP["date"])
        if re.search(r"[\n\r\u2028\u2029]", str(value)):
            return path, MESSAGES["line_break"].format(value=quoted(value))
        if re.search(r"[\x00-\x1f\x7f-\x9f]", str(value)):
            return path, MESSAGES["control"].format(value=quoted(value))
        return path, MESSAGES["pattern"].format(value=quoted(value),
                                                help=_pattern_help(schema, key))
    if kind == "minLength":
        return path, MESSAGES["min_length"]
    if kind == "maxLength":
        return path, MESSAGES["max_length"].format(length=len(value), limit=schema["maxLength"])
    if kind == "minItems":
        return path, MESSAGES["min_items"]
    if kind == "maxItems":
        return path, MESSAGES["max_items"].format(count=len(value), limit=schema["maxItems"])
    if kind in ("minimum", "maximum"):
        return path, MESSAGES["range"].format(number=value, kind=kind, limit=schema[kind])
    return path, error.message


def _schema_problems(data: Any, file: str, lines: dict[Path_, int], source: list[str],
                     validator: Any = _VALIDATOR) -> list[Problem]:
    """One problem per field (a bad date breaks both its pattern and its format)."""
    problems: dict[Path_, Problem] = {}
    for error in validator.iter_errors(data):
        path, message = _describe(error)
        line = _line_for(path, lines)
        if path[-1:] == ("primary_colour",) and 0 < line <= len(source):
            colour = re.search(r"#[0-9A-Fa-f]{3,6}\b", source[line - 1])
            message = message.replace("'#005EB8'", f"'{colour[0]}'") if colour else message
        problems.setdefault(path, Problem(file, line, _dotted(path), message))
    return list(problems.values())


def _drop_empty_optional(data: Any, schema: dict[str, Any], path: Path_, file: str,
                         lines: dict[Path_, int]) -> list[Problem]:
    """An optional field left empty (its comment marker removed, no value given) counts as
    absent: remove it and return a warning, not an error."""
    warnings = []
    if not isinstance(data, dict):
        return warnings
    required = set(schema.get("required", []))
    for key, field_schema in schema.get("properties", {}).items():
        if key not in data:
            continue
        child = path + (key,)
        if data[key] is None and key not in required:
            del data[key]
            warnings.append(Problem(file, _line_for(child, lines), _dotted(child),
                                    MESSAGES["left_out"]))
        elif "properties" in field_schema:
            warnings += _drop_empty_optional(data[key], field_schema, child, file, lines)
        elif "items" in field_schema and isinstance(data[key], list):
            for index, item in enumerate(data[key]):
                warnings += _drop_empty_optional(item, field_schema["items"], child + (index,),
                                                 file, lines)
    return warnings


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
                    MESSAGES["contrast"].format(colour=colour, ratio=f"{ratio:.2f}",
                                                minimum=MIN_CONTRAST))]


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
            message = f"{quoted(value)} is outside {where}. Put the file there and give its name."
        elif target.suffix.lower() not in (".svg", ".png"):
            message = f"{quoted(value)} is not an SVG or PNG file. Use an .svg or .png logo."
        elif not target.is_file():
            message = f"{quoted(value)} does not exist in {where}. Check the file name and its case."
        elif unsafe := (svg_problems(target.read_bytes()) if target.suffix.lower() == ".svg"
                        else []):
            message = MESSAGES["unsafe_logo"].format(value=quoted(value),
                                                     problems="; ".join(unsafe))
        elif unusable := brand_image_problem(target):
            message = f"{quoted(value)} cannot be used: {unusable}"
        else:
            continue
        problems.append(Problem(file, _line_for(path, lines), _dotted(path), message))
    return problems


def _date_order_problems(dates: dict[str, Any], file: str, lines: dict[Path_, int],
                         section: Path_ = ("site",)) -> list[Problem]:
    try:
        last = dt.date.fromisoformat(dates["last_reviewed"])
        following = dt.date.fromisoformat(dates["next_review"])
    except (KeyError, TypeError, ValueError):
        return []
    if following > last:
        return []
    path = section + ("next_review",)
    return [Problem(file, _line_for(path, lines), _dotted(path),
                    MESSAGES["date_order"].format(following=following, last=last))]


# -- A Trust's own pages: their front matter is untrusted too -----------------------------------

# The front matter MkDocs reads: between '---' lines at the very top (mkdocs.utils.meta).
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_PAGE_VALIDATOR = validators.extend(Draft202012Validator, {"pattern": _pattern_to_the_end})(
    fields.PAGE_FRONT_MATTER_SCHEMA, format_checker=FormatChecker(["date"]))


def _front_matter(text: str, file: str) -> tuple[Any, dict[Path_, int], list[Problem]]:
    """The page's front matter as data, with line numbers as in the page file."""
    match = _FRONT_MATTER.match(text)
    if match:
        return parse_mapping("\n" + match[1], file)  # the block starts on the page's line 2
    from mkdocs.utils.meta import get_data  # 'Key: value' lines: read line by line, no YAML

    _, meta = get_data(text)
    source = text.splitlines()
    lines = {(key,): next((number for number, line in enumerate(source, 1)
                           if line.lower().startswith(key + ":")), 1) for key in meta}
    return meta, lines, [Problem(file, lines[(key,)], key, _hidden_message(hidden))
                         for key, value in meta.items()
                         if (hidden := hidden_characters(str(value)))]


def as_mkdocs_reads(text: str) -> str:
    """A page's text as MkDocs reads it (utf-8-sig, universal newlines): with no byte order
    mark and only \n, so a BOM or Windows line endings cannot hide front matter from the
    check that MkDocs and the theme still read."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def page_problems(page: Path) -> list[Problem]:
    """Problems in the front matter of one of a Trust's pages, each with the page's own file
    and line: it may hold only the fields the README documents (title, last_reviewed,
    next_review), each checked like a locale field. The theme prints other keys (such as
    description, hide, icon or status) into every page as they are."""
    file = display_path(page)
    text, problems = read_untrusted_text(page, file)
    if text is None:
        return problems
    meta, lines, problems = _front_matter(as_mkdocs_reads(text), file)
    if not isinstance(meta, dict):
        return problems
    allowed = fields.PAGE_FRONT_MATTER_SCHEMA["properties"]
    problems += [Problem(file, _line_for((key,), lines), quoted(key)[1:-1],
                         f"is not a front matter field a Trust's page may use."
                         f"{_did_you_mean(key, allowed)} Allowed: {', '.join(allowed)}. "
                         "Delete the line.")
                 for key in meta if key not in allowed]
    known = {key: meta[key] for key in allowed if key in meta}
    problems += _schema_problems(known, file, lines, [], _PAGE_VALIDATOR)
    return problems + _date_order_problems(known, file, lines, ())


def local_page_problems(locale_folder: Path) -> list[Problem]:
    """Front matter problems in every page of locales/<slug>/pages/."""
    folder = locale_folder / "pages"
    if not folder.is_dir():
        return []
    return [problem for page in sorted(folder.rglob("*.md")) if page.is_file()
            for problem in page_problems(page)]


def _local_file_problems(locale_folder: Path) -> list[Problem]:
    from trustsite.local_pages import folder_problems  # it imports this module

    return folder_problems(locale_folder, INSTALLED.docs)


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
    warnings = _drop_empty_optional(data, LOCALE_SCHEMA, (), file, lines)
    source = path.read_text(encoding="utf-8").splitlines()
    problems += _schema_problems(data, file, lines, source)
    if isinstance(data, dict) and isinstance(data.get("brand"), dict):
        problems += _colour_problems(data, file, lines)
        problems += _asset_problems(data, path.parent / slug, file, lines)
    if isinstance(data, dict) and isinstance(data.get("site"), dict):
        problems += _date_order_problems(data["site"], file, lines)
    problems += _local_file_problems(path.parent / slug)
    problems.sort(key=lambda p: (p.line, p.key))
    problems += local_page_problems(path.parent / slug)
    if problems:
        return None, problems
    return Locale(slug=slug, path=path, data=data, lines=lines, warnings=warnings), []


def load_locale(name: str | Path | None = None, locales_dir: Path = LOCALES_DIR) -> Locale:
    """The locale named by a slug or path (default: the example Trust), or LocaleError."""
    path = name if isinstance(name, Path) else resolve_locale_path(name, locales_dir)
    locale, problems = validate_file(path)
    if problems:
        raise LocaleError(problems)
    assert locale is not None
    return locale
