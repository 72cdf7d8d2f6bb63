"""Checks that need a real browser: Debian's Chromium, driven by Playwright.

Every check is a plain function that takes a Playwright page (or a browser) and returns a
list of problems, one readable line each; an empty list means the check passed. The tests
of the real sites and the tests of the checks themselves (test_checks_fail.py) call the same
functions, so a check that could never fail would show up there.

Playwright's own browser download cannot work here (no internet): Chromium comes from
Debian (`apt-get install chromium`, which `make test` and .ci/run do when it is missing, see
.ci/system-packages), or from wherever trustsite.chromium.find_chromium finds one.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit

from trustsite.colours import contrast_ratio
from trustsite.chromium import CHROMIUM_ARGS, find_chromium  # one Chromium setup

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
NARROWEST = {"width": 320, "height": 640}  # WCAG 1.4.10 Reflow: 320 CSS pixels
TEXT_CONTRAST = 4.5  # WCAG 1.4.3, normal-size text
NON_TEXT_CONTRAST = 3.0  # WCAG 1.4.11, focus indicators and other non-text parts
SUB_PATH = "intranet/research/guide"


def launch(playwright):
    """The machine's Chromium (find_chromium), headless, with nothing that phones home."""
    return playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)


@contextmanager
def new_tab(browser, viewport: dict) -> Iterator:
    """A page in a browser context of its own at `viewport`, closed afterwards."""
    context = browser.new_context(viewport=viewport)
    try:
        yield context.new_page()
    finally:
        context.close()


def page_url(site: Path, page: Path | str) -> str:
    return (site / page).resolve().as_uri()


def open_page(page, url: str) -> None:
    """Go to url and wait until Material's scripts have run (fonts are local, so fast)."""
    page.goto(url, wait_until="load")
    page.wait_for_function("() => document.readyState === 'complete'")


# -- Colours -----------------------------------------------------------------------------------

_RGB = re.compile(r"rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)")
_SRGB = re.compile(r"color\(srgb\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)(?:\s*/\s*([\d.]+%?))?\s*\)")


def parse_colour(css: str) -> tuple[float, float, float, float]:
    """A computed CSS colour as (r, g, b, alpha) with channels 0-255."""
    css = css.strip()
    if css in ("transparent", ""):
        return (0.0, 0.0, 0.0, 0.0)
    if re.fullmatch(r"#[0-9A-Fa-f]{6}", css):
        return (int(css[1:3], 16), int(css[3:5], 16), int(css[5:7], 16), 1.0)
    match = _RGB.fullmatch(css)
    scale = 1.0
    if not match:
        match = _SRGB.fullmatch(css)
        scale = 255.0
    if not match:
        raise ValueError(f"cannot read the colour {css!r}")
    r, g, b = (float(match.group(i)) * scale for i in (1, 2, 3))
    alpha = match.group(4)
    if alpha is None:
        a = 1.0
    elif alpha.endswith("%"):
        a = float(alpha[:-1]) / 100
    else:
        a = float(alpha)
    return (r, g, b, a)


