// Draw each chart from its Vega-Lite spec with the vendored vega-embed.
//
// A chart is an element with `data-vega-spec="ID"`, where ID names the <script type=
// "application/json"> that Django's json_script wrote: the same spec that the server draws to
// SVG for the PDF. Whatever the element holds (that SVG as an <img>, or nothing) stays until the
// chart is drawn, so a reader without script, or with a failed load, still sees a picture.
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
    var source = document.getElementById(box.getAttribute("data-vega-spec"));
    if (!source) return;
    var spec;
    try {
      spec = JSON.parse(source.textContent);
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
    if (root.matches && root.matches("[data-vega-spec]")) drawOne(root);
    root.querySelectorAll("[data-vega-spec]").forEach(drawOne);
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
