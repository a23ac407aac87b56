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
