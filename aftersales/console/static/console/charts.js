// The dashboard's drawings. Each chart's figures come from the page (a JSON script beside the
// chart, already in the reader's language) and are drawn with the vendored Chart.js. Without this
// script, or without Chart.js, the table under each chart is shown open instead; with it, the
// table folds away behind its "Table of the figures" toggle, where screen readers still reach it.
(function () {
  "use strict";

  // Okabe–Ito colours: told apart by people with any common colour-vision deficiency.
  var COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"];

  function config(data) {
    var stacked = data.kind === "stacked";
    var line = data.kind === "line";
    // Counts go up in whole steps: no "1.5 cases" on the axis.
    var counts = data.series.every(function (series) { return series.unit === "count"; });
    return {
      type: line ? "line" : "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (series, index) {
          var colour = COLOURS[index % COLOURS.length];
          return { label: series.label, data: series.data, backgroundColor: colour, borderColor: colour,
                   spanGaps: true, fill: false };
        })
      },
      options: {
        locale: document.documentElement.lang || "en",
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: { stacked: stacked },
                  y: { stacked: stacked, beginAtZero: true, ticks: counts ? { precision: 0 } : {} } },
        plugins: { legend: { position: "bottom" } }
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
