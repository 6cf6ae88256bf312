// What the desk's scripts share, loaded before them on every desk page that
// has scripts: the message catalogue the page carries (#desk-messages),
// element look-ups, m:ss durations, the CSRF token, and keeping a page live
// on a rundown. It is window.desk; the page scripts read it when they run.
(function () {
  "use strict";

  var msgs = {};
  try { msgs = JSON.parse(document.getElementById("desk-messages").textContent || "{}"); } catch (e) { msgs = {}; }

  // t formats a catalogue message: %s, %d and %q are replaced in order.
  function t(key) {
    var args = Array.prototype.slice.call(arguments, 1);
    var s = msgs[key] || key;
    return s.replace(/%[sdq]/g, function () { return args.length ? String(args.shift()) : ""; });
  }

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  // dur writes seconds as m:ss.
  function dur(s) {
    s = Math.max(0, Math.round(s));
    var m = Math.floor(s / 60), r = s % 60;
    return m + ":" + (r < 10 ? "0" : "") + r;
  }

  // followRundown calls refresh when rundown id changes: its event stream
  // says so at once, and a poll catches what the stream cannot see (other
  // server processes, story edits) — every 5 s while the stream is down,
  // every 30 s anyway. refresh asks with the ETag it was last answered, so
  // an unchanged rundown costs a 304.
  function followRundown(id, refresh) {
    var live = false;
    if (window.EventSource) {
      var es = new EventSource("/desk/rundowns/" + id + "/events");
      es.addEventListener("ready", function () { live = true; });
      es.addEventListener("change", function () { refresh(); });
      es.addEventListener("error", function () { live = false; });
    }
    var ticks = 0;
    setInterval(function () {
      ticks++;
      if (!live || ticks % 6 === 0) { refresh(); }
    }, 5000);
  }

  window.desk = {
    t: t,
    $: $,
    $all: $all,
    dur: dur,
    csrf: ($('meta[name="csrf-token"]') || {}).content || "",
    followRundown: followRundown
  };
})();
