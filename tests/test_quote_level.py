"""Which quotes are found and where their content starts and ends (issue 11, quote level).

Synthetic sentences written for these tests, one shape of Arabic news text each."""

from __future__ import annotations

from pathlib import Path

from rules_extractor import only, rules, speaker_name

from worker.extractor import Extractor

# --- a source phrase after the clause ---------------------------------------------------------------


def test_source_phrase_after_wa_dhalika_attributes_the_clause_before() -> None:
    q = only("وتراجعت صادرات القمح بنسبة عشرة في المئة هذا العام، وذلك حسبما قال المكتب الوطني للإحصاء.")
    assert q.text == "وتراجعت صادرات القمح بنسبة عشرة في المئة هذا العام"
    assert (q.cue.text, speaker_name(q)) == ("حسبما", "المكتب الوطني للإحصاء")


def test_source_phrase_after_a_closing_quote_mark_needs_no_comma() -> None:
    q = only('وعاد الحارس إلى عمله لكن حاله "مستقرة وهو يتحدث" بحسب الطبيبة سلمى.')
    assert q.type == "mixed" and q.text.startswith("وعاد الحارس") and q.text.endswith('يتحدث"')


def test_a_description_of_the_source_after_it_does_not_block_it() -> None:
    q = only("وارتفع عدد القتلى إلى عشرين شخصا، بحسب المرصد الوطني للحقوق، ومقره باريس.")
    assert speaker_name(q) == "المرصد الوطني للحقوق"
    assert q.text == "وارتفع عدد القتلى إلى عشرين شخصا"


def test_a_time_after_hasbama_is_not_a_source() -> None:
    # the time is no source; the verb's subject is the sentence's (tests/test_attribution_recall.py)
    q = only("وتسلمت اللجنة الاستقالة رسميا، وذلك حسبما أعلنت الأحد.")
    assert speaker_name(q) == "اللجنة"
    assert q.text == "وتسلمت اللجنة الاستقالة رسميا"


def test_a_dateline_is_no_part_of_the_sentence_after_it() -> None:
    # the place, the outlet in brackets and the dash open the paragraph; the sentence starts after them
    for dateline in ("دبي، الإمارات (وكالة) – ", "الرباط (و م ع) - ", "باريس (أ ف ب)-- "):
        q = only(f"العنوان\n{dateline}ارتفعت أسعار القمح بنسبة عشرة في المئة، بحسب المكتب الوطني للإحصاء.")
        assert q.text == "ارتفعت أسعار القمح بنسبة عشرة في المئة", dateline
        assert speaker_name(q) == "المكتب الوطني للإحصاء"


def test_a_participle_after_a_dateline_takes_the_sentence_subject() -> None:
    q = only("العنوان\nدبي، الإمارات (وكالة) – أدانت الحكومة الهجوم، مؤكدة أنها ستلاحق المنفذين.")
    assert speaker_name(q) == "الحكومة"


def test_amma_puts_the_speaker_first_and_is_no_word_of_its_name() -> None:
    # أما X فـVERB: X is the subject of the verb its ف opens; أما itself names no one
    quotes = rules().extract("وأكد المتحدث أن الهجوم فشل. أما المعارضة فقالت إنها ستواصل القتال.")
    assert [speaker_name(q) for q in quotes] == ["المتحدث", "المعارضة"]
    q = rules().extract("قال سعيد إن الوضع صعب، أما الناطق باسم الجيش فأوضح أن القوات تتقدم.")[-1]
    assert speaker_name(q) == "الناطق باسم الجيش"


def test_a_second_complement_after_the_closing_mark_continues_the_content() -> None:
    # إن "…"، وإن …: the same speaker's clause goes on; with the journalist's words after the comma the
    # content ends at the mark
    q = only('وقال الوزير إن "التقرير غير دقيق"، وإن هناك أخطاء كثيرة فيه.')
    assert q.text.endswith("وإن هناك أخطاء كثيرة فيه")
    q = only('وقال الوزير إن "التقرير غير دقيق"، مرفقا تصريحه بصور للوثائق.')
    assert q.text == "التقرير غير دقيق"


def test_kama_with_a_cue_verb_closing_the_sentence_is_a_source_phrase() -> None:
    q = only("وتخفي القيادة خسائرها في المعارك الأخيرة، كما يقول ضباط سابقون.")
    assert q.text == "وتخفي القيادة خسائرها في المعارك الأخيرة"
    assert (q.cue.text, speaker_name(q)) == ("يقول", "ضباط سابقون")


def test_a_fronted_medium_before_a_cue_verb_with_its_own_subject_only_relays() -> None:
    q = only("وحسب وكالة الأنباء الرسمية، أوضح العقيد سامر نبيل أن المعارك مستمرة في الجبهة الشرقية.")
    assert q.text == "المعارك مستمرة في الجبهة الشرقية"
    assert (q.cue.text, speaker_name(q)) == ("أوضح", "سامر نبيل")


