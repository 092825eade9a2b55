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
