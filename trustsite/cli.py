"""The command line: `python -m trustsite COMMAND`. Each command's help is its docstring."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Callable

from trustsite.build import TrustResult, build_many, unsafe_out_dir
from trustsite.local_pages import find_local_pages, national_pages
from trustsite.sandbox import check_trust_pages
from trustsite.locale import (Locale, LocaleError, Problem, duplicate_slug_problems,
                              locale_paths, one_line,
                              resolve_locale_path, validate_file)
from trustsite.project import INSTALLED
from trustsite.reviews import review_warnings
from trustsite.scaffold import create_locale, placeholder_warnings, release_problems
from trustsite.schema import (README_FILE, SCHEMA_FILE, SHAREPOINT_SITES, readme_with_fields,
                              write_schema_file)
from trustsite.shards import parse_shard, shard

DOCS_DIR = INSTALLED.docs
DEFAULT_OUT = INSTALLED.default_out
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # the theme's end-of-life banner is noise here


def _paths_for(names: list[str]) -> list[Path]:
    """Locale files for slugs or paths; all of locales/ when none are given."""
    if not names:
        return locale_paths()
    return [resolve_locale_path(name) for name in names]


def _validate(paths: list[Path]) -> tuple[list[Locale], list[Problem]]:
    locales: list[Locale] = []
    paths = list(dict.fromkeys(path.resolve() for path in paths))  # each file once
    problems = duplicate_slug_problems(paths)
    if problems:
        return locales, problems
    for locale, found in _validated_files(paths):
        problems += found
        if locale is not None:
            locales.append(locale)
    return locales, problems


# Checking a locale is CPU work (its YAML read twice, then the schema): 200 Trusts took
# about 1.4 s on one core while the other waited, so many are checked on every core.
_CHECK_IN_PARALLEL_FROM = 20


def _validated_files(paths: list[Path]) -> list[tuple[Locale | None, list[Problem]]]:
    """validate_file for each path, in order."""
    import multiprocessing

    cores = os.cpu_count() or 1
    if (len(paths) < _CHECK_IN_PARALLEL_FROM or cores < 2
            or "fork" not in multiprocessing.get_all_start_methods()):  # Windows has no fork
        return [validate_file(path) for path in paths]
    with multiprocessing.get_context("fork").Pool(processes=cores) as pool:
        return pool.map(validate_file, paths, chunksize=10)


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _warnings(locale: Locale) -> list[Problem]:
    """What is valid but needs a person: scaffold example values, reviews due or overdue."""
    pages = national_pages(DOCS_DIR)
    pages.update(find_local_pages(locale, DOCS_DIR).all_pages)
    return locale.warnings + placeholder_warnings(locale) + review_warnings(locale, pages)


def _print_warnings(warnings: list[Problem]) -> None:
    for warning in warnings:
        print(one_line(f"{warning.file}:{warning.line}: {warning.key}: warning: "
                       f"{warning.message}"), file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    """Validate locale files (default: every file in locales/) and report every problem.

    Also warns about values still as 'trustsite new' wrote them, and about pages or sites
    due for review within 30 days. Warnings do not fail the check.
    """
    locales, problems = _validate(_paths_for(args.locales))
    _print_problems(problems)
    for locale in locales:
        page_problems = check_trust_pages(locale, DOCS_DIR)
        _print_problems(page_problems)
        problems += page_problems
        if page_problems:
            continue
        warnings = _warnings(locale)
        _print_warnings(warnings)
        note = f" ({len(warnings)} warning(s))" if warnings else ""
        print(f"ok  {locale.slug}{note}")
    if problems:
        print(f"{len(problems)} problem(s) found. Fix each line above.", file=sys.stderr)
        return 1
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    """Create locales/SLUG.yml for a new Trust, with every field explained, and a logo.

    The new Trust builds at once. Replace each value marked '# example value: replace' and
    the placeholder logo; 'check' lists what is left and 'build --release' refuses it.
    """
    try:
        path = create_locale(args.slug, args.name)
    except ValueError as error:
        print(one_line(f"locales/{args.slug}.yml: {error}"), file=sys.stderr)
        return 1
    print(f"Wrote {path} and {path.parent / args.slug / 'logo.svg'}.")
    print(f"Next: edit it, then run 'make check TRUST={args.slug}' to check it and "
          f"'make serve TRUST={args.slug}' to preview it (on Windows: "
          f"'.venv\\Scripts\\trustsite check {args.slug}' and "
          f"'.venv\\Scripts\\trustsite serve {args.slug}').")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Preview one Trust (default: example) at http://127.0.0.1:8000, reloading on changes
    to pages, the locale, its logo and its local pages. A broken locale or page is shown
    in the browser, FILE:LINE first, until it is fixed."""
    from trustsite.preview import serve

    try:
        path = resolve_locale_path(args.trust)
    except LocaleError as error:
        _print_problems(error.problems)
        return 1
    host, _, port = args.address.rpartition(":")
    if not host or not port.isdigit():
        print(f"--address {args.address}: give host:port, e.g. --address 127.0.0.1:8000",
              file=sys.stderr)
        return 1
    os.environ["TRUST"] = str(path)
    return serve(host.strip("[]"), int(port), path.stem)


