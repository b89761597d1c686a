// Operator pages. The shared app.js already sends the CSRF header with htmx requests
// and lets htmx swap 422 fragments; this file only adds what the operator pages need:
// the platform menu navigates on change (the menu's form is the no-JS fallback).
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select && select.matches && select.matches("select[data-op-navigate]")
        && select.value.charAt(0) === "/") {
      window.location.assign(select.value);
    }
  });
})();
