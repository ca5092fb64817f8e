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
  // Corrections: the buttons of the "Correct" panels and the history send POST /api/corrections
  // with the editor's name (kept in this browser) and write token (kept for this session only).
  var panel = document.getElementById("correct");
  if (panel) {
    var field = function (id) { return document.getElementById(id); };
    var author = field("c-author");
    var token = field("c-token");
    var status = field("c-status");
    try {
      if (author && !author.value) author.value = window.localStorage.getItem("storyline-author") || "";
      if (token && !token.value) token.value = window.sessionStorage.getItem("storyline-token") || "";
    } catch (e) { /* storage refused: the fields stay empty */ }
    var say = function (text, bad) {
      if (!status) return;
      status.textContent = text;
      status.className = "status" + (bad ? " bad" : " good");
    };
    var open = function (el) {
      var details = panel.querySelector("details");
      if (details) details.open = true;
      if (el) el.focus();
    };
    var number = function (id) {
      var el = field(id);
      var v = el ? el.value.trim().replace(/^#/, "") : "";
      return /^[0-9]+$/.test(v) ? Number(v) : null;
    };
    var ticked = function () {
      return Array.prototype.map.call(panel.querySelectorAll("input.pick:checked"), function (el) { return el.value; });
    };
    var send = function (bodies, done) {
      var name = author ? author.value.trim() : "";
      var secret = token ? token.value.trim() : "";
      if (!name) { say("Give your name first: it is stored with the correction.", true); open(author); return; }
      if (!secret) { say("Give the server's write token first.", true); open(token); return; }
      try {
        window.localStorage.setItem("storyline-author", name);
        window.sessionStorage.setItem("storyline-token", secret);
      } catch (e) { /* not kept */ }
      var results = [];
      var next = function (i) {
        if (i >= bodies.length) { done(results); return; }
        var body = bodies[i];
        body.author = name;
        fetch("/api/corrections", {
          method: "POST",
          headers: { "Content-Type": "application/json", "Authorization": "Bearer " + secret },
          body: JSON.stringify(body)
        }).then(function (response) {
          return response.json().then(function (json) { return { ok: response.ok, json: json }; });
        }).then(function (r) {
          if (!r.ok) {
            var message = r.json && r.json.error ? r.json.error.message : "the server refused it";
            say("Not done: " + message, true);
            return;
          }
          results.push(r.json);
          next(i + 1);
        }).catch(function () { say("Not done: the server could not be reached.", true); });
      };
      say("Working…", false);
      next(0);
    };
    // A new address (the correction's number in it), so the page is read again from the server.
    var reload = function (path, id) {
      var base = (path || window.location.pathname).split("#")[0];
      window.location.assign(base + "?corrected=" + id + "#history");
    };
    var storyId = panel.getAttribute("data-story");
    var articleId = panel.getAttribute("data-article");
    // Enter in a field presses the button it belongs to.
    panel.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      var target = event.target;
      var name = target && target.getAttribute ? target.getAttribute("data-enter") : null;
      if (!name) return;
      var button = panel.querySelector("[data-correct='" + name + "']");
      if (button) {
        event.preventDefault();
        button.click();
      }
    });
    document.addEventListener("click", function (event) {
      var button = event.target && event.target.closest ? event.target.closest("[data-correct]") : null;
      if (!button) return;
      event.preventDefault();
      var action = button.getAttribute("data-correct");
      var article = button.getAttribute("data-article");
      var picked = ticked();
      var bodies = [];
      var after = null;
      if (action === "merge") {
        var into = number("c-into");
        if (into === null) { say("Give the number of the story to merge into.", true); open(field("c-into")); return; }
        bodies.push({ action: "merge", story: Number(storyId), into: into });
        after = "/stories/" + into;
      } else if (action === "split") {
        if (!picked.length) { say("Tick the reports that are another story first.", true); return; }
        bodies.push({ action: "split", story: Number(storyId), articles: picked });
      } else if (action === "move") {
        var to = number("c-to");
        if (to === null) { say("Give the number of the story they belong to.", true); open(field("c-to")); return; }
        var moving = article ? [article] : picked;
        if (!moving.length) { say("Tick the reports to move first.", true); return; }
        moving.forEach(function (id) { bodies.push({ action: "move", article: id, to: to }); });
        after = article ? null : "/stories/" + to;
      } else if (action === "pin" || action === "keep_out") {
        bodies.push({ action: action, article: article });
      } else if (action === "undo") {
        bodies.push({ action: "undo", correction: Number(button.getAttribute("data-correction")) });
      } else if (action === "set") {
        var body = { action: "set", article: articleId };
        [["c-published", "published"], ["c-source", "source"], ["c-language", "language"]].forEach(function (pair) {
          var el = field(pair[0]);
          if (el && el.value.trim() !== "" && el.value.trim() !== (el.defaultValue || "").trim()) body[pair[1]] = el.value.trim();
        });
        if (!body.published && !body.source && !body.language) { say("Change the date, the outlet or the language first.", true); return; }
        bodies.push(body);
      } else {
        return;
      }
      send(bodies, function (results) {
        var last = results[results.length - 1];
        say("Done: " + (last ? last.summary : ""), false);
        reload(after, last ? last.id : 0);
      });
    });
  }
})();
