// The report form: client id, category groups, time choice and the place map.
(function () {
  "use strict";

  function randomUuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    // crypto.randomUUID exists only on https and localhost; build a v4 UUID by hand.
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  // One id per page load: a second tap on "send" repeats it, and the server
  // answers with the report already stored instead of storing it twice.
  document.querySelectorAll("input[data-client-id]").forEach(function (input) {
    if (!input.value) input.value = randomUuid();
  });

  var form = document.getElementById("report-form");
  if (!form) return;

  form.querySelectorAll("[data-colour]").forEach(function (label) {
    label.style.borderLeftColor = label.dataset.colour;
  });

  function checkedValue(name, fallback) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : fallback;
  }

  // Only the chosen group's sub-categories show, right under it; a choice in
  // another group is dropped. The group alone is already a complete answer.
  function showGroup(event) {
    var group = checkedValue("group", "");
    var shown = null;
    form.querySelectorAll(".subcategories").forEach(function (fieldset) {
      var mine = fieldset.dataset.group === group;
      fieldset.hidden = !mine;
      if (mine) shown = fieldset;
      else fieldset.querySelectorAll("input").forEach(function (i) { i.checked = false; });
    });
    // Only after a tap or key: on load the page must not jump.
    if (event && shown) shown.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  function showWhen() {
    var when = checkedValue("when", "now");
    form.querySelectorAll("[data-when]").forEach(function (part) {
      part.hidden = part.dataset.when !== when;
    });
    var note = document.getElementById("when-now-note");
    if (note) note.hidden = when !== "now";
  }

  form.querySelectorAll('input[name="group"]').forEach(function (input) {
    input.addEventListener("change", showGroup);
  });
  form.querySelectorAll('input[name="when"]').forEach(function (input) {
    input.addEventListener("change", showWhen);
  });
  showGroup();
  showWhen();

  setUpMap(form);

  function setUpMap(form) {
    var element = document.getElementById("pick-map");
    var status = document.getElementById("position-text");
    var lat = form.elements.lat;
    var lon = form.elements.lon;
    var map = TryggMap.baseMap(element);
    var outlines = TryggMap.drawOutlines(map, TryggMap.readJson("outlines-data"));
    var municipalities = TryggMap.readJson("organisation-municipalities") || {};
    var organisation = form.elements.organisation;
    var marker = null;

    function fit() {
      var chosen = organisation && municipalities[organisation.value];
      TryggMap.fitTo(map, outlines, chosen);
    }

    function place(latlng, pan) {
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      if (marker) marker.setLatLng(latlng);
      else marker = L.marker(latlng, { icon: TryggMap.markerIcon(element), keyboard: false }).addTo(map);
      if (pan) map.panTo(latlng);
      element.dataset.picked = "true";
      status.textContent = element.dataset.textPicked;
      nameArea(latlng);
    }

    // Ask the server which area the point falls in (the same lookup the report
    // will get); only the answer for the latest tap is shown.
    var asked = 0;
    function nameArea(latlng) {
      var mine = ++asked;
      var url = element.dataset.placeUrl + "?lat=" + latlng.lat.toFixed(6) + "&lon=" + latlng.lng.toFixed(6);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("place " + response.status);
          return response.json();
        })
        .then(function (place) {
          if (mine !== asked) return;
          if (!place.inside) status.textContent = element.dataset.textOutside;
          else if (place.area) status.textContent = element.dataset.textArea.replace("{area}", place.area);
          else status.textContent = element.dataset.textNoArea;
          element.dataset.area = place.area || "";
        })
        .catch(function () { /* the generic "place chosen" stays; the server decides on send */ });
    }

    function typed() {
      var la = parseFloat(lat.value.replace(",", "."));
      var lo = parseFloat(lon.value.replace(",", "."));
      if (isFinite(la) && isFinite(lo)) place(L.latLng(la, lo), true);
    }

    fit();
    if (organisation) organisation.addEventListener("change", fit);
    map.on("click", function (event) { place(event.latlng, false); });
    lat.addEventListener("change", typed);
    lon.addEventListener("change", typed);
    if (lat.value && lon.value) typed();

    document.getElementById("use-my-position").addEventListener("click", function () {
      if (!navigator.geolocation) {
        status.textContent = element.dataset.textNoPosition;
        return;
      }
      status.textContent = element.dataset.textLocating;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          place(L.latLng(position.coords.latitude, position.coords.longitude), true);
        },
        function () { status.textContent = element.dataset.textNoPosition; },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }
})();
