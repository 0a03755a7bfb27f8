// The crisis board reloads its numbers every few seconds; without JavaScript it is a page to reload.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var board = document.getElementById("crisis-board");
    if (!board || !window.fetch) {
      return;
    }
    var seconds = parseInt(board.dataset.refreshSeconds, 10) || 10;
    function refresh() {
      if (document.hidden) {
        return;
      }
      fetch(board.dataset.refreshUrl, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (html !== null) {
            board.innerHTML = html;
          }
        })
        .catch(function () {
          // Offline for a moment: the numbers stay until the next try.
        });
    }
    window.setInterval(refresh, seconds * 1000);
  });
})();
