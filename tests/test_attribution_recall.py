"""Quote recall: cue shapes the rules used to pass over, one kind at a time, on sentences written for
these tests (issue 16, third round)."""

from __future__ import annotations

from rules_extractor import rules, speakers_and_texts


# --- belief verbs: active after a subject pronoun or in the past, passive with no subject ----------
def test_a_belief_verb_after_a_subject_pronoun_is_its_speakers() -> None:
    for opening in ("لكنه يعتقد", "وهو يرى", "لكنه يتوقع"):
        text = f"قال المدرب سمير خالد إنه سعيد بالأداء. {opening} أن الفريق سيفوز في المباراة المقبلة."
        assert ("سمير خالد", "الفريق سيفوز في المباراة المقبلة") in speakers_and_texts(text), opening


def test_a_past_belief_verb_with_waw_continues_the_speaker() -> None:
    text = "وأضاف الوزير كمال ناصر أن الدعم سينخفض. وتوقع أن ينخفض الاستهلاك بنسبة خمسة في المئة."
    assert ("كمال ناصر", "ينخفض الاستهلاك بنسبة خمسة في المئة") in speakers_and_texts(text)
    text = "نشرت الهيئة تقريرها السنوي، لكنها توقعت أن يتراجع إنتاج القمح هذا العام."
    assert [t for _, t in speakers_and_texts(text)] == ["يتراجع إنتاج القمح هذا العام"]


def test_a_present_belief_verb_with_no_subject_is_the_passive() -> None:
    for text in (
        "وصل عدد الزوار إلى مليون، ويتوقع أن يرتفع العدد في الصيف المقبل.",
        "سقط المبنى أمس. ويعتقد أن الحريق بدأ في الطابق الأول.",
        "وصل المدرب سمير خالد أمس، ولكن يعتقد أن الفريق سيغيب عن البطولة.",
    ):
        assert speakers_and_texts(text) == [], text


def test_a_past_belief_verb_whose_complementizer_follows_a_comma_opens_nothing() -> None:
    text = "وتوقعوا نهاية قريبة للفريق، كيف لا وهو يجبر الخصوم على أن يقفوا متفرجين."
    assert speakers_and_texts(text) == []


def test_a_plural_pronoun_believes_only_after_a_plural_speaker() -> None:
    text = "يعيش أتباع الطائفة في القرى الجبلية منذ قرون، فهم يرون أن الجبال تحميهم من الغزاة."
    assert speakers_and_texts(text) == []


# --- quoted fragments: past verbs that open with ت, adverbial nouns with ب -------------------------
def test_a_fragment_after_a_past_verb_that_opens_with_ta_has_its_subject() -> None:
    text = 'وتعهدت الوزارة الثلاثاء بالرد بشكل "حازم" على أي اعتداء.'
    assert speakers_and_texts(text) == [("الوزارة", "حازم")]
    text = 'وتعهد قائد الشرطة أمس برد "قاس" على المهربين.'
    assert speakers_and_texts(text) == [("قائد الشرطة", "قاس")]


# --- a quotation that opens the content and closes before a comma --------------------------------
def test_the_journalists_words_after_a_closed_quotation_and_a_comma_are_no_content() -> None:
    text = 'وقال الوزير سالم حداد إن "جميع الفرق في حالة تأهب"، ونشرت البلدية فرقا قرب الموقع.'
    assert speakers_and_texts(text) == [("سالم حداد", "جميع الفرق في حالة تأهب")]
    text = 'ووصف الوزير سالم حداد القرار بأنه "خطوة متسرعة"، متسببا بأزمة جديدة مع الجيران.'
    assert [t for _, t in speakers_and_texts(text)] == ["خطوة متسرعة"]


