// A measure's treated-area polygon. On the measure form (#polygon-map) a tap on
// the map adds a corner as a "lat, lon" line to the text field, which stays the
// one source of truth: typing or pasting there (GeoJSON too) redraws the map,
// so the field works without a pointer. On the measure and evaluation pages
// (#polygon-view) the stored polygon is only shown.
(function () {
  "use strict";

  // Not interactive: a tap on the polygon goes through to the map and adds a corner.
  var STYLE = { color: "#b2182b", weight: 3, fillColor: "#ef8a62", fillOpacity: 0.25, interactive: false };

  // The server's reading of a line (trygg/measures/polygon.py): "63.16, 14.61",
  // "63.16 14.61", or with decimal commas "63,16; 14,61" and "63,16 14,61".
  function corner(line) {
    var parts;
    if (line.indexOf(";") >= 0) parts = line.split(";");
    else if (line.split(/\s+/).length === 2) parts = line.split(/\s+/);
    else parts = line.split(",");
    if (parts.length !== 2) return null;
    var numbers = parts.map(function (p) {
      return Number(p.trim().replace(/,$/, "").replace(",", "."));
    });
    if (!isFinite(numbers[0]) || !isFinite(numbers[1])) return null;
    return L.latLng(numbers[0], numbers[1]);
  }

  // Corners as Leaflet positions; null when the text cannot be read (the server says why).
  function cornersOf(text) {
    text = text.trim();
    if (!text) return [];
    if (text.charAt(0) === "{") return geoJsonCorners(text);
    var corners = [];
    var lines = text.split(/\r?\n/);
    for (var i = 0; i < lines.length; i++) {
      if (!lines[i].trim()) continue;
      var position = corner(lines[i].trim());
      if (!position) return null;
      corners.push(position);
    }
    return corners;
  }

  function geoJsonCorners(text) {
    try {
      var data = JSON.parse(text);
      if (data.type === "FeatureCollection" && data.features.length === 1) data = data.features[0];
      if (data.type === "Feature") data = data.geometry;
      if (data.type !== "Polygon") return null;
      var ring = data.coordinates[0].map(function (p) { return L.latLng(p[1], p[0]); });
      if (ring.length > 1 && ring[0].equals(ring[ring.length - 1])) ring.pop();
      return ring;
    } catch (e) {
      return null;
    }
  }

  function lineOf(latlng) {
    return latlng.lat.toFixed(6) + ", " + latlng.lng.toFixed(6);
  }

  function setUpDrawing(element) {
    var input = document.getElementById(element.dataset.input);
    var status = document.getElementById("polygon-status");
    var map = TryggMap.baseMap(element);
    var outlines = TryggMap.drawOutlines(map, TryggMap.readJson("outlines-data"));
    var shape = L.layerGroup().addTo(map);
    var fitted = false;

    function draw() {
      var corners = cornersOf(input.value);
      shape.clearLayers();
      if (corners === null) {
        status.textContent = element.dataset.textUnread;
        return null;
      }
      if (corners.length >= 3) L.polygon(corners, STYLE).addTo(shape);
      else if (corners.length === 2) L.polyline(corners, STYLE).addTo(shape);
      corners.forEach(function (c) {
        L.circleMarker(c, { radius: 5, color: STYLE.color, interactive: false }).addTo(shape);
      });
      status.textContent = corners.length
        ? element.dataset.textCorners.replace("{n}", corners.length)
        : element.dataset.textEmpty;
      return corners;
    }

    function fit() {
      var corners = draw();
      if (corners && corners.length >= 2) {
        map.fitBounds(L.latLngBounds(corners), { padding: [16, 16] });
        fitted = true;
      } else if (!fitted) {
        TryggMap.fitTo(map, outlines);
      }
    }

    // A tap adds a corner; GeoJSON in the field becomes lines first, so the two never mix.
    map.on("click", function (event) {
      var corners = cornersOf(input.value);
      if (corners === null) return;
      corners.push(event.latlng);
      input.value = corners.map(lineOf).join("\n");
      draw();
    });
    input.addEventListener("change", fit);
    input.addEventListener("input", draw);
    document.getElementById("polygon-undo").addEventListener("click", function () {
      var corners = cornersOf(input.value);
      if (!corners) return;
      corners.pop();
      input.value = corners.map(lineOf).join("\n");
      draw();
    });
    document.getElementById("polygon-clear").addEventListener("click", function () {
      input.value = "";
      draw();
    });
    document.getElementById("polygon-tools").hidden = false;
    fit();
  }

  function setUpView(element) {
    var polygon = TryggMap.readJson(element.dataset.polygon);
    if (!polygon) return;
    var map = TryggMap.baseMap(element);
    var layer = L.geoJSON(polygon, { style: STYLE, interactive: false }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [16, 16] });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.L || !window.TryggMap) return;
    var drawing = document.getElementById("polygon-map");
    if (drawing) setUpDrawing(drawing);
    var view = document.getElementById("polygon-view");
    if (view) setUpView(view);
  });
})();
