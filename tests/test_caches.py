"""The caches that speed up building many Trusts in one process keep their contract: a warm
build is faster, and no edit (references, glossary, theme override, locale, local page,
macros, the theme's files) is ever hidden by an earlier build's answer. Each check builds in
ONE process, as a `trustsite build` worker or a `trustsite serve` preview does."""

from __future__ import annotations

import json

from conftest import ROOT, run_in

# Run inside a scratch project: build, make each edit, build again, and report what the
# rebuilt pages say, as JSON.
EDIT_AND_REBUILD = r'''
import json, logging, sys, zipfile
from pathlib import Path
from trustsite.build import build_site
from trustsite.locale import load_locale

site = Path("out/example")

def build():
    build_site(load_locale("example"), site)

def refused():
    """What the build logged and raised when it failed, or '' when it built."""
    logged = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: logged.append(record.getMessage())
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        build()
    except Exception as error:
        return " ".join([str(error), *map(str, getattr(error, "problems", [])), *logged])
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    return ""

def word_text(name):
    with zipfile.ZipFile(site / "downloads" / name) as document:
        return document.read("word/document.xml").decode("utf-8")

def edit(path, old, new):
    file = Path(path)
    text = file.read_text(encoding="utf-8")
    assert old in text, (path, old)
    file.write_text(text.replace(old, new, 1), encoding="utf-8")

build()
seen = {}
edit("includes/references.yml", "Performance and Operating Framework",
     "Performance and Operating Handbook")
# Same length, and the cited pages' HTML is unchanged: only the Word copy's list differs.
edit("includes/references.yml", "Health and Care Services Engagement",
     "Health and Care Services Enlistment")
build()
seen["references"] = "Performance and Operating Handbook" in (
    site / "about/references.html").read_text()
seen["Word references"] = "Care Services Enlistment" in word_text("engagement-plan.docx")
edit("includes/abbreviations.md", "*[CQC]: Care Quality Commission",
     "*[CQC]: Care Quality Commissioners")
build()
seen["glossary"] = "Care Quality Commissioners" in (site / "glossary.html").read_text()
# Same length: only the file's content and time change, not its size.
edit("overrides/partials/trust-footer.html", "About this site", "About the guide")
build()
seen["override"] = "About the guide" in (site / "index.html").read_text()
# A new override of a theme template the kept environment has already loaded from the theme.
Path("overrides/partials/search.html").write_text(
    '<div class="added-while-serving">Search shadowed</div>\n', encoding="utf-8")
build()
seen["new override"] = "Search shadowed" in (site / "index.html").read_text()
Path("overrides/partials/search.html").unlink()
edit("locales/example.yml", "name: Example Hospitals NHS Foundation Trust",
     "name: Renamed Hospitals NHS Foundation Trust")
build()
seen["locale"] = "Renamed Hospitals NHS Foundation Trust" in (site / "index.html").read_text()
pages = Path("locales/example/pages")
pages.mkdir(exist_ok=True)
(pages / "our-wards.md").write_text("# Our wards\n\nFirst ward news.\n", encoding="utf-8")
build()
(pages / "our-wards.md").write_text("# Our wards\n\nSecond ward news.\n", encoding="utf-8")
build()
seen["local page"] = "Second ward news." in (site / "our-wards.html").read_text()
# The guard keeps each file's answer by its bytes: a page that changes is checked again.
(pages / "our-wards.md").write_text("# Our wards\n\n![Ward](https://example.org/ward.png)\n",
                                    encoding="utf-8")
seen["guard"] = "another host" in refused()
(pages / "our-wards.md").write_text("# Our wards\n\nSecond ward news.\n", encoding="utf-8")
build()
# A file added to the theme while serving is one a Trust's own file may not replace.
Path("overrides/added-while-serving.txt").write_text("theme\n", encoding="utf-8")
(pages / "added-while-serving.txt").write_text("Trust\n", encoding="utf-8")
seen["theme files"] = "one of the theme's own files" in refused()
(pages / "added-while-serving.txt").unlink()
# A filter applied to a constant runs while the page compiles: a new macros.py must count.
with open("macros.py", "a", encoding="utf-8") as macros:
    macros.write("\n_national_env = define_env\n\n\ndef define_env(env):\n"
                 "    _national_env(env)\n"
                 "    env.filter(lambda text: 'first edition', 'edition')\n")
with open("docs/glossary.md", "a", encoding="utf-8") as page:
    page.write('\n{{ "x" | edition }}\n')
build()
edit("macros.py", "'first edition'", "'other edition'")
build()
seen["macros"] = "other edition" in (site / "glossary.html").read_text()
# A rendered page is kept by its Markdown, the site's files and the Markdown settings.
edit("docs/what-is-research.md", "\n## ", "\nA sentence added while serving.\n\n## ")
build()
seen["page"] = "A sentence added while serving." in (site / "what-is-research.html").read_text()
with open("docs/what-is-research.md", "a", encoding="utf-8") as page:
    page.write("\nSee [the new page](added-page.md).\n")
first, second = refused(), refused()  # a render that warned is never kept
seen["broken link"] = "added-page.md" in first and "added-page.md" in second
Path("docs/added-page.md").write_text("# Added page\n", encoding="utf-8")
nav = Path("mkdocs.yml").read_text(encoding="utf-8")
Path("mkdocs.yml").write_text(nav.replace("\nnav:\n", "\nnav:\n  - Added: added-page.md\n", 1),
                              encoding="utf-8")
build()
seen["new page"] = 'href="added-page.html"' in (site / "what-is-research.html").read_text()
print(json.dumps(seen))
'''


