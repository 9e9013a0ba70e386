// 暖心: the little script the pages need. No inline script anywhere (CSP).
(function () {
  "use strict";

  // Forms that ask before doing something that cannot be undone.
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (f instanceof HTMLFormElement && f.dataset.confirm && !window.confirm(f.dataset.confirm)) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("click", function (e) {
    var t = e.target instanceof Element ? e.target : null;
    if (!t) return;
    if (t.closest("[data-print]")) {
      e.preventDefault();
      window.print();
      return;
    }
    var back = t.closest("[data-back]");
    if (back && window.history.length > 1) {
      e.preventDefault();
      window.history.back();
      return;
    }
    // close the user menu when clicking elsewhere
    document.querySelectorAll("details.user-menu[open], details.pop[open]").forEach(function (d) {
      if (!d.contains(t)) d.removeAttribute("open");
    });
  });

  // The org tree beside the member list is folded on phones, open on a desk
  // (CSS does this where ::details-content is supported; this is the fallback).
  function openTree() {
    if (window.matchMedia("(min-width: 901px)").matches) {
      document.querySelectorAll("details.tree-fold").forEach(function (d) { d.open = true; });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", openTree); else openTree();

  // Keep the address bar clean: drop empty filter fields from htmx requests
  // of the member filter bar, so pushed URLs read ?q=zsf&status=member.
  document.addEventListener("htmx:configRequest", function (e) {
    var elt = e.detail.elt;
    if (!elt || !elt.closest || !elt.closest("#member-filter")) return;
    var p = e.detail.parameters;
    var keys = [];
    if (p && typeof p.keys === "function") {
      for (var k of p.keys()) keys.push(k);
      keys.forEach(function (k) { if (p.get(k) === "") p.delete(k); });
    } else if (p) {
      Object.keys(p).forEach(function (k) { if (p[k] === "") delete p[k]; });
    }
  });

  // The roster upload: refuse a file over the limit before sending it, and
  // say that a large file is on its way.
  document.addEventListener("change", function (e) {
    var input = e.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.form || !input.form.dataset.maxBytes) return;
    var big = !!(input.files && input.files[0] && input.files[0].size > Number(input.form.dataset.maxBytes));
    var msg = big ? input.form.dataset.tooLarge : "";
    input.setCustomValidity(msg);
    var err = document.getElementById("file-error");
    if (err) { err.textContent = msg; err.hidden = !big; }
    var name = document.getElementById("file-name");
    if (name) {
      var f = input.files && input.files[0];
      name.textContent = f ? f.name : name.dataset.empty;
      name.classList.toggle("is-empty", !f);
    }
  });
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (!(f instanceof HTMLFormElement) || !f.dataset.busy) return;
    var b = f.querySelector("button[type=submit]");
    if (b) {
      window.setTimeout(function () { b.disabled = true; b.textContent = f.dataset.busy; }, 0);
    }
  });

  // After a reveal, focus the number for copying.
  document.addEventListener("htmx:afterSwap", function (e) {
    var plain = document.getElementById("id-plain");
    if (plain && e.detail.target && e.detail.target.id === "id-reveal") {
      plain.setAttribute("tabindex", "-1");
      plain.focus();
    }
  });
})();
