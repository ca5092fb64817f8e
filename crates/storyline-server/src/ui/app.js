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
})();