def _over(top: tuple[float, float, float, float],
          bottom: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b, a = top
    return tuple(c * a + d * (1 - a) for c, d in zip((r, g, b), bottom))  # type: ignore


def flatten(layers: list[str]) -> str:
    """Background layers (innermost first) composited over white, as #RRGGBB."""
    colour = (255.0, 255.0, 255.0)
    for css in reversed(layers):
        colour = _over(parse_colour(css), colour)
    return "#" + "".join(f"{round(c):02X}" for c in colour)


def text_contrast(foreground: str, background_layers: list[str]) -> float:
    """Contrast of a (possibly translucent) text colour on its composited background."""
    background = flatten(background_layers)
    fg = _over(parse_colour(foreground), tuple(int(background[i:i + 2], 16) for i in (1, 3, 5)))
    return contrast_ratio("#" + "".join(f"{round(c):02X}" for c in fg), background)


# Shared in-page helpers. `layers` lists an element's background colours from itself outwards
# until an opaque one, so Python can composite them.
HELPERS_JS = r"""
() => {
  if (window.__trust) return;
  const layers = (el) => {
    const out = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const bg = getComputedStyle(node).backgroundColor;
      out.push(bg);
      const m = bg.match(/rgba?\(([^)]*)\)/);
      if (m) {
        const parts = m[1].split(/[\s,\/]+/).filter(Boolean);
        if (parts.length < 4 || parseFloat(parts[3]) >= 1) break;
      }
    }
    return out;
  };
  const describe = (el) => {
    if (!el || el.nodeType !== 1) return String(el);
    let text = (el.getAttribute('aria-label') || el.innerText || el.value ||
                el.getAttribute('title') || '').trim().replace(/\s+/g, ' ').slice(0, 50);
    let name = el.tagName.toLowerCase();
    if (el.id) name += '#' + el.id;
    const cls = (el.getAttribute('class') || '').split(/\s+/)
      .filter(c => c && c !== 'focus-visible').slice(0, 2);
    if (cls.length) name += '.' + cls.join('.');
    const href = el.getAttribute('href') || el.getAttribute('for');
    return name + (href ? `[${el.hasAttribute('for') ? 'for' : 'href'}=${href}]` : '') +
      (text ? ` "${text}"` : '');
  };
  const shown = (el) => el.checkVisibility({visibilityProperty: true, opacityProperty: true}) &&
    el.getClientRects().length > 0;
  const uncovered = (el) => {
    // Not entirely hidden under something else (WCAG 2.4.11): some sampled point of the
    // element, inside the viewport, shows the element itself.
    const r = el.getBoundingClientRect();
    const xs = [r.left + 2, r.left + r.width / 2, r.right - 2];
    const ys = [r.top + 2, r.top + r.height / 2, r.bottom - 2];
    for (const x of xs) for (const y of ys) {
      if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
      const hit = document.elementFromPoint(x, y);
      if (hit && (hit === el || el.contains(hit) || hit.contains(el))) return true;
    }
    return false;
  };
  // Wait for the CSS transitions that are running (focus styles, sliding drawers) to end.
  const settle = () => Promise.race([
    Promise.all(document.getAnimations()
      .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
      .map(a => a.finished.catch(() => null))),
    new Promise(resolve => setTimeout(resolve, 1000))]);
  // Wait until the page has stopped scrolling (a smooth scroll to an anchor, say).
  const settleScroll = () => new Promise(resolve => {
    let last = -1, still = 0, frames = 0;
    const tick = () => {
      still = scrollY === last ? still + 1 : 0;
      last = scrollY;
      if (still >= 3 || ++frames > 60) resolve(); else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  // Start keyboard navigation from the top of the page, whatever had focus before: focus a
  // mark at the start of <body> that Tab itself never stops at, so the next Tab goes to the
  // first control. (A mark left from before may have been made inert with the page.)
  const focusTop = () => {
    document.getElementById('kb-start')?.remove();
    const mark = document.createElement('span');
    mark.id = 'kb-start';
    mark.tabIndex = -1;
    document.body.prepend(mark);
    window.scrollTo(0, 0);
    mark.focus({preventScroll: true});
  };
  window.__trust = {layers, describe, shown, uncovered, settle, settleScroll, focusTop};
}
"""


def install_helpers(page) -> None:
    page.evaluate(HELPERS_JS)


def without_transitions(page) -> None:
    """Switch off CSS transitions and animations, so each state can be read at once."""
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; "
                               "animation: none !important; scroll-behavior: auto !important; }")


# -- Accessibility: axe-core -------------------------------------------------------------------

@functools.cache
def _axe():
    from axe_playwright_python.sync_playwright import Axe
    return Axe()  # the axe.min.js that ships inside the wheel: no network


def axe_violations(page, tags: list[str] = WCAG_TAGS) -> list[dict]:
    """axe-core's violations on the page, for the given WCAG tags only."""
    options = {"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]}
    return _axe().run(page, options=options).response["violations"]


def format_axe(violations: list[dict]) -> list[str]:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} "
                     f"[{', '.join(t for t in violation['tags'] if t.startswith('wcag'))}]")
        for node in violation["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more")
    return lines


# -- Keyboard ----------------------------------------------------------------------------------