def test_a_fronted_unnamed_source_before_a_cue_verb_stays_the_source() -> None:
    q = only("وبحسب مسؤول أمني بارز، حذر الوزير السفير من أن الحكومة لن تقدم أي تنازلات.")
    assert q.cue.text == "وبحسب"


# --- what is not a quote --------------------------------------------------------------------------


def test_an_after_a_prepositional_conjunction_is_not_reported_speech() -> None:
    text = "ونفى الوزير إصدار أي قرار بشأن الموظفين بالنظر إلى أن اللجنة تسلمت الملفات منذ مدة قصيرة."
    assert rules().extract(text) == []
    assert rules().extract("وأكد المدير التقرير على الرغم من أن الأرقام ناقصة.") == []


def test_a_complementizer_inside_brackets_is_a_word_of_a_name() -> None:
    text = "أعلنت المحكمة تغريم شركة القطارات (دويتشه بان ريجيو) بمبلغ مئتي يورو لمسافرة."
    assert rules().extract(text) == []


def test_a_participle_after_a_preposition_is_a_noun() -> None:
    assert rules().extract('اللاعب يتحدث عن لافتة "النجم الأول" في الملعب') == []


def test_an_inscription_is_nobodys_words() -> None:
    assert rules().extract('ونشر الجيش صورة لطائرة كتب عليها "تحلق فوق المدينة" بعدة لغات.') == []


def test_a_quote_inside_a_clause_is_not_attributed_by_a_cue_after_it() -> None:
    text = 'ينشر المذيع مقاطع من "أخبار الحرية"، ويبلغ عدد متابعيه مليون شخص.'
    assert rules().extract(text) == []
    q = only('"سنعود أقوى في الموسم المقبل"، قال المدرب سامي الحداد.')
    assert speaker_name(q) == "سامي الحداد"


# --- cue verbs with an object pronoun -------------------------------------------------------------


def test_a_verb_of_considering_with_an_object_pronoun_is_a_cue() -> None:
    q = only('وتوسعت المستوطنات في ما يعتبره خبراء "ضما للأراضي".')
    assert (q.type, q.text, speaker_name(q)) == ("direct", "ضما للأراضي", "خبراء")
    q = only("شنت القوات حملة اعتبرتها منظمات حقوقية أنها ترقى إلى جرائم حرب.")
    assert (q.cue.text, q.text) == ("اعتبرتها", "ترقى إلى جرائم حرب")


# --- titles, media and names in quotation marks ---------------------------------------------------


def test_the_title_of_a_work_or_campaign_is_not_a_quote() -> None:
    for text in (
        'وكشف المخرج عن فيلمه الجديد "رحلة الصيف" في المهرجان.',
        'وأعلن المخرج عن فيلمه الجديد "رحلة الصيف".',
        'وزير الصحة يعلن إطلاق حملة "صحتك أولا"\n\nأطلقت الوزارة الحملة أمس.',
        'وأكدت الفنانة مشاركتها في مسلسل "الحارة القديمة" خلال شهر رمضان.',
        'وأعلن الوزير عن إطلاق مبادرة "مدن ذكية" في العاصمة.',
    ):
        assert rules().extract(text) == [], text


def test_the_medium_after_li_is_not_a_quote() -> None:
    assert rules().extract('السفير يكشف لـ"الشرق الأوسط" تفاصيل الاتفاق الجديد\n\nنص الخبر.') == []
    q = only('وقال الوزير لـ"العربية.نت" إن المفاوضات متعثرة.')
    assert (q.text, speaker_name(q)) == ("المفاوضات متعثرة", "الوزير")


def test_the_medium_after_ma_and_a_cue_verb_is_its_subject_not_its_words() -> None:
    # ما is the verb's object: the quotation after the verb names who reported, it is nobody's words
    for text in (
        'ووصلت الشحنة إلى الميناء صباح الأحد بعد رحلة طويلة، وفق ما ذكر موقع "النهار اليوم".',
        'وانطلق الوفد إلى العاصمة بعد ظهر السبت، حسبما أفادت مصادر "قناة الوادي".',
    ):
        assert all(q.text not in ("النهار اليوم", "قناة الوادي") for q in rules().extract(text)), text
    # the medium is the source of the clause before it (its quoted name is its name), and it stays known:
    # a later generic noun takes it up
    first, later = rules().extract(
        'ووقع الرئيسان الاتفاق في قاعة القصر، وفق ما أوردت وكالة الأنباء الوطنية "وانا".\n\n'
        "وذكرت الوكالة أن الوفد وصل إلى العاصمة مساء."
    )
    assert (first.text, speaker_name(first)) == ("ووقع الرئيسان الاتفاق في قاعة القصر", "وانا")
    assert (later.text, later.speaker.entity_id) == ("الوفد وصل إلى العاصمة مساء", first.speaker.entity_id)
    # a verb with a second object keeps it, and a complementizer still opens content
    q = only('وتفاقم ما تعتبره المنظمة "أسوأ أزمة في المنطقة".')
    assert (q.text, speaker_name(q)) == ("أسوأ أزمة في المنطقة", "المنظمة")
    q = only("وهو ما قال الجيش إنه رد على هجوم سابق.")
    assert (q.text, speaker_name(q)) == ("رد على هجوم سابق", "الجيش")
    # a statement is longer than a name, and ما after سرعان is a conjunction, not the object
    q = only('ووافق الطرفان، وفق ما قال مصدر مطلع للصحيفة "على تبادل الأسرى خلال الأسبوع المقبل".')
    assert (q.text, speaker_name(q)) == ("على تبادل الأسرى خلال الأسبوع المقبل", "مصدر مطلع")
    q = only('وسرعان ما علق الوزير سامي الحداد عبر تويتر "أهنئ الفريق".')
    assert (q.text, speaker_name(q)) == ("أهنئ الفريق", "سامي الحداد")


