"""What each cache in trustsite/speed.py saves: build the three example Trusts twice in one
process, with every cache and with each one switched off, and print both times.

    .venv/bin/python scripts/measure_caches.py

Each variant runs in a fresh process, so no cache carries over from another variant. Times
are CPU seconds, so other work on a shared machine barely moves them. The warm (second)
build is what a `trustsite build` worker or a `trustsite serve` preview sees.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Each switch is a statement that switches one cache off: the function that installs it does
# nothing, or the function that answers from it answers afresh every time.
SWITCHES = {
    "theme bytecode": "trustsite.speed.share_compiled_templates = lambda *args: None",
    "theme static files": "trustsite.speed.cache_static_files = lambda *args: None",
    "compiled pages": "trustsite.speed.reuse_compiled_pages = lambda *args: None",
    "guard answers": "trustsite.guard._problems_of_content = trustsite.guard.content_problems",
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
    print(f"{'variant':32} {'first':>7} {'second':>7}  (CPU seconds, 3 example Trusts)")
    for label, switched_off in variants.items():
        cold, warm = measure(switched_off)
        print(f"{label:32} {cold:7.2f} {warm:7.2f}")


if __name__ == "__main__":
    main()
