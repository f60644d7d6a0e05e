// The admin's area page: draw the stored outline (read-only) on a map above the GeoJSON field.
(function () {
  "use strict";

  function draw() {
    var element = document.getElementById("area-map");
    if (!element || !window.L || !window.TryggMap) return;
    var outline = TryggMap.readJson(element.dataset.outline);
    if (!outline) return;
    var map = TryggMap.baseMap(element);
    var layer = L.geoJSON(outline, {
      style: { color: "#1f5fa8", weight: 2, fillOpacity: 0.15 },
      interactive: false,
    }).addTo(map);
    var bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
