// The import page while the worker imports: polls the run's progress and
// shows it; reloads the page for the outcome once the run is finished.
(function () {
  "use strict";
  var box = document.querySelector(".import-progress");
  if (!box) { return; }
  var bar = document.getElementById("import-bar");
  var count = document.getElementById("import-count");
  var status = document.getElementById("import-status");
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.finished) { window.location.reload(); return; }
        bar.value = data.percent;
        bar.textContent = data.percent + " %";
        count.textContent = count.textContent.replace(/^\d+/, String(data.done));
        status.textContent = data.status_display;
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
