// The store's pages (served at /search with `quote-worker serve --database`): a search over the stored
// quotes with the filters of GET /v1/quotes, a speaker's page with a chart of their quotes per week (an
// SVG drawn here, nothing fetched from elsewhere), and an article's quotes. The view and its filters
// live in the address (?view=speaker&key=…, ?view=article&id=…, else the search's own parameters), so
// every page can be linked to and reloaded.
"use strict";

(() => {
  const { el } = QuoteView;
  const SVG = "http://www.w3.org/2000/svg";
  const FILTERS = ["q", "speaker", "outlet", "from", "to", "type", "min_confidence"];
  const TYPES = { direct: "مباشر", indirect: "غير مباشر", mixed: "مختلط" };
  const KINDS = { person: "شخص", organization: "جهة", group: "مجموعة" };
  const form = document.getElementById("search-form");
  const view = document.getElementById("view");
  const status = document.getElementById("status");
  const speakerName = document.getElementById("speaker-name");
  const speakerKey = document.getElementById("speaker");
  const options = document.getElementById("speaker-options");
  const csv = document.getElementById("csv");

  function say(message, isError) {
    status.textContent = message;
    status.classList.toggle("error", Boolean(isError));
  }

  async function getJSON(path) {
    const response = await fetch(path, { headers: { Accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) throw new Error(`${response.status} ${body.reason}: ${body.message}`);
    return body;
  }

  const link = (params) => `search?${new URLSearchParams(params)}`;
  const day = (stamp) => (stamp ? stamp.slice(0, 10) : "—");

  function quoteCard(q) {
    const meta = el("div", { class: "meta" });
    const name = q.speaker.name || q.speaker.mention || "—";
    meta.append(
      q.speaker_key
        ? el("a", { class: "speaker", href: link({ view: "speaker", key: q.speaker_key }), text: name })
        : el("span", { class: "speaker", text: name }),
    );
    if (q.article.source) meta.append(el("span", { class: "outlet", text: q.article.source }));
    meta.append(el("time", { text: day(q.article.published_at) }));
    meta.append(el("span", { class: "type", text: TYPES[q.type] || q.type }));
    meta.append(el("span", { class: "confidence", text: q.confidence.toFixed(2) }));
    meta.append(el("a", { class: "article", href: link({ view: "article", id: q.article_id }), text: "المقال" }));
    const mark = Corrections.mark(q);
    if (mark) meta.prepend(mark);
    const rejected = q.correction && q.correction.action === "reject";
    return el(
      "li",
      { class: `quote-card type-${q.type}${q.correction ? " corrected" : ""}${rejected ? " rejected" : ""}`, "data-quote-id": q.quote_id },
      el(rejected ? "del" : "blockquote", { text: `«${q.text}»` }),
      meta,
    );
  }

  function quoteList(quotes) {
    const list = el("ul", { class: "quotes" });
    for (const q of quotes) list.append(quoteCard(q));
    return list;
  }

  // ---------------------------------------------------------------------------- search
  function filtersFromAddress(params) {
    for (const name of FILTERS) {
      const box = document.getElementById(name);
      if (box) box.value = params.get(name) || "";
    }
    speakerName.value = params.get("speaker_name") || params.get("speaker") || "";
  }

  function filtersFromForm() {
    const params = new URLSearchParams();
    for (const name of FILTERS) {
      const value = document.getElementById(name).value.trim();
      if (value) params.set(name, value);
    }
    if (params.has("speaker")) params.set("speaker_name", speakerName.value.trim());
    return params;
  }

  async function search(params) {
    const query = new URLSearchParams(params);
    query.delete("speaker_name");
    query.delete("view");
    csv.href = `v1/quotes?${new URLSearchParams([...query, ["format", "csv"]])}`;
    const results = el("section", { class: "panel results", id: "results" }, el("h2", { text: "الاقتباسات" }));
    const side = el("aside", { class: "panel" }, el("h2", { text: "الأكثر اقتباسا" }));
    view.replaceChildren(results, side);
    say("…");
    let page;
    try {
      page = await getJSON(`v1/quotes?${query}&limit=20`);
    } catch (error) {
      say(String(error.message || error), true);
      return;
    }
    const list = quoteList(page.quotes);
    results.append(list);
    say(page.quotes.length ? "" : "لا نتائج");
    let cursor = page.next_cursor;
    if (cursor) {
      const more = el("button", { class: "more", id: "more", type: "button", text: "المزيد" });
      more.addEventListener("click", async () => {
        const next = await getJSON(`v1/quotes?${query}&limit=20&cursor=${encodeURIComponent(cursor)}`);
        for (const q of next.quotes) list.append(quoteCard(q));
        cursor = next.next_cursor;
        if (!cursor) more.remove();
      });
      results.append(more);
    }
    const range = new URLSearchParams({ limit: "10" });
    for (const name of ["from", "to"]) if (query.get(name)) range.set(name, query.get(name));
    try {
      const top = await getJSON(`v1/speakers?${range}`);
      const ol = el("ol", { class: "top-speakers" });
      for (const s of top.speakers) {
        ol.append(
          el(
            "li",
            null,
            el("a", { href: link({ view: "speaker", key: s.key }), text: s.name }),
            el("span", { class: "count", text: String(s.quotes) }),
          ),
        );
      }
      side.append(ol);
    } catch (error) {
      side.append(el("p", { text: String(error.message || error) }));
    }
  }

  // Speaker names offered while typing; choosing one sets the hidden key.
  let offered = [];
  let typing;
  speakerName.addEventListener("input", () => {
    const typed = speakerName.value.trim();
    const chosen = offered.find((s) => s.name === typed);
    speakerKey.value = chosen ? chosen.key : "";
    clearTimeout(typing);
    if (chosen || typed.length < 2) return;
    typing = setTimeout(async () => {
      try {
        offered = (await getJSON(`v1/speakers?${new URLSearchParams({ q: typed, limit: "15" })}`)).speakers;
      } catch (_) {
        offered = [];
      }
      options.replaceChildren(...offered.map((s) => el("option", { value: s.name })));
      const exact = offered.find((s) => s.name === speakerName.value.trim());
      if (exact) speakerKey.value = exact.key;
    }, 200);
  });

  // ---------------------------------------------------------------------------- speaker
  function weeksChart(weeks) {
    // Every week from the first to the last, empty ones at zero; the first week on the right.
    const counts = new Map(weeks.map((w) => [w.week, w.quotes]));
    const all = [];
    if (weeks.length) {
      const last = new Date(`${weeks[weeks.length - 1].week}T00:00:00Z`);
      for (let d = new Date(`${weeks[0].week}T00:00:00Z`); d <= last; d.setUTCDate(d.getUTCDate() + 7)) {
        const key = d.toISOString().slice(0, 10);
        all.push([key, counts.get(key) || 0]);
      }
    }
    const width = 640;
    const height = 180;
    const pad = 24;
    const top = Math.max(1, ...all.map(([, n]) => n));
    const step = (width - 2 * pad) / Math.max(1, all.length);
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", `اقتباسات كل أسبوع، ${all.length} أسبوعا`);
    svg.setAttribute("direction", "ltr"); // coordinates and anchors as drawn; the weeks run right to left
    const node = (tag, attrs, text) => {
      const n = document.createElementNS(SVG, tag);
      for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
      if (text !== undefined) n.textContent = text;
      svg.append(n);
      return n;
    };
    node("line", { class: "axis", x1: pad, x2: width - pad, y1: height - pad, y2: height - pad });
    all.forEach(([week, n], i) => {
      const h = ((height - 2 * pad) * n) / top;
      const x = width - pad - (i + 1) * step;
      const bar = node("rect", {
        class: "bar-week", x: x + step * 0.1, y: height - pad - h, width: Math.max(1, step * 0.8), height: h,
        "data-week": week, "data-quotes": n,
      });
      const title = document.createElementNS(SVG, "title");
      title.textContent = `${week}: ${n}`;
      bar.append(title);
    });
    if (all.length) {
      node("text", { x: width - pad, y: height - 6, "text-anchor": "end" }, all[0][0]);
      node("text", { x: pad, y: height - 6, "text-anchor": "start" }, all[all.length - 1][0]);
    }
    node("text", { x: width - pad, y: pad - 8, "text-anchor": "end" }, `${top}`);
    return el("figure", { class: "chart", id: "chart" }, svg, el("figcaption", { text: "اقتباسات في الأسبوع" }));
  }

  async function speakerPage(key) {
    view.replaceChildren();
    say("…");
    let s;
    try {
      s = await getJSON(`v1/speakers/${encodeURIComponent(key)}`);
    } catch (error) {
      say(String(error.message || error), true);
      return;
    }
    say("");
    const names = el("ul", { class: "names" });
    for (const n of s.spellings) names.append(el("li", { text: `${n.name} (${n.quotes})` }));
    const all = el("a", { href: link({ speaker: key, speaker_name: s.name }), text: "كل اقتباساته" });
    view.append(
      el(
        "section",
        { class: "panel full speaker", id: "speaker-page" },
        el("h2", { text: s.name }, " ", el("small", { text: KINDS[s.kind] || s.kind || "" })),
        el("p", { class: "facts" }, el("span", { text: `${s.quotes} اقتباسا` }), all),
        names,
        weeksChart(s.quotes_per_week),
      ),
      el("section", { class: "panel full" }, el("h2", { text: "آخر الاقتباسات" }), quoteList(s.latest_quotes)),
    );
    document.title = `${s.name} · quote-worker`;
  }

  // ---------------------------------------------------------------------------- article
  // The article's text (where the store keeps it: store --article-texts) with its standing quotes
  // marked as on the review page, its quotes listed below; editors correct them (corrections.js).
  async function articlePage(id, message) {
    let body;
    try {
      body = await getJSON(`v1/articles/${encodeURIComponent(id)}`);
    } catch (error) {
      say(String(error.message || error), true);
      return;
    }
    view.replaceChildren();
    say("");
    const a = body.article;
    const facts = el("p", { class: "facts" });
    if (a.source) facts.append(el("span", { text: a.source }));
    facts.append(el("time", { text: day(a.published_at) }));
    facts.append(el("span", { lang: "en", dir: "ltr", text: a.id }));
    if (a.url) facts.append(el("a", { href: a.url, rel: "noreferrer", text: "النص الأصلي" }));
    let textBox = null;
    if (body.texts) {
      const standing = body.quotes.filter((q) => !(q.correction && q.correction.action === "reject"));
      textBox = el("div", { class: "qv-text article-text", id: "article-text" });
      if (body.texts.title) textBox.append(QuoteView.field(body.texts.title, standing, "title"));
      textBox.append(QuoteView.field(body.texts.text, standing, "text"));
    }
    const page = el(
      "section",
      { class: "panel full", id: "article-page" },
      el("h2", { text: a.title || a.id }),
      facts,
      textBox,
      el("h3", { text: `الاقتباسات (${body.quotes.length})` }),
      quoteList(body.quotes),
    );
    view.append(page);
    const editing = Corrections.mount(page, body, textBox, (said) => articlePage(id, said));
    if (message) editing.say(message);
  }

  // ---------------------------------------------------------------------------- routing
  function show() {
    const params = new URLSearchParams(location.search);
    filtersFromAddress(params);
    if (params.get("view") === "speaker") speakerPage(params.get("key") || "");
    else if (params.get("view") === "article") articlePage(params.get("id") || "");
    else search(params);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = filtersFromForm();
    history.pushState(null, "", link(params));
    search(params);
  });
  window.addEventListener("popstate", show);
  show();
})();
