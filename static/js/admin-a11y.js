// The staff workplace (Django's admin), named for screen readers once Django's scripts have run:
// select2's combobox (an autocomplete field) takes its field's label, and the magnifier of a
// two-list selector, a <span> with an aria-label, becomes an image so that the label is allowed.
(function () {
  "use strict";

  function labelOf(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.trim().replace(/:$/, "") : "";
  }

  function nameComboboxes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var name = labelOf(select);
      var container = select.nextElementSibling;
      if (!name || !container) {
        return;
      }
      container.querySelectorAll('[role="combobox"], [role="textbox"]').forEach(function (element) {
        element.setAttribute("aria-label", name);
      });
    });
  }

  function tooltipsAsImages() {
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (span) {
      span.setAttribute("role", "img");
    });
  }

  function repair() {
    nameComboboxes();
    tooltipsAsImages();
  }

  // Django's autocomplete (DOMContentLoaded) and two-list selector (load) scripts run first.
  window.addEventListener("load", function () {
    repair();
    window.setTimeout(repair, 0);
  });
  document.addEventListener("formset:added", function () {
    window.setTimeout(repair, 0);
  });
})();
