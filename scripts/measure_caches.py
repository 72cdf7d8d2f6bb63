"""What each cache in trustsite/speed.py (and the guard's, in guard.py) saves: build the three
example Trusts twice in one process, with every cache and with each one switched off, and
print both times.

    .venv/bin/python scripts/measure_caches.py [RUNS]

Each variant runs in a fresh process, so no cache carries over from another variant. Times
are CPU seconds, so other work on a shared machine moves them less than wall time, but it
still moves them: each variant runs RUNS times (default 3), alternating with the others, and
the lowest of each column is printed. The warm (second) build is what a `trustsite build`
worker or a `trustsite serve` preview sees.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Each switch is a statement that switches one cache off: the function that installs it does
# nothing, or the function that answers from it answers afresh every time.
SWITCHES = {
    "theme environment": "trustsite.speed.keep_theme_environment = lambda env, theme: env",
    "theme static files": "trustsite.speed.cache_static_files = lambda *args: None",
    "compiled pages": "trustsite.speed.reuse_compiled_pages = lambda *args: None",
    "guard answers": "trustsite.guard._problems_of_content = trustsite.guard.content_problems",
    "rendered pages": "trustsite.speed.reuse_rendered_page = lambda *args: None",
    "shared pages": "trustsite.speed._render_shared = lambda *args: False",
    "shared search": "trustsite.speed.share_search_sections = lambda: None",
    "navigation": "trustsite.speed.NavItems = lambda: lambda item, path, page, render: "
                  "render(item, path, 1)",
}

RUN = r'''
import sys, tempfile, time
from pathlib import Path
import trustsite.guard, trustsite.speed
from trustsite.build import _import_plugins, build_site
from trustsite.locale import load_locale

for switch in sys.argv[1:]:
    exec(switch)
_import_plugins()
out = Path(tempfile.mkdtemp())
for run in range(2):
    started = time.process_time()
    for slug in ("example", "northmoor-community", "brightwater-valley"):
        build_site(load_locale(slug), out / slug)
    print(f"{time.process_time() - started:.2f}", end=" ")
'''


def measure(switched_off: list[str]) -> tuple[float, float]:
    result = subprocess.run([sys.executable, "-c", RUN, *switched_off], cwd=ROOT, text=True,
                            capture_output=True, check=True)
    cold, warm = map(float, result.stdout.split())
    return cold, warm


def main() -> None:
    variants = {"every cache": []}
    variants.update({f"without {name}": [target] for name, target in SWITCHES.items()})
    variants["no cache"] = list(SWITCHES.values())
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    times: dict[str, list[tuple[float, float]]] = {label: [] for label in variants}
    for _ in range(runs):
        for label, switched_off in variants.items():
            times[label].append(measure(switched_off))
    print(f"{'variant':32} {'first':>7} {'second':>7}  (lowest CPU seconds of {runs} runs, "
          "3 example Trusts)")
    for label, measured in times.items():
        cold = min(first for first, _ in measured)
        warm = min(second for _, second in measured)
        print(f"{label:32} {cold:7.2f} {warm:7.2f}")


if __name__ == "__main__":
    main()