def test_a_quoted_name_as_the_subject_of_a_headline_verb_is_not_a_quote() -> None:
    assert rules().extract('"أرامكو" تعلن نتائجها المالية للربع الأول\n\nأعلنت الشركة نتائجها.') == []


def test_a_quoted_fragment_the_source_uses_stays_a_quote() -> None:
    q = only('وتوقع الوزير سامي الحداد إحراز "تقدم كبير" خلال الاجتماع المقبل.')
    assert (q.type, q.text, q.cue.text) == ("direct", "تقدم كبير", "وتوقع")


# --- where content ends ---------------------------------------------------------------------------


def test_a_wa_cue_verb_with_its_own_opener_ends_the_content_before_it() -> None:
    text = 'وقالت الوزارة إن الوزير التقى نظيره قبل أسبوعين ووصفته بأنه "لقاء مثمر وهام".'
    first, second = rules().extract(text)
    assert first.text == "الوزير التقى نظيره قبل أسبوعين"
    assert (second.type, second.text, second.cue.text) == ("direct", "لقاء مثمر وهام", "ووصفته")
    assert speaker_name(second) == speaker_name(first)


def test_a_connector_of_contrast_before_a_cue_with_its_own_opener_ends_the_content() -> None:
    # لكن / في حين / إلا أن + a cue verb and its complementizer: a second attribution, comma or not
    cases = (
        (
            "وتقول منظمات حقوقية إن التعذيب متبع على نطاق واسع لكن الحكومة تؤكد أنها تحاكم كل من يسيء.",
            ("التعذيب متبع على نطاق واسع", "منظمات حقوقية"),
            ("تحاكم كل من يسيء", "الحكومة"),
        ),
        (
            "وأكدت الوزارة أن الأولوية للحفاظ على الاتفاق في حين اعتبرت المستشارة أن البرنامج مصدر قلق.",
            ("الأولوية للحفاظ على الاتفاق", "الوزارة"),
            ("البرنامج مصدر قلق", "المستشارة"),
        ),
        (
            "ورأى الوزير سامي الحداد أن الخطة قد تنجح، إلا أنه قال إن التمويل غير كاف.",
            ("الخطة قد تنجح", "سامي الحداد"),
            ("التمويل غير كاف", "سامي الحداد"),
        ),
    )
    for text, *expected in cases:
        assert [(q.text, speaker_name(q)) for q in rules().extract(text)] == expected, text
    # a contrast inside the reported clause with no cue of its own stays in it
    q = only("وقال الوزير سامي الحداد إن الخطة صعبة لكن الحكومة ماضية فيها.")
    assert q.text == "الخطة صعبة لكن الحكومة ماضية فيها"


def test_a_label_with_bi_before_a_colon_is_not_a_source() -> None:
    assert rules().extract("بالصور: احتفالات العيد في العاصمة\n\nاحتفل السكان.") == []
    q = only("ترامب في تغريدة: الاتفاق سيوقع قريبا\n\nكتب ترامب تغريدة.")
    assert speaker_name(q) == "ترامب"


def test_a_product_name_is_not_a_quote() -> None:
    assert rules().extract('وأعلنت الشركة عن منتجها الجديد "هاتف النجمة" في مؤتمر صحفي.') == []


def test_the_journalists_background_after_a_comma_ends_the_content() -> None:
    q = only("وقال الوزير إن الاتفاق سيوقع الأسبوع المقبل، وكان الطرفان قد اختلفا على بنود عدة.")
    assert q.text == "الاتفاق سيوقع الأسبوع المقبل"
    q = only("وأشار المدير إلى أن الأسعار سترتفع، ويأتي ذلك بعد قرار البنك المركزي رفع الفائدة.")
    assert q.text == "الأسعار سترتفع"


def test_an_impersonal_formula_after_a_comma_is_nobodys_quote() -> None:
    q = only("وقال المتحدث إن القوات سيطرت على المدينة، يذكر أن المعارك بدأت قبل أسبوع.")
    assert q.text == "القوات سيطرت على المدينة"


