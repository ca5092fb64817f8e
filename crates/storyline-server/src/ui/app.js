// storyline: small progressive touches. Every page works without this file.
(function () {
  "use strict";

  // GET forms leave empty fields out of the address, so links stay short and shareable.
  document.querySelectorAll("form[method='get']").forEach(function (form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && typeof el.value === "string" && el.value.trim() === "") {
          el.disabled = true;
        }
      });
      // Re-enable after the navigation starts, for the back/forward cache.
      window.setTimeout(function () {
        Array.prototype.forEach.call(form.elements, function (el) { el.disabled = false; });
      }, 0);
    });
  });

  // "/" jumps to the search box, unless the visitor is typing somewhere.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || (target && target.isContentEditable)) return;
    var box = document.getElementById("s-q") || document.getElementById("quick-q");
    if (box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });
  // Times in the reader's own time zone: a publication time (not a bare day or month, which
  // has no time of day to move) is shown in local time with its zone; the UTC time the page
  // was written with stays in the tooltip.
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var zoneOf = function (d) {
    try {
      var parts = new Intl.DateTimeFormat(undefined, { timeZoneName: "short" }).formatToParts(d);
      for (var i = 0; i < parts.length; i++) {
        if (parts[i].type === "timeZoneName") return parts[i].value;
      }
    } catch (e) { /* an old browser: no zone name */ }
    return "";
  };
  document.querySelectorAll("time[datetime]").forEach(function (el) {
    var iso = el.getAttribute("datetime") || "";
    if (iso.indexOf("T") < 0) return;
    var d = new Date(iso);
    if (isNaN(d.getTime())) return;
    var day = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
    var local = (day + " " + pad(d.getHours()) + ":" + pad(d.getMinutes()) + " " + zoneOf(d)).trim();
    var written = el.getAttribute("title") || el.textContent;
    el.setAttribute("title", local + " (" + written + ")");
    // A listing shows the day only; a page the whole time.
    el.textContent = el.textContent.length <= 10 ? day : local;
    el.classList.add("local");
  });
})();