def _progress(done: int, total: int, result: TrustResult) -> None:
    state = "same" if result.kept else "ok  " if result.ok else "FAIL"
    took = "unchanged since its last build: kept" if result.kept else f"{result.seconds:.1f} s"
    line = f"[{done}/{total}] {state} {result.slug} ({took})"
    if result.replaces:
        line += f"; replaces national pages: {', '.join(result.replaces)}"
    if not result.ok:
        line += f": {result.message}"
    print(one_line(line), file=sys.stdout if result.ok else sys.stderr, flush=True)


def cmd_build(args: argparse.Namespace) -> int:
    """Build Trust sites into DIR/<slug>/, with DIR/<slug>.zip and DIR/index.html.

    With no SLUG (or with --all) every locale in locales/ is built. A Trust whose locale or
    build fails keeps its previous site; the command names every failure and exits 1.
    """
    unsafe = unsafe_out_dir(Path(args.out))
    if unsafe:
        print(f"--out: {one_line(unsafe)}", file=sys.stderr)
        return 2
    paths = locale_paths() if args.all or not args.slugs else _paths_for(args.slugs)
    unsafe = unsafe_out_dir(Path(args.out), locale_files=paths)
    if unsafe:
        print(f"--out: {one_line(unsafe)}", file=sys.stderr)
        return 2
    if args.shard:
        paths = shard(sorted(paths, key=lambda path: path.stem), *args.shard)
        if not paths:
            print(f"Shard {args.shard[0]}/{args.shard[1]} has no Trusts: nothing to build.")
            return 0
    locales, problems = _validate(paths)
    _print_problems(problems)
    failed = sorted({Path(p.file).stem for p in problems})
    if args.release:
        unfinished = [p for locale in locales for p in release_problems(locale)]
        _print_problems(unfinished)
        stopped = sorted({Path(p.file).stem for p in unfinished})
        for slug in stopped:
            print(f"{slug}: not built for release while placeholders remain (listed above).",
                  file=sys.stderr)
        locales = [locale for locale in locales if locale.slug not in stopped]
        failed += stopped
    out_dir = Path(args.out)
    asked = [name for name, flag in (("sharepoint", args.sharepoint), ("pages", args.fragments))
             if flag]
    results = build_many(locales, out_dir, jobs=args.jobs, pdf=args.pdf, targets=asked,
                         report=_progress, skip_unchanged=not args.force,
                         sharepoint_site=args.sharepoint_site) if locales else []
    failed += [r.slug for r in results if not r.ok]
    built = [r for r in results if r.ok and not r.kept]
    kept = [r for r in results if r.kept]
    if built or kept:
        done = f"Built {len(built)} site(s)" + (
            f"; kept {len(kept)} unchanged (--force builds them too)" if kept else "")
        print(f"{done}. Open {out_dir.resolve() / 'index.html'}")
    if failed:
        print(one_line(f"Failed: {', '.join(sorted(failed))}"), file=sys.stderr)
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
        print("\n".join(map(one_line, format_report(score_site(site)).splitlines())))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """Print the slug of every locale in locales/, one a line, or as a JSON array with --json."""
    import json

    slugs = [path.stem for path in locale_paths()]
    if args.json:
        print(json.dumps(slugs))
    else:
        for slug in slugs:
            print(slug)
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    """Write DIR/index.html linking every Trust site already built in DIR/<slug>/.

    For sites built in separate jobs (as in the pull-request workflow) and then gathered into
    one folder. Names come from locales/.
    """
    from trustsite.build import write_index

    out_dir = Path(args.out)
    unsafe = unsafe_out_dir(out_dir)
    if unsafe:
        print(f"--out: {one_line(unsafe)}", file=sys.stderr)
        return 2
    locales, problems = _validate(locale_paths())
    _print_problems(problems)
    built = [TrustResult(locale.slug, locale.data["trust"]["name"], True, 0.0)
             for locale in locales if (out_dir / locale.slug / "index.html").is_file()]
    print(f"Wrote {write_index(out_dir.resolve(), built)} linking {len(built)} site(s)")
    return 0


