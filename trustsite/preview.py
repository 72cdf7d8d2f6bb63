"""`trustsite serve`: a live preview of one Trust that says what it is doing.

It prints the address and how to stop, picks the next free port when the asked one is taken
(and says so), and when the locale or a page is broken it shows the problems, FILE:LINE
first, as the page at the site's address instead of stopping; the page reloads by itself
once the file is fixed. Each rebuild goes through build.build_atomically, like `trustsite
build`, so the preview never shows a half-built site.

MkDocs' serve() cannot do the above, so this runs MkDocs' LiveReloadServer itself; it
overrides one private method (_serve_request) to answer with the error page.
"""

from __future__ import annotations

import logging
import shutil
import signal
import sys
import tempfile
from html import escape
from pathlib import Path
from typing import Any, Iterable

from mkdocs.livereload import LiveReloadServer

from trustsite.build import WarningCollector, build_atomically
from trustsite.locale import one_line
from trustsite.project import INSTALLED

PREVIEW_POLL_SECONDS = 0.1
PREVIEW_SETTLE_SECONDS = 0.01
PORTS_TO_TRY = 20


class PreviewServer(LiveReloadServer):
    """MkDocs' preview server, looking for saved files every 0.1 s instead of every 0.5 s and
    building 0.01 s after a change instead of 0.1 s (so the preview follows a save sooner,
    BENCHMARKS.md), and showing the last build's problems as every page until a build
    succeeds."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, polling_interval=PREVIEW_POLL_SECONDS, **kwargs)
        # MkDocs waits 0.1 s after a change for more changes before building; with a 0.1 s
        # poll, a second change would not have been seen by then anyway.
        self.build_delay = PREVIEW_SETTLE_SECONDS
        self.problems: list[str] = []
        self._bound = False

    def server_bind(self) -> None:
        """Bound once: bind_free_port takes the port before the first build, and MkDocs'
        serve() binds again."""
        if not self._bound:
            super().server_bind()
            super().server_activate()  # listening, so no other preview can bind it too
            self._bound = True

    def server_activate(self) -> None:
        """Done in server_bind."""

    def _serve_request(self, environ: dict, start_response: Any) -> Iterable[bytes] | None:
        path = environ["PATH_INFO"]
        if not self.problems or path.startswith("/livereload/") or not (
                path.endswith("/") or path.endswith(".html")):
            return super()._serve_request(environ, start_response)
        with self._epoch_cond:
            epoch = self._visible_epoch
        page = self._inject_js_into_html(error_page(self.problems), epoch)
        # 200, not 500: MkDocs logs every other status as a warning, and a warning logged
        # while the next build runs would fail that build under strict mode.
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                  ("Content-Length", str(len(page)))])
        return [page]


def error_page(problems: list[str]) -> bytes:
    """A plain page listing each problem (escaped: they quote the Trust's own text)."""
    items = "\n".join(f"<li><code>{escape(problem)}</code></li>" for problem in problems)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>The preview cannot be built</title></head>\n<body>\n"
        "<h1>The preview cannot be built</h1>\n"
        "<p>Fix each problem below in the file and line it names, then save. "
        "This page reloads by itself when the site builds again.</p>\n"
        f"<ul>\n{items}\n</ul>\n</body></html>\n").encode("utf-8")


def problems_of(error: BaseException, logged: list[str]) -> list[str]:
    """What went wrong, most useful first: the locale's FILE:LINE problems, else what the
    build logged (pages name docs/FILE:LINE), then the error itself."""
    found = list(getattr(error, "problems", [])) or list(logged)
    message = str(error).strip()
    if message and message not in found:
        found.append(message)
    return list(dict.fromkeys(found)) or [type(error).__name__]


def bind_free_port(host: str, wanted: int, root: Path) -> PreviewServer | None:
    """A preview server holding the first free port from `wanted` on, or None."""
    for port in range(wanted, wanted + PORTS_TO_TRY):
        server = PreviewServer(builder=lambda: None, host=host, port=port, root=str(root))
        try:
            server.server_bind()
        except OSError:
            server.server_close()
            continue
        return server
    return None


def _stop_on_terminate(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # clean up as for Ctrl+C


def serve(host: str, wanted_port: int, trust_name: str) -> int:
    """Preview the Trust named by the TRUST environment variable until Ctrl+C."""
    from mkdocs.config import load_config

    scratch = Path(tempfile.mkdtemp(prefix="trustsite-preview-"))
    site_dir = scratch / "site"
    server = bind_free_port(host, wanted_port, site_dir)
    if server is None:
        shutil.rmtree(scratch, ignore_errors=True)
        print(f"Ports {wanted_port} to {wanted_port + PORTS_TO_TRY - 1} on {host} are all in "
              f"use. Stop another preview, or choose a port: --address {host}:8100",
              file=sys.stderr)
        return 1
    port = server.server_address[1]
    if port != wanted_port:
        print(f"Port {wanted_port} on {host} is in use (another preview?), so this preview "
              f"uses port {port}. To choose, give --address {host}:{port}", flush=True)

    def get_config() -> Any:
        config = load_config(str(INSTALLED.mkdocs_yml))
        config.site_url = server.url
        return config

    def builder(config: Any = None) -> None:
        config = config or get_config()
        collected = WarningCollector()
        collected.addFilter(lambda record: not record.name.startswith("mkdocs.livereload"))
        logging.getLogger("mkdocs").addHandler(collected)
        try:
            build_atomically(config, site_dir, serve_url=server.url)
        except (Exception, SystemExit) as error:  # macros end a failed page with exit()
            server.problems = problems_of(error, collected.lines)
            print("The preview cannot be built (shown at the site's address too):",
                  *(one_line(line) for problem in server.problems
                    for line in problem.splitlines()), sep="\n  ", file=sys.stderr, flush=True)
        else:
            if server.problems:
                print("Fixed: the preview builds again.", flush=True)
            server.problems = []
        finally:
            logging.getLogger("mkdocs").removeHandler(collected)

    server.builder = builder
    signal.signal(signal.SIGTERM, _stop_on_terminate)
    config = get_config()
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        builder(config)
        server.watch(config.docs_dir)
        server.watch(config.config_file_path)
        server = config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            server.watch(item)
        print(f"Previewing {trust_name} at {server.url}\nPress Ctrl+C to stop.", flush=True)
        try:
            server.serve()
        except KeyboardInterrupt:
            print("Preview stopped.", flush=True)
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
        shutil.rmtree(scratch, ignore_errors=True)
    return 0
