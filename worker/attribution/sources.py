"""Source phrases: ``بحسب X، …`` before the clause and ``…، بحسب X.`` after it; ``نقلا عن X``,
``على لسان X``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from worker import lexicon as lx
from worker.attribution.article import Found
from worker.attribution.content import content_span
from worker.attribution.marks import QUOTE_CHARS
from worker.attribution.resolve import resolve
from worker.attribution.speaker_phrase import CONNECTORS, MAX_SPEAKER, trim_mention
from worker.text import COMMAS, trim

if TYPE_CHECKING:
    from worker.attribution.article import Article

_SOURCE_CONTENT_OPENERS = frozenset({"فان", "فانه", "فانها", "فانهم", "فقد", "فهناك"})


def source_phrase(a: Article, i: int, cue: lx.CueForm) -> None:
    """بحسب X، … / …، وفقا لـ X / نقلا عن X / على لسان X."""
    tok = a.tokens[i]
    cue_start = tok.start
    j = i + 1
    if tok.fold.endswith("لسان"):
        if i == 0 or a.tokens[i - 1].fold not in ("علي", "وعلي"):
            return
        cue_start = a.tokens[i - 1].start
    elif tok.fold.endswith("نقلا"):
        if j >= len(a.tokens) or a.tokens[j].fold != "عن":
            return
        j += 1
    # وفقا لما ذكره X / بحسب ما أعلنت X: skip the relative and its verb.
    while j < len(a.tokens) and a.tokens[j].fold in ("ل", "لـ", "ما", "لما", "بما"):
        j += 2 if a.tokens[j].fold != "ل" else 1
    # حسبما قال X: the relative is part of the source word; skip its verb.
    if tok.fold.endswith("ما") and j < len(a.tokens):
        verb = a.lx.CUE_FORMS.get(a.tokens[j].fold)
        if verb is not None and verb.kind == "verb":
            j += 1
    sent_start = a.sentence_start(tok.start)
    lead = [t for t in a.tokens[max(a.token_at(sent_start), i - 3) : i] if t.fold not in CONNECTORS]
    sent_end = a.sentence_end(tok.end)
    if not lead:  # clause-initial: بحسب X، CONTENT
        stop = next_comma(a, j, sent_end)
        if stop is None:  # بحسب الوزير فإن …: no comma, the فإن / فقد opens the content
            k = next(
                (
                    k
                    for k in range(j + 1, min(len(a.tokens), j + MAX_SPEAKER + 1))
                    if a.tokens[k].fold in _SOURCE_CONTENT_OPENERS
                ),
                None,
            )
            if k is None or a.tokens[k].start >= sent_end:
                return
            stop = a.tokens[k].start - 1
        mention = trim_mention(a, a.tokens[j : a.token_at(stop)])
        k = a.token_at(stop + 1)
        opener = a.tokens[k].fold if k < len(a.tokens) else ""
        if opener[:1] == "ف" and opener[1:] in a.lx.COMPLEMENTIZERS:  # بحسب X، فإن …: after the فإن
            content = content_span(a, "comp", k + 1, a.tokens[k].end)
        else:
            content = content_span(a, "comp", k, stop + 1)
    else:  # clause-final: CONTENT، بحسب X.
        near = max(sent_start, tok.start - 8)
        comma = max(a.text.rfind("،", near, tok.start), a.text.rfind(",", near, tok.start))
        mention = trim_mention(a, a.tokens[j : min(a.token_at(sent_end), j + MAX_SPEAKER + 1)])
        content = None
        # The source phrase must close the sentence, after a comma: …، بحسب رويترز.
        tail = mention[-1].end if mention else sent_end
        closes = bool(mention) and (
            (sent_end - tail < 8 and not a.text[tail:sent_end].strip(" \t.،,)" + QUOTE_CHARS))
            # or a source phrase that runs on to the end: …، وفقا للبيانات التي يوفرها جهاز الرادار.
            or not a.punctuated(tok.end, sent_end)
        )
        if comma >= 0 and not a.text[comma : tok.start].strip("،, \t") and closes:
            s, e = trim(a.text, sent_start, comma)
            whole = a.quoted_by_open.get(s)
            if whole is not None and whole.closed and whole.close == e - 1:  # "…"، بحسب X.
                s, e = trim(a.text, whole.start, whole.end)
                content = ("direct", (s, e)) if e > s else None
            elif e - s > 10:
                content = ("mixed" if a.has_quote_inside(s, e) else "indirect", (s, e))
    if mention and content is None and cue.lemma == "على لسان" and len(mention) <= MAX_SPEAKER:
        resolve(a, mention, None, i)  # جاء ذلك على لسان X، … حيث قال: X speaks next
        return
    if not mention or content is None or len(mention) > MAX_SPEAKER:
        return
    qtype, (cs, ce) = content
    if a.overlaps_claimed(cs, ce):
        return  # the medium of a quote already attributed
    entity, info = resolve(a, mention, None, i)
    a.add(Found(qtype, (cs, ce), (cue_start, tok.end), cue.lemma, mention, info, entity, 0.7))


def next_comma(a: Article, j: int, limit: int) -> int | None:
    for k in range(j, min(len(a.tokens), j + MAX_SPEAKER + 1)):
        gap_start = a.tokens[k - 1].end
        if gap_start >= limit:
            return None
        gap = a.text[gap_start : a.tokens[k].start]
        for c in COMMAS:
            if c in gap:
                return gap_start + gap.index(c)
    return None