def test_no_cache_hides_an_edit_from_the_next_build_in_the_same_process(scratch_project):
    result = run_in(scratch_project, "-c", EDIT_AND_REBUILD)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {"references": True, "Word references": True, "glossary": True,
                    "override": True, "new override": True, "locale": True,
                    "local page": True, "guard": True,
                    "theme files": True, "macros": True, "page": True, "broken link": True,
                    "new page": True}


# Build the example Trust twice in one process, after MkDocs and the plugins are imported
# (as build_many does before its workers fork), and print what each of trustsite.speed's
# caches answered during the second build. Counting answers, not timing builds, keeps the
# test exact on a busy machine; scripts/measure_caches.py measures what each cache saves.
SECOND_BUILD = r'''
import json, tempfile
from pathlib import Path
from trustsite import speed
from trustsite.build import _import_plugins, build_site
from trustsite.locale import load_locale
_import_plugins()
out = Path(tempfile.mkdtemp())
build_site(load_locale("example"), out / "first")
hits, misses = dict(speed.HITS), dict(speed.MISSES)
build_site(load_locale("example"), out / "second")
answers = {cache: [speed.HITS[cache] - hits.get(cache, 0),
                   speed.MISSES[cache] - misses.get(cache, 0)]
           for cache in set(speed.HITS) | set(speed.MISSES)}
files = sorted(path.relative_to(out / "first") for path in (out / "first").rglob("*"))
answers["different files"] = [str(name) for name in files
                              if (out / "first" / name).is_file() and
                              (out / "first" / name).read_bytes()
                              != (out / "second" / name).read_bytes()]
print(json.dumps(answers))
'''


def test_every_cache_answers_a_warm_build_in_the_same_process():
    """If a dependency upgrade stopped calling a cache, its hits would drop to zero; if it
    changed what a cache's key misses, the misses would show."""
    result = run_in(ROOT, "-c", SECOND_BUILD)
    assert result.returncode == 0, result.stderr[-3000:]
    second = json.loads(result.stdout.strip().splitlines()[-1])
    assert second.pop("different files") == []  # what the caches answer is what was built
    # Navigation items are kept for one build (one Trust) only, so every build misses once
    # for each item and folder; tests/test_shared_render.py checks that they hit.
    navigation_hits, _ = second.pop("navigation")
    assert navigation_hits > 0
    assert set(second) == {"theme environment", "static files", "page code", "guard",
                           "rendered pages", "shared pages", "shared search"}, second
    for cache, (hits, misses) in second.items():
        assert misses == 0 and hits > 0, (cache, hits, misses)


