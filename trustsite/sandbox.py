"""A Trust's own pages (locales/<slug>/pages/*.md) rendered where they cannot run code.

Those pages come from about 200 organisations, so they are untrusted input. They are rendered
by Jinja's ImmutableSandboxedEnvironment with only the documented page variables (the locale
context, see trustsite/context.py) and the page macros (trustsite/page_macros.py), and with the
same escaping as national pages. Python internals, `config`, environment variables and any
include/import/extends are refused; an unknown variable is an error. Every problem is reported
as `locales/<slug>/pages/<file>.md:LINE: ...`, the Trust's own file, never a docs/ path.
"""

from __future__ import annotations

import contextvars
import re
import difflib
from pathlib import Path
from types import TracebackType
from typing import Any, Callable, Iterator

from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound, nodes
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.exceptions import SecurityError, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from trustsite.content import INCLUDES
from trustsite.context import CONTEXT_KEYS, template_context
from trustsite.local_pages import find_local_pages
from trustsite.locale import Locale, LocaleError, Problem, display_path
from trustsite.page_macros import as_text, page_macros
from trustsite.project import INSTALLED
from trustsite.sanitise import find_hint, sanitise_and_report

HELP = "Pages may use the locale's fields (see locales/schema.json) and the macros " \
       "cite, link, email_link and phone_link."
_TEMPLATE = "<trust page>"  # the name Jinja gives the page's code in tracebacks


class _NoFiles(BaseLoader):
    """Refuses every include, import and extends: a Trust page reads no other file."""

    def get_source(self, environment: Any, template: str) -> Any:
        raise TemplateNotFound(template)


MAX_LENGTH = 1_000_000  # longer text or lists would only exhaust the build's memory
MAX_EXPONENT, MAX_BASE_BITS = 64, 1024


def _too_big(operator: str, left: Any, right: Any) -> bool:
    """True for `'x' * n` or `n ** m` whose result would stall or crash the build."""
    if operator == "**":
        return isinstance(right, int) and isinstance(left, int) and (
            abs(right) > MAX_EXPONENT or abs(left).bit_length() > MAX_BASE_BITS)
    for sequence, times in ((left, right), (right, left)):
        if isinstance(sequence, (str, list, tuple)) and isinstance(times, int):
            return len(sequence) * times > MAX_LENGTH
    return False


# -- The work a page may make its template do (SECURITY.md lists these budgets) -------------
# Every loop step costs one unit and every text or list a page makes costs its length, so
# nested loops, doubling text and wide padding all meet one limit, checked as they happen.
MAX_WORK = 2_000_000
MAX_OUTPUT = 1_000_000  # characters a page's template may write (a long page is 50,000)
MAX_NUMBER_ARGUMENT = 10_000  # for a filter or method: truncate(200) is fine
# Filters that make no more than their input (or a bounded amount): 'center', 'indent',
# 'wordwrap', 'format', 'batch' and 'slice' are left out; 'join' and 'replace' are checked.
ALLOWED_FILTERS = ("abs", "attr", "capitalize", "count", "d", "default", "dictsort", "e",
                   "escape", "filesizeformat", "first", "float", "groupby", "int", "items",
                   "join", "last", "length", "list", "lower", "map", "max", "min", "reject",
                   "rejectattr", "replace", "reverse", "round", "select", "selectattr", "sort",
                   "string", "striptags", "sum", "title", "trim", "truncate", "unique",
                   "upper", "wordcount")
# Methods of text, lists and mappings a page may call: none of them makes more than it reads.
ALLOWED_METHODS = frozenset({"upper", "lower", "title", "capitalize", "strip", "lstrip",
                             "rstrip", "startswith", "endswith", "split", "count", "find",
                             "index", "get", "items", "keys", "values"})
_WORK_LEFT: contextvars.ContextVar[list[int]] = contextvars.ContextVar("trust_page_work")


def _spend(units: int) -> None:
    left = _WORK_LEFT.get(None)
    if left is None:
        return  # not rendering a Trust's page (a filter called from Python)
    left[0] -= units
    if left[0] < 0:
        raise SecurityError(f"the page makes its template do more than {MAX_WORK:,} steps "
                            "(loops inside loops, or very long text). Simplify it")


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple, dict)) else 1


