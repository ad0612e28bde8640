"""NLP layer without models: document model, rules analyser, candidate pre-filter (recall on dev)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from shared_data import DEV, absent

from worker.nlp.candidates import candidate_regions, kept_fraction, quote_spans, sentence_spans
from worker.nlp.doc import align_words
from worker.nlp.rules_backend import RulesAnalyser, guess_lemma
from worker.nlp.speech import CUE_WORD_RE, cue_lemma, fold


def _dev() -> list[dict]:
    if not DEV.exists():
        pytest.skip(absent(DEV))
    return [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_align_words_splits_clitics_where_letters_match() -> None:
    assert align_words("وقال", 10, ["و", "قال"]) == [(10, 11, True), (11, 14, True)]
    assert align_words("أنه", 0, ["أن", "ه"]) == [(0, 2, True), (2, 3, True)]
    # ل + السلطة: the article's alef is not written; the noun gets the rest of the token
    assert align_words("للسلطة", 0, ["ل", "السلطة"]) == [(0, 1, True), (1, 6, False)]
    assert align_words("xy", 0, ["a", "b", "c"]) == [(0, 2, False)] * 3


def test_rules_offsets_point_at_the_text() -> None:
    text = (
        "وقال الرئيس الروسي فلاديمير بوتين إن الفكرة صحيحة.\n\n"
        'وأكدت الوزارة: "3.5 مليون"؟ مشيرًا إلى أنه سيأتي.'
    )
    doc = RulesAnalyser().analyse(text)
    assert len(doc.sentences) == 3
    for s in doc.sentences:
        assert s.start < s.end and not text[s.start].isspace()
        for w in s.words:
            assert text[w.start : w.end] == w.text
            assert w.head is None and w.deprel is None
    words = {w.text: w for w in doc.words}
    assert words["وقال"].lemma == "قال" and words["وقال"].upos == "VERB"
    assert words["وأكدت"].lemma == "اكد"
    assert words["مشيرًا"].lemma == "اشار"
    assert words["3.5"].upos == "NUM"
    assert words["أنه"].upos == "SCONJ"


def test_rules_parse_regions_keeps_offsets() -> None:
    text = "جملة أولى. وقال الوزير إن الوضع جيد. جملة ثالثة."
    start = text.index("وقال")
    end = text.index("جيد.") + 4
    sents = RulesAnalyser().parse(text, [(start, end)])
    assert [(s.start, s.end) for s in sents] == [(start, end)]
    assert sents[0].words[0].text == "وقال" and sents[0].words[0].start == start


def test_guess_lemma_strips_proclitics() -> None:
    assert guess_lemma("وسيقولون")[0] == "قال"
    assert guess_lemma("ويرى")[0] == "راي"
    assert guess_lemma("الوزارة") == ("الوزارة", None)


def test_cue_word_pattern_inflections() -> None:
    for w in ["وقال", "قالت", "مشيرًا", "ونبّه", "بالقول", "وسيؤكد", "يعتقدون", "وفقاً", "أعربت", "ويرى"]:
        assert CUE_WORD_RE.fullmatch(w), w
    for w in ["المدينة", "وزارة", "العربية", "بين", "الحكومة"]:
        assert not CUE_WORD_RE.fullmatch(w), w


def test_fold_and_cue_lemma() -> None:
    assert fold("قَال") == "قال" and fold("أَكَّد") == "اكد"
    assert cue_lemma("قَال") == "قال"
    assert cue_lemma("مُشِير") == "اشار"
    assert cue_lemma("وَزِير") is None


def test_sentences_do_not_split_numbers() -> None:
    text = "ارتفع بنسبة 3.5 في المئة. وقال"
    assert [text[s:e] for s, e in sentence_spans(text)] == ["ارتفع بنسبة 3.5 في المئة.", "وقال"]


def test_quote_running_over_paragraphs_is_one_region() -> None:
    text = 'مقدمة بلا شيء.\nوقال الوزير: "الجملة الأولى.\n"والفقرة الثانية من الاقتباس".\nخاتمة بلا شيء.'
    regions = candidate_regions(text)
    opening = text.index('"')
    closing = text.rindex('"')
    assert any(s <= opening and closing < e for s, e in regions)
    assert not any(text[s:e].startswith("مقدمة") or text[s:e].startswith("خاتمة") for s, e in regions)
    assert (opening, closing + 1) in quote_spans(text)


def test_no_trigger_no_region() -> None:
    assert candidate_regions("ارتفعت الأسعار في السوق. وانخفض الطلب.") == []
    assert kept_fraction("") == 0.0


def test_a_lexicons_own_cue_verbs_make_a_sentence_a_candidate(tmp_path: Path) -> None:
    """The pre-filter reads the lexicon the rules read (``--lexicon DIR``): a verb added there makes
    its sentence worth parsing, which the shipped lexicon and the stem pattern do not."""
    import shutil

    from worker.lexicon import DEFAULT_DIR, Lexicon

    folder = tmp_path / "lexicon"
    shutil.copytree(DEFAULT_DIR, folder)
    with (folder / "speech_verbs.tsv").open("a", encoding="utf-8") as fh:
        fh.write("همس\tيهمس\n")
    text = "ارتفعت الأسعار في السوق. وهمس المايسترو أن الحفل سيبدأ قريبا. وانخفض الطلب."
    assert candidate_regions(text) == []
    regions = candidate_regions(text, Lexicon.load(folder))
    assert [text[s:e] for s, e in regions] == ["وهمس المايسترو أن الحفل سيبدأ قريبا."]


def test_prefilter_drops_no_gold_quote_on_dev() -> None:
    """Every gold quote's content lies inside ONE candidate region and its cue inside a region."""
    missed = []
    kept = total = 0
    for art in _dev():
        text = art["text"]
        regions = candidate_regions(text)
        kept += sum(e - s for s, e in regions)
        total += len(text)
        for q in art["quotes"]:
            cs, ce, cue = q["content_start"], q["content_end"], q["cue_start"]
            if not any(s <= cs and ce <= e for s, e in regions) or not any(s <= cue < e for s, e in regions):
                missed.append((art["id"], q["cue"], cs))
    assert not missed, missed
    assert kept < total


