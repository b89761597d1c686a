// Parkbench page conventions shared by every page (no inline scripts: the CSP forbids them).
//
// - Every htmx request carries the CSRF token from the `csrftoken` cookie as `x-csrftoken`.
// - A 422 answer is a form re-rendered with the rule's message in place: htmx swaps it.
// - Elements with [data-copy] copy the text of the element they name to the clipboard.
(function () {
  "use strict";

  function cookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === name) return decodeURIComponent(parts[i].slice(eq + 1));
    }
    return "";
  }

  function csrfToken() {
    var token = cookie("csrftoken");
    if (token) return token;
    var field = document.querySelector("input[name=_csrf_token]");
    return field ? field.value : "";
  }

  document.addEventListener("htmx:configRequest", function (evt) {
    var token = csrfToken();
    if (token) evt.detail.headers["x-csrftoken"] = token;
  });

  document.addEventListener("htmx:beforeSwap", function (evt) {
    var status = evt.detail.xhr.status;
    if (status === 422) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });

  // After a swap, move focus to an error or to the element that asks for it, so
  // keyboard and screen-reader users land where the change happened.
  document.addEventListener("htmx:afterSwap", function (evt) {
    var target = evt.detail.target;
    if (!target || !target.querySelector) return;
    var focus = target.querySelector("[role=alert], [data-autofocus]");
    if (focus) {
      if (!focus.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(focus.tagName)) {
        focus.setAttribute("tabindex", "-1");
      }
      focus.focus({ preventScroll: false });
    }
  });

  document.addEventListener("click", function (evt) {
    var button = evt.target.closest ? evt.target.closest("[data-copy]") : null;
    if (!button) return;
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) return;
    var text = source.value !== undefined ? source.value : source.textContent;
    navigator.clipboard.writeText(text.trim()).then(function () {
      button.setAttribute("data-copied", "true");
    });
  });

})();
