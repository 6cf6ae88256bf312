// The rundown page: every change (add, move, duration, remove, state) is
// sent with If-Match: the rundown version on screen; the answer replaces the
// live part (timings, items) without a reload. Rows reorder by drag and drop
// or by the ↑ ↓ buttons (keyboard). A 412 loads the fresh rundown and says
// someone else changed it. Changes by others arrive through the event
// stream, and a slow poll (faster while the stream is down) catches the
// changes made through other server processes.
(function () {
  "use strict";
  var box = document.getElementById("rundown");
  if (!box) { return; }
  var t = window.desk.t, csrf = window.desk.csrf;
  var id = box.dataset.id;
  var version = Number(box.dataset.version);
  var state = box.dataset.state;
  var etag = "";
  var status = document.getElementById("rd-status");
  var busy = false;

  function say(text, bad) {
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("error", !!bad);
  }

  // show puts a new live part on the page (answer of a change, a refresh or a 412).
  function show(data) {
    if (!data || !data.html) { return; }
    box.innerHTML = data.html;
    version = Number(data.version);
    box.dataset.version = String(version);
    Array.prototype.forEach.call(document.querySelectorAll(".js-rd-version"), function (el) { el.value = String(version); });
    var st = box.querySelector("#rd-state");
    var newState = state;
    if (st && st.className) {
      var m = st.className.match(/rd-state-(\w+)/);
      if (m) { newState = m[1]; }
    }
    if (newState !== state) {
      // Locking or unlocking changes the forms around the table: load the page again.
      window.location.reload();
      return;
    }
    box.dispatchEvent(new CustomEvent("rundown:updated", { bubbles: true, detail: { version: version } }));
  }

  // send posts a change with If-Match and shows the answer.
  function send(url, params) {
    if (busy) { return Promise.resolve(false); }
    busy = true;
    say(t("rd_saving"));
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json", "X-CSRF-Token": csrf, "If-Match": '"' + version + '"' },
      body: params.toString()
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        var msg = (data.error && data.error.message) || data.message || String(res.status);
        if (res.ok) {
          show(data);
          etag = res.headers.get("ETag") || "";
          say(data.message || "");
          return true;
        }
        if (res.status === 412) {
          show(data);
          say(t("rd_stale") + " " + msg, true);
          return false;
        }
        say(t("rd_failed", msg), true);
        return false;
      });
    }).catch(function (err) {
      say(t("rd_failed", err.message), true);
      return false;
    }).then(function (ok) { busy = false; return ok; });
  }

  // Forms (add, duration, ↑ ↓, remove, state): sent by script, same fields as without it.
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (!f.classList || !f.classList.contains("rd-form")) { return; }
    e.preventDefault();
    var params = new URLSearchParams(new FormData(f));
    params.delete("csrf_token");
    params.delete("version");
    var focusSel = null;
    if (f.querySelector(".rd-up")) { focusSel = ".rd-up"; } else if (f.querySelector(".rd-down")) { focusSel = ".rd-down"; }
    var pos = params.get("position");
    send(f.getAttribute("action"), params).then(function (ok) {
      if (ok && f.id === "add-free-form") { f.reset(); }
      // Keep the keyboard where the moved row went.
      if (ok && focusSel && pos) {
        var row = box.querySelector('tr.rd-item[data-pos="' + pos + '"]');
        var b = row && (row.querySelector(focusSel) || row.querySelector(".rd-up, .rd-down"));
        if (b) { b.focus(); }
      }
    });
  });

  // move sends one item to a new position (1 = first).
  function move(itemID, position) {
    var p = new URLSearchParams();
    p.set("position", String(position));
    return send("/desk/rundowns/" + id + "/items/" + itemID, p);
  }
  window.deskRundown = { move: move, version: function () { return version; } };

  // Drag and drop of rows (HTML5): drop on a row puts the dragged item at that row's position.
  var dragID = null;
  box.addEventListener("dragstart", function (e) {
    var row = e.target.closest && e.target.closest("tr.rd-item[draggable]");
    if (!row) { return; }
    dragID = row.dataset.item;
    row.classList.add("dragging");
    if (e.dataTransfer) {
      e.dataTransfer.effectAllowed = "move";
      try { e.dataTransfer.setData("text/plain", dragID); } catch (err) { /* some browsers refuse */ }
    }
  });
  box.addEventListener("dragover", function (e) {
    var row = e.target.closest && e.target.closest("tr.rd-item");
    if (!row || !dragID) { return; }
    e.preventDefault();
    if (e.dataTransfer) { e.dataTransfer.dropEffect = "move"; }
    Array.prototype.forEach.call(box.querySelectorAll("tr.drop-target"), function (r) { r.classList.remove("drop-target"); });
    row.classList.add("drop-target");
  });
  box.addEventListener("dragend", function () {
    dragID = null;
    Array.prototype.forEach.call(box.querySelectorAll("tr.dragging, tr.drop-target"), function (r) { r.classList.remove("dragging", "drop-target"); });
  });
  box.addEventListener("drop", function (e) {
    var row = e.target.closest && e.target.closest("tr.rd-item");
    if (!row || !dragID) { return; }
    e.preventDefault();
    var from = dragID;
    dragID = null;
    row.classList.remove("drop-target");
    if (row.dataset.item === from) { return; }
    move(from, Number(row.dataset.pos));
  });

  // Story picker: typing filters the approved stories (accents ignored).
  var filter = document.getElementById("story-filter");
  var select = document.getElementById("story-id");
  function fold(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase(); }
  if (filter && select) {
    filter.addEventListener("input", function () {
      var q = fold(filter.value.trim());
      var first = null;
      Array.prototype.forEach.call(select.options, function (o) {
        var hit = !q || fold(o.textContent).indexOf(q) >= 0;
        o.hidden = !hit;
        if (hit && !first) { first = o; }
      });
      if (first && (select.selectedIndex < 0 || select.options[select.selectedIndex].hidden)) { first.selected = true; }
    });
  }

  // Live: reload the live part when the rundown changed elsewhere.
  function refresh() {
    if (busy) { return Promise.resolve(); }
    var headers = { "Accept": "application/json" };
    if (etag) { headers["If-None-Match"] = etag; }
    return fetch("/desk/rundowns/" + id + "/fragment", { credentials: "same-origin", headers: headers }).then(function (res) {
      if (res.status === 304 || !res.ok) { return; }
      etag = res.headers.get("ETag") || "";
      return res.json().then(function (data) {
        if (Number(data.version) !== version) { say(t("rd_updated", data.version)); }
        if (!busy) { show(data); }
      });
    }).catch(function () {});
  }
  window.desk.followRundown(id, refresh);
})();
