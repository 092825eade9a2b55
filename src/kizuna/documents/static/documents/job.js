// Follows an ingestion job: polls its status every second until it is done or failed.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  function finished(data) { return data.status === "done" || data.status === "failed"; }
  function show(data) {
    document.getElementById("job-progress").value = data.progress;
    document.getElementById("job-progress").textContent = data.progress + "%";
    document.getElementById("job-status").textContent = data.status_text;
    // Once finished, the status says it all ("done · done" otherwise); the message says how.
    document.getElementById("job-text").textContent =
      data.stage && !finished(data) ? "· " + data.stage : "";
    document.getElementById("job-message").textContent = data.message;
    if (data.review_url) {
      document.getElementById("job-review-link").href = data.review_url;
      document.getElementById("job-review").hidden = false;
    }
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        show(data);
        if (!finished(data)) { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  poll();
})();
