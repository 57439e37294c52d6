// Kiosk mode: back to an empty form after a period without input (the next signer never sees
// what the previous one typed). No inline script: the Content-Security-Policy forbids it.
(function () {
  "use strict";
  function start() {
    var root = document.querySelector("[data-kiosk-reset]");
    if (!root) return;
    var url = root.getAttribute("data-kiosk-reset");
    var idle = parseInt(root.getAttribute("data-kiosk-idle") || "60", 10) * 1000;
    var timer = null;
    function reset() { window.location.replace(url); }
    function touch() { window.clearTimeout(timer); timer = window.setTimeout(reset, idle); }
    ["input", "keydown", "pointerdown", "touchstart", "scroll"].forEach(function (name) {
      document.addEventListener(name, touch, { passive: true });
    });
    touch();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
