// Scroll the source document's box so that the highlighted passage is in view on load.
// Only the box scrolls, not the page: the reader keeps their place at the top.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector(".passage");
  var mark = box && box.querySelector("mark");
  if (box && mark) {
    box.scrollTop = Math.max(0, mark.offsetTop - 48); // the box is positioned: offsets are within it
  }
});
