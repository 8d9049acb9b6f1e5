// The reply composer: tells the presence heartbeat whether this responder is typing. No inline code (CSP).
(function () {
  "use strict";
  var TYPING_MS = 2000;
  var lastInput = {};

  document.addEventListener("input", function (event) {
    var composer = event.target.closest("[data-composer]");
    if (composer) lastInput[composer.getAttribute("data-composer")] = Date.now();
  });

  document.addEventListener("htmx:configRequest", function (event) {
    var source = event.detail.elt;
    if (!source || !source.hasAttribute("data-presence")) return;
    var key = source.getAttribute("data-presence");
    var typing = lastInput[key] && Date.now() - lastInput[key] < TYPING_MS;
    event.detail.parameters.typing = typing ? "1" : "0";
  });
})();
