/*
 * Keyboard access to Material's menu and navigation toggles, and the page's address for print.
 *
 * Material draws its menu button, search button and navigation sections as <label>s for
 * hidden checkboxes. A label cannot take focus or be named, so on narrow screens a keyboard
 * user could not open the navigation drawer or move between its sections. Here each such
 * label becomes a named button in the Tab order that works with Enter (Material clicks a
 * focused label on Enter) and Space, and Escape closes an open drawer.
 *
 * Plain ES2017, no libraries, no network; the labels keep working with a mouse as before.
 * Loaded on every page from overrides/main.html.
 */
(function () {
  "use strict";

  function text(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function makeButton(label, name) {
    if (!label || label.dataset.trustButton) {
      return;
    }
    label.dataset.trustButton = "1";
    label.setAttribute("tabindex", "0");
    label.setAttribute("role", "button");
    if (name) {
      label.setAttribute("aria-label", name);
    }
    var control = document.getElementById(label.htmlFor);
    if (control && control.type === "checkbox" && label.classList.contains("md-nav__link")) {
      var sync = function () {
        label.setAttribute("aria-expanded", control.checked ? "true" : "false");
      };
      control.addEventListener("change", sync);
      sync();
    }
  }

  // A table wider than the page scrolls sideways inside Material's wrapper. A keyboard user
  // must be able to reach it with Tab and scroll it with the arrow keys (WCAG 2.1.1), so an
  // overflowing wrapper becomes a named region in the Tab order; one that fits stays out.
  function makeWideTablesReachable() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "Table: scroll sideways to see all of it");
      } else {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  function setUp() {
    makeWideTablesReachable();
    window.addEventListener("resize", makeWideTablesReachable);
    makeButton(document.querySelector('.md-header label.md-header__button[for="__drawer"]'),
      "Menu");
    makeButton(document.querySelector('.md-header label.md-header__button[for="__search"]'),
      "Search");

    // A section's toggle, beside the link to the section's own page.
    document.querySelectorAll(".md-nav--primary label.md-nav__link[for^='__nav_']")
      .forEach(function (label) {
        var container = label.closest(".md-nav__container") || label;
        var title = text(container.querySelector("a.md-nav__link")) || text(label);
        makeButton(label, "Show the pages in " + title);
        // The section's list was named by the icon-only label; name it by the section.
        var list = document.querySelector('nav[aria-labelledby="' + label.id + '"]');
        if (list && title) {
          list.removeAttribute("aria-labelledby");
          list.setAttribute("aria-label", title);
          // Material looks up [aria-labelledby=<label id>] on every click of the toggle to
          // set aria-expanded, and throws when nothing has it: a hidden stand-in keeps it.
          var stand_in = document.createElement("span");
          stand_in.hidden = true;
          stand_in.setAttribute("aria-labelledby", label.id);
          label.after(stand_in);
        }
      });

    // The current page's entry opens the list of its sections (narrow screens).
    document.querySelectorAll(".md-nav--primary label.md-nav__link[for='__toc']")
      .forEach(function (label) {
        makeButton(label, "Sections of this page: " + text(label));
      });

    // The title at the top of an open pane goes back up a level (narrow screens).
    document.querySelectorAll(".md-nav--primary .md-nav label.md-nav__title[for^='__nav_'], " +
      ".md-nav--primary .md-nav label.md-nav__title[for='__toc']")
      .forEach(function (label) {
        makeButton(label, "Back from " + text(label));
      });

    document.querySelectorAll("[data-trust-print-address]").forEach(function (element) {
      element.textContent = window.location.href.split("#")[0];
    });
  }

  // On a narrow screen the open drawer covers the page: until it closes, the rest of the
  // page is inert, so Tab stays in the drawer instead of wandering behind it. The overlay
  // stays clickable (a click on it closes the drawer); Escape closes it from the keyboard.
  var narrow = window.matchMedia("(max-width: 76.234375em)");

  function holdFocusInDrawer() {
    var drawer = document.getElementById("__drawer");
    var sidebar = document.querySelector(".md-sidebar--primary");
    if (!drawer || !sidebar) {
      return;
    }
    var hold = drawer.checked && narrow.matches;
    for (var node = sidebar; node.parentElement && node !== document.body;
      node = node.parentElement) {
      Array.prototype.forEach.call(node.parentElement.children, function (sibling) {
        if (sibling === node || sibling.matches("script, input.md-toggle, .md-overlay")) {
          return;
        }
        if (hold && !sibling.inert) {
          sibling.inert = true;
          sibling.dataset.trustInert = "1";
        } else if (!hold && sibling.dataset.trustInert) {
          sibling.inert = false;
          delete sibling.dataset.trustInert;
        }
      });
    }
  }

  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "__drawer") {
      holdFocusInDrawer();
    }
  }, true);
  if (narrow.addEventListener) {
    narrow.addEventListener("change", holdFocusInDrawer);
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if ((event.key === " " || event.key === "Spacebar") && target instanceof HTMLLabelElement &&
        target.dataset.trustButton) {
      event.preventDefault();
      target.click();
    } else if (event.key === "Escape") {
      var drawer = document.getElementById("__drawer");
      var button = document.querySelector('.md-header label[for="__drawer"]');
      if (drawer && drawer.checked && button) {
        button.click();
        button.focus();
      }
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
}());
