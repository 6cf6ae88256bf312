// The story editor's radio and TV tabs: a live read-time estimate
// (syllables ÷ 160 per minute, each Vietnamese syllable a word; the time the
// server computes on save is the one that counts), TV segments added,
// removed and moved, audio/video picked among the story's assets. desk.js
// calls window.deskVersions.fill(payload) before each autosave and
// .saved(answer) after it.
(function () {
  "use strict";
  var box = document.getElementById("versions");
  if (!box) { return; }
  var t = window.desk.t, $ = window.desk.$, $all = window.desk.$all, dur = window.desk.dur;
  // syllables counts the words that hold a letter or digit (a Vietnamese syllable each).
  function syllables(text) {
    var n = 0;
    (text || "").split(/\s+/).forEach(function (w) { if (/[\p{L}\p{N}]/u.test(w)) { n++; } });
    return n;
  }
  var script = $("#radio-script");
  var wpm = Number(script && script.dataset.wpm) || 160;
  function readSeconds(text) { return Math.ceil(syllables(text) * 60 / wpm); }

  // Tabs: shown for the channels the story targets; both when none is ticked.
  var tabs = $all('[role="tab"]', box);
  function select(tab) {
    tabs.forEach(function (tb) {
      var on = tb === tab;
      tb.setAttribute("aria-selected", on ? "true" : "false");
      tb.tabIndex = on ? 0 : -1;
      document.getElementById(tb.getAttribute("aria-controls")).hidden = !on;
    });
  }
  function channelsChanged() {
    var want = {};
    $all('input[name="channels"]').forEach(function (c) { want[c.value] = c.checked; });
    var visible = tabs.filter(function (tb) { var ok = want[tb.dataset.channel]; tb.hidden = !ok; return ok; });
    box.hidden = visible.length === 0;
    var cur = tabs.filter(function (tb) { return tb.getAttribute("aria-selected") === "true" && !tb.hidden; })[0];
    if (!cur && visible.length) { select(visible[0]); }
  }
  tabs.forEach(function (tb, i) {
    tb.addEventListener("click", function () { select(tb); });
    tb.addEventListener("keydown", function (e) {
      if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") { return; }
      var n = tabs[(i + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
      if (!n.hidden) { select(n); n.focus(); }
    });
  });
  select(tabs[0]);
  $all('input[name="channels"]').forEach(function (c) { c.addEventListener("change", channelsChanged); });
  channelsChanged();

  // Radio read time.
  function radioEstimate() {
    if (!script) { return; }
    var n = syllables(script.value);
    $("#radio-estimate").textContent = t("read_estimate", dur(readSeconds(script.value)), n, wpm);
  }
  if (script) { script.addEventListener("input", radioEstimate); radioEstimate(); }

  // TV segments.
  var list = $("#segments"), tpl = $("#segment-template");
  function tvEstimate() {
    var total = 0;
    $all(".segment", list).forEach(function (li) {
      var type = $(".seg-type", li).value;
      if (type === "anchor" || type === "vo" || type === "standup") { total += readSeconds($(".seg-script", li).value); }
      else if (type) { total += Number($(".seg-duration", li).value) || 0; }
    });
    $("#tv-estimate").textContent = t("tv_estimate", dur(total));
  }
  function changed() {
    tvEstimate();
    var form = document.getElementById("story-form");
    if (form) { form.dispatchEvent(new Event("change")); }
  }
  function addSegment() {
    var li = document.createElement("ol");
    li.innerHTML = tpl.innerHTML;
    var seg = li.firstElementChild;
    $(".seg-type", seg).value = "anchor";
    list.appendChild(seg);
    $(".seg-type", seg).focus();
    changed();
  }
  if (list) {
    $("#add-segment").addEventListener("click", addSegment);
    list.addEventListener("click", function (e) {
      var b = e.target.closest("button");
      if (!b) { return; }
      var li = b.closest(".segment");
      if (b.classList.contains("seg-remove")) { li.remove(); }
      else if (b.classList.contains("seg-up") && li.previousElementSibling) { list.insertBefore(li, li.previousElementSibling); b.focus(); }
      else if (b.classList.contains("seg-down") && li.nextElementSibling) { list.insertBefore(li.nextElementSibling, li); b.focus(); }
      else { return; }
      changed();
    });
    list.addEventListener("input", tvEstimate);
    list.addEventListener("change", tvEstimate);
    tvEstimate();
  }

  // Audio/video choices follow the assets panel (a file uploaded there is offered at once).
  function refreshMedia(sel) {
    var kind = sel.dataset.kind, cur = sel.value;
    var have = {};
    $all("option", sel).forEach(function (o) { have[o.value] = true; });
    $all('#asset-list .asset[data-kind="' + kind + '"]').forEach(function (a) {
      var idv = a.dataset.assetId;
      if (!idv || have[idv]) { return; }
      var o = document.createElement("option");
      o.value = idv;
      o.textContent = ($(".filename", a) || {}).textContent || idv;
      sel.appendChild(o);
    });
    sel.value = cur;
  }
  box.addEventListener("focusin", function (e) { if (e.target.classList && e.target.classList.contains("media-pick")) { refreshMedia(e.target); } });

  function num(el) { var v = Number(String(el.value).replace(",", ".")); return isFinite(v) && v > 0 ? v : 0; }

  window.deskVersions = {
    // fill adds the tabs to the autosave payload.
    fill: function (p) {
      p.radio = script ? { script: script.value, presenter: $("#radio-presenter").value, audio_asset_id: $("#radio-audio").value } : undefined;
      var segs = [];
      $all(".segment", list).forEach(function (li) {
        var type = $(".seg-type", li).value;
        if (!type) { return; }
        var s = { type: type, script: $(".seg-script", li).value, video_asset_id: $(".seg-video", li).value,
          in_seconds: num($(".seg-in", li)), out_seconds: num($(".seg-out", li)), duration_seconds: Math.round(num($(".seg-duration", li))) };
        segs.push(s);
      });
      p.tv = { segments: segs };
    },
    // saved shows the server's timings, the authoritative ones.
    saved: function (data) {
      var rs = $("#radio-saved");
      if (rs) { rs.textContent = data.radio ? t("v_saved_radio", dur(data.radio.read_seconds), dur(data.radio.total_seconds)) : ""; }
      var ts = $("#tv-saved");
      if (ts) { ts.textContent = data.tv ? t("v_saved_tv", dur(data.tv.total_seconds)) : ""; }
      if (data.tv && data.tv.segments) {
        var rows = $all(".segment", list).filter(function (li) { return $(".seg-type", li).value; });
        data.tv.segments.forEach(function (s, i) {
          if (!rows[i]) { return; }
          $(".seg-time", rows[i]).textContent = dur(s.duration_seconds);
          var d = $(".seg-duration", rows[i]);
          if (document.activeElement !== d) { d.value = String(s.duration_seconds); }
        });
      }
    }
  };
})();