def skip_link_problems(page) -> list[str]:
    """Tab once from the top: a skip link must come first, and Enter must move to the content."""
    install_helpers(page)
    page.evaluate("() => __trust.focusTop()")
    page.keyboard.press("Tab")
    first = page.evaluate("""async () => { await __trust.settle();
        const el = document.activeElement;
        return {skip: !!el && el.matches('a.md-skip[href^="#"]'), href: el?.getAttribute('href'),
                what: __trust.describe(el), shown: !!el && __trust.shown(el) &&
                  __trust.uncovered(el)}; }""")
    if not first["skip"]:
        return [f"the first Tab stop is {first['what']}, not a skip link"]
    problems = [] if first["shown"] else ["the skip link is not visible when it has focus"]
    page.keyboard.press("Enter")
    page.evaluate("() => __trust.settleScroll()")
    after = page.evaluate("""(href) => {
        const target = document.getElementById(decodeURIComponent(href.slice(1)));
        if (!target) return {missing: true};
        const header = document.querySelector('.md-header');
        const headerBottom = header ? header.getBoundingClientRect().bottom : 0;
        const r = target.getBoundingClientRect();
        const content = document.querySelector('.md-content');
        return {missing: false, inContent: !!content && content.contains(target),
                top: r.top, headerBottom, height: innerHeight,
                focusInContent: !!content && content.contains(document.activeElement)}; }""",
                          first["href"])
    if after["missing"]:
        return problems + [f"the skip link's target {first['href']} does not exist"]
    if not after["inContent"]:
        problems.append(f"the skip link's target {first['href']} is not in the main content")
    if not (after["headerBottom"] - 1 <= after["top"] < after["height"]):
        problems.append(f"after the skip link the target is not in view below the header "
                        f"(top {after['top']:.0f}px, header ends at {after['headerBottom']:.0f}px)")
    if not after["focusInContent"]:
        # Browsers move the "sequential focus navigation starting point" to the target; the
        # next Tab must then land inside the content, not back in the header or navigation.
        page.keyboard.press("Tab")
        landed = page.evaluate("""() => { const c = document.querySelector('.md-content');
            return {ok: !!c && c.contains(document.activeElement),
                    what: __trust.describe(document.activeElement)}; }""")
        if not landed["ok"]:
            problems.append(f"after the skip link, Tab goes to {landed['what']}, "
                            "outside the main content")
    return problems


# Everything a mouse user can click or type into. A <label for> of a hidden checkbox is how
# Material makes its menu, search and navigation toggles, so it counts as a control.
_CONTROLS_JS = r"""
(equivalents) => {
  const controls = [...document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex], label[for]')];
  return controls.filter(el => {
    if (el.matches(':disabled, [tabindex="-1"], input[type=hidden]')) return false;
    if (getComputedStyle(el).pointerEvents === 'none') return false;  // cannot be clicked
    if (el.closest('[inert], [hidden]')) return false;
    if (el.tagName === 'LABEL') {
      const control = document.getElementById(el.htmlFor);
      // Only labels that stand in for a checkbox nobody can see are controls of their own.
      if (!control || control.type !== 'checkbox' || __trust.shown(control)) return false;
    }
    if (!__trust.shown(el)) return false;
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    // Parked off the canvas (a closed drawer): nobody can see or click it.
    const x = r.left + scrollX, y = r.top + scrollY;
    if (x + r.width <= 0 || y + r.height <= 0 ||
        x >= document.documentElement.scrollWidth) return false;
    return true;
  }).map(el => {
    const way = Object.entries(equivalents).find(([control]) => el.matches(control));
    const other = way && document.querySelector(way[1]);
    return {what: __trust.describe(el), reached: !!el.dataset.kbIndex,
            otherWay: !!other && other.tabIndex >= 0,
            isLabel: el.tagName === 'LABEL', target: el.getAttribute('for') || ''};
  });
}
"""

# Controls that a keyboard user works another way, so they need not be Tab stops: each
# maps to the control that must be in the Tab order instead.
KEYBOARD_EQUIVALENTS = {
    # The magnifier in the search box: focusing the search field opens search.
    'label[for="__search"]': "input.md-search__input",
    # The search results box: Material moves through the results with the arrow keys from
    # the search field, and closes search on Tab.
    ".md-search__scrollwrap": "input.md-search__input",
    # The dimmed page beside the open drawer, and the drawer's own title, close the drawer:
    # the menu button opens it and Escape closes it (test_keyboard_works_on_a_phone_too).
    'label[for="__drawer"]': '.md-header label[for="__drawer"][tabindex="0"]',
}


def _indicator_problems(state: dict) -> list[str]:
    """A focused element needs an outline or ring that contrasts with what is around it."""
    background = flatten(state["around"])
    colours = []
    if state["outlineStyle"] not in ("none", "hidden") and state["outlineWidth"] >= 2:
        colours.append(state["outlineColor"])
    if state["boxShadow"] not in ("none", ""):
        colours += re.findall(r"rgba?\([^)]*\)", state["boxShadow"])
    if not colours:
        return ["no visible focus style (no outline of 2px or more, no focus ring)"]
    best = max(text_contrast(c, [background]) if parse_colour(c)[3] > 0 else 1.0
               for c in colours)
    if best < NON_TEXT_CONTRAST:
        return [f"focus style contrast {best:.2f}:1 against {background} is under 3:1"]
    return []


