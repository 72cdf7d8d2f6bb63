"""A Trust's SVG (logo, favicon) made inert: drawn as PNG at build time, within a budget.

An SVG is a program for a renderer: a 256-byte filter can keep resvg busy for minutes, and a
browser would run any script or animation in it. So a Trust's SVG is never published as it
is. resvg draws it in a child process that is stopped after RENDER_SECONDS and may use at
most RENDER_MEMORY bytes; the PNG it returns may be at most MAX_WIDTH_PX wide. The site,
the Word templates and the PDF then show that PNG.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from functools import lru_cache

RENDER_SECONDS = 10  # a logo draws in well under a second
RENDER_MEMORY = 1024 * 1024 * 1024  # address space for the child (POSIX only)
RENDER_HEIGHT_PX = 192  # shown about 40 px high: sharp on screens of up to 4 dots a pixel
MAX_WIDTH_PX = 4096  # so a logo may be at most about 21 times as wide as it is high
MAX_SVG_BYTES = 256 * 1024

# Runs in the child: SVG bytes on stdin, PNG bytes on stdout, a reason on stderr.
_CHILD = """
import sys
import resvg_py
try:
    png = resvg_py.svg_to_bytes(svg_string=sys.stdin.buffer.read().decode("utf-8"),
                                height=int(sys.argv[1]), font_family=sys.argv[2],
                                sans_serif_family=sys.argv[2], serif_family=sys.argv[3])
except (UnicodeDecodeError, ValueError, RuntimeError) as error:
    sys.stderr.write(str(error)[:200])
    sys.exit(1)
sys.stdout.buffer.write(bytes(png))
"""


class SvgRenderError(ValueError):
    """Why an SVG could not be drawn within the budget, as a sentence for the Trust."""


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (RENDER_MEMORY, RENDER_MEMORY))


@lru_cache(maxsize=1)
def font_families() -> tuple[str, str]:
    """The system's own sans-serif and serif fonts (fontconfig's choice where it is there),
    for a logo's text in 'Arial, Helvetica, sans-serif' and the like: resvg's defaults,
    Arial and Times New Roman, are missing on most Linux machines, and its text would vanish."""
    found = []
    for generic, default in (("sans-serif", "Arial"), ("serif", "Times New Roman")):
        family = ""
        if shutil.which("fc-match"):
            family = subprocess.run(["fc-match", "-f", "%{family[0]}", generic],
                                    capture_output=True, text=True, check=False).stdout
        found.append(family.strip() or default)
    return found[0], found[1]


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


@lru_cache(maxsize=32)
def svg_to_png(svg: bytes, height: int = RENDER_HEIGHT_PX) -> bytes:
    """The SVG drawn as PNG `height` pixels high, or SvgRenderError saying why not."""
    if len(svg) > MAX_SVG_BYTES:
        raise SvgRenderError(f"it is over the limit of {MAX_SVG_BYTES // 1024} KB for an SVG")
    try:
        result = subprocess.run(
            [sys.executable, "-I", "-c", _CHILD, str(height), *font_families()], input=svg,
            capture_output=True,
            timeout=RENDER_SECONDS, check=False,
            preexec_fn=_limit_memory if sys.platform != "win32" else None)
    except subprocess.TimeoutExpired:
        raise SvgRenderError(f"it takes more than {RENDER_SECONDS} seconds to draw (a filter "
                             "or pattern too costly)") from None
    png = result.stdout
    if result.returncode == 1:  # resvg refused it: its reason names what is wrong
        reason = result.stderr.decode("utf-8", "replace").strip()
        raise SvgRenderError(f"it cannot be drawn ({reason})")
    if result.returncode != 0 or not png.startswith(b"\x89PNG\r\n\x1a\n"):
        raise SvgRenderError("it cannot be drawn within the limits of "
                             f"{RENDER_MEMORY // 2**20} MB of memory and {MAX_WIDTH_PX} pixels "
                             "wide")
    width, _ = png_size(png)
    if width > MAX_WIDTH_PX:
        raise SvgRenderError(f"it is too wide: drawn {height} pixels high it is {width} pixels "
                             f"wide, over the limit of {MAX_WIDTH_PX}")
    return png
