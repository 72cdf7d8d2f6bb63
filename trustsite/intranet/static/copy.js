// The "Copy" and "Copy HTML source" buttons of the paste-ready pages' index.html. A file of its
// own, not inline, so the page passes a strict Content Security Policy.
// - "Copy" puts the page on the clipboard as text/html and text/plain together, so a rich
//   editor (SharePoint's Text web part, WordPress, Interact, Word) pastes it with its headings,
//   lists, tables and links, and a plain one pastes the text.
// - "Copy HTML source" puts the markup on the clipboard as text, for an editor's source view.
// Both first point the links between pages at "Where will these pages live?" ({page} becomes
// the page's name), as fragments.py's at_page_address does for the files.
(function () {
  "use strict";
  var status = document.getElementById("copy-status");
  var addressField = document.getElementById("page-address");
  var pageNames = {};
  Array.prototype.forEach.call(document.querySelectorAll("section[data-page]"), function (s) {
    pageNames[s.getAttribute("data-page")] = true;
  });

  function escapeAttribute(text) {
    return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;")
      .replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // The page's HTML with each link to another page ("glossary.html") at the given address.
  function atPageAddress(html, address) {
    if (!address) {
      return html;
    }
    return html.replace(/href="([a-z0-9-]+)\.html"/g, function (whole, name) {
      return pageNames[name] ? 'href="' + escapeAttribute(address.split("{page}").join(name)) + '"'
        : whole;
    });
  }

  function copyWithEvent(data) {
    function fill(event) {
      Object.keys(data).forEach(function (type) {
        event.clipboardData.setData(type, data[type]);
      });
      event.preventDefault();
    }
    document.addEventListener("copy", fill);
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    document.removeEventListener("copy", fill);
    return Promise.resolve(copied);
  }

  // data: {"text/html": ..., "text/plain": ...} or {"text/plain": ...}, written together.
  // A "copy" event first: it writes the markup exactly, where Chromium's ClipboardItem
  // rewrites every relative link ("glossary.html", "files/...") into a file:/// path of
  // this computer. The asynchronous API is the fallback where execCommand is refused.
  function copy(data) {
    return copyWithEvent(data).then(function (copied) {
      if (copied || !navigator.clipboard || !window.isSecureContext) {
        return copied;
      }
      var write;
      if (data["text/html"] !== undefined && window.ClipboardItem) {
        var parts = {};
        Object.keys(data).forEach(function (type) {
          parts[type] = new Blob([data[type]], {type: type});
        });
        write = navigator.clipboard.write([new window.ClipboardItem(parts)]);
      } else {
        write = navigator.clipboard.writeText(data["text/plain"]);
      }
      return write.then(function () {
        return true;
      }, function () {
        return false;
      });
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) {
      return;
    }
    var section = button.closest("section");
    var kind = button.getAttribute("data-copy");
    var title = section.querySelector("h2").textContent.trim();
    var where = addressField ? addressField.value.trim() : "";
    if (where && where.indexOf("{page}") === -1) {
      status.textContent = "Put {page} in the address where each page's name goes, " +
        "for example https://intranet.example.nhs.uk/research/{page}.";
      addressField.focus();
      return;
    }
    var html = atPageAddress(section.querySelector("textarea.source").value, where);
    var data = kind === "html" ? {"text/plain": html}
      : {"text/html": html, "text/plain": section.querySelector(".preview").innerText};
    var what = (kind === "html" ? "the HTML source of '" : "'") + title + "'";
    copy(data).then(function (copied) {
      status.textContent = copied ? "Copied " + what + "."
        : "Could not copy. Select the text in the box and press Ctrl+C.";
    });
  });
}());