# The walk records each Tab stop in the page as focus arrives (a focusin listener), so Python
# can press Tab in batches instead of asking after every key. A stop that looks hidden holds
# the walk (further Tabs are swallowed) until Python has looked again a moment later:
# Material shows some things only just after they take focus (search on a phone, say).
_START_WALK_JS = r"""() => {
  const focusState = (el) => {
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    const state = {
      index: el.dataset.kbIndex, what: __trust.describe(el),
      shown: __trust.shown(el),
      inView: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 &&
              r.top < innerHeight && r.left < innerWidth,
      uncovered: __trust.uncovered(el),
      outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0,
      outlineColor: s.outlineColor, boxShadow: s.boxShadow,
      around: __trust.layers(el.parentElement || el),
    };
    state.suspect = !state.shown || !state.inView || !state.uncovered;
    return state;
  };
  if (!window.__trustWalk) {
    window.__trustWalk = {};
    document.addEventListener('focusin', (event) => {
      const walk = window.__trustWalk;
      const el = event.target;
      if (!walk.on || walk.finished || el.id === 'kb-start') return;
      if (el.dataset.kbIndex) { walk.finished = true; return; }  // round again
      el.dataset.kbIndex = String(walk.stops.length + 1);
      const state = focusState(el);
      walk.stops.push(state);
      walk.hold = state.suspect;
    }, true);
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Tab' && window.__trustWalk.hold) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    }, true);
    window.__trustLookAgain = () => {
      const walk = window.__trustWalk;
      const el = document.activeElement;
      if (el && el.dataset.kbIndex === walk.stops[walk.stops.length - 1].index)
        walk.stops[walk.stops.length - 1] = focusState(el);
      walk.hold = false;
    };
  }
  Object.assign(window.__trustWalk, {on: false, stops: [], finished: false, hold: false});
  document.querySelectorAll('[data-kb-index]').forEach(e => delete e.dataset.kbIndex);
  __trust.focusTop();
  window.__trustWalk.on = true;
}"""

_WALK_STATUS_JS = """() => ({hold: __trustWalk.hold, finished: __trustWalk.finished,
    count: __trustWalk.stops.length,
    outside: document.activeElement === document.body || !document.hasFocus()})"""


def _stop_problems(state: dict) -> list[str]:
    if not state["shown"] or not state["inView"]:
        return ["has focus but cannot be seen (hidden or off screen)"]
    if not state["uncovered"]:
        return ["has focus but is hidden under another element"]
    return _indicator_problems(state)


def walk_with_tab(page, max_stops: int = 400, pace_ms: int = 0) -> list[dict] | None:
    """Press Tab from the top of the page until focus has been everywhere once; the state
    of each stop in order, or None if focus never came round (a trap).

    With pace_ms, Tab is pressed once every pace_ms, as a quick person would; without, in
    quick batches. On a phone Material locks and restores the page's scrolling as search
    opens and closes, a moment after the key that did it, so the phone checks set a pace.
    """
    install_helpers(page)
    page.evaluate(_START_WALK_JS)
    batch = 1 if pace_ms else 12
    pressed = 0
    while pressed < max_stops + batch:
        for _ in range(batch):
            page.keyboard.press("Tab")
            if pace_ms:
                page.wait_for_timeout(pace_ms)
        pressed += batch
        status = page.evaluate(_WALK_STATUS_JS)
        if status["hold"]:
            page.wait_for_timeout(150)
            page.evaluate("() => window.__trustLookAgain()")
            continue
        if status["finished"] or (status["outside"] and status["count"]):
            page.evaluate("() => { window.__trustWalk.on = false; }")
            return page.evaluate("() => window.__trustWalk.stops")
    page.evaluate("() => { window.__trustWalk.on = false; }")
    return None


def keyboard_problems(page, max_stops: int = 400, pace_ms: int = 0) -> list[str]:
    """Tab through the whole page: every control a mouse user can use must be reached, and at
    each stop the focused element must be shown, in view, not hidden under anything, and
    have a focus style that contrasts at 3:1 with its background."""
    stops = walk_with_tab(page, max_stops, pace_ms)
    if stops is None:
        return [f"more than {max_stops} Tab stops: focus may be trapped"]
    problems = [f"Tab stop {state['what']}: {problem}"
                for state in stops for problem in _stop_problems(state)]
    controls = page.evaluate(_CONTROLS_JS, KEYBOARD_EQUIVALENTS)
    reached_for = {c["target"] for c in controls if c["isLabel"] and c["reached"]}
    for control in controls:
        if control["reached"] or control["otherWay"]:
            continue
        if control["isLabel"] and control["target"] in reached_for:
            continue  # another label for the same toggle was reached
        problems.append(f"{control['what']} can be clicked but not reached with Tab")
    return problems


