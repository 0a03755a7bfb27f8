// The trip form's region list follows the country without a round trip.
// Without this file the "Show regions" button reloads the form with the list.
(function () {
  "use strict";

  function fillRegions(select, regions) {
    var first = select.options[0];
    select.innerHTML = "";
    var placeholder = document.createElement("option");
    placeholder.value = "";
    placeholder.textContent = regions.length ? select.dataset.chooseLabel || first.textContent : "—";
    select.appendChild(placeholder);
    regions.forEach(function (region) {
      var option = document.createElement("option");
      option.value = region[0];
      option.textContent = region[1];
      select.appendChild(option);
    });
  }

  function enhance(stop, urlTemplate) {
    var country = stop.querySelector("[data-country-select]");
    var region = stop.querySelector("[data-region-select]");
    var button = stop.querySelector("[data-regions-button]");
    if (!country || !region) {
      return;
    }
    if (button) {
      button.hidden = true;
    }
    country.addEventListener("change", function () {
      if (!country.value) {
        fillRegions(region, []);
        return;
      }
      fetch(urlTemplate.replace("XX", country.value), { headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { regions: [] };
        })
        .then(function (data) {
          fillRegions(region, data.regions);
        })
        .catch(function () {
          // Offline or blocked: the "Show regions" button still works.
          if (button) {
            button.hidden = false;
          }
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var stops = document.getElementById("stops");
    if (!stops) {
      return;
    }
    stops.querySelectorAll("[data-stop]").forEach(function (stop) {
      enhance(stop, stops.dataset.regionsUrl);
    });
  });
})();
