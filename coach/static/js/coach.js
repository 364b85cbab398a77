// Small behaviours of every page, attached here rather than in inline handlers, which the
// Content-Security-Policy refuses: data-autosubmit on a form control submits its form when it
// changes, data-print on a button prints the page, data-menu-toggle opens and folds the header menu on
// narrow windows (the "js" class lets the CSS fold it only where this script runs). Delegated, so
// htmx-swapped content works too. A table or .table-wrap that scrolls sideways (on a phone) is made
// focusable, so a keyboard can scroll it too.
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  function focusableScrollers() {
    document.querySelectorAll("table, .table-wrap, .heatmap-wrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }
  focusableScrollers();
  document.addEventListener("htmx:afterSettle", focusableScrollers);
  window.addEventListener("resize", focusableScrollers);

  document.addEventListener("change", function (event) {
    var control = event.target.closest ? event.target.closest("[data-autosubmit]") : null;
    if (control && control.form) {
      if (control.form.requestSubmit) control.form.requestSubmit();
      else control.form.submit();
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) window.print();
    var toggle = event.target.closest ? event.target.closest("[data-menu-toggle]") : null;
    if (toggle) {
      var open = toggle.closest(".topbar").classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
  });
})();