# In a new process, import MkDocs and the plugins (as build_many does before its workers
# fork), then build the example Trust twice and print the CPU seconds of each build.
COLD_THEN_WARM = r'''
import tempfile, time
from pathlib import Path
from trustsite.build import _import_plugins, build_site
from trustsite.locale import load_locale
_import_plugins()
out = Path(tempfile.mkdtemp())
for run in range(2):
    started = time.process_time()
    build_site(load_locale("example"), out / "example")
    print(time.process_time() - started)
'''
WARM_SPEED_UP = 1.5  # the contract of issue 12: a warm build at least 1.5x faster
ATTEMPTS = 3


def test_a_warm_second_build_is_at_least_one_and_a_half_times_faster(scratch_project):
    """A dependency upgrade that silently bypasses a cache shows here as a slower warm build.

    CPU time of this process (time.process_time), not wall time: on the shared 2-core
    machine other work takes turns on the cores, which stretches wall time but not the CPU
    seconds the build itself spends. Contention still slows both builds a little, unevenly,
    so the best of up to three fresh processes is kept: measured with every cache, the
    ratio was 1.6x to 2.8x in 35 single runs of two Trusts (November 2026, load 2 to 10),
    so one attempt in three clearing 1.5x means the caches answer. With no cache: 1.2x."""
    ratios = []
    for _ in range(ATTEMPTS):
        result = run_in(scratch_project, "-c", COLD_THEN_WARM)
        assert result.returncode == 0, result.stderr[-3000:]
        cold, warm = map(float, result.stdout.split()[-2:])
        ratios.append(round(cold / warm, 2))
        if ratios[-1] >= WARM_SPEED_UP:
            break
    assert max(ratios) >= WARM_SPEED_UP, ratios


# Build the example Trust with MkDocs' own Page.render recording which attributes of the page
# it sets: trustsite.speed keeps exactly those for a page rendered again unchanged.
RENDER_SETS = r'''
import json, tempfile
from pathlib import Path
from mkdocs.structure.pages import Page
from trustsite.build import build_site
from trustsite.locale import load_locale
set_by_render = set()
render = Page.render

def recording(self, config, files):
    before = dict(vars(self))
    render(self, config, files)
    set_by_render.update(name for name, value in vars(self).items()
                         if name not in before or before[name] is not value)

Page.render = recording
build_site(load_locale("example"), Path(tempfile.mkdtemp()) / "example")
print(json.dumps(sorted(set_by_render)))
'''


def test_a_kept_render_restores_everything_mkdocs_render_sets():
    """Page.render is MkDocs' own: if an upgrade makes it set another attribute, a page
    rendered again unchanged would lack it. This fails first."""
    from trustsite.speed import _RENDER_ATTRIBUTES

    result = run_in(ROOT, "-c", RENDER_SETS)
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == sorted(_RENDER_ATTRIBUTES)


def test_a_filter_name_is_found_in_a_page_as_a_whole_word_as_before():
    """The compiled-page key names the filters a page uses. Looking a name up among the
    page's words must find exactly what the regular expression \\bname\\b finds."""
    import random
    import re

    from trustsite import speed

    rng = random.Random(7)
    for case in range(5000):
        source = "".join(rng.choice("ab_1 .|{}()-\n\té") for _ in range(rng.randint(0, 30)))
        name = "".join(rng.choice("ab_1é.") for _ in range(rng.randint(1, 3)))
        expected = re.search(rf"\b{re.escape(name)}\b", source) is not None
        assert speed._names(name, source, set(speed._WORD.findall(source))) == expected, \
            (case, name, source)
