// The dashboard's drawings. Each chart's figures come from the page (a JSON script beside the
// chart, already in the reader's language) and are drawn with the vendored Chart.js. Without this
// script, or without Chart.js, the table under each chart is shown open instead; with it, the
// table folds away behind its "Table of the figures" toggle, where screen readers still reach it.
(function () {
  "use strict";

  // Okabe–Ito colours: told apart by people with any common colour-vision deficiency.
  var COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"];

  // The chart's own value axis ("y", on the left) and one on the right for each other unit (a
  // percentage, the amounts of one currency), titled by the page ("%", "CNY").
  function scales(data, stacked) {
    var found = { x: { stacked: stacked } };
    (data.axes || [{ id: "y", unit: "count", title: "" }]).forEach(function (axis) {
      var own = axis.id === "y";
      found[axis.id] = {
        axis: "y",
        position: own ? "left" : "right",
        stacked: own && stacked,
        beginAtZero: true,
        // Counts go up in whole steps: no "1.5 cases" on the axis.
        ticks: axis.unit === "count" ? { precision: 0 } : {},
        title: { display: !!axis.title, text: axis.title },
        grid: { drawOnChartArea: own }
      };
      if (axis.unit === "percent") found[axis.id].suggestedMax = 100;
    });
    return found;
  }

  function dataset(series, index) {
    var colour = COLOURS[index % COLOURS.length];
    var found = { label: series.label, data: series.data, backgroundColor: colour, borderColor: colour,
                  yAxisID: series.axis || "y", spanGaps: true, fill: false, pointStyle: "rect" };
    if (series.style === "line" || series.style === "points") {
      // Drawn over the bars, on its own axis: a line over time, diamonds over names.
      found.type = "line";
      found.order = -1;
      found.showLine = series.style === "line";
      found.pointStyle = "rectRot";
      found.pointRadius = 6;
      found.pointHoverRadius = 8;
      found.stack = series.axis;
    }
    return found;
  }

  function config(data) {
    var stacked = data.kind === "stacked";
    return {
      type: data.kind === "line" ? "line" : "bar",
      data: { labels: data.labels, datasets: data.series.map(dataset) },
      options: {
        locale: document.documentElement.lang || "en",
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: scales(data, stacked),
        // The legend tells bars (squares) from the figures on the right-hand axes (diamonds) by shape too.
        plugins: { legend: { position: "bottom", labels: { usePointStyle: true } } }
      }
    };
  }

  function draw(place) {
    var source = document.getElementById(place.getAttribute("data-chart"));
    if (!source) return;
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", place.getAttribute("data-label"));
    place.appendChild(canvas);
    new window.Chart(canvas, config(JSON.parse(source.textContent)));
    var table = place.parentNode.querySelector("[data-chart-table]");
    if (table) table.removeAttribute("open");
  }

  function start() {
    if (!window.Chart) return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), draw);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
