// Juru's only script: toasts from HX-Trigger headers, and closing menus. No inline code (CSP).
(function () {
  "use strict";

  function showToast(message, level) {
    var box = document.getElementById("toasts");
    if (!box || !message) return;
    var item = document.createElement("p");
    item.className = "toast toast-" + (level || "success");
    item.textContent = message;
    box.appendChild(item);
    window.setTimeout(function () { item.classList.add("toast-leaving"); }, 4000);
    window.setTimeout(function () { item.remove(); }, 4600);
  }

  document.addEventListener("toast", function (event) {
    var detail = event.detail || {};
    showToast(detail.message, detail.level);
  });

  // A failed HTMX request should not look like nothing happened.
  document.addEventListener("htmx:responseError", function (event) {
    var body = document.body;
    showToast(body.getAttribute("data-error-text") || "Error", "error");
  });

  // Close an open <details> menu when clicking elsewhere.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.switcher[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });

  // Buttons that open an inline editor put focus in its first field.
  document.addEventListener("htmx:afterSwap", function (event) {
    var field = event.target.querySelector("[autofocus]");
    if (field) field.focus();
  });
})();
