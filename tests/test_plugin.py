"""The Trust's work inside MkDocs is one plugin, found by its entry point."""

from __future__ import annotations

from importlib.metadata import entry_points

from trustsite.plugin import TrustSitePlugin

from conftest import ROOT


def test_the_plugin_is_registered_and_loaded_by_mkdocs_yml():
    from mkdocs.config import load_config

    (entry,) = entry_points(group="mkdocs.plugins", name="trustsite")
    assert entry.load() is TrustSitePlugin
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert isinstance(config.plugins["trustsite"], TrustSitePlugin)
    assert not config.hooks  # no hook modules: the plugin is the one way in


# Build the example Trust, recording every program the build starts.
RECORD_PROGRAMS = r'''
import json, subprocess, tempfile
from pathlib import Path
started = []
start = subprocess.Popen.__init__

def recording(self, args, *more, **options):
    started.append(args if isinstance(args, str) else " ".join(map(str, args)))
    start(self, args, *more, **options)

subprocess.Popen.__init__ = recording
from trustsite.build import build_site
from trustsite.locale import load_locale
build_site(load_locale("example"), Path(tempfile.mkdtemp()) / "example")
print(json.dumps(started))
'''


def test_a_build_runs_no_git_command():
    """mkdocs-macros would start twelve `git` commands a build (in a checkout or not) for a
    page variable no page uses; trustsite.plugin swaps its lookup for the answer it gives
    outside a checkout."""
    import json

    from conftest import run_in

    result = run_in(ROOT, "-c", RECORD_PROGRAMS)
    assert result.returncode == 0, result.stderr[-3000:]
    started = json.loads(result.stdout.strip().splitlines()[-1])
    assert [program for program in started if program.startswith("git")] == []