# --- cues whose written form is also another word -------------------------------------------------


def test_verbs_of_showing_and_stating_cue_speech_with_a_subject_and_a_complementizer() -> None:
    q = only("وبين التقرير أن الخسائر بلغت مليون دولار.")
    assert (q.cue.text, q.text, speaker_name(q)) == ("وبين", "الخسائر بلغت مليون دولار", "التقرير")
    q = only("ونص القرار على أن الانتخابات ستجري في موعدها.")
    assert (q.cue.text, speaker_name(q)) == ("ونص", "القرار")
    q = only("وأظهرت دراسة حديثة أن التدخين يضر بالقلب.")
    assert (q.cue.text, q.text) == ("وأظهرت", "التدخين يضر بالقلب")


def test_the_other_readings_of_those_words_are_not_cues() -> None:
    assert rules().extract("ويظهر أن الحكومة تتجه إلى التصعيد.") == []  # "it appears"
    assert rules().extract("ووقعت اشتباكات بين الطرفين أن تم الاتفاق.") == []  # "between"
    quotes = rules().extract("وجاء في نص القرار أن الانتخابات ستجري.")  # the noun نص
    assert all(q.cue.text != "نص" for q in quotes)


def test_a_cue_form_that_is_mostly_another_word_takes_no_content_after_an_object() -> None:
    # يبلغ "amounts to", أعاد "brought back", واصل "continued", تقدر "is estimated" (data/weak_cues.tsv)
    for text in (
        'ويبلغ حجم السوق العالمية لهذه التقنية "سلسلة الكتل" نحو عشرة مليارات دولار.',
        'وسبق للشركة أن أعادت طرح الهاتف "نورا 3310"، الذي عرف بصلابته.',
        'ويواصل التحالف الوطني نهج "الحزم والأمل"، الذي طبقه خلال العمليات السابقة.',
        "وكانت قيمة الصفقة تقدر بعشرة ملايين دولار، حيث يتوقع أن تكتمل خلال شهر.",
    ):
        assert rules().extract(text) == [], text


def test_a_cue_form_that_is_mostly_another_word_still_cues_speech_close_to_its_content() -> None:
    # a short subject, a quotation right after the verb, or a person as the subject further on
    q = only("وأعاد الوزير سامي الحداد التأكيد على أن المفاوضات مستمرة.")
    assert (q.cue.text, q.text, speaker_name(q)) == ("وأعاد", "المفاوضات مستمرة", "سامي الحداد")
    q = only('وواصل: "نحن ماضون في هذا الطريق حتى النهاية".')
    assert (q.cue.text, q.text) == ("وواصل", "نحن ماضون في هذا الطريق حتى النهاية")
    q = only('وهدد رئيس الوزراء سامي الحداد، الخميس في العاصمة، المعارضة بأنها "ستدفع ثمن هذا التصعيد".')
    assert (q.cue.text, q.text, speaker_name(q)) == ("وهدد", "ستدفع ثمن هذا التصعيد", "سامي الحداد")


def test_a_clause_final_source_phrase_names_its_source_as_a_speaker_phrase_does() -> None:
    text = "وقرر رئيس النادي شطب اسم اللاعب من القائمة، وذلك وفقا لما قاله خلال مؤتمر صحفي عقده أمس."
    assert all(not (q.speaker.mention or "").startswith("خلال") for q in rules().extract(text))
    q = only("وهبطت الطائرة اضطراريا في المطار، وفقا لبيان أصدرته الشركة.")
    assert q.text == "وهبطت الطائرة اضطراريا في المطار"


def test_a_statement_runs_on_to_a_closing_mark_that_closes_no_quotation() -> None:
    text = (
        'ولفت البيان أن القوات سيطرت على المحطة. وأسفرت الهجمات عن خسائر كبيرة".\nوقال الوزير إن الوضع هادئ.'
    )
    first = rules().extract(text)[0]
    assert first.text.startswith("القوات سيطرت") and first.text.rstrip('"').endswith("خسائر كبيرة")


def test_a_quotation_lead_then_hakadha_and_a_verb_names_its_speaker() -> None:
    q = only('"كان عاما صعبا على الجميع".. هكذا بدأ المدرب سامي الحداد حديثه مع الصحفيين.')
    assert (q.type, q.text, q.cue.text) == ("direct", "كان عاما صعبا على الجميع", "بدأ")
    assert speaker_name(q).startswith("سامي الحداد")
    assert rules().extract("وهكذا بدأ الموسم الجديد في المدينة.") == []


def test_a_document_issued_with_a_colon_speaks_for_its_issuer() -> None:
    q = only('وأصدرت الوزارة بيانا: "لن نسمح بتكرار ما حدث".')
    assert (q.type, q.text, q.cue.text) == ("direct", "لن نسمح بتكرار ما حدث", ":")
    assert speaker_name(q) == "الوزارة"
    q = only("وجاء في نص الرسالة: كانت أعوامي في المدينة هي الأسعد في حياتي.")
    assert (q.cue.text, speaker_name(q)) == ("وجاء", "الرسالة")


