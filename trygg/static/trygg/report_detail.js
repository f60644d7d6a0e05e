// The report page's small map: the one point, centred, on the shared base map.
(function () {
  "use strict";

  var element = document.getElementById("report-place-map");
  var point = TryggMap.readJson("report-point");
  if (!element || !point) return;
  var map = TryggMap.baseMap(element);
  var latlng = L.latLng(point.lat, point.lon);
  map.setView(latlng, 15);
  L.marker(latlng, { icon: TryggMap.markerIcon(element), keyboard: false, title: point.label }).addTo(map);
  element.dataset.ready = "true";
})();
