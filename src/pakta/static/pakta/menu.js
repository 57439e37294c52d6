/* The top menu's dropdowns (<details class="menu-group">): one open at a time, closed by
 * Escape (focus back on its summary) or by a click outside; the group of the current page and
 * its link are marked (aria-current). Without script the dropdowns still open and close. */
(function () {
  "use strict";
  function groups() { return document.querySelectorAll(".mainnav details.menu-group"); }
  function init() {
    var here = window.location.pathname;
    var best = null;
    document.querySelectorAll(".mainnav a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (href && href !== "/" && here.indexOf(href) === 0 && (!best || href.length > best.getAttribute("href").length)) best = a;
    });
    if (best) {
      best.setAttribute("aria-current", "page");
      var group = best.closest("details.menu-group");
      if (group) group.classList.add("current");
    }
    groups().forEach(function (d) {
      d.addEventListener("toggle", function () {
        if (!d.open) return;
        groups().forEach(function (other) { if (other !== d) other.open = false; });
      });
    });
    document.addEventListener("click", function (e) {
      groups().forEach(function (d) { if (d.open && !d.contains(e.target)) d.open = false; });
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") return;
      groups().forEach(function (d) {
        if (d.open) { d.open = false; d.querySelector("summary").focus(); }
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
