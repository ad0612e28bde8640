// One article with its quotes: the text with each quote highlighted by type and its cue and speaker
// mention marked, a legend of the article's speakers (choosing one highlights that speaker's quotes),
// and the list of quotes with their confidence. The review page (page.js) and the eval report
// (report.js) both draw articles with this file and nothing else.
//
// A quote is a record of schemas/quote.schema.json (the eval report's gold quotes are put in the same
// shape), optionally with `verdict` ("ok", "missed", "spurious", "wrong-speaker") and `pair` (the id
// shared by a predicted quote and the gold quote it was matched with).
"use strict";

const QuoteView = (() => {
  const VERDICTS = { ok: "ok", missed: "missed", spurious: "spurious", "wrong-speaker": "wrong speaker" };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  function speakerKey(quote) {
    const s = quote.speaker || {};
    return s.id || s.name || s.mention || "?";
  }

  function speakerName(quote) {
    const s = quote.speaker || {};
    return s.name || s.mention || "(unknown)";
  }

  // Offsets are Python string indices, that is code points, so the text is cut as an array of code
  // points (a JavaScript string index counts UTF-16 units, which differ past U+FFFF).
  function drawField(text, quotes, field) {
    const chars = Array.from(text);
    const marks = [];
    quotes.forEach((q, i) => {
      if ((q.field || "text") !== field) return;
      marks.push({ start: q.span[0], end: q.span[1], role: "quote", i });
      if (q.cue && q.cue.span) marks.push({ start: q.cue.span[0], end: q.cue.span[1], role: "cue", i });
      const s = q.speaker || {};
      if (s.span) marks.push({ start: s.span[0], end: s.span[1], role: "mention", i });
    });
    const clamp = (n) => Math.max(0, Math.min(chars.length, n));
    const cuts = new Set([0, chars.length]);
    for (const m of marks) {
      cuts.add(clamp(m.start));
      cuts.add(clamp(m.end));
    }
    const points = [...cuts].sort((a, b) => a - b);
    const box = el("div", { class: `qv-field qv-field-${field}`, "data-field": field, dir: "rtl", lang: "ar" });
    for (let k = 0; k + 1 < points.length; k++) {
      const a = points[k];
      const b = points[k + 1];
      const piece = chars.slice(a, b).join("");
      const active = marks.filter((m) => m.start <= a && m.end >= b && m.start < m.end);
      if (!active.length) {
        box.append(piece);
        continue;
      }
      const roles = { quote: [], cue: [], mention: [] };
      for (const m of active) roles[m.role].push(m.i);
      const classes = ["seg"];
      const attrs = { "data-start": a, "data-end": b };
      if (roles.quote.length) {
        const first = quotes[roles.quote[0]];
        classes.push("quote", `type-${first.type}`);
        if (roles.quote.length > 1) classes.push("overlap");
        for (const i of roles.quote) if (quotes[i].verdict) classes.push(`verdict-${quotes[i].verdict}`);
        attrs["data-quotes"] = roles.quote.join(" ");
        const ending = active.find((m) => m.role === "quote" && m.end === b);
        if (ending && confidence(quotes[ending.i])) {
          classes.push("quote-end");
          attrs["data-confidence"] = confidence(quotes[ending.i]);
        }
      }
      if (roles.cue.length) {
        classes.push("cue");
        attrs["data-cues"] = roles.cue.join(" ");
      }
      if (roles.mention.length) {
        classes.push("mention");
        attrs["data-mentions"] = roles.mention.join(" ");
      }
      const all = [...roles.quote, ...roles.cue, ...roles.mention];
      attrs["data-speakers"] = [...new Set(all.map((i) => speakerKey(quotes[i])))].join("\u001f");
      const pairs = all.map((i) => quotes[i].pair).filter((p) => p !== undefined && p !== null);
      if (pairs.length) attrs["data-pairs"] = [...new Set(pairs)].join(" ");
      attrs.title = all
        .filter((i, n) => all.indexOf(i) === n)
        .map((i) => describe(quotes[i]))
        .join("\n");
      attrs.class = classes.join(" ");
      box.append(el("span", attrs, piece));
    }
    return box;
  }

  function describe(q) {
    const parts = [`${q.type} · ${speakerName(q)}`];
    if (q.cue && q.cue.text) parts.push(`cue ${q.cue.text}`);
    if (confidence(q)) parts.push(`confidence ${confidence(q)}`);
    if (q.verdict && q.verdict !== "ok") parts.push(VERDICTS[q.verdict] || q.verdict);
    return parts.join(" · ");
  }

  // The speakers of the article: canonical name, kind and number of quotes, most quoted first.
  function speakers(quotes) {
    const byKey = new Map();
    for (const q of quotes) {
      const key = speakerKey(q);
      if (!byKey.has(key)) {
        byKey.set(key, { key, name: speakerName(q), kind: (q.speaker || {}).kind || null, count: 0 });
      }
      byKey.get(key).count += 1;
    }
    return [...byKey.values()].sort((a, b) => b.count - a.count);
  }

  function chooseSpeaker(view, key) {
    const same = view.dataset.speaker === key;
    const chosen = same ? null : key;
    if (chosen === null) delete view.dataset.speaker;
    else view.dataset.speaker = chosen;
    view.classList.toggle("focusing", chosen !== null);
    for (const seg of view.querySelectorAll(".seg")) {
      const keys = (seg.dataset.speakers || "").split("\u001f");
      seg.classList.toggle("chosen", chosen !== null && keys.includes(chosen));
    }
    for (const row of view.querySelectorAll("[data-speaker-key]")) {
      const on = chosen !== null && row.dataset.speakerKey === chosen;
      row.classList.toggle("chosen", on);
      if (row.tagName === "BUTTON") row.setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  function drawLegend(view, quotes) {
    const list = el("ul", { class: "qv-speakers" });
    for (const s of speakers(quotes)) {
      const button = el(
        "button",
        { type: "button", "data-speaker-key": s.key, "aria-pressed": "false" },
        el("span", { class: "name", text: s.name }),
        s.kind ? el("span", { class: `kind kind-${s.kind}`, text: s.kind }) : null,
        el("span", { class: "count", text: String(s.count) }),
      );
      button.addEventListener("click", () => chooseSpeaker(view, s.key));
      list.append(el("li", {}, button));
    }
    return el(
      "section",
      { class: "qv-legend" },
      el("h3", { text: "المتحدثون · speakers" }),
      quotes.length ? list : el("p", { class: "none", text: "—" }),
    );
  }

  // Marks one quote (or the quotes of one pair) as the current one, in every view under `root`.
  function select(root, attr, value) {
    for (const node of root.querySelectorAll(".current")) node.classList.remove("current");
    if (value === null) return;
    const hits = [...root.querySelectorAll(`[${attr}]`)].filter((n) =>
      n.getAttribute(attr).split(" ").includes(String(value)),
    );
    for (const node of hits) node.classList.add("current");
    const seg = hits.find((n) => n.classList.contains("seg"));
    if (seg) seg.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  function confidence(q) {
    return typeof q.confidence === "number" ? q.confidence.toFixed(2) : "";
  }

  function drawQuoteList(view, quotes, root) {
    const withConfidence = quotes.some((q) => typeof q.confidence === "number"); // gold quotes have none
    const withVerdicts = quotes.some((q) => q.verdict !== undefined);
    const body = el("tbody");
    quotes.forEach((q, i) => {
      const s = q.speaker || {};
      const row = el(
        "tr",
        {
          class: `type-${q.type}${q.verdict ? ` verdict-${q.verdict}` : ""}`,
          "data-quote-row": i,
          "data-speaker-key": speakerKey(q),
          "data-pairs": q.pair ?? null,
        },
        el("td", { class: "type", text: q.type }),
        el("td", { class: "speaker" }, el("span", { text: speakerName(q) }), s.kind ? el("small", { text: s.kind }) : null),
        el("td", { class: "cue", text: (q.cue && q.cue.text) || "" }),
        withConfidence ? el("td", { class: "confidence", text: confidence(q) }) : null,
        withVerdicts ? el("td", { class: "verdict", text: VERDICTS[q.verdict] || q.verdict || "" }) : null,
        el("td", { class: "content", text: q.text.length > 90 ? `${q.text.slice(0, 90)}…` : q.text }),
      );
      row.addEventListener("click", () => {
        if (q.pair !== undefined && q.pair !== null) select(root(), "data-pairs", q.pair);
        else select(view, "data-quotes", i);
      });
      body.append(row);
    });
    const head = el(
      "tr",
      {},
      el("th", { text: "type" }),
      el("th", { text: "speaker" }),
      el("th", { text: "cue" }),
      withConfidence ? el("th", { text: "confidence" }) : null,
      withVerdicts ? el("th", { text: "verdict" }) : null,
      el("th", { text: "content" }),
    );
    return el(
      "section",
      { class: "qv-list" },
      el("h3", { text: `الاقتباسات · quotes (${quotes.length})` }),
      el("table", {}, el("thead", {}, head), body),
    );
  }

  // The whole view of one article. `article`: {title, text, quotes}; `options.heading`: a caption;
  // `options.root`: the element holding the views whose pairs are linked (default: this view).
  function article(article, options = {}) {
    const quotes = article.quotes || [];
    const view = el("article", { class: "qv-view", "data-quote-count": quotes.length });
    const root = () => options.root || view;
    if (options.heading) view.append(el("h2", { class: "qv-heading", text: options.heading }));
    const fields = el("div", { class: "qv-text" });
    if (article.title) fields.append(drawField(article.title, quotes, "title"));
    fields.append(drawField(article.text, quotes, "text"));
    fields.addEventListener("click", (event) => {
      const seg = event.target.closest(".seg");
      if (!seg) return;
      if (seg.dataset.pairs) select(root(), "data-pairs", seg.dataset.pairs.split(" ")[0]);
      else if (seg.dataset.quotes) select(view, "data-quotes", seg.dataset.quotes.split(" ")[0]);
    });
    const side = el("div", { class: "qv-side" }, drawLegend(view, quotes), drawQuoteList(view, quotes, root));
    view.append(el("div", { class: "qv-body", dir: "rtl" }, fields, side));
    return view;
  }

  // The key to the colours and marks, for a page's header.
  function key(withVerdicts) {
    const items = [
      el("span", { class: "seg quote type-direct", text: "direct · مباشر" }),
      el("span", { class: "seg quote type-indirect", text: "indirect · غير مباشر" }),
      el("span", { class: "seg quote type-mixed", text: "mixed · مختلط" }),
      el("span", { class: "seg cue", text: "cue · فعل القول" }),
      el("span", { class: "seg mention", text: "speaker · المتحدث" }),
    ];
    if (withVerdicts) {
      items.push(
        el("span", { class: "seg quote type-direct verdict-missed", text: "missed" }),
        el("span", { class: "seg quote type-direct verdict-spurious", text: "spurious" }),
        el("span", { class: "seg quote type-direct verdict-wrong-speaker", text: "wrong speaker" }),
      );
    }
    return el("div", { class: "qv-key" }, ...items);
  }

  return { article, key, el, speakers };
})();
