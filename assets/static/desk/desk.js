// The desk's progressive enhancement: headline character count, autosave
// with If-Match and the conflict dialog, edit-lock heartbeat, drag-and-drop
// uploads with a progress bar. Every page works without it (plain forms).
(function () {
  "use strict";

  var t = window.desk.t, $ = window.desk.$, $all = window.desk.$all, csrf = window.desk.csrf;

  // Headline character count (new story and editor).
  var headline = $("#headline");
  var count = $("#headline-count");
  function updateCount() {
    if (!headline || !count) { return; }
    var n = Array.from(headline.value).length;
    count.textContent = t("chars", n, headline.dataset.max);
    count.classList.toggle("over", n > Number(headline.dataset.max));
  }
  if (headline) { headline.addEventListener("input", updateCount); updateCount(); }

  // Photos go through the assets panel, not into the body.
  document.addEventListener("trix-file-accept", function (e) { e.preventDefault(); });

  var form = $("#story-form");
  if (!form) { return; }

  var storyID = form.dataset.story;
  var version = Number(form.dataset.version);
  var dirty = false, assetsDirty = false, saving = null, inConflict = false;
  var status = $("#save-status");

  function say(text) { if (status) { status.textContent = text; } }
  function setVersion(v) {
    version = v;
    form.dataset.version = String(v);
    $all(".js-version").forEach(function (el) { el.value = String(v); });
    var vl = $("#version-label"); if (vl) { vl.textContent = String(v); }
  }
  function markDirty() { dirty = true; say(t("unsaved")); }
  form.addEventListener("input", markDirty);
  form.addEventListener("change", markDirty);
  document.addEventListener("trix-change", markDirty);

  function collectAssets() {
    return $all("#asset-list .asset").map(function (li) {
      var featured = $(".a-featured", li);
      var role = li.dataset.role || "gallery";
      if (featured && featured.checked) { role = "featured"; } else if (role === "featured") { role = "gallery"; }
      return { asset_id: li.dataset.assetId, role: role };
    });
  }

  function payload() {
    var p = {
      section_id: form.elements.section_id.value,
      headline: form.elements.headline.value,
      sapo: form.elements.sapo.value,
      body: form.elements.body.value,
      byline: form.elements.byline.value,
      tags: form.elements.tags.value,
      channels: $all('input[name="channels"]:checked', form).map(function (el) { return el.value; })
    };
    if (assetsDirty) { p.assets = collectAssets(); }
    if (window.deskVersions) { window.deskVersions.fill(p); } // radio/TV tabs (versions.js)
    return p;
  }

  // save sends the fields with If-Match: the version this page last saw.
  // It resolves true when saved; a 412 opens the conflict dialog instead.
  function save() {
    if (saving) { return saving; }
    if (inConflict) { return Promise.resolve(false); }
    var p = payload();
    var sentAssets = assetsDirty;
    dirty = false;
    say(t("saving"));
    saving = fetch("/desk/stories/" + storyID + "/autosave", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf, "If-Match": '"' + version + '"' },
      body: JSON.stringify(p)
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (res.ok) {
          setVersion(data.version);
          if (sentAssets) { assetsDirty = false; }
          if (window.deskVersions) { window.deskVersions.saved(data); }
          var ul = $("#updated-label"); if (ul) { ul.textContent = data.saved_at; }
          say(t("saved", data.saved_at));
          return true;
        }
        dirty = true;
        if (res.status === 412 && data.current) {
          showConflict(p, data.current);
          return false;
        }
        say(t("save_failed", (data.error && data.error.message) || res.status));
        return false;
      });
    }).catch(function (err) {
      dirty = true;
      say(t("save_failed", err.message));
      return false;
    }).then(function (ok) { saving = null; return ok; });
    return saving;
  }

  setInterval(function () { if (dirty && !inConflict) { save(); } }, 4000);

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    save();
  });

  // Workflow buttons: save pending edits first, so the action applies to what is on screen.
  $all(".action-form").forEach(function (af) {
    af.addEventListener("submit", function (e) {
      if (!dirty && !saving) { return; }
      e.preventDefault();
      Promise.resolve(saving).then(function () { return dirty ? save() : true; }).then(function (ok) {
        if (ok) { $(".js-version", af).value = String(version); af.submit(); }
      });
    });
  });

  // Conflict dialog: both versions side by side; nothing is overwritten unless asked.
  var dialog = $("#conflict");
  var theirs = null, mine = null;
  function fill(box, v) {
    box.textContent = "";
    [["headline", v.headline], ["sapo", v.sapo]].forEach(function (f) {
      var h = document.createElement("h4"); h.textContent = t(f[0]); box.appendChild(h);
      var p = document.createElement("p"); p.className = "v-" + f[0]; p.textContent = f[1] || ""; box.appendChild(p);
    });
    var h = document.createElement("h4"); h.textContent = t("body"); box.appendChild(h);
    var b = document.createElement("div"); b.className = "v-body"; b.textContent = textOf(v.body); box.appendChild(b);
  }
  function textOf(html) {
    var d = document.createElement("div");
    d.innerHTML = html || "";
    return d.textContent;
  }
  function showConflict(p, current) {
    inConflict = true; mine = p; theirs = current;
    fill($("#conflict-mine"), p);
    fill($("#conflict-theirs"), current);
    $("#conflict-who").textContent = t("version", current.version) + " · " + (current.updated || "");
    if (dialog.showModal) { dialog.showModal(); } else { dialog.setAttribute("open", ""); }
  }
  function closeConflict() { if (dialog.close) { dialog.close(); } else { dialog.removeAttribute("open"); } inConflict = false; }
  if (dialog) {
    $("#conflict-keep").addEventListener("click", function () {
      // Explicit overwrite: save mine on top of the version just shown.
      setVersion(theirs.version);
      closeConflict();
      save();
    });
    $("#conflict-take").addEventListener("click", function () {
      dirty = false;
      window.location.reload();
    });
    $("#conflict-copy").addEventListener("click", function () {
      var ta = $("#conflict-copy-text");
      ta.value = mine.headline + "\n\n" + mine.sapo + "\n\n" + textOf(mine.body);
      ta.focus(); ta.select();
      if (navigator.clipboard) { navigator.clipboard.writeText(ta.value).catch(function () {}); }
      $("#conflict-copy").textContent = t("copied");
    });
    dialog.addEventListener("cancel", function () { inConflict = false; });
  }

  // Edit lock heartbeat: advisory; someone else's live lock shows the banner.
  var banner = $("#lock-banner");
  function heartbeat() {
    if (banner && !banner.hidden) { return; }
    fetch("/desk/stories/" + storyID + "/lock", {
      method: "POST", credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRF-Token": csrf }
    }).then(function (res) {
      if (res.status === 409) {
        return res.json().then(function (data) {
          banner.textContent = data.locked_by || (data.error && data.error.message);
          banner.hidden = false;
        });
      }
    }).catch(function () {});
  }
  heartbeat();
  setInterval(heartbeat, 45000);

  // Assets panel: drag and drop or choose files; a real progress bar per file.
  var drop = $("#dropzone"), input = $("#file-input"), uploads = $("#uploads"), list = $("#asset-list");
  var tpl = $("#asset-template");

  function addAsset(a) {
    var html = tpl.innerHTML.split("__ID__").join(a.id);
    var wrap = document.createElement("ul");
    wrap.innerHTML = html;
    var li = wrap.firstElementChild;
    li.dataset.kind = a.kind;
    li.dataset.role = "gallery";
    $(".filename", li).textContent = a.filename;
    if (a.thumb) {
      var img = document.createElement("img"); img.src = a.thumb; img.alt = a.alt || "";
      $(".thumb", li).insertBefore(img, $(".filename", li));
    }
    list.appendChild(li);
    bindAsset(li);
    if (a.kind === "image" && !$(".a-featured:checked", list)) { $(".a-featured", li).checked = true; }
    assetsDirty = true;
    markDirty();
  }

  function bindAsset(li) {
    $(".a-featured", li).addEventListener("change", function () { assetsDirty = true; markDirty(); });
    $(".a-save", li).addEventListener("click", function () {
      var st = $(".a-status", li);
      fetch("/desk/assets/" + li.dataset.assetId, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ caption: $(".a-caption", li).value, credit: $(".a-credit", li).value, alt: $(".a-alt", li).value })
      }).then(function (res) {
        return res.json().then(function (data) {
          st.textContent = res.ok ? t("asset_saved") : (data.error && data.error.message) || String(res.status);
          if (res.ok) { var img = $("img", li); if (img) { img.alt = data.alt || ""; } }
        });
      }).catch(function (err) { st.textContent = err.message; });
    });
  }
  if (list) { $all(".asset", list).forEach(bindAsset); }

  function upload(file) {
    var li = document.createElement("li");
    var name = document.createElement("span"); name.textContent = file.name;
    var bar = document.createElement("progress"); bar.max = 100; bar.value = 0;
    bar.setAttribute("aria-label", t("uploading", file.name));
    var st = document.createElement("span"); st.className = "u-status"; st.textContent = t("uploading", file.name);
    li.appendChild(name); li.appendChild(bar); li.appendChild(st);
    uploads.appendChild(li);
    var fd = new FormData();
    fd.append("file", file, file.name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", drop.dataset.upload);
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { bar.value = Math.round(e.loaded * 100 / e.total); }
    });
    xhr.addEventListener("load", function () {
      var data = {};
      try { data = JSON.parse(xhr.responseText); } catch (e) { data = {}; }
      if (xhr.status === 201) {
        bar.value = 100;
        li.className = "done";
        st.textContent = t("uploaded", file.name);
        addAsset(data);
      } else {
        li.className = "failed";
        st.textContent = t("upload_failed", (data.error && data.error.message) || xhr.status);
      }
    });
    xhr.addEventListener("error", function () { li.className = "failed"; st.textContent = t("upload_failed", file.name); });
    xhr.send(fd);
  }
  if (drop && input) {
    input.addEventListener("change", function () { Array.prototype.forEach.call(input.files, upload); input.value = ""; });
    ["dragenter", "dragover"].forEach(function (ev) {
      drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (ev) {
      drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) { Array.prototype.forEach.call(e.dataTransfer.files, upload); });
  }
})();