def cmd_changes(args: argparse.Namespace) -> int:
    """Report the pages each Trust gains, loses or changes between two git revisions.

    Builds BASE and HEAD (default: the commit HEAD, not uncommitted edits) for every Trust, each
    in a temporary git worktree with its own code and content, and compares the words on each
    page. Prints Markdown for a pull-request comment, or writes it to --markdown FILE;
    --html FILE writes a standalone page (put it in the built site's folder to link the pages).
    Exits 1 if a revision's build fails (the report says so), 2 if a revision does not exist.
    """
    from trustsite.changes import (ChangesError, compare_revisions, render_html,
                                   render_markdown, repository_root)
    try:
        report = compare_revisions(repository_root(INSTALLED.root), args.base, args.head, jobs=args.jobs)
    except ChangesError as error:
        print(one_line(f"changes: {error}"), file=sys.stderr)
        return 2
    markdown = render_markdown(report)
    if args.markdown:
        Path(args.markdown).write_text(markdown, encoding="utf-8")
        print(f"Wrote {args.markdown}", file=sys.stderr)
    else:
        sys.stdout.write(markdown)
    if args.html:
        page = Path(args.html).resolve()
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(render_html(report, site_dir=page.parent), encoding="utf-8")
        print(f"Wrote {args.html}", file=sys.stderr)
    if report.failure is not None:
        print(f"changes: {report.failure}. The end of its output:\n{report.failure.log}",
              file=sys.stderr)
        return 1
    changed = sum(trust.changed for trust in report.trusts)
    print(f"{changed} of {len(report.trusts)} Trust(s) have changed pages.", file=sys.stderr)
    return 0


def cmd_changed(args: argparse.Namespace) -> int:
    """Name the Trusts whose own files (locale or folder) changed between two git revisions.

    Compares HEAD with where it left BASE, as a pull request does. Prints the Trusts that CI
    builds one by one (at most 20); --github-output FILE adds them as the JSON list `trusts`
    for a workflow's matrix; --markdown FILE writes the pull-request comment's rows: each
    Trust's name, preview (--preview URL), its files (the artifact addresses in --links DIR,
    a file per slug) and what stops it being published. Exits 2 if a revision does not exist.
    """
    import json

    from trustsite.changed_trusts import (GitError, changed_trusts, render_rows,
                                          trust_rows)
    from trustsite.changes import repository_root
    try:
        changed = changed_trusts(repository_root(INSTALLED.root), args.base, args.head)
    except GitError as error:
        print(one_line(f"changed: {error}"), file=sys.stderr)
        return 2
    print(f"Trusts to build one by one: {' '.join(changed.to_build) or 'none'}")
    if changed.not_built or changed.national:
        print(f"Left to the full set: {len(changed.not_built)} more Trust(s), "
              f"{len(changed.national)} national file(s).")
    if args.github_output:
        with open(args.github_output, "a", encoding="utf-8") as output:
            output.write(f"trusts={json.dumps(changed.to_build)}\n")
    if args.markdown:
        links = Path(args.links) if args.links else None
        rows = trust_rows(changed.to_build, links)
        Path(args.markdown).write_text(
            render_rows(rows, changed, preview=args.preview, run=args.run), encoding="utf-8")
        print(f"Wrote {args.markdown}", file=sys.stderr)
    return 0


