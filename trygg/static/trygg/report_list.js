// The report list's map: the same filtered reports, fetched from the GeoJSON twin for
// the current view. The server answers points when few reports match the view, and
// a count per grid cell when many (so a phone never receives thousands of points);
// every pan or zoom asks again.
(function () {
  "use strict";

  var element = document.getElementById("report-map");
  if (!element) return;
  var map = TryggMap.baseMap(element);
  var outlines = TryggMap.drawOutlines(map, TryggMap.readJson("outlines-data"));
  TryggMap.fitTo(map, outlines);
  var layer = L.layerGroup().addTo(map);
  var asked = 0; // the newest request's number: an older answer arriving late is dropped
  var timer = null;

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
    var marker = L.circleMarker(latlng, {
      className: "report-point",
      radius: 7,
      color: "#222",
      weight: 1,
      fillColor: feature.properties.colour,
      fillOpacity: 0.85,
    });
    return marker.bindPopup(popup(feature.properties));
  }

  // A cell of many reports: its count in a circle; a click zooms in on it.
  function cluster(feature, latlng) {
    var count = feature.properties.count;
    var size = Math.round(28 + 6 * Math.log10(count));
    var marker = L.marker(latlng, {
      icon: L.divIcon({
        className: "report-cluster",
        html: "<span>" + String(count) + "</span>",
        iconSize: [size, size],
      }),
      keyboard: true,
      title: String(count),
    });
    marker.on("click", function () { map.setView(latlng, Math.min(map.getZoom() + 2, 19)); });
    return marker;
  }

  function viewQuery() {
    var b = map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
      return v.toFixed(5);
    });
    var src = element.dataset.src;
    var glue = src.indexOf("?") < 0 ? "?" : "&";
    return src + glue + "bbox=" + bbox.join(",") + "&zoom=" + Math.floor(map.getZoom());
  }

  function show(data) {
    layer.clearLayers();
    L.geoJSON(data, { pointToLayer: data.clustered ? cluster : point }).addTo(layer);
    element.dataset.points = data.clustered ? "0" : String(data.features.length);
    element.dataset.clusters = data.clustered ? String(data.features.length) : "0";
    element.dataset.total = String(data.total);
    document.getElementById("map-note").hidden = true;
  }

  function load() {
    var number = ++asked;
    fetch(viewQuery(), { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("map data " + response.status);
        return response.json();
      })
      .then(function (data) { if (number === asked) show(data); })
      .catch(function () { if (number === asked) element.dataset.points = "error"; });
  }

  // One request when a pan or zoom settles, not one per animation frame.
  map.on("moveend", function () {
    clearTimeout(timer);
    timer = setTimeout(load, 150);
  });
  load();
})();
