// The lägesbild page: a click on a column heading sorts the area table
// (largest first, then smallest first, then the server's order again).
(function () {
  "use strict";

  function sortValue(cell, asText) {
    var raw = cell ? cell.getAttribute("data-sort") : "";
    return asText ? (raw || "").toLocaleLowerCase() : Number(raw || 0);
  }

  function compare(column, asText, direction) {
    return function (a, b) {
      var x = sortValue(a.cells[column], asText);
      var y = sortValue(b.cells[column], asText);
      if (x === y) return Number(a.dataset.order) - Number(b.dataset.order);
      var less = asText ? x.localeCompare(y, document.documentElement.lang) < 0 : x < y;
      return (less ? -1 : 1) * direction;
    };
  }

  // none -> descending -> ascending -> none (the server's order).
  var NEXT = { none: "descending", descending: "ascending", ascending: "none" };

  function sortBy(table, heading) {
    var headings = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var column = headings.indexOf(heading);
    var state = NEXT[heading.getAttribute("aria-sort") || "none"];
    var asText = heading.querySelector("[data-kind='text']") !== null;
    headings.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
    heading.setAttribute("aria-sort", state);
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    if (state === "none") {
      rows.sort(function (a, b) { return Number(a.dataset.order) - Number(b.dataset.order); });
    } else {
      // Text sorts A to Z first; numbers largest first.
      var direction = (state === "descending") !== asText ? -1 : 1;
      rows.sort(compare(column, asText, direction));
    }
    rows.forEach(function (row) { body.appendChild(row); });
  }

  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row, index) {
      row.dataset.order = String(index);
    });
    table.tHead.addEventListener("click", function (event) {
      var button = event.target.closest("button.sort");
      if (button) sortBy(table, button.closest("th"));
    });
  });

  // Category colours come as data, so no inline style is needed (the CSP forbids them).
  document.querySelectorAll("[data-colour]").forEach(function (element) {
    element.style.borderLeftColor = element.dataset.colour;
  });
})();
