// The eval report: the scores at the top, an index of the articles (sortable by any count, filtered by
// kind of error), then each gold article with its predicted quotes beside its gold quotes, both drawn
// by render.js. Missed, spurious, boundary and wrong-speaker quotes are marked, and so are matched
// quotes whose type, cue or span differ; choosing a quote also marks the one it was linked with on the
// other side.
"use strict";

(() => {
  const { el } = QuoteView;
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const report = document.getElementById("report");
  // The scorer's errors (a boundary error is one missed and one spurious quote to the scorer) ...
  const ERRORS = [
    ["missed", "missed"],
    ["spurious", "spurious"],
    ["boundary", "boundary"],
    ["wrong-speaker", "wrong speaker"],
  ];
  // ... and what differs on a matched pair.
  const DIFFERENCES = [
    ["type", "type differs"],
    ["cue", "cue differs"],
    ["span", "span differs"],
  ];
  const KINDS = [...ERRORS, ...DIFFERENCES];
  const total = (a, kinds) => kinds.reduce((n, [k]) => n + (a.counts[k] || 0), 0);

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
    const totals = KINDS.map(([k, label]) => `${label} ${data.articles.reduce((n, a) => n + (a.counts[k] || 0), 0)}`);
    const about = data.about;
    const byType = Object.entries(s.recall_by_type || {}).map(([t, r]) => `${t} ${figure(r)}`).join(", ");
    return el(
      "section",
      { class: "scores", lang: "en", dir: "ltr" },
      el("p", { text: `${about.gold} · backend ${about.backend} · quote-worker ${about.version}` }),
      el("p", { text: `${s.articles} articles, ${s.gold_quotes} gold quotes, ${s.predicted_quotes} predicted` }),
      el("div", { class: "wide" }, el("table", {}, el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { text: h })))), body)),
      el("p", { text: `recall by type (${about.main_level}): ${byType}` }),
      el("p", { class: "totals", text: `errors at ${about.main_level}: ${totals.join(" · ")}` }),
      el("p", {
        class: "note",
        text:
          "A boundary error is a quote found with the wrong boundaries (overlapping, under the main " +
          "threshold): the scorer counts it as one missed and one spurious quote.",
      }),
    );
  }

  function articlePair(a, n) {
    const pair = el("section", { class: "pair", id: `article-${n}`, "data-article": a.id });
    const counts = KINDS.filter(([k]) => a.counts[k]).map(([k, label]) => `${label} ${a.counts[k]}`);
    pair.dataset.errors = String(total(a, ERRORS));
    pair.append(
      el("h2", { dir: "auto" }, a.id, el("span", { class: "counts", text: counts.length ? counts.join(" · ") : "no errors" })),
      QuoteView.article({ text: a.text, quotes: a.predicted }, { heading: "predicted", root: pair }),
      QuoteView.article({ text: a.text, quotes: a.gold }, { heading: "gold", root: pair }),
    );
    return pair;
  }

  // Which articles a filter keeps: "" all; "errors" any scored error; "any" errors or differences;
  // else one kind.
  function keeps(a, filter) {
    if (filter === "") return true;
    if (filter === "errors") return total(a, ERRORS) > 0;
    if (filter === "any") return total(a, KINDS) > 0;
    return (a.counts[filter] || 0) > 0;
  }

  const pairs = data.articles.map(articlePair);
  const columns = [
    ["id", "article", (a) => a.id],
    ["gold", "gold", (a) => a.gold.length],
    ["predicted", "predicted", (a) => a.predicted.length],
    ["errors", "errors", (a) => total(a, ERRORS)],
    ...KINDS.map(([k, label]) => [k, label.replace(" differs", ""), (a) => a.counts[k] || 0]),
  ];
  const rows = data.articles.map((a, n) => {
    const row = el("tr", { "data-article": a.id });
    for (const [name, , value] of columns) {
      const v = value(a);
      const cell = name === "id" ? el("td", { dir: "auto" }, el("a", { href: `#article-${n}`, text: v })) : el("td", { text: String(v) });
      if (name !== "id" && v) cell.classList.add("some");
      row.append(cell);
    }
    return row;
  });
  const indexBody = el("tbody", {}, ...rows);
  const headCells = columns.map(([name, label]) => {
    const button = el("button", { type: "button", "data-sort": name }, label);
    const th = el("th", { "aria-sort": "none" }, button);
    button.addEventListener("click", () => sortBy(name, th));
    return th;
  });

  // Sorting reorders the index and the articles below it alike; a second click reverses.
  function sortBy(name, th) {
    const [, , value] = columns.find(([n]) => n === name);
    const descending = th.getAttribute("aria-sort") !== "descending";
    const order = data.articles.map((a, n) => n);
    order.sort((x, y) => {
      const a = value(data.articles[x]);
      const b = value(data.articles[y]);
      const c = typeof a === "number" ? a - b : String(a).localeCompare(String(b));
      return (descending ? -c : c) || x - y;
    });
    for (const cell of headCells) cell.setAttribute("aria-sort", "none");
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    indexBody.replaceChildren(...order.map((n) => rows[n]));
    articles.replaceChildren(...order.map((n) => pairs[n]));
  }

  const filter = el(
    "select",
    { id: "error-kind" },
    el("option", { value: "", text: "all articles" }),
    el("option", { value: "errors", text: "only articles with errors (missed, spurious, boundary, wrong speaker)" }),
    el("option", { value: "any", text: "articles with errors or differences" }),
    ...KINDS.map(([k, label]) => el("option", { value: k, text: `with ${label}` })),
  );
  const shown = el("output", { class: "shown" });
  function applyFilter() {
    let n = 0;
    data.articles.forEach((a, i) => {
      const keep = keeps(a, filter.value);
      pairs[i].hidden = !keep;
      rows[i].hidden = !keep;
      n += keep;
    });
    shown.textContent = `${n} of ${data.articles.length} articles`;
  }
  filter.addEventListener("change", applyFilter);

  const index = el(
    "section",
    { class: "index", lang: "en", dir: "ltr" },
    el("div", { class: "filters" }, el("label", {}, "show ", filter), shown),
    el("div", { class: "wide" }, el("table", {}, el("thead", {}, el("tr", {}, ...headCells)), indexBody)),
  );
  const articles = el("div", { class: "articles" }, ...pairs);
  applyFilter();
  report.append(scores(), index, articles);
})();
