/*
 * Research culture self-assessment: saves ticks in this browser, keeps a running score and
 * lists the unticked statements as an action list.
 *
 * Plain ES2017, no libraries and no network. Ticks are kept in localStorage under a key that
 * includes the page's path, so different Trusts' copies (and different pages) never share
 * answers. Everything still works when localStorage is blocked: ticks are simply not kept.
 *
 * Material for MkDocs may swap pages without a full reload, so the script runs on
 * DOMContentLoaded and on every document$ emission, and each form is set up only once.
 */
(function () {
  "use strict";

  var KEY_PREFIX = "trustsite:self-assessment:";
  var READY = "selfAssessmentReady";

  function getStorage() {
    try {
      var storage = window.localStorage;
      var probe = KEY_PREFIX + "probe";
      storage.setItem(probe, "1");
      storage.removeItem(probe);
      return storage;
    } catch (error) {
      return null;
    }
  }

  function storageKey(form) {
    return KEY_PREFIX + (form.getAttribute("data-self-assessment") || "default") + ":" +
      window.location.pathname;
  }

  function readTicks(storage, key) {
    if (!storage) {
      return [];
    }
    try {
      var saved = JSON.parse(storage.getItem(key) || "[]");
      return Array.isArray(saved) ? saved : [];
    } catch (error) {
      return [];
    }
  }

  function writeTicks(storage, key, ticks) {
    if (!storage) {
      return false;
    }
    try {
      if (ticks.length) {
        storage.setItem(key, JSON.stringify(ticks));
      } else {
        storage.removeItem(key);
      }
      return true;
    } catch (error) {
      return false;
    }
  }

  function labelText(form, box) {
    var label = form.querySelector('label[for="' + box.id + '"]');
    return label ? label.textContent.replace(/\s+/g, " ").trim() : box.value;
  }

  function legendText(fieldset) {
    var legend = fieldset.querySelector("legend");
    return legend ? legend.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function buildActionList(form, container) {
    var fieldsets = Array.prototype.slice.call(form.querySelectorAll("fieldset"));
    var fragment = document.createDocumentFragment();
    var remaining = 0;

    fieldsets.forEach(function (fieldset) {
      var open = Array.prototype.slice.call(
        fieldset.querySelectorAll('input[type="checkbox"]')
      ).filter(function (box) {
        return !box.checked;
      });
      if (!open.length) {
        return;
      }
      remaining += open.length;
      var heading = document.createElement("h3");
      heading.className = "self-assessment__actions-heading";
      heading.textContent = legendText(fieldset);
      var list = document.createElement("ul");
      open.forEach(function (box) {
        var item = document.createElement("li");
        item.textContent = labelText(form, box);
        list.appendChild(item);
      });
      fragment.appendChild(heading);
      fragment.appendChild(list);
    });

    container.textContent = "";
    if (remaining === 0) {
      var done = document.createElement("p");
      done.textContent = "You have ticked every statement. Share your results with the " +
        "research office and look for ways to keep this up.";
      container.appendChild(done);
    } else {
      container.appendChild(fragment);
    }
  }

  function updateScore(form, scoreElement) {
    var boxes = form.querySelectorAll('input[type="checkbox"]');
    var ticked = form.querySelectorAll('input[type="checkbox"]:checked').length;
    var total = boxes.length;
    var percent = total ? Math.round((ticked / total) * 100) : 0;
    scoreElement.textContent = "Your score: " + ticked + " of " + total +
      " statements ticked (" + percent + "%).";
  }

  function setUp(form) {
    if (form.dataset[READY] === "true") {
      return;
    }
    form.dataset[READY] = "true";

    var storage = getStorage();
    var key = storageKey(form);
    var boxes = Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"]'));
    var scoreElement = form.querySelector(".self-assessment__score");
    var note = form.querySelector(".self-assessment__storage-note");
    var actions = document.querySelector("[data-self-assessment-actions]");
    var printButton = form.querySelector('[data-self-assessment-action="print"]');
    var resetButton = form.querySelector('[data-self-assessment-action="reset"]');

    var saved = readTicks(storage, key);
    boxes.forEach(function (box) {
      box.checked = saved.indexOf(box.id) !== -1;
    });

    function refresh() {
      if (scoreElement) {
        updateScore(form, scoreElement);
      }
      if (actions) {
        buildActionList(form, actions);
      }
    }

    function save() {
      var ticks = boxes.filter(function (box) {
        return box.checked;
      }).map(function (box) {
        return box.id;
      });
      var kept = writeTicks(storage, key, ticks);
      if (note && !kept) {
        note.hidden = false;
      }
    }

    if (note && !storage) {
      note.hidden = false;
    }

    form.addEventListener("change", function (event) {
      if (event.target && event.target.type === "checkbox") {
        save();
        refresh();
      }
    });

    // Stop Enter in the form from reloading the page.
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });

    if (printButton) {
      printButton.hidden = false;
      printButton.addEventListener("click", function () {
        window.print();
      });
    }

    if (resetButton) {
      resetButton.hidden = false;
      resetButton.addEventListener("click", function () {
        var sure = true;
        try {
          sure = window.confirm("Clear all your ticks on this page? This cannot be undone.");
        } catch (error) {
          sure = true;
        }
        if (!sure) {
          return;
        }
        boxes.forEach(function (box) {
          box.checked = false;
        });
        save();
        refresh();
        if (boxes.length) {
          boxes[0].focus();
        }
      });
    }

    refresh();
  }

  function init() {
    var forms = document.querySelectorAll("form[data-self-assessment]");
    Array.prototype.forEach.call(forms, setUp);
  }

  var SUBSCRIBED = "__trustsiteSelfAssessmentSubscribed";

  function start() {
    init();
    var documents = window.document$;
    if (!window[SUBSCRIBED] && documents && typeof documents.subscribe === "function") {
      window[SUBSCRIBED] = true;
      documents.subscribe(function () {
        init();
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  // Material's own script loads after this one; look for document$ again once it has run.
  window.addEventListener("load", start);
})();
