"""The caches that speed up building many Trusts in one process keep their contract: a warm
build is faster, and no edit (references, glossary, theme override, locale, local page) is
ever hidden by an earlier build's answer. Each check builds in ONE process, as a
`trustsite build` worker or a `trustsite serve` preview does."""

from __future__ import annotations

import json

from conftest import ROOT, run_in

# Run inside a scratch project: build, make each edit, build again, and report what the
# rebuilt pages say, as JSON.
EDIT_AND_REBUILD = r'''
import json, sys
from pathlib import Path
from trustsite.build import build_site
from trustsite.locale import load_locale

site = Path("out/example")

def build():
    build_site(load_locale("example"), site)

def edit(path, old, new):
    file = Path(path)
    text = file.read_text(encoding="utf-8")
    assert old in text, (path, old)
    file.write_text(text.replace(old, new, 1), encoding="utf-8")

build()
seen = {}
edit("includes/references.yml", "Performance and Operating Framework",
     "Performance and Operating Handbook")
build()
seen["references"] = "Performance and Operating Handbook" in (
    site / "about/references.html").read_text()
edit("includes/abbreviations.md", "*[CQC]: Care Quality Commission",
     "*[CQC]: Care Quality Commissioners")
build()
seen["glossary"] = "Care Quality Commissioners" in (site / "glossary.html").read_text()
# Same length: only the file's content and time change, not its size.
edit("overrides/partials/trust-footer.html", "About this site", "About this copy")
build()
seen["override"] = "About this copy" in (site / "index.html").read_text()
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
print(json.dumps(seen))
'''


def test_no_cache_hides_an_edit_from_the_next_build_in_the_same_process(scratch_project):
    result = run_in(scratch_project, "-c", EDIT_AND_REBUILD)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {"references": True, "glossary": True, "override": True, "locale": True,
                    "local page": True}


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
build_site(load_locale("example"), out / "example")
hits, misses = dict(speed.HITS), dict(speed.MISSES)
build_site(load_locale("example"), out / "example")
print(json.dumps({cache: [speed.HITS[cache] - hits.get(cache, 0),
                          speed.MISSES[cache] - misses.get(cache, 0)]
                  for cache in set(speed.HITS) | set(speed.MISSES)}))
'''


def test_every_cache_answers_a_warm_build_in_the_same_process():
    """If a dependency upgrade stopped calling a cache, its hits would drop to zero; if it
    changed what a cache's key misses, the misses would show."""
    result = run_in(ROOT, "-c", SECOND_BUILD)
    assert result.returncode == 0, result.stderr[-3000:]
    second = json.loads(result.stdout.strip().splitlines()[-1])
    # The theme's file list is only read when the static files are not yet known, so a
    # warm build needs it not at all; it must still miss nothing.
    answered = {"theme templates", "static files", "page code"}
    assert answered <= set(second) <= answered | {"theme file list"}, second
    for cache, (hits, misses) in second.items():
        assert misses == 0 and (hits > 0 or cache not in answered), (cache, hits, misses)