def test_a_quotation_the_clause_goes_on_about_keeps_the_clause() -> None:
    # one word: a name the clause is about
    text = 'وقالت هيئة الأرصاد إن "ليلى"، وهي العاصفة الثالثة هذا العام، ستصل إلى الساحل مساء الأحد.'
    (q,) = rules().extract(text)
    assert q.text.startswith('ليلى"') and q.text.endswith("مساء الأحد")
    # another quotation after the parenthesis: the speaker's words go on
    text = 'وحذر الوزير سالم حداد من أن "المرحلة المقبلة"، إن فشلت المفاوضات، ستكون "صعبة على الجميع".'
    (q,) = rules().extract(text)
    assert q.text.endswith('"صعبة على الجميع"')


# --- quotations that are names: signed things, things named with باسم ------------------------------
def test_a_quotation_after_signed_or_named_is_no_quote() -> None:
    for text, name in (
        ('ووقع الرئيس سالم حداد أمس اتفاقية "السلام الدائم" مع الجيران.', "السلام الدائم"),
        ('وأعلن الحزب تشكيل تحالف جديد باسم "الوفاق الوطني" يضم ثلاث قوائم.', "الوفاق الوطني"),
        ('وأكد الناطق الرسمي باسم "غرفة العمليات" أن الجولة انتهت.', "غرفة العمليات"),
    ):
        assert name not in [t for _, t in speakers_and_texts(text)], text


def test_a_quotation_after_his_name_withheld_is_his() -> None:
    text = 'وقال المسؤول الذي طلب عدم نشر اسمه "الجولة المقبلة ستكون حاسمة".'
    assert [t for _, t in speakers_and_texts(text)] == ["الجولة المقبلة ستكون حاسمة"]


def test_a_describing_verbs_ba_may_stand_inside_the_quotation_marks() -> None:
    text = 'ووصف الوزير سالم حداد الخطة "بالمتسرعة" وغادر القاعة.'
    assert speakers_and_texts(text) == [("سالم حداد", "بالمتسرعة")]


# --- a sentence-final source phrase whose verb names no source: the sentence's subject speaks -----
def test_a_clause_final_source_phrase_with_no_source_is_the_subjects() -> None:
    text = "تلقت الهيئة الوطنية للانتخابات، الأحد، طلبات الترشح من عشرة أحزاب، وذلك حسبما أعلنت في بيان."
    content = "تلقت الهيئة الوطنية للانتخابات، الأحد، طلبات الترشح من عشرة أحزاب"
    assert speakers_and_texts(text) == [("الهيئة الوطنية للانتخابات", content)]


def test_a_clause_final_source_phrase_with_a_source_after_a_time_is_not_the_subjects() -> None:
    text = "ألقت الشرطة القبض على ثلاثة أشخاص في المدينة، حسبما أعلنت الثلاثاء النيابة العامة."
    assert all(speaker != "الشرطة" for speaker, _ in speakers_and_texts(text))


# --- headline labels: a topic before the colon is nobody, a people's label or a family name is ----
def test_a_topic_label_before_a_headline_colon_is_no_source() -> None:
    for label in ("قضية الطالب المفقود", "قمة العواصم الثلاث", "مباريات الدور الأول"):
        text = f"{label}: الحكومة تعلن نتائج التحقيق في الأسبوع المقبل\n\nنشرت الوزارة بيانا قصيرا."
        assert speakers_and_texts(text) == [], label


def test_a_label_of_people_before_a_headline_colon_is_a_source() -> None:
    text = "ناشطون سوريون: لن نغادر المدينة قبل رفع الحصار عنها\n\nنشرت الوزارة بيانا قصيرا."
    assert [t for _, t in speakers_and_texts(text)] == ["لن نغادر المدينة قبل رفع الحصار عنها"]


def test_an_outlets_colon_tag_with_a_subtitle_is_no_source() -> None:
    text = (
        "ريبورتاج - الأردن: حملة شعبية لمساعدة النازحين العالقين على الحدود\n\nتنظم في البلاد حملة مساعدات."
    )
    assert speakers_and_texts(text) == []


# --- a feminine participle inside the content is a noun or a predicate, not a new attribution -------
def test_a_feminine_participle_with_no_opener_stays_in_the_content() -> None:
    for inner in ("الوزارة مطالبة بتوفير الأدوية للمرضى", "الشركة وقعت مذكرة تعاون مع البلدية"):
        text = f"وقال المتحدث سامر عادل إن {inner}."
        assert ("سامر عادل", inner) in speakers_and_texts(text), inner


