"""The command line: `python -m trustsite COMMAND`. Each command's help is its docstring."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Callable

from trustsite.build import DEFAULT_OUT, TrustResult, build_many
from trustsite.locale import (Locale, LocaleError, Problem, locale_paths, resolve_locale_path,
                              validate_file)
from trustsite.schema import README_FILE, SCHEMA_FILE, readme_with_fields, write_schema_file

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # the theme's end-of-life banner is noise here


def _paths_for(names: list[str]) -> list[Path]:
    """Locale files for slugs or paths; all of locales/ when none are given."""
    if not names:
        return locale_paths()
    return [resolve_locale_path(name) for name in names]


def _validate(paths: list[Path]) -> tuple[list[Locale], list[Problem]]:
    locales, problems = [], []
    for path in paths:
        locale, found = validate_file(path)
        problems += found
        if locale is not None:
            locales.append(locale)
    return locales, problems


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    """Validate locale files (default: every file in locales/) and report every problem."""
    locales, problems = _validate(_paths_for(args.locales))
    _print_problems(problems)
    for locale in locales:
        print(f"ok  {locale.slug}")
    if problems:
        print(f"{len(problems)} problem(s) found. Fix each line above.", file=sys.stderr)
        return 1
    return 0


def _progress(done: int, total: int, result: TrustResult) -> None:
    state = "ok  " if result.ok else "FAIL"
    line = f"[{done}/{total}] {state} {result.slug} ({result.seconds:.1f} s)"
    if not result.ok:
        line += f": {result.message}"
    print(line, file=sys.stdout if result.ok else sys.stderr, flush=True)


def cmd_build(args: argparse.Namespace) -> int:
    """Build Trust sites into DIR/<slug>/, with DIR/<slug>.zip and DIR/index.html.

    With no SLUG (or with --all) every locale in locales/ is built. A Trust whose locale or
    build fails keeps its previous site; the command names every failure and exits 1.
    """
    paths = locale_paths() if args.all or not args.slugs else _paths_for(args.slugs)
    locales, problems = _validate(paths)
    _print_problems(problems)
    failed = sorted({Path(p.file).stem for p in problems})
    out_dir = Path(args.out)
    results = build_many(locales, out_dir, jobs=args.jobs, report=_progress) if locales else []
    failed += [r.slug for r in results if not r.ok]
    built = [r for r in results if r.ok]
    if built:
        print(f"Built {len(built)} site(s). Open {out_dir.resolve() / 'index.html'}")
    if failed:
        print(f"Failed: {', '.join(sorted(failed))}", file=sys.stderr)
        return 1
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Write locales/schema.json and the README's field table from trustsite/schema.py."""
    write_schema_file()
    readme = README_FILE.read_text(encoding="utf-8")
    README_FILE.write_text(readme_with_fields(readme), encoding="utf-8")
    print(f"Wrote {SCHEMA_FILE} and the field table in {README_FILE}")
    return 0


def cmd_readability(args: argparse.Namespace) -> int:
    """Print words, average sentence length and Flesch reading ease for each built page.

    Builds the Trust (default: example) into a temporary folder first.
    """
    import tempfile

    from trustsite.build import build_site
    from trustsite.locale import load_locale
    from trustsite.readability import format_report, score_site

    locale = load_locale(args.trust)
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / locale.slug
        build_site(locale, site)
        print(format_report(score_site(site)))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m trustsite", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        doc = handler.__doc__ or ""
        sub = commands.add_parser(name, help=doc.splitlines()[0], description=doc,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
        sub.set_defaults(handler=handler)
        return sub

    check = add("check", cmd_check)
    check.add_argument("locales", nargs="*", metavar="LOCALE", help="slug or path to a .yml")

    build = add("build", cmd_build)
    build.add_argument("slugs", nargs="*", metavar="SLUG", help="slug or path to a .yml")
    build.add_argument("--all", action="store_true", help="build every locale in locales/")
    build.add_argument("--out", default=str(DEFAULT_OUT), metavar="DIR",
                       help=f"output folder (default: {DEFAULT_OUT.name}/)")
    build.add_argument("--jobs", type=int, default=None, metavar="N",
                       help="worker processes (default: one per core)")

    add("schema", cmd_schema)

    readability = add("readability", cmd_readability)
    readability.add_argument("trust", nargs="?", default=None, metavar="LOCALE",
                             help="slug or path to a .yml (default: example)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.handler(args)
    except LocaleError as error:
        _print_problems(error.problems)
        return 2
