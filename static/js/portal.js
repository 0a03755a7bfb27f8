// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    // Move focus to the error summary so screen readers announce it first.
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }

    // A second click on a slow connection must not send the form twice.
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.submitted === "yes") {
          event.preventDefault();
          return;
        }
        form.dataset.submitted = "yes";
        form.querySelectorAll("button[type=submit]").forEach(function (button) {
          button.setAttribute("aria-disabled", "true");
          button.classList.add("disabled");
        });
      });
    });
  });
})();