def toggle_problems(page) -> list[str]:
    """Every toggle in the Tab order must work from the keyboard: Material's toggles (a
    focusable <label> for a hidden checkbox: menu, search, navigation sections) with Enter
    and with Space, a <summary> with Enter, a checkbox with Space."""
    install_helpers(page)
    found = page.evaluate("""() => {
        const shown = (el) => __trust.shown(el) && el.tabIndex >= 0 && !el.closest('[inert]');
        const labels = [...document.querySelectorAll('label[for]')]
          .filter(l => l.getAttribute('tabindex') !== null &&
                       l.getAttribute('tabindex') !== '' && shown(l));
        const mark = (el, i, kind) => { el.dataset.kbToggle = kind + i; return kind + i; };
        return {
          labels: [...new Set(labels.map(l => l.htmlFor))],
          summaries: [...document.querySelectorAll('details > summary')].filter(shown)
            .map((el, i) => mark(el, i, 's')),
          boxes: [...document.querySelectorAll('input[type=checkbox]:not(:disabled)')]
            .filter(shown).map((el, i) => mark(el, i, 'c')),
        }; }""")
    problems = []
    state = "(id) => document.getElementById(id).checked"
    for target in found["labels"]:
        label = page.locator(f'label[for="{target}"][tabindex="0"]').first
        for key in ("Enter", "Space"):
            label.focus()
            before = page.evaluate(state, target)
            page.keyboard.press(key)
            if page.evaluate(state, target) == before:
                problems.append(f"{key} on the toggle for {target} does nothing")
            else:
                label.evaluate("el => el.click()")  # put it back, as a mouse would
    # Close whatever the label checks left open (Material reacts to its toggles a frame or
    # two later: on a phone an open search or drawer can still hold the keyboard), so the
    # checks below start from the page as a reader finds it.
    page.evaluate("""() => ['__search', '__drawer'].forEach(id => {
        const toggle = document.getElementById(id);
        if (toggle && toggle.checked) { toggle.click(); } })""")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.wait_for_timeout(100)
    for kind, key, read in (("summaries", "Enter", "el => el.parentElement.open"),
                            ("boxes", "Space", "el => el.checked")):
        for mark in found[kind]:
            control = page.locator(f'[data-kb-toggle="{mark}"]')
            before = control.evaluate(read)
            # Locator.press focuses the control and sends the key to it in one step, so a
            # focus change between the two (a sticky bar settling on a phone) cannot steal it.
            control.press(key)
            if control.evaluate(read) == before:
                what = control.evaluate("el => __trust.describe(el)")
                problems.append(f"{key} on {what} does nothing")
            else:
                control.press(key)  # put it back
    if not any(found.values()):
        problems.append("no toggle found in the Tab order")
    return problems


# -- Reflow ------------------------------------------------------------------------------------

def overflow_problems(page) -> list[str]:
    """At the current width nothing may make the page scroll sideways (WCAG 1.4.10)."""
    install_helpers(page)
    result = page.evaluate("""() => {
        const doc = document.documentElement;
        const width = doc.clientWidth;
        if (doc.scrollWidth <= width + 1) return null;
        const wide = [...document.body.querySelectorAll('*')].filter(el => {
            const r = el.getBoundingClientRect();
            return r.right > width + 1 && __trust.shown(el) &&
              !(el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1);
        }).slice(0, 5).map(el => __trust.describe(el) + ' ends at ' +
                             Math.round(el.getBoundingClientRect().right) + 'px');
        return {scroll: doc.scrollWidth, width, wide};
    }""")
    if result is None:
        return []
    return [f"the page is {result['scroll']}px wide in a {result['width']}px window; "
            f"widest: {'; '.join(result['wide']) or 'unknown'}"]


# -- Brand colour contrast ---------------------------------------------------------------------

