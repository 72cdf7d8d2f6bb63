// The "Copy HTML" and "Copy text" buttons of the paste-ready pages' index.html. A file of its
// own, not inline, so the page passes a strict Content Security Policy. navigator.clipboard
// needs a secure context, which a page opened from a file share may not be, so a selected
// textarea and execCommand("copy") are the fallback.
(function () {
  "use strict";
  var status = document.getElementById("copy-status");

  function copyWithTextarea(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "copy-buffer";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    document.body.removeChild(area);
    return Promise.resolve(copied);
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(function () {
        return true;
      }, function () {
        return copyWithTextarea(text);
      });
    }
    return copyWithTextarea(text);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) {
      return;
    }
    var section = button.closest("section");
    var kind = button.getAttribute("data-copy");
    var title = section.querySelector("h2").textContent.trim();
    var text = kind === "html" ? section.querySelector("textarea.source").value
      : section.querySelector(".preview").innerText;
    copy(text).then(function (copied) {
      status.textContent = copied
        ? "Copied the " + (kind === "html" ? "HTML" : "text") + " of '" + title + "'."
        : "Could not copy. Select the text in the box and press Ctrl+C.";
    });
  });
}());
