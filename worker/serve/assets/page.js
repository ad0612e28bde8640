// The review page: paste an article (plain text or an article message) or pick a sample, send it to
// POST /v1/extract, and draw the answer with render.js.
"use strict";

(() => {
  const { el } = QuoteView;
  const form = document.getElementById("article-form");
  const picker = document.getElementById("sample");
  const idBox = document.getElementById("article-id");
  const titleBox = document.getElementById("article-title");
  const textBox = document.getElementById("article-text");
  const status = document.getElementById("status");
  const result = document.getElementById("result");
  let samples = [];

  document.getElementById("key").append(QuoteView.key(false));

  function say(message, isError, ...extra) {
    status.replaceChildren(message, ...extra);
    status.classList.toggle("error", Boolean(isError));
  }

  // Where a JSON.parse error is, as line and column: from the message when it says, else from the
  // character position it gives.
  function whereIn(raw, error) {
    const said = /line (\d+) column (\d+)/.exec(error.message);
    if (said) return `line ${said[1]}, column ${said[2]}`;
    const at = /position (\d+)/.exec(error.message);
    if (!at) return null;
    const before = raw.slice(0, Number(at[1])).split("\n");
    return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
  }

  function asPlainText(raw) {
    const doc = { id: idBox.value.trim() || "pasted", text: raw };
    if (titleBox.value.trim()) doc.title = titleBox.value;
    return { doc, body: JSON.stringify(doc) };
  }

  // The message to send: the pasted text as it is when it is an article message (JSON), else an
  // article built from the three boxes. Text that starts like JSON but does not parse is not guessed
  // at: null, and the status says where the JSON breaks and offers to send it as plain text.
  function message() {
    const raw = textBox.value;
    const start = raw.trimStart()[0];
    if (start !== "{" && start !== "[") return asPlainText(raw);
    let doc;
    try {
      doc = JSON.parse(raw);
    } catch (error) {
      const where = whereIn(raw, error);
      const anyway = el("button", { type: "button", id: "as-text" }, "send it as plain text");
      anyway.addEventListener("click", () => send(asPlainText(raw)));
      say(`The text starts like JSON but is not valid JSON${where ? ` (${where})` : ""}: ${error.message}.`, true, anyway);
      return null;
    }
    if (doc && typeof doc === "object" && !Array.isArray(doc)) return { doc, body: raw };
    return asPlainText(raw);
  }

  // The status after an answer: how many quotes and speakers, and why there may be none.
  function summary(quotes, text) {
    const names = QuoteView.speakers(quotes).length;
    let line = `${quotes.length} quote(s), ${names} speaker(s)`;
    const share = QuoteView.arabicShare(text);
    if (text.trim() && share < 0.5) {
      line += ` · quote-worker reads Arabic only, and ${Math.round(share * 100)}% of this text's letters are Arabic`;
    }
    return line;
  }

  async function send({ doc, body }) {
    say("extracting…");
    result.replaceChildren();
    let answer;
    let response;
    try {
      response = await fetch("v1/extract", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body,
      });
      answer = await response.json();
    } catch (error) {
      say(`the server did not answer: ${error}`, true);
      return;
    }
    if (!response.ok) {
      say(`${response.status} ${answer.reason}: ${answer.message}`, true);
      return;
    }
    const quotes = answer.quotes;
    const text = typeof doc.text === "string" ? doc.text : "";
    const title = typeof doc.title === "string" ? doc.title : null;
    say(summary(quotes, `${title || ""}\n${text}`));
    result.append(QuoteView.article({ title, text, quotes }, { heading: String(doc.id) }));
    result.dataset.quotes = JSON.stringify(quotes.map((q) => [q.field, q.span[0], q.span[1]]));
  }

  function extract(event) {
    event.preventDefault();
    const outgoing = message();
    if (outgoing === null) {
      result.replaceChildren();
      return;
    }
    send(outgoing);
  }

  function pick() {
    const sample = samples.find((s) => s.id === picker.value);
    if (!sample) return;
    idBox.value = sample.id;
    titleBox.value = sample.title || "";
    textBox.value = sample.text;
  }

  async function loadSamples() {
    try {
      const response = await fetch("v1/samples");
      samples = (await response.json()).articles;
    } catch (_) {
      samples = [];
    }
    for (const s of samples) {
      picker.append(el("option", { value: s.id, text: s.title ? `${s.id} — ${s.title}` : s.id }));
    }
    picker.disabled = samples.length === 0;
  }

  picker.addEventListener("change", pick);
  form.addEventListener("submit", extract);
  loadSamples();
})();