# Material's buttons, added to the page for the measurement when the content has none.
_SAMPLE_BUTTONS = """() => {
  const article = document.querySelector('article.md-content__inner');
  if (!article || article.querySelector('[data-contrast-sample]')) return;
  const p = document.createElement('p');
  p.dataset.contrastSample = '';
  p.innerHTML = '<a class="md-button" href="#x">Sample</a> ' +
                '<a class="md-button md-button--primary" href="#x">Sample</a>';
  article.append(p);
}"""

BRAND_SAMPLES = {
    "link": ".md-content article a[href]:not(.headerlink):not(.md-button)",
    "header text": ".md-header__topic .md-ellipsis",
    "header button": ".md-header__button.md-icon, .md-search__input",
    "button": ".md-button:not(.md-button--primary)",
    "primary button": ".md-button--primary",
    "page button": ".self-assessment__button",
    "back-to-top button": ".md-top",
}


def _measure(page, selector: str) -> list[dict]:
    return page.evaluate("""(selector) => [...document.querySelectorAll(selector)]
        .filter(el => __trust.shown(el)).slice(0, 40).map(el => ({
          what: __trust.describe(el), color: getComputedStyle(el).color,
          layers: __trust.layers(el)}))""", selector)


def brand_contrast_problems(page) -> list[str]:
    """The brand colour on links, header text and buttons, at rest and on hover, must keep
    4.5:1 against what is behind it."""
    install_helpers(page)
    page.evaluate(_SAMPLE_BUTTONS)
    page.evaluate("() => { const top = document.querySelector('.md-top'); "
                  "if (top) top.hidden = false; }")
    problems = []
    measured = 0
    for name, selector in BRAND_SAMPLES.items():
        for item in _measure(page, selector):
            measured += 1
            ratio = text_contrast(item["color"], item["layers"])
            if ratio < TEXT_CONTRAST:
                problems.append(f"{name} {item['what']}: {ratio:.2f}:1 "
                                f"({item['color']} on {flatten(item['layers'])})")
    for name in ("link", "button", "primary button"):
        # The first one shown: the notice's link above the title is folded away.
        element = page.locator(f"{BRAND_SAMPLES[name]} >> visible=true").first
        if not element.count() or not element.is_visible():
            continue
        element.scroll_into_view_if_needed()
        element.hover()
        page.wait_for_timeout(300)  # Material fades colours over .25s
        state = element.evaluate("el => ({color: getComputedStyle(el).color, "
                                 "layers: __trust.layers(el), what: __trust.describe(el)})")
        ratio = text_contrast(state["color"], state["layers"])
        if ratio < TEXT_CONTRAST:
            problems.append(f"{name} on hover {state['what']}: {ratio:.2f}:1 "
                            f"({state['color']} on {flatten(state['layers'])})")
    page.mouse.move(0, 0)
    if not measured:
        problems.append("no link, header text or button found to measure")
    return problems


# -- Offline use and search --------------------------------------------------------------------