def _check_numbers(what: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and abs(value) > MAX_NUMBER_ARGUMENT:
            raise SecurityError(f"'{what}' with a number over {MAX_NUMBER_ARGUMENT:,} is "
                                "not allowed")


def _expected_size(name: str, value: Any, args: tuple[Any, ...]) -> int:
    """What 'join' and 'replace' would make, worked out before they make it."""
    if name == "join" and isinstance(value, (list, tuple, str)):
        separator = args[0] if args and isinstance(args[0], str) else ""
        return sum(_size(item) for item in value) + len(separator) * len(value)
    if name == "replace" and isinstance(value, str) and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        return len(value) + (value.count(old) if old else len(value) + 1) * len(new)
    return 0


def _budgeted_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def budgeted(*args: Any, **kwargs: Any) -> Any:
        _check_numbers(name, args, kwargs)
        values = [arg for arg in args  # without what pass_context and the like add
                  if not isinstance(arg, (Context, EvalContext, ImmutableSandboxedEnvironment))]
        if values:
            _spend(_expected_size(name, values[0], tuple(values[1:])))
        result = function(*args, **kwargs)
        _spend(_size(result))
        return result
    for marker in ("jinja_pass_arg",):  # pass_context / pass_environment, kept
        if hasattr(function, marker):
            setattr(budgeted, marker, getattr(function, marker))
    return budgeted


def _counted(iterable: Any) -> Iterator[Any]:
    """A {% for %} loop's items, one unit of work each."""
    for item in iterable:
        _spend(1)
        yield item


class _TrustPageSandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, also refusing repetition and powers big enough to stall a build,
    and holding each page to the work budget above."""

    intercepted_binops = frozenset(["*", "**", "+", "%"])

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if _too_big(operator, left, right):
            raise SecurityError(f"'{operator}' with a number this large is not allowed")
        if operator == "%" and isinstance(left, str):
            raise SecurityError("'%' with text is not allowed: join text with ~")
        result = super().call_binop(context, operator, left, right)
        _spend(_size(result))
        return result

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        method = getattr(__obj, "__name__", "")
        if isinstance(getattr(__obj, "__self__", None), (str, list, dict, tuple)) \
                and method not in ALLOWED_METHODS:
            raise SecurityError(f"the method '{method}' is not allowed in a Trust's page")
        _check_numbers(method or "call", args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        _spend(_size(result))
        return result


def _environment() -> ImmutableSandboxedEnvironment:
    env = _TrustPageSandbox(loader=_NoFiles(), undefined=StrictUndefined, finalize=as_text,
                            autoescape=False)
    env.globals.clear()  # no range, cycler, joiner, lipsum or namespace: only what we pass
    env.filters = {name: _budgeted_filter(name, env.filters[name]) for name in ALLOWED_FILTERS}
    env.filters[_COUNTED] = _counted
    return env


_COUNTED = "trustsite_counted_loop"  # not a name a page can write: it has no use for it


def _budget_loops_and_joins(tree: nodes.Template) -> nodes.Template:
    """Every {% for %} counts its steps, and every ~ pays for the text it makes."""
    for loop in tree.find_all(nodes.For):
        loop.iter = nodes.Filter(loop.iter, _COUNTED, [], [], None, None, lineno=loop.lineno)
    for concat in list(tree.find_all(nodes.Concat)):
        concat.nodes = [nodes.Filter(nodes.List(list(concat.nodes), lineno=concat.lineno),
                                     "join", [], [], None, None, lineno=concat.lineno)]
    return tree


def _render_within_budget(template: Any, variables: dict[str, Any]) -> str:
    token = _WORK_LEFT.set([MAX_WORK])
    try:
        parts, written = [], 0
        for part in template.generate(**variables):
            written += len(part)
            if written > MAX_OUTPUT:
                raise SecurityError(f"the page would be over {MAX_OUTPUT:,} characters long "
                                    "once its template has run. Shorten it")
            parts.append(part)
        return "".join(parts)
    finally:
        _WORK_LEFT.reset(token)


_ENV = _environment()


def known_names(context: dict[str, Any]) -> list[str]:
    """Every dotted variable name a page can print, e.g. 'trust.short_name'."""
    names: list[str] = []

    def walk(prefix: str, value: Any) -> None:
        names.append(prefix)
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}.{key}", item)

    for key, value in context.items():
        walk(key, value)
    return names


def _dotted(node: nodes.Node) -> tuple[str, list[str]] | None:
    """'trust' and ['short_name'] for `trust.short_name` or `trust['short_name']`."""
    parts: list[str] = []
    while isinstance(node, (nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getattr):
            parts.append(node.attr)
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            parts.append(node.arg.value)
        else:
            return None  # a computed key: checked when the page renders
        node = node.node
    if not isinstance(node, nodes.Name):
        return None
    return node.name, parts[::-1]


def _local_names(tree: nodes.Template) -> set[str]:
    """Names a page sets itself ({% set %}, {% for %}, {% macro %} arguments)."""
    return {name.name for name in tree.find_all(nodes.Name) if name.ctx in ("store", "param")} \
        | {macro.name for macro in tree.find_all(nodes.Macro)}


def _unknown_name(root: str, parts: list[str], context: dict[str, Any]) -> str | None:
    """The dotted name up to its first unknown part, or None when every part exists."""
    value: Any = context
    for depth, part in enumerate([root, *parts]):
        if not isinstance(value, dict):
            return None  # a list or text: its methods and items are checked at render time
        if part not in value:
            return ".".join([root, *parts][:depth + 1])
        value = value[part]
    return None


def _did_you_mean(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


def _name_problems(tree: nodes.Template, context: dict[str, Any],
                   macros: dict[str, Callable[..., Any]], file: str,
                   first_line: int) -> Iterator[Problem]:
    """Every unknown variable and macro, found before rendering so all are listed at once."""
    local = _local_names(tree)
    known = known_names(context)
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name not in macros \
                and call.node.name not in local:
            yield Problem(file, first_line + call.lineno - 1, call.node.name,
                          f"there is no macro '{call.node.name}'."
                          f"{_did_you_mean(call.node.name, list(macros))} {HELP}")
    for used in tree.find_all(nodes.Filter):
        if used.name not in ALLOWED_FILTERS:
            yield Problem(file, first_line + used.lineno - 1, used.name,
                          f"the filter '{used.name}' is not allowed in a Trust's page. "
                          f"Allowed filters: {', '.join(ALLOWED_FILTERS)}.")
    called = {id(call.node) for call in tree.find_all(nodes.Call)}
    seen: set[tuple[int, str]] = set()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Name)):
        dotted = _dotted(node)
        if dotted is None or dotted[0] in local or dotted[0] in macros or id(node) in called:
            continue
        unknown = _unknown_name(dotted[0], dotted[1], context)
        if unknown is None or (node.lineno, unknown) in seen:
            continue
        seen.add((node.lineno, unknown))
        yield Problem(file, first_line + node.lineno - 1, unknown,
                      f"there is no page variable '{unknown}'."
                      f"{_did_you_mean(unknown, known)} {HELP}")


def _template_line(traceback: TracebackType | None) -> int | None:
    """The page's line where rendering failed (Jinja maps its frames back to the page)."""
    line = None
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == _TEMPLATE:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def _render_problem(error: Exception, file: str, first_line: int) -> Problem:
    line = first_line + (_template_line(error.__traceback__) or 1) - 1
    if isinstance(error, TemplateNotFound):
        return Problem(file, line, "include", "a Trust's page may not include, import or "
                       "extend any file. Put the text in the page itself.")
    if isinstance(error, SecurityError):
        return Problem(file, line, "security", f"not allowed in a Trust's page ({error}). "
                       + HELP)
    if isinstance(error, MemoryError):
        return Problem(file, line, "security", "the page makes text or lists too big to "
                       "hold in memory. Simplify it.")
    if isinstance(error, UndefinedError):
        return Problem(file, line, "variable", f"{error}. {HELP}")
    message = str(error).replace("page_macros.<locals>.", "")
    return Problem(file, line, "macro", f"{message}. {HELP}")


def trust_page_problems(source: str, context: dict[str, Any],
                        macros: dict[str, Callable[..., Any]], file: str,
                        first_line: int = 1) -> tuple[str | None, list[Problem]]:
    """The rendered page, or None and every problem found (first_line: where `source`
    starts in the file, after any front matter)."""
    try:
        tree = _ENV.parse(source, filename=_TEMPLATE)
    except TemplateSyntaxError as error:
        return None, [Problem(file, first_line + (error.lineno or 1) - 1, "syntax",
                              f"{error.message}. Check the {{{{ }}}} and {{% %}} on this line.")]
    problems = list(_name_problems(tree, context, macros, file, first_line))
    if problems:
        return None, problems
    try:
        code = _ENV.compile(_budget_loops_and_joins(tree), filename=_TEMPLATE)
        template = _ENV.template_class.from_code(_ENV, code, _ENV.make_globals(None))
        rendered = _render_within_budget(template, {**context, **macros})
    except (TemplateError, TypeError, ValueError, AttributeError, KeyError, IndexError,
            ArithmeticError, RecursionError, MemoryError) as error:
        return None, [_render_problem(error, file, first_line)]
    problems = _title_problems(rendered, file, first_line) + \
        _markdown_budget_problems(rendered, file, first_line)
    return (None, problems) if problems else (rendered, [])


# Python-Markdown's inline patterns take time that grows with the square of the number of
# '<' that open a tag, link or address but never close it on their line, and of '[' in one
# paragraph (1 MB of either takes hours). So a '<' that starts a tag must end it with '>'
# on its line, and a paragraph may hold at most MAX_BRACKETS_IN_A_PARAGRAPH '['. Both scans
# are linear: each run starts at a '<' and stops at the next '<', '>' or line end.
_UNCLOSED_TAG = re.compile(r"<[A-Za-z/!?][^<>\n]*(?![^<>\n])(?!>)")
MAX_BRACKETS_IN_A_PARAGRAPH = 200


def _markdown_budget_problems(rendered: str, file: str, first_line: int) -> list[Problem]:
    """The first '<' that opens a tag and does not close it on its line, and the first
    paragraph with too many '[': each refused with its line, before Markdown reads the page."""
    problems = []
    unclosed = _UNCLOSED_TAG.search(rendered)
    if unclosed:
        line = first_line + rendered.count("\n", 0, unclosed.start())
        problems.append(Problem(file, line, "html", f"{unclosed[0][:20]!r} starts an HTML tag "
                                "but does not end it with '>' on the same line. Write &lt; for a "
                                "less-than sign, or end the tag on this line."))
    start = 0
    for paragraph in re.split(r"\n[ \t]*\n", rendered):
        if paragraph.count("[") > MAX_BRACKETS_IN_A_PARAGRAPH:
            line = first_line + rendered.count("\n", 0, rendered.index(paragraph, start))
            problems.append(Problem(file, line, "page", f"this paragraph holds "
                                    f"{paragraph.count('[')} '[', more than the "
                                    f"{MAX_BRACKETS_IN_A_PARAGRAPH} a paragraph may hold. "
                                    "Split it into shorter paragraphs."))
            break
        start += len(paragraph)
    return problems


def _title_problems(rendered: str, file: str, first_line: int) -> list[Problem]:
    """The page's title heading (its first '# ' line) may not hold braces, like the front
    matter's title: it becomes a SharePoint page's title, where PnP's token parser honours
    no escape."""
    lines = rendered.splitlines()
    number = next((n for n, line in enumerate(lines) if line.startswith("# ")), None)
    if number is None or not {"{", "}"} & set(lines[number]):
        return []
    return [Problem(file, first_line + number, "title",
                    f"the heading {lines[number].strip()!r} holds {{ or }}, which the SharePoint "
                    "pack cannot carry in a page title. Remove them from the heading.")]


def render_trust_page(source: str, context: dict[str, Any],
                      macros: dict[str, Callable[..., Any]], file: str,
                      first_line: int = 1) -> str:
    """The page rendered in the sandbox, or LocaleError naming the Trust's file and line."""
    rendered, problems = trust_page_problems(source, context, macros, file, first_line)
    if problems:
        raise LocaleError(problems)
    assert rendered is not None
    return rendered


NOT_ALLOWED_HTML = ("not allowed in a Trust's page, so the build would remove it. Use "
                    "Markdown for text, links, images and tables, and ask the national "
                    "maintainers for anything more.")


MAX_NAMED = 20  # parts the sanitiser removed that are named one by one; the rest counted


def sanitised_page(html: str, page_text: str, file: str, first_line: int,
                   ) -> tuple[str, list[Problem]]:
    """A Trust page's HTML through the one allow-list (trustsite/sanitise.py), and one
    problem per line of the page file (`page_text`, front matter included) for what it
    removed, found by looking for what was removed in the page's text, in order."""
    clean, parts = sanitise_and_report(html)
    by_line: dict[int, list[str]] = {}
    start = 0
    for part in parts[:MAX_NAMED]:
        at = next((found for hint in part.hints if hint for found in (
            find_hint(page_text, hint, start), find_hint(page_text, hint)) if found != -1), -1)
        start = at + 1 if at != -1 else start
        line = page_text.count("\n", 0, at) + 1 if at != -1 else first_line
        by_line.setdefault(line, []).append(part.what)
    problems = [Problem(file, line, "html", f"{', '.join(dict.fromkeys(whats))} "
                        f"{'is' if len(set(whats)) == 1 else 'are'} {NOT_ALLOWED_HTML}")
                for line, whats in sorted(by_line.items())]
    if len(parts) > MAX_NAMED:
        problems.append(Problem(file, first_line, "html", f"{len(parts) - MAX_NAMED} more "
                                f"part(s) after those above are {NOT_ALLOWED_HTML}"))
    return clean, problems + _title_heading_problems(clean, page_text, file, first_line)


def _title_heading_problems(html: str, page_text: str, file: str,
                            first_line: int) -> list[Problem]:
    """A top heading whose text shows < or >: MkDocs makes it the page's title, which the
    theme prints unescaped in <title> after decoding '&lt;', so it would become markup."""
    from lxml import html as lxml_html

    problems = []
    for heading in lxml_html.fragment_fromstring(html or "<p></p>", create_parent="div"
                                                 ).iter("h1"):
        text = heading.text_content()
        if "<" in text or ">" in text:
            at = find_hint(page_text, text.split("<")[0].split(">")[0].strip() or "#")
            line = page_text.count("\n", 0, at) + 1 if at != -1 else first_line
            problems.append(Problem(file, line, "heading", "a top heading may "
                                    "not show < or >: it becomes the page's title. Write "
                                    "them in words, such as 'less than'."))
    return problems


def _markdown_extensions(mkdocs_yml: Path) -> tuple[list[str], dict[str, Any]]:
    """The Markdown extensions and their options as MkDocs reads them from mkdocs.yml (with
    the three it always adds)."""
    from mkdocs.utils.yaml import yaml_load

    with mkdocs_yml.open(encoding="utf-8") as stream:
        config = yaml_load(stream)
    names, options = ["toc", "tables", "fenced_code"], {}
    for item in config.get("markdown_extensions") or []:
        name, option = (item, None) if isinstance(item, str) else next(iter(item.items()))
        names += [] if name in names else [name]
        if option:
            options[name] = option
    return names, options


def markdown_html(markdown_text: str, mkdocs_yml: Path = INSTALLED.mkdocs_yml) -> str:
    """A rendered page's Markdown as HTML, with the extensions the build uses, so `check`
    sees what the sanitiser will see in the build."""
    import markdown

    names, options = _markdown_extensions(mkdocs_yml)
    return markdown.Markdown(extensions=names, extension_configs=options).convert(
        markdown_text)


def body_and_first_line(text: str) -> tuple[str, int]:
    """A page's Markdown without its front matter, and the file line where it starts."""
    body, _meta = get_data(text)
    return body, body_start_line(text, body)


def body_start_line(text: str, body: str) -> int:
    if body and text.endswith(body):
        return text.count("\n", 0, len(text) - len(body)) + 1
    return 1


def check_trust_pages(locale: Locale, docs_dir: Path) -> list[Problem]:
    """`trustsite check`: render each of the Trust's pages in the sandbox, with no build."""
    context = template_context(locale)
    problems: list[Problem] = []
    for name, path in find_local_pages(locale, docs_dir).all_pages.items():
        text = path.read_text(encoding="utf-8-sig")  # as MkDocs reads it
        body, first_line = body_and_first_line(text)
        macros = page_macros(lambda: name)
        file = trust_page_file(locale, name)
        rendered, found = trust_page_problems(body, context, macros, file, first_line)
        if rendered is not None:
            found = sanitised_page(markdown_html(rendered), text, file, first_line)[1]
        problems += found
    return problems


def trust_page_file(locale: Locale, name: str) -> str:
    """How messages name one of the Trust's pages: locales/<slug>/pages/<name>."""
    return f"{display_path(locale.folder)}/pages/{name}"


def page_context(extra: dict[str, Any]) -> dict[str, Any]:
    """The documented page variables only: never `config` or anything else in extra."""
    return {key: extra[key] for key in CONTEXT_KEYS}


def render_trust_page_markdown(markdown: str, page: Page, locale: Locale,
                               extra: dict[str, Any], includes: Path = INCLUDES) -> str:
    """The on_page_markdown step for a Trust's page: rendered here, in the sandbox, and
    marked so mkdocs-macros leaves it as it is (it honours `render_macros: false`)."""
    page.meta["render_macros"] = False
    file = trust_page_file(locale, page.file.src_uri)
    first_line = body_start_line(page.file.content_string, markdown)
    try:
        return render_trust_page(markdown, page_context(extra),
                                 page_macros(lambda: page.file.src_uri, includes), file,
                                 first_line)
    except LocaleError as error:
        raise PluginError(str(error)) from None


def sanitise_trust_page_html(html: str, page: Page, locale: Locale) -> str:
    """The on_page_content step for a Trust's page: its HTML through the one allow-list;
    anything it would remove fails the build, naming the page's line, as `check` does."""
    text = page.file.content_string
    clean, problems = sanitised_page(html, text, trust_page_file(locale, page.file.src_uri),
                                     body_and_first_line(text)[1])
    if problems:
        raise PluginError("\n".join(str(problem) for problem in problems))
    return clean
