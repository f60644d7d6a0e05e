// Shared Leaflet set-up for every map page. The tile URL lives here and only here:
// change it to your own tile server when OpenStreetMap's usage policy does not fit.
(function () {
  "use strict";

  var TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  var TILE_ATTRIBUTION =
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>';
  var SWEDEN = [[55.3, 11.0], [69.1, 24.2]];

  function baseMap(element) {
    // Fractional zoom steps so a fitted boundary fills the view; with whole steps
    // it may fill only half, and a tap meant for an area could land outside it.
    var map = L.map(element, { zoomSnap: 0.25 });
    // Tiles are scenery: without network they fail and the vector layers still draw.
    L.tileLayer(TILE_URL, { maxZoom: 19, attribution: TILE_ATTRIBUTION }).addTo(map);
    return map;
  }

  // Leaflet guesses its marker images' folder from leaflet.css, which fails once
  // collectstatic has put a hash in every file name; the page names them instead.
  function markerIcon(element) {
    return L.icon({
      iconUrl: element.dataset.icon,
      iconRetinaUrl: element.dataset.iconRetina,
      shadowUrl: element.dataset.iconShadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      shadowSize: [41, 41],
    });
  }

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function outlineStyle(feature) {
    if (feature.properties.kind === "boundary") {
      return { color: "#333", weight: 2, dashArray: "6 4", fill: false };
    }
    return { color: "#1f5fa8", weight: 1, fillOpacity: 0.06 };
  }

  // Outlines are not interactive: a tap goes through to the map underneath.
  function drawOutlines(map, collection) {
    var layer = L.geoJSON(collection || { type: "FeatureCollection", features: [] }, {
      style: outlineStyle,
      interactive: false,
    });
    return layer.addTo(map);
  }

  // Fit the view to the boundaries of `municipality` (all of them when not given),
  // falling back to its areas, and to Sweden when there is nothing to fit.
  function fitTo(map, outlines, municipality) {
    var bounds = L.latLngBounds([]);
    ["boundary", "area"].forEach(function (kind) {
      if (bounds.isValid()) return;
      outlines.eachLayer(function (layer) {
        var props = layer.feature.properties;
        var mine = municipality === undefined || props.municipality === municipality;
        if (props.kind === kind && mine) bounds.extend(layer.getBounds());
      });
    });
    map.fitBounds(bounds.isValid() ? bounds : SWEDEN, { padding: [4, 4] });
  }

  window.TryggMap = {
    baseMap: baseMap,
    markerIcon: markerIcon,
    readJson: readJson,
    drawOutlines: drawOutlines,
    fitTo: fitTo,
  };
})();
