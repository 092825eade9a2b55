// Follows an ingestion job: polls its status every second until it is done or failed.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  function show(data) {
    document.getElementById("job-progress").value = data.progress;
    document.getElementById("job-progress").textContent = data.progress + "%";
    document.getElementById("job-status").textContent = data.status_text;
    document.getElementById("job-text").textContent = data.stage ? "· " + data.stage : "";
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
        if (data.status !== "done" && data.status !== "failed") { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  poll();
})();
