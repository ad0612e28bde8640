// The review page: paste an article (plain text or an article message) or pick a sample, send it to
// POST /v1/extract, and draw the answer with render.js.
"use strict";

(() => {
  const form = document.getElementById("article-form");
  const picker = document.getElementById("sample");
  const idBox = document.getElementById("article-id");
  const titleBox = document.getElementById("article-title");
  const textBox = document.getElementById("article-text");
  const status = document.getElementById("status");
  const result = document.getElementById("result");
  let samples = [];

  document.getElementById("key").append(QuoteView.key(false));

  function say(message, isError) {
    status.textContent = message;
    status.classList.toggle("error", Boolean(isError));
  }

  // The message to send: the pasted text as it is when it is an article message (JSON), else an
  // article built from the three boxes.
  function message() {
    const raw = textBox.value;
    if (raw.trimStart().startsWith("{")) {
      try {
        const doc = JSON.parse(raw);
        if (doc && typeof doc === "object" && !Array.isArray(doc)) return { doc, body: raw };
      } catch (_) {
        // not JSON: taken as plain text
      }
    }
    const doc = { id: idBox.value.trim() || "pasted", text: raw };
    if (titleBox.value.trim()) doc.title = titleBox.value;
    return { doc, body: JSON.stringify(doc) };
  }

  async function extract(event) {
    event.preventDefault();
    const { doc, body } = message();
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
    const names = QuoteView.speakers(quotes).length;
    say(`${quotes.length} quote(s), ${names} speaker(s)`);
    const text = typeof doc.text === "string" ? doc.text : "";
    const title = typeof doc.title === "string" ? doc.title : null;
    result.append(QuoteView.article({ title, text, quotes }, { heading: String(doc.id) }));
    result.dataset.quotes = JSON.stringify(quotes.map((q) => [q.field, q.span[0], q.span[1]]));
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
      picker.append(QuoteView.el("option", { value: s.id, text: s.title ? `${s.id} — ${s.title}` : s.id }));
    }
    picker.disabled = samples.length === 0;
  }

  picker.addEventListener("change", pick);
  form.addEventListener("submit", extract);
  loadSamples();
})();
