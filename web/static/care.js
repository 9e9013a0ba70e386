// 暖心: the little script of the 慰问 pages. No inline script (CSP).
(function () {
  "use strict";

  // The list: a check box in the header ticks every row of the page; the
  // bar above the table says how many are ticked.
  function count(formId) {
    var n = document.querySelectorAll('input[name="ids"][form="' + formId + '"]:checked').length;
    document.querySelectorAll("#" + formId + " [data-selected-count]").forEach(function (el) { el.textContent = n; });
    var all = document.querySelector('[data-check-all="' + formId + '"]');
    if (all) {
      var boxes = document.querySelectorAll('input[name="ids"][form="' + formId + '"]');
      all.checked = boxes.length > 0 && n === boxes.length;
      all.indeterminate = n > 0 && n < boxes.length;
    }
  }
  document.addEventListener("change", function (e) {
    var t = e.target;
    if (!(t instanceof HTMLInputElement) || t.type !== "checkbox") return;
    if (t.dataset.checkAll) {
      document.querySelectorAll('input[name="ids"][form="' + t.dataset.checkAll + '"]').forEach(function (b) { b.checked = t.checked; });
      count(t.dataset.checkAll);
    } else if (t.name === "ids" && t.getAttribute("form")) {
      count(t.getAttribute("form"));
    }
  });
  function recount() {
    document.querySelectorAll("form[data-bulk]").forEach(function (f) { count(f.id); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", recount); else recount();
  document.addEventListener("htmx:afterSwap", recount);

  // A workflow button with nothing ticked says so instead of posting.
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (!(f instanceof HTMLFormElement) || !f.hasAttribute("data-bulk")) return;
    if (!document.querySelector('input[name="ids"][form="' + f.id + '"]:checked')) {
      e.preventDefault();
      window.alert(f.dataset.none || "请先勾选慰问记录");
    }
  });

  // Enter in the member search looks the member up; it must not save the form.
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key === "Enter" && t instanceof HTMLInputElement && t.id === "member-q") {
      e.preventDefault();
    }
  });
})();