def test_speech_in_quotation_marks_after_a_container_or_a_newspaper_stays_a_quote() -> None:
    q = only('وكتب الرئيس على حسابه "سنعيد بناء المدينة من جديد" بعد الزلزال.')
    assert (q.type, q.text) == ("direct", "سنعيد بناء المدينة من جديد")
    q = only('وقال الوزير في تصريحات صحيفة "إن الحدود لم تعد آمنة".')
    assert q.text.endswith("الحدود لم تعد آمنة")


def test_a_source_phrase_inside_the_sentence_does_not_attribute_the_words_before_it() -> None:
    text = "يتعلق الأمر بالنسبة إلى روسيا، وبحسب الباحث مايكل كوفمان، فإن الأمر يتعلق بالنفوذ."
    assert all(not q.text.startswith("يتعلق الأمر بالنسبة") for q in rules().extract(text))


def test_a_describing_cue_with_a_plural_object_pronoun_takes_its_fragment() -> None:
    # ووصفهم / وصفتهم / يصفونهم: the object pronoun of a plural (or dual) object, as وصفه and وصفها
    q = only('وانتقد الوزير سامي العلي المسؤولين عن الميناء، ووصفهم بأنهم "مثل الهواة".')
    assert (q.type, q.text, q.cue.text, speaker_name(q)) == ("direct", "مثل الهواة", "ووصفهم", "سامي العلي")
    q = only('وطاردت الشرطة المحتجين الذين وصفتهم الحكومة بأنهم "مخربون".')
    assert (q.text, q.cue.text, speaker_name(q)) == ("مخربون", "وصفتهم", "الحكومة")


def test_a_word_quoted_after_the_ba_of_a_describing_cue_is_a_fragment_even_with_more_after() -> None:
    q = only('وانتقد المدير كمال يوسف المشروع واصفا إياه بـ"المهزلة" و"المضيعة".')
    assert (q.type, q.text, speaker_name(q)) == ("direct", "المهزلة", "كمال يوسف")
    q = only('وانتقد المدير كمال يوسف ما وصفه بـ"التقصير" في الخدمات.')
    assert (q.text, speaker_name(q)) == ("التقصير", "كمال يوسف")


def test_a_short_quotation_after_ba_is_a_name_after_other_cues_and_after_a_passive_describing_verb() -> None:
    text = 'وقال المدير كمال يوسف إن المصنع الذي يعرف بـ"المجمع" في المدينة تأخر.'
    assert [q.text for q in rules().extract(text)] == ['المصنع الذي يعرف بـ"المجمع" في المدينة تأخر']
    assert rules().extract('ونشر الفريق مقطعا مصورا وصف بـ"الفضيحة" في المدينة.') == []
    assert rules().extract('وردا على وصفه بـ"العجوز" من جانب الرئيس، كتب الوزير رسالة.') == []


def test_a_topic_label_before_a_headline_colon_is_not_a_source() -> None:
    # a common noun of the corpus that heads no title, organisation or source, and a list number
    assert rules().extract("مظاهرات العاصمة: آلاف المحتجين يطالبون بالإصلاح\n\nخرج آلاف المحتجين.") == []
    assert rules().extract("3- التسجيل: يبدأ التسجيل في الأسبوع المقبل\n\nأعلنت الجامعة المواعيد.") == []
    # an unnamed source, an organisation and a name stay sources
    for source in ("مصدر أمني", "وزارة الصحة", "كريم الزعتراني"):
        q = only(f"{source}: لا إصابات جديدة في المدينة\n\nتراجعت الإصابات.")
        assert speaker_name(q) == source


def test_a_date_or_a_clock_time_before_a_colon_is_not_a_source() -> None:
    text = (
        "سيرة اللاعب\n\n- أكتوبر 2009: انتقل اللاعب إلى نادي العاصمة بعقد لثلاث سنوات.\n"
        "د 74: ضربة حرة للفريق الضيف من خارج المنطقة.\n"
        "وبحلول الساعة 09:15 بتوقيت غرينتش ارتفع سعر الخام عشرين سنتا.\n"
    )
    assert rules().extract(text) == []


def test_a_medium_with_its_number_before_a_colon_still_speaks() -> None:
    q = only("قناة 24: الحكومة ستعلن خطة جديدة للنقل العام الأسبوع المقبل")
    assert q.speaker.mention == "قناة 24"


# --- quotation marks ------------------------------------------------------------------------------


def test_a_straight_mark_after_a_sentence_end_reopens_the_same_quotation() -> None:
    """``"A. "B"``: the second mark re-opens, so the paragraph's later quotes and cues are not swallowed
    by a quote left open by the last mark."""
    text = (
        'وقال المدرب سامي ناصر "لعبنا جيدا اليوم. "الفريق يتحسن كل أسبوع". '
        "وقالت إدارة النادي إنها ستجدد عقده في الصيف."
    )
    qs = rules().extract(text)
    assert [q.text for q in qs] == ['لعبنا جيدا اليوم. "الفريق يتحسن كل أسبوع', "ستجدد عقده في الصيف"]


