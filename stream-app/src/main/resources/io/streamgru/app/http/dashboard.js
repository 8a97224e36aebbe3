// The StreamGRU dashboard: polls api/series once a second and draws it with uPlot (served from the jar).
(function () {
  "use strict";
  const FORMAT = 1;
  const WIDTH = 540, HEIGHT = 220;
  const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#e377c2", "#17becf", "#bcbd22"];
  const charts = {};      // name -> uPlot
  const keyCharts = {};   // key -> uPlot

  const count = v => v == null ? "–" : Math.round(v).toLocaleString("en-US");
  const mae = v => v == null ? "–" : Number(v).toPrecision(4);
  const zeroBased = (u, min, max) => [0, Math.max(1, max * 1.1)];

  function line(label, color, extra) {
    return Object.assign({ label: label, stroke: color, width: 2, spanGaps: false }, extra || {});
  }

  function chart(name, series, scales, axes) {
    if (!charts[name]) {
      const el = document.querySelector('[data-chart="' + name + '"] .plot');
      charts[name] = new uPlot({ width: WIDTH, height: HEIGHT, series: [{}].concat(series),
        scales: scales || {}, axes: axes || undefined }, null, el);
    }
    return charts[name];
  }

  function keyChart(key) {
    if (!keyCharts[key]) {
      const box = document.createElement("section");
      box.className = "chart";
      box.dataset.chart = "key";
      box.dataset.key = key;
      const title = document.createElement("h2");
      title.textContent = key;
      box.appendChild(title);
      const plot = document.createElement("div");
      box.appendChild(plot);
      document.getElementById("keys").appendChild(box);
      keyCharts[key] = new uPlot({
        width: WIDTH, height: HEIGHT,
        series: [{}, line("actual", "#1f77b4"), line("forecast", "#ff7f0e"),
          line("lower", "rgba(255,127,14,0.45)", { width: 1 }), line("upper", "rgba(255,127,14,0.45)", { width: 1 })],
        bands: [{ series: [4, 3], fill: "rgba(255,127,14,0.18)" }],
      }, null, plot);
    }
    return keyCharts[key];
  }

  function show(d) {
    const now = d.now;
    document.getElementById("records").textContent = count(now.records);
    document.getElementById("modelVersion").textContent = count(now.modelVersion);
    document.getElementById("versionLag").textContent = count(now.versionLag);
    document.getElementById("modelMae").textContent = mae(now.modelMae);
    document.getElementById("persistenceMae").textContent = mae(now.persistenceMae);
    document.getElementById("deadLetters").textContent = count(now.deadLetters);
    document.getElementById("driftDetections").textContent = count(now.driftDetections);

    const h = d.history;
    chart("mae", [line("model", "#d62728"), line("persistence", "#2ca02c")])
      .setData([h.t, h.modelMae, h.persistenceMae]);
    chart("throughput", [line("records/s", "#1f77b4", { fill: "rgba(31,119,180,0.12)" })],
      { y: { range: zeroBased } }).setData([h.t, h.recordsPerSecond]);
    chart("version", [line("model version", "#9467bd", { scale: "v" }), line("version lag", "#e377c2", { scale: "lag" })],
      { lag: { range: zeroBased } }, [{}, { scale: "v" }, { scale: "lag", side: 1, grid: { show: false } }])
      .setData([h.t, h.modelVersion, h.versionLag]);
    // All dead letters, and a line per reason that has any (there are a dozen reason codes).
    const reasons = Object.keys(h.deadLetters).filter(r => h.deadLetters[r].some(v => v > 0));
    const total = h.t.map((_, i) => Object.values(h.deadLetters).reduce((sum, column) => sum + (column[i] || 0), 0));
    const signature = "deadLetters:" + reasons.join(",");
    if (charts.deadLetters && charts.deadLetters.signature !== signature) {
      charts.deadLetters.destroy();
      delete charts.deadLetters;
    }
    chart("deadLetters", [line("all", "#1f77b4")].concat(reasons.map((r, i) => line(r, PALETTE[(i + 1) % PALETTE.length]))),
      { y: { range: zeroBased } }).setData([h.t, total].concat(reasons.map(r => h.deadLetters[r])));
    charts.deadLetters.signature = signature;
    chart("drift", [line("detections", "#d62728"), line("policy actions", "#17becf")], { y: { range: zeroBased } })
      .setData([h.t, h.driftDetections, h.driftPolicyActions]);

    for (const k of d.keys) {
      keyChart(k.key).setData([k.t, k.actual, k.forecast, k.lower, k.upper]);
    }
    document.getElementById("status").textContent = "updated " + new Date(now.epochMillis).toISOString()
      + " · " + h.t.length + " samples · " + d.keys.length + " keys";
  }

  // Fetches the data and redraws; resolves when drawn (the browser test awaits it).
  async function refresh() {
    const response = await fetch("api/series", { cache: "no-store" });
    if (!response.ok) {
      throw new Error("api/series: HTTP " + response.status);
    }
    const d = await response.json();
    if (d.format !== FORMAT) {
      throw new Error("api/series format " + d.format + ", this page reads " + FORMAT);
    }
    show(d);
    return d.now;
  }

  function loop() {
    refresh().catch(e => { document.getElementById("status").textContent = String(e); })
      .finally(() => setTimeout(loop, 1000));
  }

  window.streamgru = { refresh: refresh };
  loop();
})();
