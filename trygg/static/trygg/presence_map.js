// The presence plan's map: the municipality's outline and the ranked cells,
// fetched from the page's GeoJSON twin with the same choices.
(function () {
  "use strict";

  function cellStyle(feature) {
    var hot = feature.properties.hot;
    return { color: hot ? "#b2182b" : "#555", weight: 2, fillColor: hot ? "#ef8a62" : "#fddbc7", fillOpacity: 0.6 };
  }

  function draw(element) {
    var map = TryggMap.baseMap(element);
    var outlines = TryggMap.drawOutlines(map, TryggMap.readJson("outlines-data"));
    fetch(element.dataset.cells, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        var cells = L.geoJSON(collection, {
          style: cellStyle,
          onEachFeature: function (feature, layer) {
            layer.bindTooltip("#" + feature.properties.rank + ": " + feature.properties.count);
          },
        }).addTo(map);
        if (cells.getBounds().isValid()) map.fitBounds(cells.getBounds(), { padding: [16, 16] });
        else TryggMap.fitTo(map, outlines);
      })
      .catch(function () { TryggMap.fitTo(map, outlines); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("presence-map");
    if (element) draw(element);
  });
})();