def _shard_option(text: str) -> tuple[int, int]:
    try:
        return parse_shard(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m trustsite", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        doc = handler.__doc__ or ""
        sub = commands.add_parser(name, help=doc.splitlines()[0], description=doc,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
        sub.set_defaults(handler=handler)
        return sub

    new = add("new", cmd_new)
    new.add_argument("slug", metavar="SLUG", help="the new Trust's slug, e.g. anytown-hospitals")
    new.add_argument("--name", required=True, help="the Trust's full name, in quotes")

    serve = add("serve", cmd_serve)
    serve.add_argument("trust", nargs="?", default=None, metavar="SLUG",
                       help="slug or path to a .yml (default: example)")
    serve.add_argument("--address", default="127.0.0.1:8000", help="host:port to serve on")

    check = add("check", cmd_check)
    check.add_argument("locales", nargs="*", metavar="LOCALE", help="slug or path to a .yml")

    build = add("build", cmd_build)
    build.add_argument("slugs", nargs="*", metavar="SLUG", help="slug or path to a .yml")
    build.add_argument("--all", action="store_true", help="build every locale in locales/")
    build.add_argument("--out", default=str(DEFAULT_OUT), metavar="DIR",
                       help=f"output folder (default: {DEFAULT_OUT.name}/)")
    build.add_argument("--jobs", type=int, default=None, metavar="N",
                       help="worker processes (default: one per core)")
    build.add_argument("--pdf", action="store_true",
                       help="also print each Trust's whole guide to DIR/<slug>.pdf (Chromium)")
    build.add_argument("--sharepoint", action="store_true",
                       help="also write DIR/<slug>-sharepoint/, a PnP template for SharePoint")
    build.add_argument("--sharepoint-site", choices=SHAREPOINT_SITES, default=None,
                       help="the kind of SharePoint site, which decides where the guide's menu "
                            "goes: communication (top menu, the default) or team (left-hand "
                            "menu); overrides the locale's publishing.sharepoint_site")
    build.add_argument("--fragments", action="store_true",
                       help="also write DIR/<slug>-pages/, paste-ready pages for an intranet")
    build.add_argument("--shard", type=_shard_option, metavar="N/COUNT",
                       help="build only every COUNT-th Trust, starting with the Nth "
                            "(CI's parallel jobs: 1/4 to 4/4 build each Trust once)")
    build.add_argument("--force", action="store_true",
                       help="build every Trust, even one whose inputs are unchanged since "
                            "its last build into DIR")
    build.add_argument("--release", action="store_true",
                       help="refuse Trusts with placeholders: example values and logo, "
                            "example domains, Ofcom drama numbers (publishing)")

    add("schema", cmd_schema)

    readability = add("readability", cmd_readability)
    readability.add_argument("trust", nargs="?", default=None, metavar="LOCALE",
                             help="slug or path to a .yml (default: example)")

    listing = add("list", cmd_list)
    listing.add_argument("--json", action="store_true", help="print a JSON array")

    index = add("index", cmd_index)
    index.add_argument("--out", default=str(DEFAULT_OUT), metavar="DIR",
                       help=f"the folder of built sites (default: {DEFAULT_OUT.name}/)")

    changed = add("changed", cmd_changed)
    changed.add_argument("base", metavar="BASE", help="git revision the changes start from")
    changed.add_argument("head", nargs="?", default="HEAD", metavar="HEAD",
                         help="git revision to look at (default: HEAD)")
    changed.add_argument("--github-output", metavar="FILE",
                         help="append trusts=<JSON list> to this file ($GITHUB_OUTPUT)")
    changed.add_argument("--markdown", metavar="FILE", help="write the comment's rows here")
    changed.add_argument("--links", metavar="DIR",
                         help="a file per slug holding its artifact's address")
    changed.add_argument("--preview", default="", metavar="URL",
                         help="the preview's address (each Trust's site is URL<slug>/)")
    changed.add_argument("--run", default="", metavar="URL",
                         help="the workflow run's address, where the full set is")

    changes = add("changes", cmd_changes)
    changes.add_argument("base", metavar="BASE", help="git revision to compare from")
    changes.add_argument("head", nargs="?", default="HEAD", metavar="HEAD",
                         help="git revision to compare to (default: HEAD)")
    changes.add_argument("--markdown", metavar="FILE", help="write the Markdown report here")
    changes.add_argument("--html", metavar="FILE", help="write the HTML report here")
    changes.add_argument("--jobs", type=int, default=None, metavar="N",
                         help="worker processes for each build (default: one per core)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.handler(args)
    except LocaleError as error:
        _print_problems(error.problems)
        return 2
