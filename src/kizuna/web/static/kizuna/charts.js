// Draw each chart from its Vega-Lite spec with the vendored vega-embed.
//
// A chart is an element with `data-vega-json`, its Vega-Lite spec as JSON text: the same spec
// that the server draws to SVG for the PDF. (Not a <script type="application/json">: htmx, which
// takes no script tags from the server, drops them from every piece of page it swaps in.)
// Whatever the element holds (an <img> of the SVG, or nothing) stays until the chart is drawn.
//
// CSP: the page allows no 'unsafe-eval', and vega compiles its expressions with `new Function`
// unless told otherwise; `ast: true` makes vega-embed run them through vega-interpreter (bundled
// in vega-embed) instead. vega-embed's and vega-tooltip's own <style> elements are switched
// off too (no 'unsafe-inline' styles); kizuna.css styles the tooltip.
(function () {
  "use strict";

  var OPTIONS = {
    renderer: "svg",
    actions: false,
    ast: true,
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true },
  };

  function drawOne(box) {
    if (box.getAttribute("data-vega-state")) return; // drawn, or being drawn
    var source = box.getAttribute("data-vega-json");
    if (!source) return;
    var spec;
    try {
      spec = JSON.parse(source);
    } catch (err) {
      console.warn("chart spec is not JSON", err);
      return;
    }
    box.setAttribute("data-vega-state", "drawing");
    // Draw beside the fallback and swap only once the chart is there.
    var canvas = document.createElement("div");
    canvas.className = "chart-canvas";
    box.insertBefore(canvas, box.firstChild);
    window
      .vegaEmbed(canvas, spec, OPTIONS)
      .then(function () {
        box.querySelectorAll(".chart-fallback").forEach(function (el) {
          el.remove();
        });
        box.setAttribute("data-vega-state", "drawn");
      })
      .catch(function (err) {
        canvas.remove();
        box.setAttribute("data-vega-state", "failed");
        console.warn("chart not drawn; the server's picture stays", err);
      });
  }

  function draw(root) {
    if (typeof window.vegaEmbed !== "function") return; // no chart library on this page
    if (root.matches && root.matches("[data-vega-json]")) drawOne(root);
    root.querySelectorAll("[data-vega-json]").forEach(drawOne);
  }

  if (window.htmx) {
    // htmx calls this for the first page and again for every piece of page it swaps in.
    window.htmx.onLoad(draw);
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      draw(document);
    });
  }
})();
