// netral review UI: keyboard shortcuts and small helpers. No inline script anywhere (CSP forbids it).
(function () {
  "use strict";

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  function rows() { return Array.prototype.slice.call(document.querySelectorAll("tr[data-href]")); }

  function select(index) {
    var list = rows();
    if (!list.length) return;
    index = Math.max(0, Math.min(list.length - 1, index));
    list.forEach(function (r) { r.classList.remove("selected"); r.removeAttribute("aria-selected"); });
    var row = list[index];
    row.classList.add("selected");
    row.setAttribute("aria-selected", "true");
    row.scrollIntoView({ block: "nearest" });
  }

  function selectedIndex() {
    return rows().findIndex(function (r) { return r.classList.contains("selected"); });
  }

  function click(id) {
    var el = document.getElementById(id);
    if (el) { el.click(); return true; }
    return false;
  }

  function toggleHelp(force) {
    var help = document.getElementById("help");
    if (!help) return;
    help.hidden = force === undefined ? !help.hidden : !force;
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === "Escape") {
      toggleHelp(false);
      if (typing(document.activeElement)) document.activeElement.blur();
      return;
    }
    if (typing(ev.target)) return;
    var key = ev.key;
    var handled = true;
    if (key === "?") toggleHelp();
    else if (key === "j") select(selectedIndex() + 1);
    else if (key === "k") select(selectedIndex() < 0 ? 0 : selectedIndex() - 1);
    else if (key === "Enter" && selectedIndex() >= 0) window.location.assign(rows()[selectedIndex()].dataset.href);
    else if (key === "n") handled = click("take-next");
    else if (key === "c") handled = click("confirm-next");
    else if (key === "e") handled = click("escalate-next");
    else if (key === "d") {
      var reason = document.getElementById("dismiss-reason");
      if (reason) reason.focus(); else handled = false;
    } else handled = false;
    if (handled) ev.preventDefault();
  });

  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (t && t.id === "help-button") toggleHelp();
  });

  document.addEventListener("change", function (ev) {
    var t = ev.target;
    if (t && t.id === "select-all") {
      document.querySelectorAll("input.pick").forEach(function (box) { box.checked = t.checked; });
    }
  });

  // Enter in the dismiss reason saves and moves on ("Simpan & lanjut").
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && ev.target && ev.target.id === "dismiss-reason") {
      ev.preventDefault();
      click("dismiss-next");
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.body.classList.add("js");
    if (rows().length && document.body.dataset.page === "queue") select(0);
  });
})();

// Copy buttons beside shortened hashes and links; drag-and-drop screenshots on the report form.
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!t || !t.classList || !t.classList.contains("copy")) return;
    var value = t.getAttribute("data-copy") || "";
    var done = function () { t.classList.add("copied"); setTimeout(function () { t.classList.remove("copied"); }, 1200); };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(value).then(done, done);
    else {
      var area = document.createElement("textarea");
      area.value = value; document.body.appendChild(area); area.select();
      try { document.execCommand("copy"); } catch (e) { /* nothing to do */ }
      document.body.removeChild(area); done();
    }
  });

  function listFiles(input) {
    var list = document.getElementById("drop-list");
    if (!list || !input) return;
    list.textContent = "";
    Array.prototype.forEach.call(input.files, function (f) {
      var li = document.createElement("li");
      li.textContent = f.name + " (" + Math.ceil(f.size / 1024) + " KB)";
      list.appendChild(li);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var zone = document.getElementById("drop-zone");
    var input = document.getElementById("screenshots");
    if (!zone || !input) return;
    input.addEventListener("change", function () { listFiles(input); });
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (ev) { ev.preventDefault(); zone.classList.add("over"); });
    });
    zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
    zone.addEventListener("drop", function (ev) {
      ev.preventDefault();
      zone.classList.remove("over");
      var merged = new DataTransfer();
      Array.prototype.forEach.call(input.files, function (f) { merged.items.add(f); });
      Array.prototype.forEach.call(ev.dataTransfer.files, function (f) { merged.items.add(f); });
      input.files = merged.files;
      listFiles(input);
    });
  });
})();
