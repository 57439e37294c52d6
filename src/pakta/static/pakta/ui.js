/* Pakta's browser behaviour: charts (Apache ECharts) and searchable pickers (Tom Select).
 *
 * Loaded by base.html on every page (small); the libraries themselves, built from the npm
 * registry into build/static/vendor/ (docs/frontend.md), are loaded only on a page that needs
 * them. No inline script or style attribute anywhere (the Content-Security-Policy forbids them):
 * data comes from <script type="application/json"> (json_script) and sizes are set through the
 * style object.
 *
 * Numbers and dates arrive raw (JSON numbers, ISO dates) and are formatted here for the page's
 * language with Intl: 72,56% and 26 Mar 2024 in Indonesian, 72.56% and 26 Mar 2024 in English.
 */
(function () {
  "use strict";

  var me = document.currentScript;
  var lang = (document.documentElement.getAttribute("lang") || "id").toLowerCase();
  var LOCALE = lang.indexOf("en") === 0 ? "en-GB" : "id-ID";
  var loaded = {};

  function loadScript(src) {
    if (!loaded[src]) {
      loaded[src] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = src;
        s.onload = resolve;
        s.onerror = function () { reject(new Error("could not load " + src)); };
        document.head.appendChild(s);
      });
    }
    return loaded[src];
  }

  function loadCss(href) {
    if (document.querySelector('link[href="' + href + '"]')) return;
    var l = document.createElement("link");
    l.rel = "stylesheet";
    l.href = href;
    document.head.appendChild(l);
  }

  // --- Formatting -------------------------------------------------------------------------------

  var formats = {};
  function numberFormat(decimals) {
    var key = decimals == null ? "auto" : String(decimals);
    if (!formats[key]) {
      formats[key] = new Intl.NumberFormat(LOCALE, decimals == null
        ? { maximumFractionDigits: 2 }
        : { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    }
    return formats[key];
  }

  function fmt(value, spec) {
    if (value === null || value === undefined || value === "-" || isNaN(value)) return "\u2013";
    return numberFormat(spec.decimals).format(value) + (spec.unit || "");
  }

  var dateFormat = new Intl.DateTimeFormat(LOCALE, { day: "numeric", month: "short", year: "numeric" });
  function day(iso) {
    var p = iso.split("-");
    return new Date(+p[0], +p[1] - 1, +p[2]).getTime();
  }
  function fmtDate(ts) { return dateFormat.format(new Date(ts)); }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // --- Charts ------------------------------------------------------------------------------------

  var NONE = -1e9; // a cell without a value, for the heat map's colour scale
  var FONT = { fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" };

  function toolbox(spec, getOption) {
    return {
      right: 8,
      top: 0,
      feature: {
        saveAsImage: { type: "png", pixelRatio: 2, name: spec.filename, title: spec.labels.save_png, backgroundColor: "#fff" },
        mySvg: {
          show: true,
          title: spec.labels.save_svg,
          icon: "path://M4 2h10l6 6v14H4z M14 2v6h6 M7 17l2-5 2 5 M8 15h2 M13 12h3v5h-3",
          onclick: function (model, api) { downloadSvg(spec, getOption(), api.getWidth(), api.getHeight()); }
        }
      }
    };
  }

  function downloadSvg(spec, option, width, height) {
    var off = window.echarts.init(null, null, { renderer: "svg", ssr: true, width: width, height: height });
    var copy = Object.assign({}, option, { animation: false, toolbox: { show: false } });
    off.setOption(copy);
    var blob = new Blob([off.renderToSVGString()], { type: "image/svg+xml" });
    off.dispose();
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = spec.filename + ".svg";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  function heatmapOption(spec, el) {
    var rows = spec.rows;
    el.style.height = Math.max(120, 60 + rows.length * 32) + "px";
    var bands = spec.bands.slice().sort(function (a, b) { return b.low - a.low; });
    var pieces = bands.map(function (b, i) {
      var piece = { gte: i === bands.length - 1 ? NONE + 1 : b.low, label: b.label + " (\u2265 " + fmt(b.low, spec) + ")", color: b.colour };
      if (i > 0) piece.lt = bands[i - 1].low;
      return piece;
    });
    pieces.push({ lte: NONE, label: spec.none.label, color: spec.none.colour });
    var dark = { sangat_baik: true, sangat_kurang: true };
    var data = spec.values.map(function (v) {
      return {
        value: [v[0], v[1], v[2] === null ? NONE : v[2]],
        label: { color: dark[v[3]] ? "#fff" : (v[2] === null ? "#6b7280" : "#1d2733") }
      };
    });
    return {
      textStyle: FONT,
      animation: false,
      tooltip: {
        renderMode: "richText",
        formatter: function (p) {
          var row = rows[p.value[1]];
          var value = p.value[2] <= NONE ? spec.none.label : fmt(p.value[2], spec);
          return row.label + (row.note ? " (" + row.note + ")" : "") + "\n" +
            spec.columns[p.value[0]] + ": " + value;
        }
      },
      toolbox: toolbox(spec, function () { return heatmapOption(spec, el); }),
      grid: { left: 8, right: 8, top: 48, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: spec.columns, position: "top", splitArea: { show: false }, axisTick: { show: false } },
      yAxis: {
        type: "category", inverse: true, axisTick: { show: false },
        data: rows.map(function (r) { return r.label + (r.note ? " *" : ""); }),
        axisLabel: { width: 300, overflow: "truncate", color: "#1d2733" }
      },
      // The colours by band; the legend is HTML under the chart (it wraps, and it prints).
      visualMap: { type: "piecewise", show: false, dimension: 2, pieces: pieces },
      series: [{
        type: "heatmap", data: data, itemStyle: { borderColor: "#fff", borderWidth: 3, borderRadius: 3 },
        label: { show: true, fontWeight: 600, formatter: function (p) { return p.value[2] <= NONE ? "\u2013" : fmt(p.value[2], spec); } },
        emphasis: { itemStyle: { borderColor: "#1d2733", borderWidth: 2 } }
      }],
      graphic: rows.length ? [] : [{ type: "text", left: "center", top: "middle", style: { text: spec.labels.empty, fill: "#6b7280", fontSize: 14 } }]
    };
  }

  function lineOption(spec, el) {
    var bands = spec.bands ? spec.bands.slice().sort(function (a, b) { return b.low - a.low; }) : [];
    var stripes = [];
    var upper = spec.max;
    bands.forEach(function (b) {
      var low = Math.max(b.low, spec.min);
      if (low < upper) stripes.push([{ yAxis: low, itemStyle: { color: b.colour, opacity: 0.16 } }, { yAxis: upper }]);
      upper = low;
    });
    var bandColours = {};
    bands.forEach(function (b) { bandColours[b.code] = b.colour; });
    var series = spec.series.map(function (s, i) {
      return {
        type: "line", name: s.name, connectNulls: false, symbolSize: 10, color: s.colour,
        lineStyle: { width: s.dashed ? 2 : 3, type: s.dashed ? "dashed" : "solid", color: s.colour },
        data: s.values.map(function (v, j) {
          var colour = s.point_colours ? s.point_colours[j] : (s.bands && bandColours[s.bands[j]]) || s.colour;
          return { value: v === null ? "-" : v, itemStyle: { color: colour, borderColor: "#1d2733", borderWidth: s.dashed ? 0 : 1.5 } };
        }),
        label: { show: !s.dashed || spec.series.length === 1, position: "top", fontWeight: 600, formatter: function (p) { return fmt(p.value, spec); } },
        labelLayout: { hideOverlap: true },
        markArea: i === 0 && stripes.length ? { silent: true, data: stripes } : undefined
      };
    });
    return {
      textStyle: FONT,
      animation: false,
      tooltip: {
        trigger: "axis",
        renderMode: "richText",
        formatter: function (items) {
          var lines = [items[0].axisValueLabel];
          items.forEach(function (p) {
            var s = spec.series[p.seriesIndex];
            var note = s.point_notes && s.point_notes[p.dataIndex] ? " (" + s.point_notes[p.dataIndex] + ")" : "";
            lines.push(p.seriesName + ": " + fmt(p.value, spec) + note);
          });
          return lines.join("\n");
        }
      },
      legend: spec.series.length > 1 ? { bottom: 0 } : undefined,
      toolbox: toolbox(spec, function () { return lineOption(spec, el); }),
      grid: { left: 8, right: 24, top: 40, bottom: spec.series.length > 1 ? 36 : 12, containLabel: true },
      xAxis: { type: "category", data: spec.categories, boundaryGap: true },
      yAxis: { type: "value", min: spec.min, max: spec.max, axisLabel: { formatter: function (v) { return numberFormat(null).format(v) + (spec.unit || ""); } } },
      series: series
    };
  }

  function barsOption(spec, el) {
    el.style.height = Math.max(140, 90 + spec.categories.length * 40) + "px";
    return {
      textStyle: FONT,
      animation: false,
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText",
        formatter: function (items) {
          var i = items[0].dataIndex;
          var lines = [spec.categories[i] + " \u2014 " + spec.notes[i]];
          items.forEach(function (p) { lines.push(p.seriesName + ": " + numberFormat(0).format(p.value)); });
          return lines.join("\n");
        }
      },
      legend: { bottom: 0 },
      toolbox: toolbox(spec, function () { return barsOption(spec, el); }),
      grid: { left: 8, right: 24, top: 36, bottom: 40, containLabel: true },
      xAxis: { type: "value", minInterval: 1, axisLabel: { formatter: function (v) { return numberFormat(0).format(v); } } },
      yAxis: {
        type: "category", inverse: true, data: spec.categories,
        axisLabel: {
          width: 300, overflow: "truncate",
          lineHeight: 16,
          formatter: function (value, i) { return value + "\n{note|" + spec.notes[i] + "}"; },
          rich: { note: { color: "#6b7280", fontSize: 11, lineHeight: 16 } }
        }
      },
      series: spec.series.map(function (s) {
        return {
          type: "bar", stack: "all", name: s.name, color: s.colour, barMaxWidth: 22,
          data: s.values.map(function (v) { return v || 0; }),
          label: { show: true, formatter: function (p) { return p.value ? numberFormat(0).format(p.value) : ""; } }
        };
      })
    };
  }

  function ganttOption(spec, el) {
    var rows = spec.rows;
    var today = day(spec.today);
    el.style.height = Math.max(170, 100 + rows.length * 30) + "px";
    var data = rows.map(function (r, i) { return { value: [i, day(r.start), day(r.end)], itemStyle: { color: r.colour } }; });
    return {
      textStyle: FONT,
      animation: false,
      tooltip: {
        renderMode: "richText",
        formatter: function (p) {
          var r = rows[p.value[0]];
          return r.label + "\n" + fmtDate(p.value[1]) + " \u2013 " + fmtDate(p.value[2]) + "\n" + r.status;
        }
      },
      legend: { bottom: 0, data: spec.states.map(function (s) { return s.name; }), selectedMode: false },
      toolbox: toolbox(spec, function () { return ganttOption(spec, el); }),
      grid: { left: 8, right: 24, top: 40, bottom: 40, containLabel: true },
      xAxis: {
        type: "time", position: "top", splitLine: { show: true },
        min: function (v) { return Math.min(v.min, today); },
        max: function (v) { return Math.max(v.max, today); },
        axisLabel: { hideOverlap: true, formatter: function (v) { return fmtDate(v); } }
      },
      yAxis: {
        type: "category", inverse: true, data: rows.map(function (r) { return r.label; }),
        axisLabel: { width: 280, overflow: "truncate" }, axisTick: { show: false }
      },
      series: [{
        type: "custom", name: "timeline", encode: { x: [1, 2], y: 0 }, data: data,
        renderItem: function (params, api) {
          var a = api.coord([api.value(1), api.value(0)]);
          var b = api.coord([api.value(2), api.value(0)]);
          var h = api.size([0, 1])[1] * 0.6;
          var shape = window.echarts.graphic.clipRectByRect(
            { x: a[0], y: a[1] - h / 2, width: Math.max(b[0] - a[0], 3), height: h },
            { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height });
          return shape && { type: "rect", shape: Object.assign(shape, { r: 3 }), style: { fill: rows[params.dataIndex].colour, opacity: 0.9 } };
        },
        markLine: {
          silent: true, symbol: "none", lineStyle: { type: "dashed", color: "#111827" },
          label: { formatter: spec.labels.today + ", " + fmtDate(today), position: "insideEndTop", color: "#111827" },
          data: [{ xAxis: today }]
        }
      }].concat(spec.states.map(function (s) {
        // Legend entries only (the colours of the bars).
        return { type: "line", name: s.name, color: s.colour, data: [], symbol: "rect" };
      }))
    };
  }

  var BUILDERS = { heatmap: heatmapOption, line: lineOption, bars: barsOption, gantt: ganttOption };

  function drawCharts(els) {
    var charts = [];
    els.forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source) return;
      var spec = JSON.parse(source.textContent);
      // Every visible word comes from the spec, already translated: ECharts' own locale is unused.
      var chart = window.echarts.init(el, null, { renderer: "canvas", locale: "EN" });
      chart.on("finished", function () { el.setAttribute("data-rendered", "true"); });
      if (spec.kind === "heatmap") {
        chart.on("click", function (p) {
          var row = p.componentType === "series" && spec.rows[p.value[1]];
          if (row && row.url) window.location.href = row.url;
        });
      }
      chart.setOption(BUILDERS[spec.kind](spec, el));
      chart.resize();
      charts.push(chart);
    });
    var pending;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 150);
    });
  }

  // --- Searchable pickers ------------------------------------------------------------------------

  function setUpPickers(inputs) {
    loadCss(me.getAttribute("data-tomselect-css"));
    inputs.forEach(function (input) {
      var url = input.getAttribute("data-picker");
      var multiple = input.hasAttribute("multiple");
      var label = input.getAttribute("data-picker-label");
      var initial = input.value && label ? [{ id: input.value, label: label, detail: "" }] : [];
      var ts = new window.TomSelect(input, {
        options: initial,
        items: initial.map(function (o) { return o.id; }),
        create: false,
        persist: false,
        valueField: "id",
        labelField: "label",
        searchField: ["label", "detail"],
        maxOptions: 50,
        maxItems: multiple ? null : 1,
        loadThrottle: 250,
        preload: false,
        plugins: multiple ? ["remove_button"] : [],
        shouldLoad: function (query) { return query.length >= 2; },
        load: function (query, callback) {
          var sep = url.indexOf("?") < 0 ? "?" : "&";
          fetch(url + sep + "q=" + encodeURIComponent(query), { credentials: "same-origin", headers: { Accept: "application/json" } })
            .then(function (r) { return r.ok ? r.json() : { results: [] }; })
            .then(function (json) { callback(json.results); })
            .catch(function () { callback(); });
        },
        render: {
          option: function (item, escape) {
            return "<div><span>" + escape(item.label) + "</span>" + (item.detail ? ' <small class="muted">' + escape(item.detail) + "</small>" : "") + "</div>";
          },
          item: function (item, escape) { return "<div>" + escape(item.label) + "</div>"; },
          no_results: function () { return '<div class="no-results">' + escapeHtml(input.getAttribute("data-picker-empty") || "") + "</div>"; },
          not_loading: function (data) {
            return data.input.length < 2 ? '<div class="no-results">' + escapeHtml(input.getAttribute("data-picker-hint") || "") + "</div>" : null;
          }
        }
      });
      input.pickerInstance = ts;
    });
  }

  function start() {
    var charts = Array.prototype.slice.call(document.querySelectorAll("div.echart[data-chart]"));
    if (charts.length) {
      loadScript(me.getAttribute("data-echarts")).then(function () { drawCharts(charts); });
    }
    var pickers = Array.prototype.slice.call(document.querySelectorAll("[data-picker]"));
    if (pickers.length) {
      loadScript(me.getAttribute("data-tomselect")).then(function () { setUpPickers(pickers); });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
