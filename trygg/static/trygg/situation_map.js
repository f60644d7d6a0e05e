// Maps of the lägesbild: areas shaded by change, hot spot cells, density and
// report points, each fetched from the page's own JSON twins with the same filters.
(function () {
  "use strict";

  var labels = TryggMap.readJson("map-labels") || {};

  // Shade by the ratio against the mean of the previous periods.
  function changeClass(p) {
    if (!p.current && !p.baseline_mean) return "change-none";
    var ratio = p.ratio === null ? Infinity : p.ratio;
    if (ratio >= 2) return "change-up2";
    if (ratio > 1.25) return "change-up1";
    if (ratio <= 0.5) return "change-down2";
    if (ratio < 0.8) return "change-down1";
    return "change-same";
  }

  var CHANGE_COLOURS = {
    "change-up2": "#b2182b", "change-up1": "#ef8a62", "change-same": "#bababa",
    "change-down1": "#67a9cf", "change-down2": "#2166ac", "change-none": "#ffffff",
  };

  function areaStyle(feature) {
    var p = feature.properties;
    var change = changeClass(p);
    var significant = p.flag === "rising" || p.flag === "falling";
    return {
      className: "area-shape " + change + " flag-" + p.flag,
      color: significant ? "#111" : "#555",
      weight: significant ? 4 : 1,
      fillColor: CHANGE_COLOURS[change],
      fillOpacity: change === "change-none" ? 0.05 : 0.5,
    };
  }

  function hotspotStyle(feature) {
    var level = feature.properties.level;
    var hot = level > 0;
    return {
      className: "hotspot-cell " + (hot ? "hot" : "cold"),
      color: hot ? "#8b0000" : "#08306b",
      weight: 1,
      fillColor: hot ? "#e31a1c" : "#2171b5",
      fillOpacity: 0.25 + 0.2 * Math.abs(level),
    };
  }

  function densityStyle(feature) {
    return {
      className: "density-cell",
      stroke: false,
      fillColor: "#fd8d3c",
      fillOpacity: 0.1 + 0.6 * feature.properties.share_of_peak,
    };
  }

  // Popups built with textContent, never innerHTML: names are data.
  function box(lines, link) {
    var element = document.createElement("div");
    if (link) {
      var a = document.createElement("a");
      a.href = link.href;
      a.textContent = link.text;
      element.appendChild(a);
    }
    lines.forEach(function (text) {
      var line = document.createElement("div");
      line.textContent = text;
      element.appendChild(line);
    });
    return element;
  }

  function areaPopup(p) {
    return box(
      [labels.current + ": " + p.current, p.mark_word, labels.mean + ": " + (Math.round(p.baseline_mean * 10) / 10), labels.lastYear + ": " + p.last_year],
      { href: p.url + window.location.search, text: p.name }
    );
  }

  // A cell is judged with its neighbours (Gi*), so an empty cell can be marked: say so.
  function hotspotPopup(p) {
    var lines = [labels.count + ": " + p.count];
    if (p.count === 0) lines.push(labels.neighbours);
    return box(lines);
  }

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(url + " " + response.status);
        return response.json();
      });
  }

  function point(feature, latlng) {
    return L.circleMarker(latlng, {
      className: "report-point", radius: 6, color: "#222", weight: 1,
      fillColor: feature.properties.colour, fillOpacity: 0.85,
    });
  }

  var LAYERS = [
    { key: "areas", on: true, options: {
      style: areaStyle,
      onEachFeature: function (f, layer) { layer.bindPopup(areaPopup(f.properties)); },
    } },
    { key: "density", on: false, options: { style: densityStyle, interactive: false } },
    { key: "hotspots", on: true, options: {
      style: hotspotStyle,
      onEachFeature: function (f, layer) { layer.bindPopup(hotspotPopup(f.properties)); },
    } },
    { key: "points", on: false, options: {
      pointToLayer: point,
      onEachFeature: function (f, layer) {
        layer.bindPopup(box([f.properties.area || ""], { href: f.properties.url, text: f.properties.category_name }));
      },
    } },
  ];

  function situationMap(element) {
    var map = TryggMap.baseMap(element);
    var outlines = L.geoJSON(TryggMap.readJson("outlines-data"));
    TryggMap.fitTo(map, outlines);
    var control = L.control.layers(null, null, { collapsed: false }).addTo(map);
    LAYERS.forEach(function (spec) {
      var layer = L.geoJSON(null, spec.options);
      control.addOverlay(layer, labels[spec.key] || spec.key);
      if (spec.on) layer.addTo(map);
      getJson(element.dataset[spec.key])
        .then(function (data) {
          layer.addData(data);
          if (spec.key === "hotspots") layer.bringToFront();
          element.dataset[spec.key + "Count"] = String(data.features.length);
        })
        .catch(function () { element.dataset[spec.key + "Count"] = "error"; });
    });
  }

  function areaMap(element) {
    var data = TryggMap.readJson("area-map-data");
    var map = TryggMap.baseMap(element);
    var outline = L.geoJSON(data.area, {
      style: { className: "area-shape", color: "#1f5fa8", weight: 2, fillOpacity: 0.08 },
      interactive: false,
    }).addTo(map);
    L.geoJSON(data.hotspots, { style: hotspotStyle }).addTo(map);
    map.fitBounds(outline.getBounds(), { padding: [4, 4] });
    element.dataset.hotspotsCount = String(data.hotspots.features.length);
  }

  var main = document.getElementById("situation-map");
  if (main) situationMap(main);
  var area = document.getElementById("area-map");
  if (area) areaMap(area);
})();