def test_balanced_straight_marks_after_a_sentence_end_still_close() -> None:
    q = only('وقال المدرب سامي ناصر "لعبنا جيدا اليوم. "')
    assert q.text == "لعبنا جيدا اليوم."


# --- على حد تعبيره at the end of content -------------------------------------------------------------


def test_a_closing_ala_hadd_phrase_is_not_content() -> None:
    q = only("وقال الوزير سامي ناصر إن الأوضاع ستتحسن قريبا، على حد تعبيره.")
    assert q.text == "الأوضاع ستتحسن قريبا"


def test_a_closing_ala_hadd_phrase_after_a_quoted_fragment_keeps_the_mark() -> None:
    q = only('وقالت الوزارة إن القصف "غير مقبول"، على حد وصفها.')
    assert q.text == 'القصف "غير مقبول"'


def test_a_parenthetical_ala_hadd_phrase_stays_inside() -> None:
    q = only("وأشار الوزير سامي ناصر إلى أن المباريات، على حد قوله، تحسم في التفاصيل.")
    assert q.text == "المباريات، على حد قوله، تحسم في التفاصيل"


def test_ala_hadd_sawa_is_content() -> None:
    q = only("وقال الوزير سامي ناصر إن المواطنين والمقيمين سيستفيدون، على حد سواء.")
    assert q.text.endswith("على حد سواء")


def test_an_ala_hadd_phrase_with_content_after_it_stays_inside() -> None:
    q = only("وأكد المدرب سامي ناصر أن الفارق بين الفريقين على حد قوله هو الخبرة.")
    assert q.text == "الفارق بين الفريقين على حد قوله هو الخبرة"


# --- verbs of findings: a study or researchers as the source ----------------------------------------


def test_a_study_that_reached_a_finding_is_the_source() -> None:
    q = only("وتوصلت دراسة حديثة إلى أن النوم المبكر يحسن الذاكرة.")
    assert q.text == "النوم المبكر يحسن الذاكرة" and q.cue.text == "وتوصلت"


def test_researchers_who_found_are_the_source() -> None:
    q = only("ووجد الباحثون أن القهوة تقلل خطر الإصابة.")
    assert (q.text, speaker_name(q)) == ("القهوة تقلل خطر الإصابة", "الباحثون")


def test_a_finding_verb_with_an_object_is_no_quote() -> None:
    assert rules().extract("وتوصل الطرفان إلى اتفاق بعد أن اجتمعا أمس.") == []


# --- cue words that are another word here -----------------------------------------------------------


def test_a_banner_with_an_inscription_is_no_participle() -> None:
    text = 'وكان الصحفي سامر يرفع لافتة كتب عليها "لا للحرب" عندما تدخل الأمن.'
    assert rules().extract(text) == []


def test_tudaa_spelled_with_alif_maqsura_names_someone() -> None:
    assert rules().extract('ولديها ابنة تدعى "لي لي".') == []


def test_tudaa_before_a_complementizer_still_claims() -> None:
    q = only("وتدعى الشركة أن المنتج آمن.")
    assert q.text == "المنتج آمن"


def test_a_straight_quotation_inside_a_straight_quotation_stays_inside() -> None:
    q = only('وقال المتحدث سامي ناصر: "دمرنا منظومة "سام-6" في المدينة".')
    assert q.text == 'دمرنا منظومة "سام-6" في المدينة'


def test_straight_quotations_side_by_side_do_not_nest() -> None:
    q = only('وردد المحتجون شعارات "الشعب يريد" و"لا للفساد"، وقال المتحدث سامي ناصر: "سنواصل".')
    assert q.text == "سنواصل"


# --- a headline whose statement opens with a quotation ---------------------------------------------


def test_a_headline_statement_that_opens_with_a_quotation_runs_to_its_end() -> None:
    text = 'سامي ناصر: "الخطة" توفر بيئة شفافة للمستثمرين\n\nوقال المدرب إن الفريق جاهز.'
    q = rules().extract(text)[0]
    assert q.text == '"الخطة" توفر بيئة شفافة للمستثمرين'


def test_a_headline_quotation_followed_by_a_comma_is_the_statement() -> None:
    text = 'سامي ناصر: "الخطة جاهزة"، وأضاف المدرب أن الفريق مستعد\n\nنص.'
    assert rules().extract(text)[0].text == "الخطة جاهزة"


def test_the_name_aan_with_madda_is_no_complementizer() -> None:
    q = only('وقالت آن ليونارد، طبيبة مشاركة في الدراسة: "النتائج مقلقة".')
    assert q.text == "النتائج مقلقة"


# --- the journalist's gloss after the content -------------------------------------------------------