@dataclass
class RequestLog:
    """Requests a context made, and those it blocked for leaving the allowed origin."""
    allowed: Callable[[str], bool]
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def handle(self, route) -> None:
        url = route.request.url
        if self.allowed(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")


def block_other_hosts(context, allowed: Callable[[str], bool]) -> RequestLog:
    """Let through only requests that `allowed` accepts; record and abort the rest."""
    log = RequestLog(allowed)
    context.route("**/*", log.handle)
    context.on("requestfailed", lambda request: log.failed.append(
        f"{request.url} ({request.failure})") if allowed(request.url) else None)
    return log


def only_files(url: str) -> bool:
    return url.startswith(("file:", "data:", "blob:", "about:"))


def only_host(host: str) -> Callable[[str], bool]:
    def allowed(url: str) -> bool:
        if url.startswith(("data:", "blob:", "about:")):
            return True
        return urlsplit(url).netloc == host
    return allowed


def home_page_problems(page) -> list[str]:
    """The home page shows the Trust's styles and logo."""
    state = page.evaluate("""() => {
        const logo = document.querySelector('.md-header .md-logo img');
        const header = document.querySelector('.md-header');
        const sheets = [...document.styleSheets].map(s => {
            try { return {href: s.href, rules: s.cssRules.length}; }
            catch (e) { return {href: s.href, rules: -1}; } });
        return {
          logo: !!logo && logo.complete && logo.naturalWidth > 0,
          header: header ? getComputedStyle(header).borderBottomColor : null,
          brand: getComputedStyle(document.documentElement)
                   .getPropertyValue('--md-primary-fg-color').trim(),
          font: getComputedStyle(document.body).fontFamily,
          sheets,
        }; }""")
    problems = []
    if not state["logo"]:
        problems.append("the logo did not load")
    for name in ("main.", "trust.css", "brand.css"):
        if not any(s["href"] and name in s["href"] and s["rules"] != 0 for s in state["sheets"]):
            problems.append(f"the stylesheet {name}* did not load")
    if not state["brand"] or state["header"] in (None, "rgba(0, 0, 0, 0)"):
        problems.append(f"the header has no band in the brand colour ({state['header']})")
    elif flatten([state["header"]]) != state["brand"].upper():
        problems.append(f"the header's band is {state['header']}, not the brand colour "
                        f"{state['brand']}")
    if "Arial" not in state["font"]:
        problems.append(f"trust.css is not applied (body font {state['font']})")
    return problems


def unique_word(site: Path) -> tuple[str, str]:
    """A word from the site's search index that only one page contains (and that no word
    on another page starts with, as search matches prefixes); with that page's path."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = re.compile(index["config"].get("separator") or r"[\s\-]+")
    pages_of: dict[str, set[str]] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#")[0]
        text = re.sub(r"<[^>]+>|&\w+;", " ", f"{doc['title']} {doc['text']}").lower()
        for token in separator.split(text):
            token = re.sub(r"^\W+|\W+$", "", token)
            if token:
                pages_of.setdefault(token, set()).add(page)
    words = sorted(pages_of)
    candidates = []
    for word in words:
        if not (word.isalpha() and len(word) >= 8 and len(pages_of[word]) == 1):
            continue
        [page] = pages_of[word]
        if all(pages_of[other] == {page} for other in words if other.startswith(word)):
            candidates.append((-len(word), word, page))
    if not candidates:
        raise AssertionError(f"no word in {site} is on one page only")
    _, word, page = min(candidates)
    return word, page


def search(page, query: str, ready_timeout: float = 30_000, timeout: float = 10_000,
           tries: int = 2) -> list[str]:
    """Type into Material's search box; the result links' hrefs (resolved to URLs), or none
    if search is not ready within `ready_timeout` ms or finds nothing in `tries` attempts.
    What the search box last said is printed, which pytest shows when a test fails."""
    box = page.locator("input.md-search__input")
    box.click()  # opens search: from file:// URLs, this is what starts loading the index
    if not _search_says(page, "!/initializing/i.test(text)", ready_timeout):
        print(f"search for {query!r} was never ready: {_search_meta(page)!r}")
        return []
    said = []
    for attempt in range(tries):
        if attempt:  # Material ignores a query equal to the last one: clear it (a keyup) first
            box.fill("")
            box.press("End")
            _search_says(page, "/type to start/i.test(text)", timeout)
        box.fill(query)
        # Material reads the query on keyup, so a key that types nothing makes it search for
        # the whole query at once (typing it key by key would search for "k", "ka", ...).
        box.press("End")
        if _search_says(page, "!/initializing|type to start/i.test(text)", timeout):
            # The count can show a frame before the list of results: wait for a link a moment.
            try:
                page.wait_for_selector(".md-search-result__item a", state="attached",
                                       timeout=2_000)
            except Exception:  # Playwright's TimeoutError: the search found nothing
                pass
            results = page.evaluate(
                "() => [...document.querySelectorAll('.md-search-result__item a')]"
                ".map(a => a.href)")
            if results:
                return results
        said.append(_search_meta(page))
    print(f"search for {query!r} found nothing; the search box said {said}")
    return []


def _search_says(page, condition: str, timeout: float) -> bool:
    """Whether the search result's summary line (`text`) meets `condition` within `timeout` ms."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            "() => { const meta = document.querySelector('.md-search-result__meta');"
            "         const text = meta ? meta.textContent : 'initializing';"
            f"         return {condition}; }}",
            timeout=timeout)
    except PlaywrightTimeout:
        return False
    return True


def _search_meta(page) -> str:
    return page.evaluate("() => document.querySelector('.md-search-result__meta')"
                         "?.textContent.trim() ?? '(no search box)'")


# -- Print -------------------------------------------------------------------------------------

def pdf_text(page) -> str:
    """Print the page to PDF (as Chromium's print does) and return the PDF's text."""
    import io

    from pypdf import PdfReader

    page.emulate_media(media="print")
    data = page.pdf(format="A4", print_background=False)
    page.emulate_media(media="screen")
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(p.extract_text() or "" for p in reader.pages)


def squash(text: str) -> str:
    """Text with all white space removed, for matching across PDF line breaks."""
    return re.sub(r"\s+", "", text)


