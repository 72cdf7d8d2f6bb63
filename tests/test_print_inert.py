"""Nothing runs while printing (issue 23 point 6): the PDF is printed with JavaScript off,
and with Chromium's sandbox on wherever the system allows it."""

from __future__ import annotations

import concurrent.futures

from trustsite import chromium
from trustsite.build import build_many
from trustsite.locale import load_locale

SCRIPTS = [
    '<img src="no-such-image.png" alt="" onerror="document.body.insertAdjacentText('
    "'afterbegin', 'SCRIPT' + 'RAN-ONERROR')\">",
    "<svg><image href=\"no-such.png\" onerror=\"document.body.insertAdjacentText("
    "'afterbegin', 'SCRIPT' + 'RAN-SVG')\"/></svg>",
]


def test_script_in_a_built_trust_page_does_not_run_when_printed(tmp_path):
    from pypdf import PdfReader

    from trustsite import pdf

    locale = load_locale("example")
    result, = build_many([locale], tmp_path / "out", jobs=1)
    assert result.ok, result.message
    site = tmp_path / "out" / "example"
    page = site / "about" / "index.html"
    # Inserted after every check, as if it had slipped past them.
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</h1>", "</h1>" + "".join(SCRIPTS), 1), encoding="utf-8")
    with concurrent.futures.ThreadPoolExecutor(1) as thread:  # Playwright: a loop a thread
        printed = thread.submit(pdf.write_pdf, site, locale, tmp_path / "example.pdf").result()
    text = "".join(p.extract_text() for p in PdfReader(printed).pages).replace(" ", "")
    assert "SCRIPTRAN" not in text


def test_the_sandbox_is_off_only_with_a_stated_reason(monkeypatch):
    monkeypatch.setattr(chromium.os, "geteuid", lambda: 0)
    assert "root" in chromium.sandbox_off_reason()
    monkeypatch.setattr(chromium.os, "geteuid", lambda: 1000)
    assert chromium.sandbox_off_reason() is None
    assert "--no-sandbox" not in chromium.CHROMIUM_ARGS


def test_printing_asks_for_the_sandbox_when_not_root(monkeypatch):
    launched: list[bool] = []

    class Chromium:
        def launch(self, executable_path, args, chromium_sandbox):
            launched.append(chromium_sandbox)
            return "browser"

    class Playwright:
        chromium = Chromium()

    monkeypatch.setattr(chromium.os, "geteuid", lambda: 1000)
    assert chromium.launch_for_printing(Playwright()) == "browser"
    assert launched == [True]