def test_a_closing_gloss_is_not_content() -> None:
    q = only("وقال الوزير سامي ناصر إن الأسعار سترتفع، في إشارة إلى قرار البنك.")
    assert q.text == "الأسعار سترتفع"


def test_a_closing_gloss_after_a_quotation_leaves_it_direct() -> None:
    q = only('وقال الوزير سامي ناصر إن "الأسعار سترتفع"، في إشارة إلى قرار البنك.')
    assert (q.type, q.text) == ("direct", "الأسعار سترتفع")


def test_a_gloss_with_content_after_it_stays() -> None:
    q = only("وقال الوزير سامي ناصر إن الأسعار سترتفع، في إشارة إلى قرار البنك، وسيتدخل البنك قريبا.")
    assert q.text.endswith("وسيتدخل البنك قريبا")


# --- another source's comment closing the content ---------------------------------------------------


def test_a_closing_denial_by_another_source_is_not_content() -> None:
    q = only("وزعمت الشاهدة أن المدير طردها من المكتب دون سبب، وهو ما نفاه المدير في بيان.")
    assert q.text == "المدير طردها من المكتب دون سبب"


def test_a_closing_confirmation_after_al_amr_alladhi_is_not_content() -> None:
    q = only("وأوضحت المصادر أن الجرحى نقلوا إلى مستشفى المدينة، الأمر الذي أكدته مصادر طبية هناك.")
    assert q.text == "الجرحى نقلوا إلى مستشفى المدينة"


def test_a_relative_clause_of_the_speaker_stays_in_the_content() -> None:
    q = only("وقال الكاتب إن القراءة أنقذته من اليأس، التي يعتبرها علاجا للروح.")
    assert q.text.endswith("علاجا للروح")


def test_a_read_more_label_is_no_cue() -> None:
    text = 'وارتفعت أسعار القمح هذا الأسبوع.\nاقرأ: (تقارير عن "أزمة خبز" في المدينة )\nوتراجع المخزون.'
    assert rules().extract(text) == []


def test_ma_as_the_subject_of_an_inference_verb_is_no_quote() -> None:
    text = "وتراجعت مبيعات السيارات للشهر الثالث على التوالي، مما يشير إلى أن الطلب يضعف في المدينة."
    assert rules().extract(text) == []


def test_ma_as_the_object_of_a_verb_with_its_speaker_stays_a_quote() -> None:
    q = only("وقصفت الطائرات ما قالت الحكومة إنه مخزن للأسلحة قرب الحدود.")
    assert q.text.startswith("مخزن للأسلحة")


# --- cues learned from the corpus (worker/lexicon_build/cues.py) -------------------------------------


def _with_learned_cue(form: str, use: str, gender: str, tmp_path: Path) -> Extractor:
    import shutil

    from worker.lexicon import DEFAULT_DIR

    folder = tmp_path / "lexicon"
    shutil.copytree(DEFAULT_DIR, folder)
    with (folder / "learned_cues.tsv").open("a", encoding="utf-8") as fh:
        fh.write(f"{form}\t{use}\t{gender}\tsg\t400\t10\t5\n")
    return Extractor("rules", lexicon=str(folder))


def test_a_learned_cue_speaks_with_a_person_or_body_right_after_it(tmp_path: Path) -> None:
    """As the corpus saw it: وهمست الوزارة أن … is reported speech; with no speaker after it (a first
    person اكتشفتُ, an object) it is no cue."""
    ex = _with_learned_cue("همست", "clause", "f", tmp_path)
    quotes = ex.extract("وهمست الوزارة أن الموازنة الجديدة ستقر الشهر المقبل.")
    assert [(q.cue.text, q.speaker.mention) for q in quotes] == [("وهمست", "الوزارة")]
    assert ex.extract("وقالت الوزيرة إنها سعيدة. وهمست أن الموازنة الجديدة ستقر الشهر المقبل.")[1:] == []
    # content that opens after a comma belongs to another verb (، إذ قال)
    quotes = ex.extract('وهمست الوزيرة دعمها للخطة، إذ قالت: "الخطة جاهزة للتنفيذ".')
    assert [q.cue.text for q in quotes] == ["قالت"]
    # an outlet's own reporting (GUIDELINES: علمت «عكاظ» أن) is nobody's words
    assert ex.extract("وهمست صحيفة الأنباء أن الموازنة الجديدة ستقر الشهر المقبل.") == []


def test_a_learned_fragment_cue_speaks_only_through_its_bi(tmp_path: Path) -> None:
    """لامت (learned: its ب takes quoted words) with a quotation after its ب is a direct quote of the
    fragment; with a plain object and a quotation elsewhere it is none."""
    ex = _with_learned_cue("لامت", "fragment", "f", tmp_path)
    quotes = ex.extract('ولامت النقابة في بيانها الحكومة بـ"التقصير الفادح" في إدارة الأزمة.')
    assert [(q.type, q.cue.text, q.speaker.mention, q.text) for q in quotes] == [
        ("direct", "ولامت", "النقابة", "التقصير الفادح")
    ]
    assert ex.extract('ولامت النقابة الحكومة في بيان نشرته صحيفة "الصباح" اليوم.') == []
    # after a comma the verb goes on with a subject named before it: the words after it are its object
    assert ex.extract('ونشرت النقابة تقريرها، ولامت الوزارة بـ"التقصير الفادح" في إدارة الأزمة.') == []


