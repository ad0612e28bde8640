"""stanza backend with the small real model in ../shared/models/stanza-ar-small (offline)."""

from __future__ import annotations

import json
import socket

import pytest
from shared_data import DEV, SMALL_MODEL, absent

from worker.nlp.candidates import candidate_regions
from worker.nlp.parse_attribution import attributions

pytestmark = pytest.mark.stanza

if not SMALL_MODEL.is_dir():
    pytest.skip(absent(SMALL_MODEL), allow_module_level=True)
pytest.importorskip("stanza", reason="stanza is not installed (pip install 'quote-worker[stanza]')")


@pytest.fixture(scope="module")
def parser():
    from worker.nlp.stanza_backend import StanzaParser

    return StanzaParser(str(SMALL_MODEL), threads=1)


def _span(text: str, r: tuple[int, int] | None) -> str | None:
    return text[r[0] : r[1]] if r else None


def test_loads_offline_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    from worker.nlp import stanza_backend

    def no_network(*args, **kwargs):
        raise OSError("network access attempted during an offline load")

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(stanza_backend, "_PIPELINES", {})  # force a fresh load
    assert stanza_backend.models_available(str(SMALL_MODEL))
    p = stanza_backend.StanzaParser(str(SMALL_MODEL), threads=1)
    text = "وقال الرئيس إن الفكرة صحيحة."
    sents = p.parse(text, [(0, len(text))])
    assert sents and sents[0].parsed


def test_word_offsets_point_at_their_text(parser) -> None:
    text = (
        "مقدمة لا تحتاج إلى تحليل.\n\n"
        "وقال الرئيس الروسي فلاديمير بوتين إن الفكرة صحيحة. "
        "وأكد الوزير للصحفيين أنه سيزور موسكو بالإضافة إلى باريس، مشيرًا إلى أن الزيارة مهمة."
    )
    start = text.index("وقال")
    sents = parser.parse(text, [(start, len(text))])
    assert sents[0].start == start
    n_exact = 0
    for s in sents:
        assert text[s.start : s.end].strip() == text[s.start : s.end]
        for w in s.words:
            assert s.start <= w.token_start <= w.start < w.end <= w.token_end <= s.end
            if not w.is_mwt_part:
                assert text[w.start : w.end] == w.text
                n_exact += 1
            elif w.exact:
                assert text[w.start : w.end] == w.text
            else:  # an expanded clitic form (ل + السلطة): its letters lie inside the token
                assert w.end > w.start
    assert n_exact > 10
    words = [w for s in sents for w in s.words]
    wa, qal = [w for w in words if w.token_start == start][:2]
    assert (text[wa.start : wa.end], text[qal.start : qal.end]) == ("و", "قال")
    assert qal.token_span == (start, start + 4)


def test_parse_attribution_of_a_simple_sentence(parser) -> None:
    text = "وقال الرئيس الروسي فلاديمير بوتين إن الفكرة صحيحة."
    (sent,) = parser.parse(text, [(0, len(text))])
    (att,) = attributions(sent, text)
    assert att.cue == (0, 4) and att.cue_lemma == "قال"
    assert _span(text, att.speaker) == "الرئيس الروسي فلاديمير بوتين"
    assert _span(text, att.content) == "الفكرة صحيحة"
    assert _span(text, att.complementizer) == "إن"


@pytest.mark.parametrize(
    ("text", "cue", "speaker", "content"),
    [
        (
            "أكد وزير الخارجية الروسي سيرجي لافروف أن عدم الاعتراف بالدولة الفلسطينية "
            "سيعمل على استمرار الحرب.",
            "أكد",
            "وزير الخارجية الروسي سيرجي لافروف",
            "عدم الاعتراف بالدولة الفلسطينية سيعمل على استمرار الحرب",
        ),
        (
            "وقالت المتحدثة باسم الوزارة إن المحادثات ستستمر.",
            "وقالت",
            "المتحدثة باسم الوزارة",
            "المحادثات ستستمر",
        ),
        (
            "وأوضح المدير أن الشركة حققت أرباحا كبيرة هذا العام.",
            "وأوضح",
            "المدير",
            "الشركة حققت أرباحا كبيرة هذا العام",
        ),
    ],
)
def test_parse_attribution_examples(parser, text: str, cue: str, speaker: str, content: str) -> None:
    (sent,) = parser.parse(text, [(0, len(text))])
    atts = attributions(sent, text)
    assert atts, [(w.text, w.upos, w.head, w.deprel) for w in sent.words]
    att = atts[0]
    assert (_span(text, att.cue), _span(text, att.speaker), _span(text, att.content)) == (
        cue,
        speaker,
        content,
    )


def test_participle_cue_has_implicit_speaker(parser) -> None:
    text = "وأضاف الوزير أنه سيزور موسكو، مشيرا إلى أن الزيارة مهمة."
    (sent,) = parser.parse(text, [(0, len(text))])
    by_cue = {_span(text, a.cue): a for a in attributions(sent, text)}
    att = by_cue["مشيرا"]
    assert att.cue_lemma == "اشار" and att.speaker is None
    assert _span(text, att.content) == "الزيارة مهمة"


def test_parse_many_batches_articles_with_their_own_offsets(parser) -> None:
    a = "نبأ أول. وقال الوزير إن الوضع جيد."
    b = "ذكر التقرير أن الوضع سيء. نهاية."
    ra, rb = candidate_regions(a), candidate_regions(b)
    out = parser.parse_many([(a, ra), (b, rb), ("", [])])
    assert len(out) == 3 and out[2] == []
    assert a[out[0][0].start : out[0][0].end] == "وقال الوزير إن الوضع جيد."
    assert b[out[1][0].start : out[1][0].end] == "ذكر التقرير أن الوضع سيء."


def test_parser_pickles_for_process_pools(parser) -> None:
    import pickle

    clone = pickle.loads(pickle.dumps(parser))
    assert clone._nlp is parser._nlp  # one pipeline per process


def test_dev_offsets_hold_on_real_articles(parser) -> None:
    if not DEV.exists():
        pytest.skip(absent(DEV))
    arts = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()[:4]]
    out = parser.parse_many([(a["text"], candidate_regions(a["text"])) for a in arts])
    for art, sents in zip(arts, out, strict=True):
        text = art["text"]
        for s in sents:
            for w in s.words:
                if not w.is_mwt_part:
                    assert text[w.start : w.end] == w.text
                assert text[w.token_start : w.token_end].strip()