def test_a_feminine_participle_before_its_complementizer_still_opens_an_attribution() -> None:
    text = "وقالت الوزيرة هالة سمير إن الموازنة جاهزة مشيرة إلى أن البرلمان سيناقشها غدا."
    found = speakers_and_texts(text)
    assert ("هالة سمير", "الموازنة جاهزة") in found
    assert ("هالة سمير", "البرلمان سيناقشها غدا") in found


def test_a_feminine_participle_before_its_complementizer_four_words_on_opens_an_attribution() -> None:
    text = 'وأعلنت الهيئة أن "لا أحد يربح من الإغلاق" معربة عن الأمل في أن تنتهي الأزمة قريبا.'
    assert [t for _, t in speakers_and_texts(text)] == ["لا أحد يربح من الإغلاق", "تنتهي الأزمة قريبا"]


# --- a label with ل attached before a colon is a list's category, nobody's words ------------------
def test_a_line_up_label_with_li_is_no_source() -> None:
    text = (
        "المنتخب يعلن قائمته\n\nأعلن المدرب قائمة اللاعبين.\n"
        "- للمرمى: سامر خليل (النادي الأهلي) وكريم ناصر (نادي الشباب)\n"
        "- للهجوم: عادل فهمي (نادي الوحدة) وماهر سليم (نادي النصر)\n"
    )
    assert speakers_and_texts(text) == []


# --- fragments after verbs that are no cue: حث، توعد (data/fragment_only_verbs.txt) ---------------
def test_a_fragment_after_an_urging_or_threatening_verb_is_its_subjects() -> None:
    text = 'وحث وزير الخارجية سامي فهمي الحكومة على "التحرك سريعا" لحل الأزمة.'
    assert ("سامي فهمي", "التحرك سريعا") in speakers_and_texts(text)
    text = 'وكان المدرب كمال ناصر قد توعد بـ"رد قاس" على الخسارة.'
    assert ("كمال ناصر", "رد قاس") in speakers_and_texts(text)


def test_the_object_of_an_urging_verb_is_not_the_speaker_of_its_fragment() -> None:
    text = 'ووصل البابا إلى المدينة أمس. وحث السكان على الابتعاد عن "طريق الخوف".'
    assert all(speaker != "السكان" for speaker, _ in speakers_and_texts(text))


# --- a speech noun after a preposition with its subject as genitive (data/noun_cues.tsv) ----------
def test_a_speech_noun_after_a_preposition_cues_its_genitive_subject() -> None:
    text = "وجاء القرار بعد أيام من تصريح الوزير سامي فهمي بأن الحكومة ستدعم المزارعين."
    assert ("سامي فهمي", "الحكومة ستدعم المزارعين") in speakers_and_texts(text)


def test_a_speech_noun_that_is_the_sentence_subject_or_takes_an_object_cues_nothing() -> None:
    for text in (
        "إعلان الوزير سامي فهمي أن الحكومة ستدعم المزارعين كان مفاجأة للجميع.",
        "غادر الوزير بعد إعلان استقالته وسط اتهامات بأنه أخفى الأرقام.",
    ):
        assert speakers_and_texts(text) == [], text


def test_a_speech_noun_leaves_a_later_participle_to_the_sentence_subject() -> None:
    text = 'وجاءت تغريدة السفير كمال ناصر بعد إعلان الرئيس أنه سيفرض رسوما، قائلا إن "الشركات ستتضرر".'
    assert ("كمال ناصر", "الشركات ستتضرر") in speakers_and_texts(text)


def test_a_feminine_participle_after_a_closing_mark_still_ends_the_content() -> None:
    text = 'وأفادت الوزارة أنه تم العثور على عبوة تحوي "مادة سامة" مؤكدة عدم وقوع إصابات.'
    found = [t for speaker, t in speakers_and_texts(text) if speaker == "الوزارة"]
    assert found and found[0].startswith("تم العثور على عبوة") and "مؤكدة" not in found[0]
