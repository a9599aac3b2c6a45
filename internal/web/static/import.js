// Moves the import's progress bar by polling its status; without script
// the page's "refresh" link does the same by hand.
(function () {
  "use strict";
  var bar = document.getElementById("import-progress");
  if (!bar) { return; }
  var text = document.getElementById("import-progress-text");
  var url = bar.getAttribute("data-status-url");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (s) {
        bar.value = s.percent;
        bar.textContent = s.percent + "%";
        if (text) { text.textContent = s.label; }
        if (s.running) { setTimeout(poll, 1000); } else { window.location.reload(); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 500);
})();
