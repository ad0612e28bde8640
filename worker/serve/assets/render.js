// One article with its quotes: the text with each quote highlighted by type, its speaker named at its
// start and its cue and speaker mention marked; a legend of the article's speakers (choosing one
// highlights that speaker's quotes and lets one step through them); the chosen quote's details; and
// the list of quotes with their confidence. The review page (page.js) and the eval report (report.js)
// both draw articles with this file and nothing else.
//
// A quote is a record of schemas/quote.schema.json (the eval report's gold quotes are put in the same
// shape), optionally with the report's `side` ("predicted", "gold"), `verdict` (see VERDICTS), `pair`
// (the id shared by a predicted quote and the gold quote it was linked with), `other` (what the other
// side of the pair says: type, speaker, cue, span) and `differences` ("type", "cue", "span").
"use strict";

const QuoteView = (() => {
  const VERDICTS = {
    ok: "ok",
    missed: "missed",
    spurious: "spurious",
    boundary: "boundary",
    "wrong-speaker": "wrong speaker",
  };
  const OTHER_SIDE = { predicted: "gold", gold: "predicted" };

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

  // The share of a text's letters that are Arabic: the extractor reads Arabic only.
  function arabicShare(text) {
    const letters = text.match(/\p{L}/gu) || [];
    if (!letters.length) return 0;
    return letters.filter((c) => /\p{Script=Arabic}/u.test(c)).length / letters.length;
  }

  function speakerKey(quote) {
    const s = quote.speaker || {};
    return s.id || s.name || s.mention || "?";
  }

  function speakerName(quote) {
    const s = quote.speaker || {};
    return s.name || s.mention || "(unknown)";
  }

  // A speaker with no mention at the quote: carried over from an earlier sentence.
  function implicit(quote) {
    return !(quote.speaker || {}).span;
  }

  function confidence(q) {
    return typeof q.confidence === "number" ? q.confidence.toFixed(2) : "";
  }

  // The report's judgement of a quote in words: its verdict, then what differs from the other side.
  function verdictText(q) {
    if (!q.verdict) return "";
    const parts = [VERDICTS[q.verdict] || q.verdict];
    for (const d of q.differences || []) parts.push(`${d} differs`);
    return parts.join(" · ");
  }

  function describe(q) {
    const parts = [`${q.type} · ${speakerName(q)}${implicit(q) ? " (carried over, not named here)" : ""}`];
    if (q.cue && q.cue.text) parts.push(`cue ${q.cue.text}`);
    if (confidence(q)) parts.push(`confidence ${confidence(q)}`);
    if (q.verdict && (q.verdict !== "ok" || (q.differences || []).length)) parts.push(verdictText(q));
    return parts.join(" · ");
  }

  // Whether this side's speaker is the wrong one of a linked pair, or the right one beside a wrong one.
  function speakerVerdict(q) {
    if (q.verdict !== "wrong-speaker") return null;
    return q.side === "gold" ? "speaker-right" : "speaker-wrong";
  }

  // Offsets are Python string indices, that is code points, so the text is cut as an array of code
  // points (a JavaScript string index counts UTF-16 units, which differ past U+FFFF). Nothing is added
  // to the text: the speaker at a quote's start and the confidence at its end are CSS content.
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
    const arabic = arabicShare(text) >= 0.5;
    // dir="auto" with `unicode-bidi: plaintext` (review.css): each paragraph runs in its own direction,
    // so English typed in reads left to right with its full stops at its end.
    const box = el("div", { class: `qv-field qv-field-${field}`, "data-field": field, dir: "auto", lang: arabic ? "ar" : null });
    const started = new Set();
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
        for (const i of roles.quote) {
          const q = quotes[i];
          if (q.verdict) classes.push(`verdict-${q.verdict}`);
          if ((q.differences || []).length) classes.push("differs");
        }
        attrs["data-quotes"] = roles.quote.join(" ");
        const ending = active.find((m) => m.role === "quote" && m.end === b);
        if (ending && confidence(quotes[ending.i])) {
          classes.push("quote-end");
          attrs["data-confidence"] = confidence(quotes[ending.i]);
        }
        // The quote's first piece: who speaks, a tab stop, and what a screen reader announces.
        const opening = active.find((m) => m.role === "quote" && m.start === a && !started.has(m.i));
        if (opening) {
          const q = quotes[opening.i];
          started.add(opening.i);
          classes.push("quote-start");
          if (implicit(q)) classes.push("implicit");
          const verdict = speakerVerdict(q);
          if (verdict) classes.push(verdict);
          attrs["data-quote-start"] = opening.i;
          attrs["data-speaker-label"] = implicit(q) ? `↩ ${speakerName(q)}` : speakerName(q);
          attrs.tabindex = "0";
          attrs.role = "button";
          attrs["aria-label"] = describe(q);
        }
      }
      if (roles.cue.length) {
        classes.push("cue");
        if (Array.from(piece.trim()).length <= 2) classes.push("cue-short"); // a colon: make it visible
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

  // What is said of the chosen quote, in words, in the side column: readable on touch and by keyboard
  // where a tooltip is not.
  function drawDetail(q, i) {
    const s = q.speaker || {};
    const rows = [
      ["quote", `${i + 1} · ${q.type}`],
      ["speaker", `${speakerName(q)}${s.kind ? ` (${s.kind})` : ""}`],
      [
        "named as",
        implicit(q) ? "not named at this quote: carried over from an earlier sentence" : s.mention || "",
      ],
      ["cue", (q.cue && q.cue.text) || "—"],
    ];
    if (confidence(q)) rows.push(["confidence", confidence(q)]);
    if (q.verdict) rows.push(["verdict", verdictText(q)]);
    if (q.other) {
      const side = OTHER_SIDE[q.side] || "other side";
      rows.push([`${side} says`, [q.other.type, q.other.speaker, q.other.cue].filter(Boolean).join(" · ")]);
    }
    const list = el("dl", {});
    for (const [name, value] of rows) {
      list.append(el("dt", { text: name }), el("dd", { dir: "auto", text: value }));
    }
    return list;
  }

  // Marks one quote (or the quotes of one pair) as the current one, in every view under `root`, and
  // says what it is in the view's detail box.
  function select(view, root, i, quotes) {
    const q = quotes[i];
    const linked = q.pair !== undefined && q.pair !== null;
    const scope = linked ? root : view;
    const [attr, value] = linked ? ["data-pairs", q.pair] : ["data-quotes", i];
    for (const node of scope.querySelectorAll(".current")) node.classList.remove("current");
    const hits = [...scope.querySelectorAll(`[${attr}]`)].filter((n) =>
      n.getAttribute(attr).split(" ").includes(String(value)),
    );
    if (!linked) hits.push(...view.querySelectorAll(`tr[data-quote-row="${i}"]`));
    for (const node of hits) node.classList.add("current");
    const start = view.querySelector(`[data-quote-start="${i}"]`);
    if (start) start.scrollIntoView({ block: "nearest" });
    const detail = view.querySelector(".qv-detail");
    detail.replaceChildren(drawDetail(q, i));
    detail.hidden = false;
    view.dataset.current = String(i);
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

  // The legend: one button per speaker in a box of bounded height (20 speakers do not push the text
  // off the first screen), and, once a speaker is chosen, previous / next through their quotes.
  function drawLegend(view, quotes, step) {
    const list = el("ul", { class: "qv-speakers" });
    const stepper = el("div", { class: "qv-step", hidden: true });
    const where = el("output", { class: "where", "aria-live": "polite" });
    const back = el("button", { type: "button", class: "previous", "aria-label": "previous quote of this speaker" }, "‹ previous");
    const next = el("button", { type: "button", class: "next", "aria-label": "next quote of this speaker" }, "next ›");
    stepper.append(back, where, next);
    let theirs = [];
    let at = -1;
    function go(by) {
      if (!theirs.length) return;
      at = (at + by + theirs.length) % theirs.length;
      where.textContent = `${at + 1} / ${theirs.length}`;
      step(theirs[at]);
    }
    back.addEventListener("click", () => go(-1));
    next.addEventListener("click", () => go(1));
    for (const s of speakers(quotes)) {
      const button = el(
        "button",
        { type: "button", "data-speaker-key": s.key, "aria-pressed": "false" },
        el("span", { class: "name", dir: "auto", text: s.name }),
        s.kind ? el("span", { class: `kind kind-${s.kind}`, text: s.kind }) : null,
        el("span", { class: "count", text: String(s.count) }),
      );
      button.addEventListener("click", () => {
        chooseSpeaker(view, s.key);
        theirs = view.dataset.speaker === s.key ? quotes.flatMap((q, i) => (speakerKey(q) === s.key ? [i] : [])) : [];
        at = -1;
        stepper.hidden = theirs.length === 0;
        where.textContent = theirs.length ? `${theirs.length} quote(s) of ${s.name}` : "";
      });
      list.append(el("li", {}, button));
    }
    const count = speakers(quotes).length;
    return el(
      "section",
      { class: "qv-legend" },
      el("h3", { text: `المتحدثون · speakers (${count})` }),
      quotes.length ? list : el("p", { class: "none", text: "—" }),
      stepper,
    );
  }

  function speakerCell(q) {
    const s = q.speaker || {};
    const verdict = speakerVerdict(q);
    const cell = el(
      "td",
      { class: `speaker${verdict ? ` ${verdict}` : ""}` },
      el("span", { class: "name", dir: "auto", text: speakerName(q) }),
      implicit(q) ? el("small", { class: "implicit", text: "↩ carried over" }) : null,
      s.kind ? el("small", { text: s.kind }) : null,
    );
    if (verdict && q.other) {
      cell.append(el("small", { class: "other", dir: "auto", text: `${OTHER_SIDE[q.side]}: ${q.other.speaker || "(none)"}` }));
    }
    return cell;
  }

  function drawQuoteList(quotes, choose) {
    const withConfidence = quotes.some((q) => typeof q.confidence === "number"); // gold quotes have none
    const withVerdicts = quotes.some((q) => q.verdict !== undefined);
    const body = el("tbody");
    quotes.forEach((q, i) => {
      const differs = (q.differences || []).length > 0;
      const row = el(
        "tr",
        {
          class: `type-${q.type}${q.verdict ? ` verdict-${q.verdict}` : ""}${differs ? " differs" : ""}`,
          "data-quote-row": i,
          "data-speaker-key": speakerKey(q),
          "data-pairs": q.pair ?? null,
          tabindex: "0",
          "aria-label": describe(q),
        },
        el("td", { class: "type", text: q.type }),
        speakerCell(q),
        el("td", { class: "cue", text: (q.cue && q.cue.text) || "" }),
        withConfidence ? el("td", { class: "confidence", text: confidence(q) }) : null,
        withVerdicts ? el("td", { class: "verdict", text: verdictText(q) }) : null,
        el("td", { class: "content", dir: "auto", text: q.text.length > 90 ? `${q.text.slice(0, 90)}…` : q.text }),
      );
      body.append(row);
    });
    body.addEventListener("click", (event) => {
      const row = event.target.closest("tr[data-quote-row]");
      if (row) choose(Number(row.dataset.quoteRow));
    });
    body.addEventListener("keydown", (event) => {
      const row = event.target.closest("tr[data-quote-row]");
      if (!row || (event.key !== "Enter" && event.key !== " ")) return;
      event.preventDefault();
      choose(Number(row.dataset.quoteRow));
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
    const choose = (i) => select(view, root(), i, quotes);
    if (options.heading) view.append(el("h2", { class: "qv-heading", dir: "auto", text: options.heading }));
    const fields = el("div", { class: "qv-text" });
    if (article.title) fields.append(drawField(article.title, quotes, "title"));
    fields.append(drawField(article.text, quotes, "text"));
    const quoteOf = (target) => {
      const seg = target.closest(".seg");
      const indices = seg && (seg.dataset.quotes || seg.dataset.cues || seg.dataset.mentions);
      return indices ? Number(indices.split(" ")[0]) : null;
    };
    fields.addEventListener("click", (event) => {
      const i = quoteOf(event.target);
      if (i !== null) choose(i);
    });
    fields.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" && event.key !== " ") return;
      const i = quoteOf(event.target);
      if (i === null) return;
      event.preventDefault();
      choose(i);
    });
    const detail = el("section", { class: "qv-detail", "aria-live": "polite", hidden: true });
    const step = (i) => {
      choose(i);
      const start = view.querySelector(`[data-quote-start="${i}"]`);
      if (start) start.scrollIntoView({ block: "center" });
    };
    const side = el("div", { class: "qv-side" }, drawLegend(view, quotes, step), detail, drawQuoteList(quotes, choose));
    view.append(el("div", { class: "qv-body" }, fields, side));
    return view;
  }

  // What the confidence number means, measured on the dev set (docs/serve.md says how).
  function confidenceNote() {
    return el(
      "details",
      { class: "qv-about-confidence", lang: "en", dir: "ltr" },
      el("summary", { text: "what the confidence number means" }),
      el("p", {
        text:
          "The small number at the end of a quote is the confidence of the rule that found it, fixed per " +
          "rule, not a probability: 0.90 a direct quote whose speaker is named at the quote; 0.80–0.85 an " +
          "indirect or mixed quote with its speaker named, or a quote after a colon; 0.75 a headline " +
          "'SOURCE: statement'; 0.70 a speaker carried over from an earlier sentence (↩) or given by a " +
          "source phrase (بحسب، وفق، كما قال). On the 119 dev articles (rules backend), 80% of the 0.70 " +
          "quotes have the right span and speaker, against 88% of those above 0.70: check the 0.70 ones first.",
      }),
    );
  }

  // The key to the colours and marks, for a page's header.
  function key(withVerdicts) {
    const items = [
      el("span", { class: "seg quote type-direct", text: "direct · مباشر" }),
      el("span", { class: "seg quote type-indirect", text: "indirect · غير مباشر" }),
      el("span", { class: "seg quote type-mixed", text: "mixed · مختلط" }),
      el("span", { class: "seg cue", text: "cue · فعل القول" }),
      el("span", { class: "seg mention", text: "speaker · المتحدث" }),
      el("span", { class: "seg quote-start implicit", "data-speaker-label": "↩ name", text: "carried-over speaker · متحدث سابق" }),
    ];
    if (withVerdicts) {
      items.push(
        el("span", { class: "seg quote type-direct verdict-missed", text: "missed" }),
        el("span", { class: "seg quote type-direct verdict-spurious", text: "spurious" }),
        el("span", { class: "seg quote type-direct verdict-boundary", text: "boundary" }),
        el("span", { class: "seg quote type-direct verdict-wrong-speaker", text: "wrong speaker" }),
        el("span", { class: "seg quote type-direct differs", text: "type / cue / span differs" }),
      );
    }
    return el("div", { class: "qv-key" }, ...items, confidenceNote());
  }

  return { article, field: drawField, key, el, speakers, arabicShare, VERDICTS };
})();
