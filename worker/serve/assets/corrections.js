// Editors' corrections on a stored article's page (/search?view=article&id=…): sign in with an editor's
// token (checked with GET /v1/editors/me, kept in sessionStorage for this tab only, never in a cookie),
// then correct a quote — not a quote, another speaker (one of the article's or a name typed), another
// type, its words or its cue taken from text selected in the article — or add a quote the extractor
// missed from selected text. Each change is one POST /v1/corrections with the token as a bearer header
// (docs/serve.md: the security model). Offsets are code points, as the records' (Python's) are.
"use strict";

const Corrections = (() => {
  const { el } = QuoteView;
  const STORAGE = "quote-worker-editor-token";
  const TYPES = { direct: "مباشر", indirect: "غير مباشر", mixed: "مختلط" };
  const KINDS = { person: "شخص", organization: "جهة", group: "مجموعة", anonymous: "مصدر مجهول", unknown: "غير معروف" };
  const ACTIONS = {
    reject: "ليس اقتباسا", speaker: "المتحدث", span: "نص الاقتباس", cue: "فعل القول", type: "النوع", add: "أضيف",
  };
  const REFUSED = {
    no_token: "أدخل رمز المحرر.",
    bad_token: "رمز غير صحيح: لا محرر بهذا الرمز.",
    revoked: "أُلغي هذا الرمز: اطلب رمزا جديدا.",
  };

  let editor = null; // {name, token} once the server accepted the token
  let selected = null; // the last text selected in the article: {field, start, end, text}

  const token = () => sessionStorage.getItem(STORAGE);

  async function ask(method, path, body) {
    const headers = { Accept: "application/json", Authorization: `Bearer ${token() || ""}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const answer = await response.json().catch(() => ({}));
    return { ok: response.ok, status: response.status, body: answer };
  }

  function refusal(answer) {
    return REFUSED[answer.body.reason] || `${answer.status} ${answer.body.reason || ""}: ${answer.body.message || ""}`;
  }

  // The mark of a corrected quote, for any quote card (search results too).
  function mark(q) {
    const c = q.correction;
    if (!c) return null;
    const when = (c.at || "").slice(0, 16).replace("T", " ");
    return el("span", {
      class: `corrected-mark action-${c.action}`,
      title: `${ACTIONS[c.action] || c.action} · ${c.by} · ${when}`,
      text: c.action === "reject" ? "ليس اقتباسا (مصحَّح)" : `مصحَّح: ${ACTIONS[c.action] || c.action}`,
    });
  }

  // ------------------------------------------------------------------------- selection in the text
  function offsetIn(box, node, offset) {
    const range = document.createRange();
    range.setStart(box, 0);
    range.setEnd(node, offset);
    return Array.from(range.toString()).length;
  }

  // The article's text on the page now and where to show what is selected in it (one listener for
  // every drawing of the page). Kept when the selection is lost, as a tap on a phone's button may do.
  const tracked = { textBox: null, shown: null };
  function fieldOf(node) {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    return element ? element.closest(".qv-field") : null;
  }
  document.addEventListener("selectionchange", () => {
    const sel = document.getSelection();
    const { textBox, shown } = tracked;
    if (!textBox || !sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    const range = sel.getRangeAt(0);
    const box = fieldOf(range.startContainer);
    if (!box || box !== fieldOf(range.endContainer) || !textBox.contains(box)) return;
    const start = offsetIn(box, range.startContainer, range.startOffset);
    const stop = offsetIn(box, range.endContainer, range.endOffset);
    if (stop <= start) return;
    selected = { field: box.dataset.field, start, end: stop, text: range.toString() };
    shown.textContent = `«${selected.text}»`;
  });

  // ------------------------------------------------------------------------- sign in
  function signInBar(onChange) {
    const status = el("p", { class: "editor-status", id: "editor-status", role: "status", "aria-live": "polite" });
    const bar = el("div", { class: "editor-bar", id: "editor-bar" });
    const say = (text, isError) => {
      status.textContent = text;
      status.classList.toggle("error", Boolean(isError));
      status.setAttribute("role", isError ? "alert" : "status");
    };
    function draw() {
      if (editor) {
        const out = el("button", { type: "button", id: "sign-out", text: "خروج" });
        out.addEventListener("click", () => {
          sessionStorage.removeItem(STORAGE);
          editor = null;
          say("خرجت.");
          draw();
          onChange();
        });
        bar.replaceChildren(el("span", { class: "editor-name", id: "editor-name", text: `المحرر: ${editor.name}` }), out, status);
        return;
      }
      const box = el("input", { id: "editor-token", type: "password", autocomplete: "off", spellcheck: "false", dir: "ltr" });
      const form = el(
        "form",
        { class: "sign-in", id: "sign-in" },
        el("label", { for: "editor-token", text: "رمز المحرر" }),
        box,
        el("button", { type: "submit", id: "sign-in-button", text: "دخول المحررين" }),
      );
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        if (!box.value.trim()) {
          say(REFUSED.no_token, true);
          return;
        }
        sessionStorage.setItem(STORAGE, box.value.trim());
        if (await check()) {
          say(`دخلت باسم ${editor.name}. اختر «تصحيح» عند اقتباس.`);
          draw();
          onChange();
        } else {
          box.focus();
        }
      });
      bar.replaceChildren(form, status);
    }
    async function check() {
      if (!token()) return false;
      const answer = await ask("GET", "v1/editors/me");
      if (answer.ok) {
        editor = { name: answer.body.name };
        return true;
      }
      sessionStorage.removeItem(STORAGE);
      editor = null;
      say(refusal(answer), true);
      return false;
    }
    return { bar, say, draw, check };
  }

  // ------------------------------------------------------------------------- the correction panel
  function speakerChoices(quotes) {
    const seen = new Map();
    for (const q of quotes) {
      const s = q.speaker || {};
      if (!s.name) continue;
      const key = s.id || s.name;
      if (!seen.has(key)) seen.set(key, { id: s.id, name: s.name, kind: s.kind });
    }
    return [...seen.values()];
  }

  function panel(data, send, close) {
    const quotes = data.quotes;
    const choices = speakerChoices(quotes);
    const hasText = Boolean(data.texts);
    const root = el("section", { class: "panel editor-panel", id: "editor", role: "dialog", "aria-modal": "false", "aria-labelledby": "editor-title", hidden: true });
    let current = null; // the quote being corrected, or null when adding one
    let pendingSpan = null;
    let pendingCue = null;

    const title = el("h2", { id: "editor-title", tabindex: "-1" });
    const quoteText = el("blockquote", { class: "editor-quote" });
    const selection = el("span", { class: "editor-selection", text: "لا شيء بعد" });
    const choose = el("select", { id: "speaker-choice" }, el("option", { value: "", text: "— من متحدثي المقال —" }),
      ...choices.map((c, i) => el("option", { value: String(i), text: c.name })));
    const typed = el("input", { id: "speaker-typed", autocomplete: "off", placeholder: "أو اكتب اسما" });
    const kind = el("select", { id: "speaker-kind" }, ...Object.entries(KINDS).map(([v, t]) => el("option", { value: v, text: t })));
    const type = el("select", { id: "type-choice" }, ...Object.entries(TYPES).map(([v, t]) => el("option", { value: v, text: t })));
    const message = el("p", { class: "editor-message", id: "editor-message", role: "alert" });
    // A button's work: a request, or a step of adding; what went wrong is said in the panel.
    const button = (id, text, work) => {
      const b = el("button", { type: "button", id, text });
      b.addEventListener("click", async () => {
        message.textContent = "";
        try {
          await work();
        } catch (error) {
          message.textContent = String(error.message || error);
        }
      });
      return b;
    };
    const speaker = () => {
      const name = typed.value.trim();
      if (name) return { name, kind: kind.value };
      if (choose.value === "") return null;
      const c = choices[Number(choose.value)];
      return c.id ? { id: c.id } : { name: c.name, kind: c.kind || "person" };
    };
    const needSelection = () => {
      if (!selected) throw new Error("حدد نصا في المقال أولا.");
      if (current && selected.field !== (current.field || "text")) throw new Error("حدد النص في الحقل نفسه (العنوان أو المتن).");
      return [selected.start, selected.end];
    };
    const base = () => ({ article_id: data.article.id, quote_id: current.quote_id });

    const reject = button("reject", "ليس اقتباسا", () => send({ ...base(), action: "reject" }));
    const setSpeaker = button("set-speaker", "غيّر المتحدث", () => {
      const s = speaker();
      if (!s) throw new Error("اختر متحدثا أو اكتب اسما.");
      return send({ ...base(), action: "speaker", speaker: s });
    });
    const setType = button("set-type", "غيّر النوع", () => send({ ...base(), action: "type", type: type.value }));
    const spanShown = el("span", { class: "editor-pending" });
    const cueShown = el("span", { class: "editor-pending" });
    const setSpan = button("set-span", "اجعل التحديد نص الاقتباس", () => {
      const span = needSelection();
      if (current) return send({ ...base(), action: "span", span });
      pendingSpan = { span, field: selected.field };
      spanShown.textContent = `«${selected.text}»`;
      return null;
    });
    const setCue = button("set-cue", "اجعل التحديد فعل القول", () => {
      const cue = needSelection();
      if (current) return send({ ...base(), action: "cue", cue });
      pendingCue = cue;
      cueShown.textContent = `«${selected.text}»`;
      return null;
    });
    const add = button("add-quote", "أضف الاقتباس", () => {
      const s = speaker();
      if (!pendingSpan) throw new Error("حدد نص الاقتباس في المقال ثم اضغط «اجعل التحديد نص الاقتباس».");
      if (!s) throw new Error("اختر متحدثا أو اكتب اسما.");
      const change = { article_id: data.article.id, action: "add", span: pendingSpan.span, field: pendingSpan.field, type: type.value, speaker: s };
      if (pendingCue) change.cue = pendingCue;
      return send(change);
    });
    const closer = button("close-editor", "إغلاق", () => close());

    const group = (label, ...children) => el("fieldset", { class: "editor-group" }, el("legend", { text: label }), ...children);
    const textGroup = group(
      "من نص المقال",
      el("p", { class: "hint" }, "حدد كلمات في المقال: ", selection),
      el("div", { class: "editor-row" }, setSpan, spanShown),
      el("div", { class: "editor-row" }, setCue, cueShown),
    );
    root.append(
      el("div", { class: "editor-head" }, title, closer),
      quoteText,
      message,
      el("div", { class: "editor-row", id: "reject-row" }, reject),
      group("المتحدث", el("label", { for: "speaker-choice", class: "visually-hidden", text: "متحدث من المقال" }), choose,
        el("label", { for: "speaker-typed", class: "visually-hidden", text: "اسم المتحدث" }), typed,
        el("label", { for: "speaker-kind", class: "visually-hidden", text: "نوع المتحدث" }), kind, setSpeaker),
      group("النوع", el("label", { for: "type-choice", class: "visually-hidden", text: "نوع الاقتباس" }), type, setType),
      hasText ? textGroup : el("p", { class: "hint", text: "المخزن لا يحفظ نص هذا المقال: لا تصحيح للمواضع ولا إضافة." }),
      add,
    );

    function open(q) {
      current = q;
      pendingSpan = null;
      pendingCue = null;
      spanShown.textContent = "";
      cueShown.textContent = "";
      message.textContent = "";
      title.textContent = q ? "تصحيح الاقتباس" : "إضافة اقتباس فائت";
      quoteText.textContent = q ? `«${q.text}» — ${(q.speaker || {}).name || (q.speaker || {}).mention || "؟"}` : "حدد نصه في المقال، ثم فعل القول إن وجد، واختر المتحدث والنوع.";
      if (q) type.value = q.type;
      choose.value = "";
      typed.value = "";
      reject.hidden = !q;
      setSpeaker.hidden = !q;
      setType.hidden = !q;
      add.hidden = Boolean(q) || !hasText;
      root.hidden = false;
      document.body.classList.add("editing"); // room below the text: it scrolls up past the panel
      title.focus();
    }
    return { root, open, selection };
  }

  // ------------------------------------------------------------------------- the article page
  // `page`: the article's section (its quote cards carry data-quote-id); `data`: GET /v1/articles/{id};
  // `textBox`: the element holding the article's fields, or null; `reload`: draws the page again.
  function mount(page, data, textBox, reload) {
    const signIn = signInBar(() => decorate());
    const addButton = el("button", { type: "button", id: "add-missed", class: "add-missed", text: "إضافة اقتباس فائت", hidden: true });
    const tools = el("div", { class: "editor-tools" }, signIn.bar, addButton);
    page.querySelector(".facts").after(tools);
    let opener = null;
    document.body.classList.remove("editing");
    const close = () => {
      editorPanel.root.hidden = true;
      document.body.classList.remove("editing");
      if (opener && opener.isConnected) opener.focus();
    };
    async function send(change) {
      const answer = await ask("POST", "v1/corrections", change);
      if (!answer.ok) {
        if ([401, 403].includes(answer.status) && answer.body.reason !== "cross_origin") {
          editor = null;
          sessionStorage.removeItem(STORAGE);
          signIn.draw();
          signIn.say(refusal(answer), true);
          decorate(); // signed out: the panel closes, the cards lose their buttons
        }
        throw new Error(refusal(answer));
      }
      editorPanel.root.hidden = true;
      await reload(`حُفظ التصحيح (${ACTIONS[change.action]}).`);
      return answer.body;
    }
    const editorPanel = panel(data, send, close);
    page.after(editorPanel.root);
    editorPanel.root.addEventListener("keydown", (event) => {
      if (event.key === "Escape") close();
    });
    tracked.textBox = textBox;
    tracked.shown = editorPanel.selection;
    selected = null;
    addButton.addEventListener("click", () => {
      opener = addButton;
      editorPanel.open(null);
    });

    function decorate() {
      addButton.hidden = !editor || !data.texts;
      for (const card of page.querySelectorAll(".quote-card")) {
        const old = card.querySelector(".correct");
        if (old) old.remove();
        if (!editor) continue;
        const q = data.quotes.find((x) => x.quote_id === card.dataset.quoteId);
        const b = el("button", { type: "button", class: "correct", text: "تصحيح", "aria-label": `تصحيح: ${q.text.slice(0, 40)}` });
        b.addEventListener("click", () => {
          opener = b;
          editorPanel.open(q);
        });
        card.querySelector(".meta").append(b);
      }
      if (!editor) close();
    }
    signIn.draw();
    signIn.check().then((ok) => {
      if (ok) signIn.draw();
      decorate();
    });
    return { say: signIn.say };
  }

  return { mount, mark };
})();