def test_a_source_phrase_that_is_a_sentence_of_its_own_attributes_the_sentence_before() -> None:
    """``… الأسبوع الماضي. بحسب وكالة الأنباء الرسمية.``: the source closes the sentence before it as
    after a comma; not across a paragraph, nor a sentence that has a source of its own."""
    text = "وارتفعت أسعار الخبز في العاصمة بنسبة كبيرة خلال الأسبوع الماضي. بحسب وكالة الأنباء الرسمية."
    q = only(text)
    assert (q.cue.text, speaker_name(q), q.text) == (
        "بحسب",
        "وكالة الأنباء الرسمية",
        "وارتفعت أسعار الخبز في العاصمة بنسبة كبيرة خلال الأسبوع الماضي",
    )
    assert rules().extract(text.replace(". بحسب", ".\nبحسب")) == []
    own = "وقال الوزير إن أسعار الخبز ارتفعت بنسبة كبيرة. بحسب وكالة الأنباء الرسمية."
    assert [q.cue.text for q in rules().extract(own)] == ["وقال"]


def test_a_run_of_labels_with_the_same_first_word_is_a_list_not_sources() -> None:
    """Award or result lines (GUIDELINES: a list item ``X: Y`` that states no words of X's is no quote);
    a single headline of the same shape stays a quote."""
    awards = (
        "وجاءت النتائج على النحو التالي\n"
        "أفضل رواية: ظلال المدينة القديمة\n"
        "أفضل قصة قصيرة: نافذة على البحر الهادئ\n"
        "أفضل ديوان: أغنيات المطر الأخير\n"
    )
    assert rules().extract(awards) == []
    q = only("وزير المالية: الموازنة الجديدة ستقر قبل نهاية العام\n\nعقد البرلمان جلسته.")
    assert (q.cue.text, q.text) == (":", "الموازنة الجديدة ستقر قبل نهاية العام")


def test_a_line_up_of_labels_and_names_is_no_statement() -> None:
    """``حارس المرمى: X، للدفاع: Y، للوسط: Z``: labels and names in a row, nobody's words."""
    line_up = "ويبدأ الفريق بالتشكيلة التالية:\nحارس المرمى: سامر الحلبي، للدفاع: نبيل الخطيب، للوسط: رامي"
    assert rules().extract(line_up) == []


def test_a_source_phrase_followed_by_the_journalists_own_clause_attributes_the_clause_before() -> None:
    """``CONTENT، بحسب X، وكانت …`` / ``، حيث …``: the journalist's clause after the source phrase does not
    stop it attributing what came before; a cue after it (، موضحا أن) is the source's next quote."""
    (q,) = rules().extract(
        "تحطمت طائرة خاصة كانت تقل 11 شخصا جنوب البلاد الأحد، حسبما أعلن التلفزيون الرسمي، "
        "وكانت في طريقها من الشارقة إلى إسطنبول."
    )
    assert (q.speaker.name, q.cue.text) == ("التلفزيون الرسمي", "حسبما")
    assert q.text == "تحطمت طائرة خاصة كانت تقل 11 شخصا جنوب البلاد الأحد"


def test_a_quoted_fragment_after_a_verb_of_speech_is_its_subjects_words() -> None:
    """GUIDELINES: a quoted fragment a source is said to use is a direct quote whatever the verb, when
    no cue claimed it (worker/attribution/fragments.py): after ب or a preposition, or qualifying an
    indefinite noun, with a verb of speech or judgement (any form of a cue the lexicon knows or learned)
    and a named subject."""
    q = only('حزب التقدم يندد بـ"المحسوبية والفساد" في تعيين المسؤولين')
    assert (q.text, speaker_name(q), q.type) == ("المحسوبية والفساد", "حزب التقدم", "direct")
    q = only('وهدد الرئيس سامر كريم بـ"عواقب وخيمة" إذا مضت الحكومة في خطتها.')
    assert (q.text, speaker_name(q)) == ("عواقب وخيمة", "سامر كريم")


def test_a_term_in_quotes_is_no_fragment() -> None:
    """A term after a verb of no speech (ينخفض بفعل مخاوف "…"), a quoted name (تنظيم "…") or a label
    after a naming word (ما يعرف بـ"…") is nobody's words."""
    for text in (
        'الذهب ينخفض بفعل مخاوف "الحرب التجارية" في الأسواق',
        'وهاجم مسلحون من تنظيم "أنصار الفجر" القرية.',
        'وانضم الشاب إلى ما يعرف بـ"كتيبة الصحراء" قبل عامين.',
    ):
        assert rules().extract(text) == [], text
