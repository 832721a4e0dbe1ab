// Harbour's only script of its own: small progressive enhancements. Pages work without it.
(function () {
  "use strict";
  // Ask before destructive-looking actions; the form names the question in data-confirm.
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // After htmx replaces a results region, tell screen-reader users how many rows are shown.
  document.addEventListener("htmx:afterSwap", function (event) {
    var status = document.getElementById("results-status");
    // A history restore (Back button) swaps without a target, so fall back to the swapped element.
    var region = event.detail.target || event.target;
    var summary = region && region.querySelector ? region.querySelector("[data-results-summary]") : null;
    if (status && summary) {
      status.textContent = summary.getAttribute("data-results-summary");
    }
  });
  // Close an open navigation drop-down when the user clicks elsewhere or presses Escape.
  function closeMenus(except) {
    document.querySelectorAll(".main-nav details[open]").forEach(function (menu) {
      if (menu !== except) {
        menu.removeAttribute("open");
      }
    });
  }
  document.addEventListener("click", function (event) {
    closeMenus(event.target.closest ? event.target.closest(".main-nav details") : null);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      closeMenus(null);
    }
  });
})();
