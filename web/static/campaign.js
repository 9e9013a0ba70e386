// 暖心: the few behaviours of the 专项活动 pages. No inline script (CSP).
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var t = e.target;
    if (!(t instanceof HTMLElement)) return;
    // 添加一行: a copy of the table's last row, emptied.
    var sel = t.getAttribute("data-add-row");
    if (sel) {
      var body = document.querySelector(sel + " tbody");
      if (!body || !body.lastElementChild) return;
      var row = body.lastElementChild.cloneNode(true);
      row.querySelectorAll("input").forEach(function (i) { i.value = ""; });
      body.appendChild(row);
      var first = row.querySelector("input");
      if (first) first.focus();
      return;
    }
    // 全部标为已送达: every row still unprocessed gets the outcome.
    var out = t.getAttribute("data-all-outcome");
    if (out && t.closest("form")) {
      t.closest("form").querySelectorAll('input[type=radio][value="' + out + '"]').forEach(function (r) { r.checked = true; });
    }
  });
})();