PRINT_CHROME = {
    "header": ".md-header",
    "navigation": ".md-sidebar--primary",
    "table of contents": ".md-sidebar--secondary",
    "search": ".md-search",
    "footer navigation": ".md-footer",
    "skip link": ".md-skip",
    "back-to-top button": ".md-top",
}
# Links printed as they are: in-page anchors, and numbered citations ([1]), which point to
# the numbered reference list that is printed with the References page.
PRINT_LINKS_AS_THEY_ARE = 'a[href^="#"], .headerlink, sup a'

_PRINT_STATE_JS = r"""([chrome, exempt]) => {
  const out = {shown: [], links: [], header: ''};
  for (const [name, selector] of Object.entries(chrome))
    for (const el of document.querySelectorAll(selector))
      if (el.checkVisibility({visibilityProperty: true, opacityProperty: true}))
        out.shown.push(name);
  for (const a of document.querySelectorAll('.md-content article a[href]')) {
    if (a.matches(exempt) || !__trust.shown(a)) continue;
    out.links.push({href: a.getAttribute('href'), text: a.innerText.trim(),
                    after: getComputedStyle(a, '::after').content});
  }
  const header = document.querySelector('.trust-print-header');
  out.header = header && __trust.shown(header) ? header.innerText : '';
  return out;
}"""


def _print_state(page) -> dict:
    install_helpers(page)
    page.emulate_media(media="print")
    try:
        return page.evaluate(_PRINT_STATE_JS, [PRINT_CHROME, PRINT_LINKS_AS_THEY_ARE])
    finally:
        page.emulate_media(media="screen")


def _address(page) -> str:
    return page.url.split("#")[0]


def _text_shows_target(link: dict) -> bool:
    """An email or phone link whose own text is its address or number: printing the target
    after it would only say it twice."""
    href, text = link["href"], link["text"]
    if href.startswith("mailto:"):
        return href.removeprefix("mailto:").lower() == text.strip().lower()
    if href.startswith("tel:"):
        from trustsite.page_macros import tel_uri

        return tel_uri(text) == href  # '01632 960100' shows tel:+441632960100
    return False


def print_style_problems(page, trust_name: str) -> list[str]:
    """With print styles applied: chrome hidden, the Trust's name and the page's address on
    top, and each link in the content set to print its target after it."""
    state = _print_state(page)
    problems = [f"the {name} is printed" for name in dict.fromkeys(state["shown"])]
    if squash(trust_name) not in squash(state["header"]):
        problems.append(f"the print header does not name the Trust ({state['header']!r})")
    if squash(_address(page)) not in squash(state["header"]):
        problems.append(f"the print header does not give the address {_address(page)}")
    for link in state["links"]:
        if link["href"] not in link["after"] and not _text_shows_target(link):
            problems.append(f"the link {link['text']!r} prints without its target "
                            f"{link['href']} (::after is {link['after']})")
    return problems


def print_problems(page, trust_name: str) -> list[str]:
    """Print the page to PDF in Chromium and read it back: the Trust's name, the page's
    address and every link's target are in the text; the chrome is not."""
    state = _print_state(page)
    flat = squash(pdf_text(page))
    problems = []
    if squash(trust_name) not in flat:
        problems.append(f"the Trust's name {trust_name!r} is not printed")
    if squash(_address(page)) not in flat:
        problems.append(f"the page's address {_address(page)} is not printed")
    for link in state["links"]:
        # An email or phone link that shows its address or number needs only that printed.
        target = link["text"] if _text_shows_target(link) else link["href"]
        if squash(target) not in flat:
            problems.append(f"the link {link['text']!r} is printed without its target "
                            f"{link['href']}")
    for words in ("Skip to content", "Table of contents", "Type to start searching",
                  "Initializing search", "Back to top"):
        if squash(words) in flat:
            problems.append(f"{words!r} is printed")
    return problems


# -- A local web server, for a site under a deep sub-path -------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    served: list[str]

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - the base's name
        self.served.append(self.path)
        super().do_GET()


@contextmanager
def serve_under(site: Path, root: Path, sub_path: str = SUB_PATH) -> Iterator[tuple[str, list]]:
    """Serve `site` at http://127.0.0.1:PORT/<sub_path>/ from a folder `root` (copied there);
    yields the site's base URL and the list of paths the server was asked for."""
    target = root / sub_path
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        shutil.copytree(site, target)
    served: list[str] = []
    handler = type("Handler", (_QuietHandler,), {"served": served})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}/{sub_path}/", served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

