// The period picker (templates/situation/_controls.html) shows only the controls of the
// chosen kind, and sends only those: without this script every control shows and is
// sent, and the server reads the one `kind` names.
(function () {
  "use strict";

  function chosenKind(form) {
    var checked = form.querySelector("input[name=kind]:checked");
    return checked ? checked.value : "";
  }

  function update(form) {
    var kind = chosenKind(form);
    form.querySelectorAll("[data-kinds]").forEach(function (box) {
      var shown = box.dataset.kinds.split(" ").indexOf(kind) >= 0;
      box.hidden = !shown;
      box.querySelectorAll("input, select").forEach(function (control) {
        control.disabled = !shown;
      });
    });
  }

  function tidy(form) {
    // A typed period wins on the server; leave the picker out of the address then.
    var typed = form.querySelector("input[name=period]");
    if (typed && typed.value.trim()) {
      form.querySelectorAll("input[name=kind], [data-kinds] input, [data-kinds] select")
        .forEach(function (control) { control.disabled = true; });
    } else if (typed) {
      typed.disabled = true;
    }
  }

  document.querySelectorAll("form[data-period-picker]").forEach(function (form) {
    update(form);
    form.addEventListener("change", function (event) {
      if (event.target.name === "kind") update(form);
      // Choosing in the picker replaces what was typed (a typed period wins on the server).
      var typed = form.querySelector("input[name=period]");
      if (typed && event.target !== typed && event.target.name !== "category") typed.value = "";
    });
    form.addEventListener("submit", function () { tidy(form); });
    // Back from the next page (bfcache), the form must be usable again.
    window.addEventListener("pageshow", function () {
      form.querySelectorAll("input[name=kind], input[name=period]").forEach(function (control) {
        control.disabled = false;
      });
      update(form);
    });
  });
})();
