// The teleprompter: large adjustable type, mirror mode, scrolling at a
// speed set from the keyboard or a USB presenter remote (they send
// PageUp/PageDown), and the text kept live: the rundown's event stream says
// when it changed, a poll with ETag catches what the stream cannot see
// (other server processes, story edits) — every 5 s while the stream is
// down, every 30 s anyway.
(function () {
  "use strict";
  var scroller = document.getElementById("p-scroll");
  var text = document.getElementById("p-text");
  if (!scroller || !text) { return; }
  var t = window.desk.t;
  var id = scroller.dataset.id;
  var root = document.documentElement;
  var store = window.localStorage || { getItem: function () { return null; }, setItem: function () {} };

  // Type size, remembered per browser.
  var size = Number(store.getItem("prompter.size")) || 64;
  function setSize(n) {
    size = Math.max(24, Math.min(200, n));
    root.style.setProperty("--p-size", size + "px");
    store.setItem("prompter.size", String(size));
  }
  setSize(size);

  // Mirror mode for a prompter glass: the text is flipped left to right.
  var mirrored = store.getItem("prompter.mirror") === "1";
  var mirrorBtn = document.getElementById("p-mirror");
  function setMirror(on) {
    mirrored = on;
    document.body.classList.toggle("mirrored", on);
    mirrorBtn.setAttribute("aria-pressed", on ? "true" : "false");
    store.setItem("prompter.mirror", on ? "1" : "0");
  }
  setMirror(mirrored);

  // Scrolling: speed 0..10 (pixels per frame at 60 fps, scaled); space starts and stops.
  var speed = 0, running = false, last = 0, carry = 0;
  var speedLabel = document.getElementById("p-speed");
  var playBtn = document.getElementById("p-play");
  function showSpeed() {
    speedLabel.textContent = t("p_speed", running ? speed : 0);
    playBtn.setAttribute("aria-pressed", running ? "true" : "false");
    document.body.classList.toggle("running", running);
  }
  function frame(ts) {
    if (!running) { return; }
    var dt = last ? Math.min(ts - last, 100) : 16;
    last = ts;
    carry += speed * speed * 0.6 * dt / 16;
    var px = Math.floor(carry);
    if (px > 0) { scroller.scrollTop += px; carry -= px; }
    window.requestAnimationFrame(frame);
  }
  function start() {
    if (speed === 0) { speed = 3; }
    if (!running) { running = true; last = 0; window.requestAnimationFrame(frame); }
    showSpeed();
  }
  function stop() { running = false; showSpeed(); }
  function faster() { speed = Math.min(10, speed + 1); start(); }
  function slower() {
    speed = Math.max(0, speed - 1);
    if (speed === 0) { stop(); } else { showSpeed(); }
  }
  showSpeed();

  document.getElementById("p-bigger").addEventListener("click", function () { setSize(size + 8); });
  document.getElementById("p-smaller").addEventListener("click", function () { setSize(size - 8); });
  mirrorBtn.addEventListener("click", function () { setMirror(!mirrored); });
  playBtn.addEventListener("click", function () { if (running) { stop(); } else { start(); } });
  document.getElementById("p-faster").addEventListener("click", faster);
  document.getElementById("p-slower").addEventListener("click", slower);
  document.getElementById("p-full").addEventListener("click", function () {
    if (document.fullscreenElement) { document.exitFullscreen(); } else if (root.requestFullscreen) { root.requestFullscreen().catch(function () {}); }
  });

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (e.target && e.target.tagName === "BUTTON" && (e.key === " " || e.key === "Enter")) { return; }
    switch (e.key) {
      case " ": case "Spacebar": case "b": case "B": case ".":
        if (running) { stop(); } else { start(); }
        break;
      case "ArrowDown": case "PageDown": faster(); break;
      case "ArrowUp": case "PageUp": slower(); break;
      case "+": case "=": setSize(size + 8); break;
      case "-": case "_": setSize(size - 8); break;
      case "m": case "M": setMirror(!mirrored); break;
      case "Home": scroller.scrollTop = 0; break;
      case "f": case "F": document.getElementById("p-full").click(); break;
      default: return;
    }
    e.preventDefault();
  });

  // Live text.
  var etag = "";
  var liveLabel = document.getElementById("p-live");
  function refresh() {
    var headers = {};
    if (etag) { headers["If-None-Match"] = etag; }
    return fetch("/desk/rundowns/" + id + "/prompter/text", { credentials: "same-origin", headers: headers }).then(function (res) {
      if (res.status === 304 || !res.ok) { return; }
      etag = res.headers.get("ETag") || "";
      return res.text().then(function (html) {
        if (text.innerHTML === html) { return; }
        var top = scroller.scrollTop;
        text.innerHTML = html;
        scroller.scrollTop = top;
        document.body.dataset.updated = String(Date.now());
        if (liveLabel) { liveLabel.textContent = t("p_updated", new Date().toLocaleTimeString("vi-VN")); }
      });
    }).catch(function () {});
  }
  // The first poll learns the ETag of what the page was served with.
  refresh();
  window.desk.followRundown(id, refresh);
})();