def test_rules_path_does_not_import_stanza() -> None:
    code = (
        "import sys, worker.nlp, worker.nlp.rules_backend, worker.nlp.candidates, "
        "worker.nlp.parse_attribution, worker.nlp.stanza_backend, worker.commands.models\n"
        "assert 'stanza' not in sys.modules and 'torch' not in sys.modules, sorted(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[1])


def test_missing_models_error_names_files_and_remedy(tmp_path: Path) -> None:
    pytest.importorskip("stanza", reason="stanza is not installed")
    from worker.nlp.stanza_backend import StanzaModelsMissing, StanzaParser, models_available

    (tmp_path / "ar_tokenizer.pt").write_bytes(b"")
    assert not models_available(str(tmp_path))
    with pytest.raises(StanzaModelsMissing) as info:
        StanzaParser(str(tmp_path))
    msg = str(info.value)
    assert "ar_depparse.pt" in msg and "ar_pretrain.pt" in msg
    assert "quote-worker models download" in msg
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(StanzaModelsMissing, match=r"resources\.json"):
        StanzaParser(str(empty))


def test_a_sentence_that_continues_the_one_before_is_kept_with_it() -> None:
    """A sentence-final source phrase after a full stop attributes the sentence before it, and a
    paragraph that opens with a complementizer goes on with the reported speech before it."""
    source = "ارتفع عدد الضحايا إلى عشرة في القرية. وفق ما أفادت مصادر طبية.\nوانخفض الطلب."
    regions = candidate_regions(source)
    assert [source[s:e] for s, e in regions] == [
        "ارتفع عدد الضحايا إلى عشرة في القرية. وفق ما أفادت مصادر طبية."
    ]
    reported = (
        "وأشار المدير إلى أن المشروع يسير وفق الخطة.\nوأن المرحلة الثانية تبدأ في الربيع.\nوانخفض الطلب."
    )
    assert [reported[s:e] for s, e in candidate_regions(reported)] == [reported[: reported.index("\nوانخفض")]]


def test_a_clause_with_bi_anna_and_the_verb_abana_are_candidates() -> None:
    """``بأن`` opens the content of speech or belief after a noun cue as after a verb, and أبان (like
    بيّن) is a cue verb the stem pattern must find."""
    noun = "ورفضت الحكومة اتهامات من المعارضة بأنها تساهلت مع المهربين."
    assert candidate_regions(noun) == [(0, len(noun))]
    assert CUE_WORD_RE.fullmatch("وأبان") and CUE_WORD_RE.fullmatch("أبانت")
