// Draws the progress page's charts with Chart.js from the JSON in #progress-data.
// Meaning never rests on colour alone: role-play and review points have different marker shapes,
// the trend is dashed, the pass mark dotted, and every chart has a table of the same numbers.
(function () {
  "use strict";

  function dateLabel(ms) {
    return new Date(ms).toLocaleDateString(undefined, { day: "numeric", month: "short" });
  }

  function skillChart(canvas, series) {
    var roleplay = series.points.filter(function (p) { return p.source === "roleplay"; });
    var review = series.points.filter(function (p) { return p.source === "review"; });
    var xs = series.points.map(function (p) { return p.x; });
    var passLine = [{ x: Math.min.apply(null, xs), y: series.pass_mark }, { x: Math.max.apply(null, xs), y: series.pass_mark }];
    return new Chart(canvas, {
      type: "line",
      data: {
        datasets: [
          { label: "Role-play attempt", data: roleplay, showLine: false, pointStyle: "circle", pointRadius: 4,
            borderColor: "#1f5f8b", backgroundColor: "#1f5f8b" },
          { label: "Reviewed real call", data: review, showLine: false, pointStyle: "triangle", pointRadius: 6,
            borderColor: "#a15c00", backgroundColor: "#a15c00" },
          { label: "Level (trend)", data: series.trend, borderDash: [6, 4], pointRadius: 0, borderWidth: 2,
            borderColor: "#1d2430", tension: 0.3 },
          { label: "Pass mark " + series.pass_mark, data: passLine, borderDash: [2, 3], pointRadius: 0, borderWidth: 1.5,
            borderColor: "#b3261e" }
        ]
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: {
          x: { type: "linear", ticks: { callback: dateLabel, maxTicksLimit: 6 } },
          y: { min: 0, max: 100, title: { display: true, text: "score" } }
        },
        plugins: {
          legend: { labels: { usePointStyle: true } },
          tooltip: { callbacks: { title: function (items) { return items.length ? new Date(items[0].parsed.x).toLocaleString() : ""; } } }
        }
      }
    });
  }

  function currentChart(canvas, current) {
    return new Chart(canvas, {
      type: "radar",
      data: {
        labels: current.labels,
        datasets: [
          { label: "Now", data: current.you, borderWidth: 2, pointStyle: "circle", pointRadius: 4,
            borderColor: "#1f5f8b", backgroundColor: "rgba(31, 95, 139, 0.15)" },
          { label: "Team average", data: current.team, borderDash: [6, 4], pointStyle: "triangle", pointRadius: 5,
            borderColor: "#a15c00", backgroundColor: "rgba(0, 0, 0, 0)" },
          { label: "Pass mark", data: current.pass_mark, borderDash: [2, 3], pointStyle: "rect", pointRadius: 3,
            borderColor: "#b3261e", backgroundColor: "rgba(0, 0, 0, 0)" }
        ]
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false, spanGaps: true,
        scales: { r: { min: 0, max: 100, ticks: { stepSize: 20 } } },
        plugins: { legend: { labels: { usePointStyle: true } } }
      }
    });
  }

  function draw() {
    var source = document.getElementById("progress-data");
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var radar = document.getElementById("chart-current");
    if (radar) { currentChart(radar, data.current); }
    document.querySelectorAll("canvas[data-skill-index]").forEach(function (canvas) {
      skillChart(canvas, data.skills[Number(canvas.dataset.skillIndex)]);
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
}());
