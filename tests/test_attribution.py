"""Unit tests of the extraction core, one guideline shape at a time, on sentences written for these
tests; and the accuracy floor on the shared dev set (skipped where ../shared is absent)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from rules_extractor import only, rules, speaker_name
from shared_data import DEV, DEV_ADDED, SMALL_MODEL, needs

from worker.attribution.marks import find_quoted
from worker.extractor import Extractor
from worker.lexicon import CUE_FORMS
from worker.scoring import score
from worker.text import fold, tokenize


# --- normalisation and lexicon ---------------------------------------------------------------------
def test_fold_unifies_spellings_and_tokens_keep_offsets() -> None:
    text = "وقـــالَ الوزيرُ إنّ الأمرَ انتهى"
    for tok in tokenize(text):
        assert text[tok.start : tok.end] == text[tok.start : tok.end].strip()
        assert tok.fold == fold(text[tok.start : tok.end])
    assert fold("أكّد") == fold("اكد") == "اكد"
    assert fold("إلى") == "الي"


@pytest.mark.parametrize(
    ("word", "lemma", "kind"),
    [
        ("وقالت", "قال", "verb"),
        ("فأوضحوا", "أوضح", "verb"),
        ("سيؤكد", "أكد", "verb"),
        ("وتقول", "قال", "verb"),
        ("مشيراً", "أشار", "participle"),
        ("مضيفة", "أضاف", "participle"),
        ("وبحسب", "بحسب", "source"),
        ("نقلا", "نقلا", "source"),
    ],
)
def test_cue_inflections(word: str, lemma: str, kind: str) -> None:
    cue = CUE_FORMS[fold(word)]
    assert (cue.lemma, cue.kind) == (lemma, kind)


# --- quotation marks -------------------------------------------------------------------------------
def test_marks_pair_across_paragraphs_and_keep_nested_marks() -> None:
    text = "قال: «الجملة الأولى\n«والثانية فيها «اسم» أيضا» انتهى"
    (q,) = find_quoted(text)
    assert text[q.start : q.end] == "الجملة الأولى\n«والثانية فيها «اسم» أيضا"


def test_unclosed_quote_ends_with_its_paragraph() -> None:
    text = 'وقال الوزير: "سنبدأ غدا\nوفي خبر آخر ارتفعت الأسعار.'
    q = only(text)
    assert q.text == "سنبدأ غدا"
    assert q.type == "direct"


# --- the shapes of the guidelines ------------------------------------------------------------------
def test_direct_with_colon_after_the_cue() -> None:
    q = only('وقال وزير الطاقة سامي العلي: "سنرفع الإنتاج الشهر المقبل".')
    assert (q.type, q.text, q.cue.text) == ("direct", "سنرفع الإنتاج الشهر المقبل", "وقال")
    assert q.speaker.name == "سامي العلي"
    assert q.speaker.title == "وزير الطاقة"
    assert q.speaker.mention == "وزير الطاقة سامي العلي"


def test_direct_with_the_cue_after_the_quote() -> None:
    q = only("«لن نقبل بهذه الشروط»، قالت النائبة هدى سليم.")
    assert (q.type, q.text) == ("direct", "لن نقبل بهذه الشروط")
    assert q.speaker.name == "هدى سليم"


def test_indirect_after_inna_ends_before_a_new_attribution() -> None:
    text = "وأكد المتحدث باسم الشركة رامي نادر أن الأرباح ارتفعت بنسبة كبيرة، مشيرا إلى أن التوسع سيستمر."
    first, second = rules().extract(text)
    assert (first.type, first.text) == ("indirect", "الأرباح ارتفعت بنسبة كبيرة")
    assert first.speaker.name == "رامي نادر"
    assert (second.cue.text, second.text) == ("مشيرا", "التوسع سيستمر")
    assert second.speaker.mention is None and second.speaker.entity_id == first.speaker.entity_id


def test_mixed_quote() -> None:
    q = only('وأكد الرئيس أن المحادثات كانت "صريحة ومثمرة" رغم الخلافات.')
    assert q.type == "mixed"
    assert q.text.startswith("المحادثات كانت")


def test_implicit_speaker_resolves_to_the_last_one_agreeing_in_gender() -> None:
    text = (
        "قالت الوزيرة منى حداد إن الخطة جاهزة. وقال المحلل كريم يوسف إن التنفيذ سيتأخر. "
        "وأضافت أن التمويل مضمون."
    )
    quotes = rules().extract(text)
    assert [speaker_name(q) for q in quotes] == ["منى حداد", "كريم يوسف", "منى حداد"]


def test_source_phrase_first_and_last() -> None:
    first = only("وبحسب وزارة الصحة، فإن عدد الحالات تراجع هذا الأسبوع.")
    assert (first.cue.text, speaker_name(first)) == ("وبحسب", "وزارة الصحة")
    assert first.text.startswith("عدد الحالات")  # after the complementizer, as after any cue (GUIDELINES)
    last = only("وارتفع عدد الزوار إلى مليون زائر هذا العام، وفقا للهيئة العامة للسياحة.")
    assert speaker_name(last) == "الهيئة العامة للسياحة"
    assert last.text.startswith("وارتفع عدد الزوار")


def test_headline_source_statement() -> None:
    q = only("الكرملين: لا نية لعقد قمة جديدة هذا الشهر\n\nنص الخبر هنا.")
    assert (q.type, q.cue.text, speaker_name(q)) == ("direct", ":", "الكرملين")
    assert q.speaker.kind == "organization"


def test_guillemets_around_names_are_not_quotes() -> None:
    text = "أعلنت شركة «الواحة» عن خطة جديدة، ونشر موقع «الأخبار اليوم» تقريرا عن حكومة «المدينة»."
    assert rules().extract(text) == []


def test_cue_with_a_noun_object_is_not_a_quote() -> None:
    assert rules().extract("أعرب الوزير عن ارتياحه للنتائج، ونفى الاتهامات الموجهة إليه.") == []


def test_mentions_of_one_person_are_linked_to_the_full_name() -> None:
    text = (
        "وقال الرئيس الروسي فلاديمير بوتين إن المفاوضات مستمرة. "
        "وأضاف بوتين أن الاتفاق ممكن. وأكد الرئيس الروسي أن الجيش مستعد."
    )
    quotes = rules().extract(text)
    assert [q.speaker.name for q in quotes] == ["فلاديمير بوتين"] * 3
    assert len({q.speaker.entity_id for q in quotes}) == 1


def test_title_apposition_after_a_comma_completes_the_speaker() -> None:
    q = only("وقال المتحدث باسم الوزارة، سامر خليل، إن القرار نهائي.")
    assert q.speaker.name == "سامر خليل"


def test_kinship_mention_is_a_person_of_its_own() -> None:
    q = only("وقال والد الطالبة إن ابنته بخير.")
    assert speaker_name(q) == "والد الطالبة"


def test_text_without_arabic_or_cues_is_fast_and_empty() -> None:
    assert rules().extract("The minister said nothing new. " * 2000) == []
    assert rules().extract("") == []


def test_title_quotes_are_reported_with_their_field_and_linked_to_the_body() -> None:
    quotes = rules().extract_article(
        "وقالت وزيرة الثقافة ريم عادل إن المهرجان سيقام في موعده.", title="عادل: المهرجان في موعده"
    )
    assert [q.field for q in quotes] == ["title", "text"]
    assert quotes[0].speaker.name == "ريم عادل" == quotes[1].speaker.name
    assert quotes[0].speaker.entity_id == quotes[1].speaker.entity_id


# --- the dev set -----------------------------------------------------------------------------------
def _dev_scores(extractor: Extractor, only: set[str] | None = None) -> dict:
    """Scores on dev (or on the articles of ``only``, ids)."""
    from worker.records import quote_record

    gold = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    if only is not None:
        gold = [a for a in gold if a["id"] in only]
        assert len(gold) == len(only), "every listed id is a dev article"
    preds = [
        quote_record(a["id"], q, extractor.version, extractor.backend_name)
        for a, quotes in zip(gold, extractor.extract_articles([(a["text"], None) for a in gold]), strict=True)
        for q in quotes
    ]
    return score(gold, preds)


@needs(DEV)
def test_dev_accuracy_floor_rules() -> None:
    """At IoU ≥ 0.5, rules backend, on the dev set. On the 71-article set issue 11 ended at quote F1
    0.951, attributed 0.898; the set grew to 119 articles in December 2026 (48 unseen articles), where
    the same code measured 0.924 and 0.811; issue 16's first round (entity model, name tagger, learned
    cues) measured 0.927 and 0.839; its second round (kinds read on the corpus, quoted fragments)
    0.931 and 0.853; its third round (kinds read on the corpus by seven helpers) 0.937 and 0.859
    (asserted less 0.01)."""
    res = _dev_scores(rules())["iou>=0.5"]
    assert res["quote"]["f1"] >= 0.927, res
    assert res["attributed"]["f1"] >= 0.849, res


@needs(DEV)
@needs(DEV_ADDED)
def test_dev_accuracy_floor_on_the_articles_added_in_december() -> None:
    """The 48 articles added to dev in December 2026 alone, rules backend, IoU ≥ 0.5: read unseen by
    issue 11's code (quote F1 0.885, attributed 0.680); after issue 16's first round 0.888 and 0.741,
    after its second 0.896 and 0.764, after its third 0.904 and 0.776 (asserted less 0.01). The issue's
    goal here is attributed F1 0.85."""
    added = set(DEV_ADDED.read_text(encoding="utf-8").split())
    res = _dev_scores(rules(), only=added)["iou>=0.5"]
    assert res["quote"]["f1"] >= 0.894, res
    assert res["attributed"]["f1"] >= 0.766, res


@pytest.mark.stanza
@needs(DEV)
@needs(SMALL_MODEL)
@pytest.mark.timeout(600)
def test_stanza_backend_extracts_and_scores_on_dev() -> None:
    pytest.importorskip("stanza", reason="stanza is not installed (pip install '.[stanza]')")
    os.environ.setdefault("QUOTE_WORKER_TORCH_THREADS", "1")
    extractor = Extractor("stanza", stanza_models=str(SMALL_MODEL))
    assert extractor.backend_name == "stanza"
    q = extractor.extract('وقال الرئيس الروسي فلاديمير بوتين: "الفكرة صحيحة".')
    assert [(x.text, x.speaker.name) for x in q] == [("الفكرة صحيحة", "فلاديمير بوتين")]
    # measured on the 119-article dev set with the small model: quote F1 0.938, attributed F1 0.856
    res = _dev_scores(extractor)["iou>=0.5"]
    assert res["quote"]["f1"] >= 0.928, res
    assert res["attributed"]["f1"] >= 0.846, res


def test_cue_verbs_outside_the_quick_pattern_are_read() -> None:
    q = only("وأفادت وكالة الأنباء الوطنية (وان) بأن الوفد وصل صباحا.")
    assert (q.cue.text, speaker_name(q)) == ("وأفادت", "وكالة الأنباء الوطنية")


def test_the_name_ali_is_not_the_preposition_ala() -> None:
    q = only("وقال مدير المستشفى الدكتور علي حسن في حديث لقناة محلية إن الوضع مستقر.")
    assert q.speaker.name == "علي حسن"


def test_a_report_speaks_for_its_issuer() -> None:
    q = only("وكشف تقرير للأمم المتحدة أن عدد اللاجئين تضاعف.")
    assert (q.speaker.mention, q.speaker.name, q.speaker.kind) == (
        "تقرير للأمم المتحدة",
        "الأمم المتحدة",
        "organization",
    )


def test_a_whole_quote_before_a_source_phrase_is_direct() -> None:
    q = only('"نحن مستعدون للحوار"، بحسب ما قاله الرئيس.')
    assert (q.type, q.text, q.cue.text) == ("direct", "نحن مستعدون للحوار", "بحسب")


def test_titles_with_organisations_and_general_offices_keep_the_name() -> None:
    first, second = rules().extract(
        "وقال رئيس النقابة عادل الشامي إن الإضراب انتهى. "
        "وأكد المدير العام لهيئة الموانئ فؤاد الزين أن السفن ستعود."
    )
    assert (first.speaker.name, first.speaker.title) == ("عادل الشامي", "رئيس النقابة")
    assert (second.speaker.name, second.speaker.title) == ("فؤاد الزين", "المدير العام لهيئة الموانئ")


def test_a_quote_that_runs_on_over_paragraphs_with_straight_marks_is_one_quote() -> None:
    q = only('وقال الرئيس: "سنواصل العمل.\n\n"ولن نتوقف حتى نحقق أهدافنا".')
    assert q.text == 'سنواصل العمل.\n\n"ولن نتوقف حتى نحقق أهدافنا'


def test_empty_quotation_marks_give_no_quote() -> None:
    assert rules().extract("„ “ قال الرئيس") == []


def test_content_ends_where_a_known_speaker_starts_a_new_clause() -> None:
    quotes = rules().extract(
        "وقال الوزير خالد ناصر إن الحكومة لن تتراجع. وأكد أن بلاده لن تدخل أي صراع، ودافع ناصر عن القرار."
    )
    assert quotes[-1].text == "بلاده لن تدخل أي صراع"


def test_a_quoted_name_after_a_title_or_organisation_is_not_content() -> None:
    assert rules().extract('فيما أكدت مراسلة "قناة الأفق" عن سقوط ضحايا في الحادث.') == []


def test_source_phrase_without_a_comma_before_fa_inna() -> None:
    q = only("وبحسب وزير المالية فإن العجز سينخفض العام المقبل.")
    assert (q.cue.text, q.speaker.mention) == ("وبحسب", "وزير المالية")
    assert q.text.startswith("العجز سينخفض")


@pytest.mark.parametrize("verb", ["وأوردت", "وجزمت"])
def test_more_reporting_verbs(verb: str) -> None:
    q = only(f"{verb} وكالة الأنباء الرسمية أن الرئيس سيزور المنطقة.")
    assert speaker_name(q) == "وكالة الأنباء الرسمية"


def test_a_foreign_first_name_ending_in_ha_is_a_name() -> None:
    q = only("قال ديدييه لامبير مدرب المنتخب إن الهزيمة درس مفيد.")
    assert q.speaker.name == "ديدييه لامبير"


def test_first_person_verbs_are_not_cues() -> None:
    assert (
        rules().extract("وفي بعض الأحيان تحدث العثرات، أرى أن هذه الهزيمة درس. ونعتقد أن الفريق سيعود.") == []
    )


def test_a_generic_noun_is_the_named_body_it_stands_for() -> None:
    text = (
        "وقالت وزارة الصحة المصرية إن عدد الإصابات تراجع. "
        "وأضافت الوزارة أن الحملة مستمرة. وأوضح البيان أن اللقاحات متوفرة."
    )
    quotes = rules().extract(text)
    assert [q.speaker.name for q in quotes] == ["وزارة الصحة المصرية"] * 3
    assert len({q.speaker.entity_id for q in quotes}) == 1


def test_a_cue_verb_after_a_connector_opens_its_own_clause() -> None:
    text = "وتعهدت الشركة بتحمل تكلفة الفنادق، لكنها أشارت إلى أن هناك عجزا في الغرف."
    q = only(text)
    assert q.cue.text == "أشارت"
    assert q.text == "هناك عجزا في الغرف"


def test_content_ends_before_a_connector_that_opens_a_new_attribution() -> None:
    text = "وقال الوزير إن الاتفاق قريب، لكن المعارضين قالوا إن الطريق طويل."
    assert [q.text for q in rules().extract(text)] == ["الاتفاق قريب", "الطريق طويل"]


def test_content_ends_before_the_journalists_aside() -> None:
    q = only("وقال المدرب إن الفريق مستعد للمباراة، دون ذكر أسماء اللاعبين.")
    assert q.text == "الفريق مستعد للمباراة"


def test_a_complementizer_after_a_colon_is_not_content() -> None:
    q = only("وقال المدرب: إن الفريق مستعد للمباراة.")
    assert q.text == "الفريق مستعد للمباراة"


def test_impersonal_formulas_and_location_tags_are_not_quotes() -> None:
    assert rules().extract("يذكر أن المشروع بدأ قبل عامين.") == []
    assert rules().extract("ويشار إلى أن المشروع بدأ قبل عامين.") == []
    assert rules().extract("القاهرة: افتتاح معرض الكتاب بمشاركة واسعة\n\nنص الخبر.") == []
    assert rules().extract("للمزيد: افتتاح معرض الكتاب بمشاركة واسعة\n\nنص الخبر.") == []


def test_the_subject_between_kana_and_qad_speaks() -> None:
    q = only("وكان أردوغان قد صرح بأن بلاده لن تتراجع.")
    assert speaker_name(q) == "أردوغان"


def test_the_addressee_after_the_verb_is_not_the_speaker() -> None:
    q = only("وقال لنا سامر خليل إن القرار نهائي.")
    assert q.speaker.name == "سامر خليل"


def test_an_indefinite_office_with_an_adjective_is_an_unnamed_source() -> None:
    q = only('وقال قائد عسكري "انتهت المفاوضات".')
    assert speaker_name(q) == "قائد عسكري"
    assert q.speaker.kind == "anonymous"


def test_a_titled_name_in_running_text_does_not_run_into_the_verb() -> None:
    text = (
        "وانتقد رئيس الحكومة الكندية جاستن ترودو تذرع جاره بالأمن القومي. "
        'وقال ترودو إن بلاده ستفرض رسوما. وأضاف ترودو "لن نتراجع".'
    )
    assert {q.speaker.name for q in rules().extract(text)} == {"جاستن ترودو"}


def test_the_extractors_lexicon_decides(tmp_path: Path) -> None:
    """``Extractor(lexicon=DIR)`` (``--lexicon DIR``): the rules read that folder's words, not the
    shipped ones: a speech verb and a title added there are cues and titles here."""
    import shutil

    from worker.lexicon import DEFAULT_DIR

    folder = tmp_path / "lexicon"
    shutil.copytree(DEFAULT_DIR, folder)
    with (folder / "speech_verbs.tsv").open("a", encoding="utf-8") as fh:
        fh.write("همس\tيهمس\n")
    with (folder / "title_heads.txt").open("a", encoding="utf-8") as fh:
        fh.write("المايسترو\n")
    text = "وهمس المايسترو سامر خليل بأن الحفل سيبدأ قريبا."
    assert rules().extract(text) == []
    q = Extractor("rules", lexicon=folder).extract(text)
    assert [(x.text, x.cue.text, x.speaker.name, x.speaker.title) for x in q] == [
        ("الحفل سيبدأ قريبا", "وهمس", "سامر خليل", "المايسترو")
    ]


def test_mined_name_statistics_end_a_name_and_find_where_it_starts() -> None:
    # ترودو mostly ends names in the corpus: the next word, seen in no name, is not part of it
    q = only("وأجرى رئيس الوزراء الكندي جاستن ترودو حوارا قال فيه إن بلاده ستفرض رسوما.")
    assert q.speaker.name == "جاستن ترودو"
    # the title runs on over words that are no names up to a given name (أحمد)
    q = only("وقال مدير مشروع الطرد الخيري أحمد سامر خليل إن الحملة مستمرة.")
    assert q.speaker.name == "أحمد سامر خليل"


def test_a_source_phrase_after_the_clause_with_its_own_verb_or_a_long_source() -> None:
    q = only("وتقدمت القوات في المدينة بعد معارك عنيفة، حسبما قال المرصد السوري.")
    assert (q.text, q.cue.text, speaker_name(q)) == (
        "وتقدمت القوات في المدينة بعد معارك عنيفة",
        "حسبما",
        "المرصد السوري",
    )
    q = only("وهبطت الطائرة إلى ثلاثة آلاف متر في دقائق، وفقا للبيانات التي يوفرها جهاز الرادار.")
    assert q.text == "وهبطت الطائرة إلى ثلاثة آلاف متر في دقائق"


def test_content_ends_before_but_with_a_new_titled_subject() -> None:
    q = only("وقالت الشرطة إنها تدرس كل الاحتمالات، لكن وزير الخارجية ألمح إلى جهة بعينها.")
    assert q.text == "تدرس كل الاحتمالات"
    q = only("وقال المدرب إن الفريق كان قويا، لكن بعدها تراجع مستواه كثيرا.")
    assert q.text == "الفريق كان قويا، لكن بعدها تراجع مستواه كثيرا"


def test_an_existential_particle_is_not_part_of_the_speaker() -> None:
    q = only("وثمة خبراء يرون أن الأسعار سترتفع.")
    assert speaker_name(q) == "خبراء"


def test_the_relaying_medium_is_not_the_speaker() -> None:
    q = only("وذكرت صحيفة محلية نقلا عن مسؤول حكومي أن الاتفاق قريب.")
    assert speaker_name(q) == "مسؤول حكومي"


def test_list_ordinals_before_a_colon_are_labels() -> None:
    text = (
        "وأسفرت الإجراءات عن النتائج التالية:\n"
        "أولاً: اتضح أن المنفذ دخل من الباب الخلفي\n"
        "ثانياً: نتج عن الحادث عدد من الإصابات"
    )
    assert rules().extract(text) == []


def test_a_feminine_implicit_cue_refers_to_the_subject_of_the_feminine_verb_before_it() -> None:
    text = (
        "وقال المحلل كريم يوسف إن السوق هادئة. "
        "وتقدمت شركة نوفا بشكوى إلى المحكمة. وأشارت إلى أن الخسائر كبيرة."
    )
    quotes = rules().extract(text)
    assert [speaker_name(q) for q in quotes] == ["كريم يوسف", "شركة نوفا"]
    quotes = rules().extract(
        "وقال المحلل كريم يوسف إن السوق هادئة. وتطالب نقابة الأطباء، منذ أشهر، بزيادة الأجور. "
        "وأكدت أن الإضراب مستمر."
    )
    assert [speaker_name(q) for q in quotes] == ["كريم يوسف", "نقابة الأطباء"]


def test_a_participle_describes_the_subject_of_the_verb_opening_its_sentence() -> None:
    quotes = rules().extract(
        "قال المحلل سامي ناصر إن السوق هادئة. واكتفى مجلس المدينة بإغلاق السوق، مؤكدا أن الوضع خطير."
    )
    assert [speaker_name(q) for q in quotes] == ["سامي ناصر", "مجلس المدينة"]
