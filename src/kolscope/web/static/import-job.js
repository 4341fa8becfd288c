// Follows a running import: polls its status every 500 ms, moves the progress bar and the
// counters, and reloads the page once the job has finished so the full result is shown.
(function () {
  "use strict";
  var job = document.querySelector("[data-job][data-status-url]");
  if (!job) { return; }
  var url = job.getAttribute("data-status-url");
  var bar = job.querySelector(".progress");
  var fill = job.querySelector(".progress-fill");
  var label = job.querySelector("[data-progress-label]");
  var badge = job.querySelector("[data-status-badge]");
  var records = job.querySelector("[data-records]");
  var rejected = job.querySelector("[data-rejected]");
  var finished = { succeeded: true, failed: true };

  function show(state) {
    if (state.progress === null) {
      bar.classList.add("indeterminate");
      bar.removeAttribute("aria-valuenow");
      label.textContent = "Size unknown";
    } else {
      var pct = Math.round(state.progress * 100);
      bar.classList.remove("indeterminate");
      bar.setAttribute("aria-valuenow", String(pct));
      fill.style.width = pct + "%";
      label.textContent = pct + "% read";
    }
    badge.textContent = state.status;
    badge.className = "badge status status-" + state.status;
    records.textContent = (state.counts.records || 0).toLocaleString("en-US");
    rejected.textContent = state.rejected.toLocaleString("en-US");
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (finished[state.status]) { window.location.reload(); } else { setTimeout(poll, 500); }
      })
      .catch(function () { setTimeout(poll, 2000); });
  }

  setTimeout(poll, 500);
})();
