// 暖心: the charts of the 工作台 and the statistics page, and their choosers.
// Loaded only on those pages, after echarts.min.js (both deferred). Each
// chart reads its points from a <script type="application/json"> element
// (data-source) by name (data-chart); a click on a bar or a slice opens the
// list behind it. The same figures are in the tables beside the charts, as
// links, for readers without script and for print.
(function () {
  "use strict";

  // The period, org and campaign choosers show their choice at once.
  document.addEventListener("change", function (e) {
    var t = e.target;
    if (!(t instanceof HTMLSelectElement) || !t.hasAttribute("data-autosubmit") || !t.form) return;
    if (typeof t.form.requestSubmit === "function") t.form.requestSubmit(); else t.form.submit();
  });

  // 其余 N 个单位: rows hidden until asked for.
  document.addEventListener("click", function (e) {
    var b = e.target instanceof Element ? e.target.closest("[data-reveal]") : null;
    if (!b) return;
    var more = document.getElementById(b.getAttribute("data-reveal"));
    if (more) more.hidden = false;
    b.hidden = true;
  });

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // 1234.5 → 1,234.50
  function money(v) {
    return Number(v || 0).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  // An axis tick: 12,000 under ten thousand, else 1.2万 (names.wan's 万).
  function tick(names) {
    var wan = (names.wan || "").charAt(0);
    return function (v) {
      if (Math.abs(v) >= 10000) {
        var w = v / 10000;
        return (Math.round(w * 10) / 10).toLocaleString("zh-CN") + wan;
      }
      return Number(v).toLocaleString("zh-CN");
    };
  }

  var palette = ["#1677ff", "#36cfc9", "#fa8c16", "#9254de", "#f759ab", "#52c41a", "#faad14", "#2f54eb", "#13c2c2", "#eb2f96", "#a0d911", "#8c8c8c"];
  var base = {
    animationDuration: 400,
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily, fontSize: 12 },
    color: palette
  };

  function withBase(o) {
    for (var k in base) if (!(k in o)) o[k] = base[k];
    return o;
  }

  function monthsOption(c, names) {
    var labels = c.points.map(function (p) { return p.label; });
    return withBase({
      color: ["#1677ff", "#fa8c16"],
      legend: { top: 0, data: [names.amount, names.cases], itemWidth: 14, itemHeight: 10 },
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        formatter: function (ps) {
          var p = c.points[ps[0].dataIndex];
          return esc(p.label) + "<br>" + ps[0].marker + esc(names.amount) + "：<b>" + money(p.yuan) + "</b> " + esc(names.yuan) +
            "<br>" + (ps[1] ? ps[1].marker : "") + esc(names.cases) + "：<b>" + p.count + "</b> " + esc(names.ci);
        }
      },
      grid: { left: 8, right: 8, top: 40, bottom: 4, containLabel: true },
      xAxis: { type: "category", data: labels, axisTick: { alignWithLabel: true }, axisLabel: { hideOverlap: true } },
      yAxis: [
        { type: "value", name: names.yuan, nameTextStyle: { align: "right" }, axisLabel: { formatter: tick(names) } },
        { type: "value", name: names.ci, minInterval: 1, splitLine: { show: false }, nameTextStyle: { align: "left" } }
      ],
      series: [
        { name: names.amount, type: "bar", barMaxWidth: 28, cursor: "pointer", itemStyle: { borderRadius: [3, 3, 0, 0] },
          data: c.points.map(function (p) { return p.yuan; }) },
        { name: names.cases, type: "line", yAxisIndex: 1, symbolSize: 6, cursor: "pointer",
          data: c.points.map(function (p) { return p.count; }) }
      ]
    });
  }

  function barsOption(c, names) {
    return withBase({
      tooltip: {
        trigger: "item",
        formatter: function (x) {
          var p = c.points[x.dataIndex];
          return esc(p.label) + "<br>" + esc(names.amount) + "：<b>" + money(p.yuan) + "</b> " + esc(names.yuan) +
            "<br>" + esc(names.cases) + "：<b>" + p.count + "</b> " + esc(names.ci);
        }
      },
      grid: { left: 8, right: 88, top: 4, bottom: 4, containLabel: true },
      xAxis: { type: "value", axisLabel: { formatter: tick(names), hideOverlap: true }, splitNumber: 3 },
      yAxis: { type: "category", inverse: true, data: c.points.map(function (p) { return p.label; }), axisTick: { show: false } },
      series: [{
        type: "bar", barMaxWidth: 20, cursor: "pointer", itemStyle: { color: "#1677ff", borderRadius: [0, 3, 3, 0] },
        label: { show: true, position: "right", color: "#595959", formatter: function (x) { return money(x.value); } },
        data: c.points.map(function (p) { return p.yuan; })
      }]
    });
  }

  function donutOption(c, names) {
    var total = c.points.reduce(function (s, p) { return s + p.count; }, 0);
    return withBase({
      tooltip: {
        trigger: "item",
        formatter: function (x) {
          return esc(x.name) + "<br>" + x.marker + "<b>" + x.value + "</b> " + esc(names.people) + "（" + x.percent + "%）";
        }
      },
      title: {
        text: total.toLocaleString("zh-CN"), subtext: names.members, left: "center", top: "38%",
        textStyle: { fontSize: 20, fontWeight: 600, color: "rgba(0,0,0,.88)" }, subtextStyle: { fontSize: 12, color: "rgba(0,0,0,.45)" }, itemGap: 2
      },
      // no labels round the ring: the list beside it names each slice
      // (its swatch has the slice's colour) with the count and the share
      series: [{
        type: "pie", radius: ["52%", "80%"], center: ["50%", "50%"], cursor: "pointer",
        minAngle: 2, itemStyle: { borderColor: "#fff", borderWidth: 2 }, label: { show: false }, labelLine: { show: false },
        data: c.points.map(function (p) { return { name: p.label, value: p.count, itemStyle: { color: palette[(p.color || 0) % palette.length] } }; })
      }]
    });
  }

  var builders = { months: monthsOption, bars: barsOption, donut: donutOption };

  function draw() {
    if (!window.echarts) return;
    var sets = {};
    var drawn = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var src = document.getElementById(el.getAttribute("data-source"));
      if (!src) return;
      var set = sets[src.id];
      if (!set) {
        try { set = sets[src.id] = JSON.parse(src.textContent); } catch (err) { return; }
      }
      var c = set.charts && set.charts[el.getAttribute("data-chart")];
      var build = c && builders[c.kind];
      if (!build || !c.points || !c.points.length) { el.hidden = true; return; }
      if (c.kind === "bars") el.style.height = Math.max(160, c.points.length * 34 + 24) + "px";
      var chart = window.echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
      chart.setOption(build(c, set.names || {}));
      chart.on("click", function (x) {
        var p = c.points[x.dataIndex];
        if (p && p.href) window.location.assign(p.href);
      });
      el.classList.add("is-drawn");
      drawn.push(chart);
    });
    if (!drawn.length) return;
    var pending = 0;
    function resize() {
      if (pending) return;
      pending = window.requestAnimationFrame(function () {
        pending = 0;
        drawn.forEach(function (ch) { ch.resize(); });
      });
    }
    if (window.ResizeObserver) {
      var ro = new ResizeObserver(resize);
      drawn.forEach(function (ch) { ro.observe(ch.getDom()); });
    } else {
      window.addEventListener("resize", resize);
    }
  }

  // Print the tables, not the canvases: open the folded data tables.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.chart-data:not([open])").forEach(function (d) { d.open = true; opened.push(d); });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });

  function init() {
    document.querySelectorAll("[data-reveal][hidden]").forEach(function (b) { b.hidden = false; });
    draw();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
