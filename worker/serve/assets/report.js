// The eval report: the scores at the top, then each gold article with its predicted quotes beside its
// gold quotes, both drawn by render.js; missed, spurious and wrong-speaker quotes are marked, and
// choosing a quote also marks the one it was matched with on the other side.
"use strict";

(() => {
  const { el } = QuoteView;
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const report = document.getElementById("report");
  const KINDS = [
    ["missed", "missed"],
    ["spurious", "spurious"],
    ["wrong-speaker", "wrong speaker"],
  ];

  document.getElementById("key").append(QuoteView.key(true));

  function figure(x) {
    return typeof x === "number" ? x.toFixed(3) : "";
  }

  function scores() {
    const s = data.scores;
    const body = el("tbody");
    for (const [level, r] of Object.entries(s)) {
      if (!r || typeof r !== "object" || !r.quote) continue;
      const cells = [
        level,
        figure(r.quote.p), figure(r.quote.r), figure(r.quote.f1),
        figure(r.attributed.p), figure(r.attributed.r), figure(r.attributed.f1),
        figure(r.speaker_accuracy), figure(r.cue_accuracy),
      ];
      body.append(el("tr", { class: level === data.about.main_level ? "main" : null }, ...cells.map((c) => el("td", { text: c }))));
    }
    const head = ["level", "quote P", "R", "F1", "attributed P", "R", "F1", "speaker acc.", "cue acc."];
    const totals = KINDS.map(([k, label]) => `${label} ${data.articles.reduce((n, a) => n + a.counts[k], 0)}`);
    const about = data.about;
    const byType = Object.entries(s.recall_by_type || {}).map(([t, r]) => `${t} ${figure(r)}`).join(", ");
    return el(
      "section",
      { class: "scores" },
      el("p", { text: `${about.gold} · backend ${about.backend} · quote-worker ${about.version}` }),
      el("p", { text: `${s.articles} articles, ${s.gold_quotes} gold quotes, ${s.predicted_quotes} predicted` }),
      el("table", {}, el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { text: h })))), body),
      el("p", { text: `recall by type (${about.main_level}): ${byType}` }),
      el("p", { text: `errors at ${about.main_level}: ${totals.join(" · ")}` }),
    );
  }

  function articlePair(a) {
    const pair = el("section", { class: "pair", "data-article": a.id });
    const counts = KINDS.filter(([k]) => a.counts[k]).map(([k, label]) => `${label} ${a.counts[k]}`);
    pair.dataset.errors = String(KINDS.reduce((n, [k]) => n + a.counts[k], 0));
    pair.append(
      el("h2", {}, a.id, el("span", { class: "counts", text: counts.length ? counts.join(" · ") : "no errors" })),
      QuoteView.article({ text: a.text, quotes: a.predicted }, { heading: "predicted", root: pair }),
      QuoteView.article({ text: a.text, quotes: a.gold }, { heading: "gold", root: pair }),
    );
    return pair;
  }

  const onlyErrors = el("input", { type: "checkbox", id: "only-errors" });
  const filters = el("div", { class: "filters" }, el("label", {}, onlyErrors, " only articles with errors"));
  const pairs = data.articles.map(articlePair);
  onlyErrors.addEventListener("change", () => {
    for (const p of pairs) p.hidden = onlyErrors.checked && p.dataset.errors === "0";
  });
  report.append(scores(), filters, ...pairs);
})();
