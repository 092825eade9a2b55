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
  if (window.htmx) {
    window.htmx.onLoad(showPassage);
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      showPassage(document);
    });
  }
})();
