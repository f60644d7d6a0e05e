// The report list's map: the same filtered reports, fetched from the GeoJSON twin.
(function () {
  "use strict";

  var element = document.getElementById("report-map");
  if (!element) return;
  var map = TryggMap.baseMap(element);
  var outlines = TryggMap.drawOutlines(map, TryggMap.readJson("outlines-data"));
  TryggMap.fitTo(map, outlines);

  // Built with textContent, never innerHTML: descriptions are free text.
  function popup(properties) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.category_name;
    box.appendChild(link);
    var when = new Date(properties.occurred_at);
    var lines = [when.toLocaleString(document.documentElement.lang), properties.area, properties.description];
    lines.forEach(function (text) {
      if (!text) return;
      var line = document.createElement("div");
      line.textContent = text;
      box.appendChild(line);
    });
    return box;
  }

  function point(feature, latlng) {
    return L.circleMarker(latlng, {
      className: "report-point",
      radius: 7,
      color: "#222",
      weight: 1,
      fillColor: feature.properties.colour,
      fillOpacity: 0.85,
    });
  }

  fetch(element.dataset.src, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) throw new Error("map data " + response.status);
      return response.json();
    })
    .then(function (data) {
      L.geoJSON(data, {
        pointToLayer: point,
        onEachFeature: function (feature, layer) { layer.bindPopup(popup(feature.properties)); },
      }).addTo(map);
      element.dataset.points = String(data.features.length);
      document.getElementById("map-note").hidden = !data.truncated;
    })
    .catch(function () { element.dataset.points = "error"; });
})();
