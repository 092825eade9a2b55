// The page's small behaviours that need no framework. Loaded with htmx on every page.
(function () {
  "use strict";

  // htmx requests that write (POST) carry Django's CSRF token as a header; the token comes from
  // a <meta> in the page head, as the CSP allows no inline script.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && event.detail.verb !== "get") {
      event.detail.headers["X-CSRFToken"] = meta.getAttribute("content");
    }
  });

  // While htmx fetches, the region being replaced says it is busy (screen readers, and CSS dims it).
  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail.target;
    if (target) target.setAttribute("aria-busy", "true");
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var target = event.detail.target;
    if (target) target.removeAttribute("aria-busy");
  });

  // After a form is sent in place, the focus goes to what became of it, as a new page would be
  // read from its top: a form refused marks its first error `autofocus`, which htmx focuses;
  // otherwise the page's message ("Your review is recorded.") takes it and is read out.
  document.addEventListener("htmx:afterSettle", function (event) {
    var config = event.detail.requestConfig;
    if (!config || config.verb === "get" || document.querySelector("main [autofocus]")) return;
    var message = document.querySelector("main .messages");
    if (message) {
      message.setAttribute("tabindex", "-1");
      message.focus();
    }
  });

  // A field's errors swapped in beside it (the commitment list's filters: hx-select-oob) mark
  // the field invalid and describe it, or, once cleared, no longer: the field itself stays as
  // the reader set it, so its attributes would still say what the page first said.
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var box = event.target;
    var field = box.id && document.getElementById(box.id.replace(/_error$/, ""));
    if (!field || field === box) return;
    if (box.textContent.trim()) {
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-describedby", box.id);
    } else {
      field.removeAttribute("aria-invalid");
      field.removeAttribute("aria-describedby");
    }
  });

  // A table header that sorts (the commitment list) is replaced with the table it sorts: the
  // focus goes to the same column's header in the new table, not to the top of the page.
  // Only a header's own request sets it: the new table's count starts a request of its own
  // before the swap settles.
  var sortedColumn = -1;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var header = event.detail.elt.closest && event.detail.elt.closest("thead th");
    if (header) sortedColumn = header.cellIndex;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (sortedColumn < 0 || document.activeElement !== document.body) return;
    var row = document.querySelector("main thead tr");
    var link = row && row.cells[sortedColumn] && row.cells[sortedColumn].querySelector("a");
    sortedColumn = -1;
    if (link) link.focus();
  });

  // A table wider than its box scrolls inside it: the box is then a named region the keyboard
  // can reach and scroll (its name: the table's caption, or the heading before it).
  function nameScrollingTables(root) {
    root.querySelectorAll(".table-wrap").forEach(function (box) {
      if (box.scrollWidth <= box.clientWidth || box.hasAttribute("tabindex")) return;
      var caption = box.querySelector("caption");
      var heading = box.closest("section") && box.closest("section").querySelector("h2, h3");
      var name = (caption || heading || {}).textContent;
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      if (name) box.setAttribute("aria-label", name.trim());
    });
  }

  // Scroll the source document's box so that the highlighted passage is in view. Only the box
  // scrolls, not the page: the reader keeps their place at the top. htmx calls this for the
  // first page and for each page it swaps in (a boosted form can lead to a commitment).
  function showPassage(root) {
    var box = root.querySelector(".passage");
    var mark = box && box.querySelector("mark");
    if (box && mark) {
      box.scrollTop = Math.max(0, mark.offsetTop - 48); // the box is positioned: offsets are within it
    }
  }
  function onLoad(root) {
    showPassage(root);
    nameScrollingTables(root);
  }
  if (window.htmx) {
    window.htmx.onLoad(onLoad);
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      onLoad(document);
    });
  }
})();
