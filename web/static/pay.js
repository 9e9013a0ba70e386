// 暖心: the few behaviours of the 发放, 慰问标准 and 慰问记录导入 pages. No
// inline script anywhere (CSP).
(function () {
  "use strict";

  // A "全选" box checks every box of its name in the same form
  // (data-check-all is care.js's, for boxes outside their form).
  document.addEventListener("change", function (e) {
    var t = e.target;
    if (!(t instanceof HTMLInputElement) || !t.form) return;
    var name = t.dataset.payAll;
    if (name) {
      t.form.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (c) { c.checked = t.checked; });
      return;
    }
    if (t.type === "checkbox") {
      // the 全选 box follows the rows
      var all = t.form.querySelector('input[data-pay-all="' + t.name + '"]');
      if (all) {
        var boxes = t.form.querySelectorAll('input[type=checkbox][name="' + t.name + '"]');
        var n = t.form.querySelectorAll('input[type=checkbox][name="' + t.name + '"]:checked').length;
        all.checked = boxes.length > 0 && n === boxes.length;
        all.indeterminate = n > 0 && n < boxes.length;
      }
    }
  });

  // A filter select that applies itself.
  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t instanceof HTMLSelectElement && t.hasAttribute("data-autosubmit") && t.form) {
      t.form.submit();
    }
  });
})();
