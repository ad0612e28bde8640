"""Where a speaker phrase ends and where its name starts, from the mined word statistics of the shipped
lexicon (``worker/attribution/names.py``, ``common_words.tsv``): sentences written for these tests, with
names no list holds."""

from __future__ import annotations

import pytest
from rules_extractor import rules

from worker.attribution import names, speakers
from worker.lexicon import DEFAULT
from worker.text import fold, tokenize


def speaker(text: str) -> tuple[str | None, str | None]:
    (q,) = rules().extract(text)
    return q.speaker.name, q.speaker.mention


@pytest.mark.parametrize(
    ("word", "verb", "common"),
    [("تطلق", True, False), ("ترامب", False, False), ("عملية", False, True), ("مقترح", False, True)],
)
def test_mined_word_uses_tell_verbs_and_common_words_from_names(word: str, verb: bool, common: bool) -> None:
    assert names.looks_verb(DEFAULT, fold(word)) is verb
    assert names.common_word(DEFAULT, fold(word)) is common


def test_a_rare_word_with_the_article_after_a_given_name_is_its_family_name() -> None:
    assert names.rare_definite(DEFAULT, fold("القضماني"))  # the corpus hardly uses it
    assert not names.rare_definite(DEFAULT, fold("الحادث"))  # a common noun
    name, _ = speaker("وقال الدكتور أحمد نبيل القضماني من جامعة دمشق إن المشروع سيكتمل في الربيع.")
    assert name == "أحمد نبيل القضماني"


def test_a_word_the_corpus_does_not_know_starts_the_name_after_a_title() -> None:
    name, _ = speaker("وقال الدكتور سامر نبيل القضماني من جامعة دمشق إن المشروع سيكتمل في الربيع.")
    assert name == "سامر نبيل القضماني"


def test_an_organisation_ends_before_the_verb_of_the_next_clause() -> None:
    name, _ = speaker("وقالت جمعية أهلية لرعاية المسنين تطلق حملتها السنوية إن التبرعات تراجعت هذا العام.")
    assert name == "جمعية أهلية لرعاية المسنين"


def test_an_indefinite_common_noun_after_a_definite_phrase_opens_the_object() -> None:
    name, _ = speaker("وترفض حركة الشباب الديمقراطي مقترح تأجيل الانتخابات، قائلة إن الموعد الحالي مناسب.")
    assert name == "حركة الشباب الديمقراطي"


def test_fi_with_an_indefinite_common_noun_is_an_adjunct() -> None:
    name, mention = speaker(
        "وقال المهاجم البرازيلي نيمار دا سيلفا في إشارة إلى المباراة المقبلة إن الفريق جاهز."
    )
    assert (name, mention) == ("نيمار دا سيلفا", "المهاجم البرازيلي نيمار دا سيلفا")


def test_a_mined_title_word_after_an_indefinite_title_word_belongs_to_the_title() -> None:
    name, _ = speaker("وقال لاعب خط الوسط الإسباني سيرجيو بوسكيتس إن الفريق يستحق الفوز.")
    assert name == "سيرجيو بوسكيتس"


def test_a_bare_title_with_common_words_takes_the_apposition_after_the_comma() -> None:
    name, _ = speaker('وقال عضو آخر بالبرلمان الأوروبي، يان مارتينيك: "هذا القرار خاطئ تماما".')
    assert name == "يان مارتينيك"


def test_a_clause_after_the_comma_is_no_apposition() -> None:
    _, mention = speaker("وقالت رئيسة بلدية مدريد، وهي شخصية معروفة، إن الميزانية جاهزة.")
    assert mention == "رئيسة بلدية مدريد"


def test_a_naming_word_gives_the_speakers_name() -> None:
    assert speaker("وكتبت امرأة تدعى سلمى خوري على فيسبوك أن الخدمة توقفت منذ أسبوع.")[0] == "سلمى خوري"


def test_wahuwa_after_a_name_opens_a_clause_about_the_speaker() -> None:
    assert speaker("وقال ماتيو روسي وهو طالب جامعي إن الإضراب سيستمر.") == ("ماتيو روسي", "ماتيو روسي")


@pytest.mark.parametrize(
    "text",
    [
        # a title through organisations, في and a place, then the apposed name
        "وأوضح المدير الإقليمي للهيئة الوطنية للمياه في تونس، كريم بوعزيزي، أن المخزون تراجع.",
        # an organisation word without the article inside the title
        "واعتبر مدرب نادي الوحدة السابق، ماركو فيليتشي، أن الفريق يحتاج إلى مهاجم.",
        # an indefinite office with its complements (an unnamed source until its name is given)
        "وقال مسؤول ملف الطاقة في الوزارة، لوران بيرتيه، إن الأسعار ستستقر.",
    ],
)
def test_the_name_apposed_to_a_title_with_complements_speaks(text: str) -> None:
    _assert_the_apposed_name_speaks(text)


@pytest.mark.parametrize(
    "text",
    [
        "وكان وزير الري الإثيوبي الجديد، سامويل تيسفاي، قد أعلن أن السد سيكتمل العام المقبل.",
        "لكن الأمين العام للاتحاد الدولي للصحفيين، أندرو ماكلين، أكد أن المفاوضات مستمرة.",
    ],
)
def test_a_subject_set_off_by_commas_before_the_verb_is_the_apposed_name(text: str) -> None:
    _assert_the_apposed_name_speaks(text)


def _assert_the_apposed_name_speaks(text: str) -> None:
    """The speaker is the name between the first two commas, and the mention ends with it."""
    name, mention = speaker(text)
    apposed = text.split("، ")[1]
    assert name == apposed
    assert mention is not None and mention.endswith(apposed)


@pytest.mark.parametrize(
    "text",
    [
        "وقال المتحدث باسم الشرطة، في مؤتمر صحفي، إن التحقيق مستمر.",  # an adjunct between commas
        "وأكد مدير المستشفى المركزي، 45 عاما، أن الوضع تحت السيطرة.",  # an age
        "وقال وزير الزراعة، الاثنين، إن المحصول وفير.",  # a time word
    ],
)
def test_no_name_between_the_commas_leaves_the_title(text: str) -> None:
    _, mention = speaker(text)
    assert mention == text.split("، ")[0].split(" ", 1)[1]


def test_a_title_and_a_name_with_no_comma_between_split_at_the_apposed_name() -> None:
    from worker.attribution.speakers import analyse
    from worker.text import tokenize

    info = analyse(DEFAULT, tokenize("مديرة قسم الطوارئ بالوكالة في المنظمة برايانكا موتاري"))
    assert [t.fold for t in info.name] == [fold("برايانكا"), fold("موتاري")]
    linked = analyse(DEFAULT, tokenize("الملياردير السعودي الأمير الوليد بن سالم"))
    assert [t.fold for t in linked.name][-2:] == [fold("بن"), fold("سالم")] and len(linked.name) >= 3


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("وقالت السفيرة الكندية لدى الأمم المتحدة، جوليا ماكنتاير، إن المشروع قدم.", "جوليا ماكنتاير"),
        ("وقالت النائبة عن حزب الخضر، كارين شتوكر، إن القانون ظالم.", "كارين شتوكر"),
    ],
)
def test_a_title_runs_on_over_the_post_it_holds(text: str, name: str) -> None:
    assert speaker(text)[0] == name


@pytest.mark.parametrize(
    "text", ["وقال الوزير لدى وصوله إن الوضع صعب.", "وقال المتحدث عن الأزمة إن الحل قريب."]
)
def test_lada_or_an_before_a_time_or_a_topic_ends_the_title(text: str) -> None:
    assert speaker(text)[1] == text.split()[1]


def test_a_name_chain_counts_its_parts_not_its_links() -> None:
    # بن and آل join the word after them: five parts in nine words, and a mention of eleven words
    name, _ = speaker("وقال وزير المالية الشيخ فيصل بن ناصر بن مشعل آل سالمين إن الميزانية متوازنة.")
    assert name == "فيصل بن ناصر بن مشعل آل سالمين"
    name, _ = speaker("وقال الأمير فهد بن سعود آل مرزوق إن الزيارة ناجحة.")
    assert name == "فهد بن سعود آل مرزوق"


def test_a_coordinated_construct_continues_the_title_but_a_name_with_waw_does_not() -> None:
    name, _ = speaker(
        "وقال رئيس هيئة الموانئ وخدمات الملاحة المهندس ياسر بن حمود الزعتراني إن الرصيف الجديد جاهز."
    )
    assert name == "ياسر بن حمود الزعتراني"
    name, _ = speaker("وقال وزير الداخلية العراقي وليد العبيدي إن الحدود آمنة.")
    assert name == "وليد العبيدي"


def test_a_rank_and_name_in_apposition_complete_an_office() -> None:
    (q,) = rules().extract(
        "وقال رئيس هيئة البيئة في عاصمة البلاد، العقيد كريم عادل، إن السلطات ستوقف الشاحنات."
    )
    assert q.speaker.name == "كريم عادل"


@pytest.mark.parametrize(
    ("text", "name", "mention"),
    [
        (
            "انتقد الرئيس التركي رجب طيب أردوغان قرار الحكومة النمساوية، مؤكدا أن الخطوة خاطئة.",
            "رجب طيب أردوغان",
            "الرئيس التركي رجب طيب أردوغان",
        ),
        (
            "وانتقد الرئيس الأميركي دونالد ترامب سياسة الصين التجارية، قائلا إن بكين تستغل بلاده.",
            "دونالد ترامب",
            "الرئيس الأميركي دونالد ترامب",
        ),
    ],
)
def test_a_full_name_the_corpus_knows_ends_before_the_verbs_object(
    text: str, name: str, mention: str
) -> None:
    assert speaker(text) == (name, mention)


def test_a_mined_name_that_the_corpus_mostly_continues_does_not_end() -> None:
    # رجب طيب is a mined full name, but far more articles write رجب طيب أردوغان
    assert speaker("وقال رجب طيب أردوغان إن بلاده لن تتراجع.")[0] == "رجب طيب أردوغان"
    assert names.ends_complete_name(DEFAULT, tokenize("دونالد ترامب"), fold("سياسة"))
    assert not names.ends_complete_name(DEFAULT, tokenize("رجب طيب"), fold("أردوغان"))


def test_a_verb_with_its_own_subject_after_it_takes_no_subject_from_before_the_commas() -> None:
    (q,) = rules().extract(
        "وفي خطاب تلاه وزير الخارجية، جيريمي رايت، أمام البرلمان، قالت تيريزا ماي إن بريطانيا أخطأت."
    )
    assert q.speaker.name == "تيريزا ماي"


def test_a_mention_cut_before_a_prepositions_object_does_not_end_in_the_preposition() -> None:
    name, mention = speaker("وقالت النقابة المستقلة في دعوتها إن الإضراب سيستمر حتى نهاية الشهر.")
    assert (name, mention) == ("النقابة المستقلة", "النقابة المستقلة")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("وقالت سوزانا فيلدمان في المحكمة إنها لم تر الإشارة الحمراء.", "سوزانا فيلدمان"),
        ("وأعلنت الهيئة الوطنية للرقابة في وقت سابق أن الفحوص انتهت.", "الهيئة الوطنية للرقابة"),
        ("وذكرت الهيئة الوطنية للرقابة في عام 2015 أن الفحوص انتهت.", "الهيئة الوطنية للرقابة"),
    ],
)
def test_fi_after_a_named_speaker_opens_an_adjunct(text: str, name: str) -> None:
    assert speaker(text)[0] == name


def test_fi_after_an_unnamed_source_or_before_a_place_stays_in_the_mention() -> None:
    assert speaker("وقال خبير في المجال إن الأسعار سترتفع قريبا.")[0] == "خبير في المجال"
    assert speaker("وقال مكتب المدعي العام في ولاية هامبورغ إن التحقيق مستمر.")[0] == (
        "مكتب المدعي العام في ولاية هامبورغ"
    )


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("وقالت فاطمة حداد البالغة من العمر 40 عاما إنها فقدت منزلها.", "فاطمة حداد"),
        ("وقالت فاطمة حداد المصنفة الأولى عالميا إن المنافسة صعبة.", "فاطمة حداد"),
    ],
)
def test_a_short_name_ends_before_a_word_the_corpus_knows_is_no_name(text: str, name: str) -> None:
    assert speaker(text)[0] == name


def test_a_short_name_keeps_a_last_word_the_corpus_does_not_know() -> None:
    assert speaker("وقالت نيتسا دارشان لايتنوف إن الدعوى قائمة.")[0] == "نيتسا دارشان لايتنوف"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('ووصفت وزارة الخارجية الكندية الخطوة الأخيرة بأنها "مقلقة".', "وزارة الخارجية الكندية"),
        ('واعتبر المسؤول الهولندي التصعيد الحالي "خطيرا".', "المسؤول الهولندي"),
    ],
)
def test_a_describing_verb_s_object_after_its_speaker_is_not_the_speaker(text: str, name: str) -> None:
    assert speaker(text)[1] == name


def test_a_describing_verb_keeps_the_adjectives_of_its_speaker() -> None:
    assert speaker('ووصفه المصدر المقرب من الحكومة بأنه "كاذب".')[1] == "المصدر المقرب"
    assert speaker('ووصفت الصحيفة الأسبوعية المستقلة القرار بأنه "متسرع".')[1] == "الصحيفة الأسبوعية المستقلة"


def test_a_share_of_a_group_speaks_with_the_group_it_names() -> None:
    name, _ = speaker("وقال 45 في المئة من المستطلعين إنهم يفضلون العمل من المنزل.")
    assert name == "45 في المئة من المستطلعين"
    assert speaker("وقال 4 مهندسين مستقلين إن الجسر آمن.")[0] == "4 مهندسين مستقلين"


def test_the_subject_of_a_verb_opening_the_sentence_ends_before_its_object() -> None:
    _, mention = speaker("وانتقدت الهيئة الوطنية القرار الأخير، قائلة إنه متسرع.")
    assert mention == "الهيئة الوطنية"


def test_a_family_name_alone_ends_before_a_word_the_corpus_knows_is_no_name() -> None:
    assert speaker("وتابع ماكرون غاضبا أن الاتفاق انتهى.")[0] == "ماكرون"


def test_fi_before_a_month_dates_the_statement_after_any_speaker() -> None:
    assert speaker("وقالت الهيئة الوطنية للرقابة في فبراير إن الفحوص انتهت.")[0] == "الهيئة الوطنية للرقابة"
    assert speaker("وقال مسؤول زراعي في أيار/مايو إن المحصول وفير.")[1] == "مسؤول زراعي"
    assert speaker("وقال مايو إن الكواكب كثيرة.")[0] == "مايو"  # a month name alone may be a family name


def test_the_subject_of_an_opening_verb_does_not_end_in_a_preposition_either() -> None:
    text = "ووجهت الشرطة الوطنية في بوركينا فاسو تحذيرا عاما للسكان، لافتة إلى أن العاصفة قادمة."
    _, mention = speaker(text)
    assert mention == "الشرطة الوطنية"


def test_an_organisation_word_with_the_l_of_a_source_phrase_keeps_its_quoted_name() -> None:
    assert speaker('ووفقا لوكالة "الأنباء الجبلية"، فقد ارتفع منسوب النهر.')[0] == 'وكالة "الأنباء الجبلية'


def test_a_word_written_with_hamza_before_lam_is_not_a_definite_phrase_that_ends_the_subject() -> None:
    # ألوية folds to الوية, which looks like a word with the article: the title runs on to its name
    text = (
        "ودعا قائد قوات ألوية الصمود في الساحل الشرقي، سالم عبد الكريم، المسلحين إلى الانسحاب من الجبهات."
        " وأكد أن الألوية مستعدة لاستقبال المنشقين."
    )
    (q,) = rules().extract(text)
    assert q.speaker.name == "سالم عبد الكريم"


def test_a_given_name_written_with_hamza_before_lam_starts_the_name_not_the_title() -> None:
    # ألكسندر folds to الكسندر, which looks like a definite word inside the title
    name, _ = speaker("وقال وزير الزراعة الروسي ألكسندر بيتروفيلوف إن المحصول سيكون وفيرا هذا العام.")
    assert name == "ألكسندر بيتروفيلوف"
    name, _ = speaker("وقال المبعوث ألكسندر ماتيسونا إن المحادثات ستستأنف قريبا.")
    assert name == "ألكسندر ماتيسونا"  # a foreign name shaped like مشيرا continues the name


def test_a_last_name_written_with_hamza_before_lam_does_not_end_the_name() -> None:
    # ألفين (Alvin) folds to الفين (the two thousand), which looks like a definite word after a full name
    name, _ = speaker("وقال المحامي الأميركي روبرت مك ألفين للصحفيين إن الحكم سيستأنف.")
    assert name == "روبرت مك ألفين"


def test_a_common_word_after_a_full_name_ends_it() -> None:
    text = "وقال ماركو فيلانيتي كبير مهندسي الشركة إن المشروع سيكتمل في الربيع."
    name, _ = speaker(text)
    assert name == "ماركو فيلانيتي"


def test_the_name_ali_counts_as_a_name_word_in_an_apposed_name() -> None:
    # علي folds to علي_ (kept apart from the preposition على), which is no letter-only word
    name, _ = speaker("وقال المنسق المقيم لأنشطة الهيئة في اليمن علي الدهماني إن المساعدات ستصل قريبا.")
    assert name == "علي الدهماني"


def test_a_title_noun_the_miner_read_as_a_given_name_does_not_block_the_apposed_name() -> None:
    # جهاز opens a few mined names, but is a frequent word that names hardly use
    name, _ = speaker("وقال رئيس جهاز الأمن الفنلندي، فاسيل كورهونيتسا، إن التحقيق مستمر.")
    assert name == "فاسيل كورهونيتسا"


def test_an_indefinite_nisba_after_a_definite_title_word_is_a_given_name() -> None:
    # تركي (Turkish) cannot qualify الركن, which would take التركي: it is the given name تركي
    name, _ = speaker("وقال العميد الركن تركي الحربيني إن القوات صدت الهجوم.")
    assert name == "تركي الحربيني"


def test_a_title_noun_without_the_article_takes_the_next_word_as_its_complement() -> None:
    # أسقف is in construct with the next word (an unknown place), which is no part of the name
    name, _ = speaker("وقال أسقف كوراتيبا سيلفيو ماركيتو إن الكنيسة ستبقى مفتوحة.")
    assert name == "سيلفيو ماركيتو"


def test_a_name_that_starts_with_a_word_written_with_hamza_keeps_it() -> None:
    # ألان folds to الان (الآن, now), a frequent word that is no name: the written hamza tells them apart
    name, _ = speaker("وقال وزير الزراعة الكندي، ألان جوزيف ماكينتايرز، إن المحصول سيكون وفيرا.")
    assert name == "ألان جوزيف ماكينتايرز"


def test_a_word_without_the_article_after_a_definite_title_word_starts_the_name() -> None:
    # عمر is also a common noun (age), but العدل would take an adjective with ال, not عمر
    name, _ = speaker("وقال وكيل وزارة العدل عمر فاروق كيليتشدار إن القانون سيعدل قريبا.")
    assert name == "عمر فاروق كيليتشدار"


@pytest.mark.parametrize(
    "text",
    [
        "ودعا قائد قوات ألوية الصمود في الساحل الشرقي، أبو خالد الزهراني، المسلحين إلى الانسحاب."
        " وأكد أن الألوية مستعدة.",
        "وقال القائد العام لجبهة الساحل الشرقي، أبو خالد الزهراني، إن القوات جاهزة.",
    ],
)
def test_an_apposed_name_after_a_title_may_open_with_abu(text: str) -> None:
    (q,) = rules().extract(text)
    assert q.speaker.name == "أبو خالد الزهراني"


def test_a_given_name_shaped_like_an_adverbial_participle_opens_a_speaker_phrase() -> None:
    """م…ا is the shape of موجها، معربا (never a speaker's first word), but the mined names open with
    ماريا، مونيكا: those start the speaker's name."""
    name, _ = speaker('تقول مونيكا هالفورسن، مديرة البرنامج في الجامعة: "بدأ الأمر بأربع شركات".')
    assert name == "مونيكا هالفورسن"
    assert speaker("وأضاف موضحا أن الخطة جاهزة.")[0] != "موضحا"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وقال بعض المتظاهرين إنهم تعرضوا للضرب قرب الساحة.", "بعض المتظاهرين"),
        ("ويرى معظم المحللين أن الأزمة ستطول.", "معظم المحللين"),
        ("وقال عدد من الأهالي إن المياه انقطعت منذ أسبوع.", "عدد من الأهالي"),
    ],
)
def test_a_share_of_a_group_speaks_as_a_group(text: str, expected: str) -> None:
    """A quantity noun and the group after it (بعض X، عدد من X) name the speaker: a group, not the
    quantity word alone and not nobody."""
    (q,) = rules().extract(text)
    assert (q.speaker.name, q.speaker.kind) == (expected, "group")


def test_every_one_of_a_set_is_no_share_of_a_group() -> None:
    """كل and جميع quantify things as often as people (لكن كل العقوبات ستدخل …): no group speaker."""
    for words in ("كل العقوبات", "جميع الدول", "بعض"):
        assert speakers.group_share_words(tokenize(words)) == 0
    assert speakers.group_share_words(tokenize("عدد من المسؤولين")) == 2


def test_a_year_after_the_cue_is_a_time_not_the_speaker() -> None:
    """عام / العام with a number or a relative time after it dates the statement (قال عام 2016، صرح
    العام الماضي): the speaker is the one named before; الأمين العام and مدير عام stay titles."""
    before = "وانتقد الخبير سامر كريم سياسة الحكومة. "
    (q,) = rules().extract(before + "وقال العام الماضي إن الحكومة زادت الإنفاق.")
    assert q.speaker.name == "سامر كريم"
    (q,) = rules().extract(before + "فقد صرح عام 2016 لصحيفة محلية بأن الحكومة زادت الإنفاق.")
    assert q.speaker.name == "سامر كريم"  # (and فقد, a particle with its ف, is no subject)
    assert speaker("وقال الأمين العام للمنظمة إن الخطة جاهزة.")[0] == "الأمين العام للمنظمة"


def test_the_subject_after_a_connector_made_with_an_speaks() -> None:
    """إلا أن / غير أن / بيد أن with a bare أن open a clause whose subject comes before its verb (إلا أن
    المجلس الوطني كشف أن …); with a pronoun (بيد أنه أكد) the earlier speaker goes on."""
    before = "وقال الوزير سامر كريم إن الوضع صعب. "
    quotes = rules().extract(before + "إلا أن المجلس الوطني للإحصاء كشف أن عدد العاطلين ارتفع.")
    assert quotes[-1].speaker.name == "المجلس الوطني للإحصاء"
    quotes = rules().extract(before + "بيد أنه أكد أن الأطفال يتأخرون عن المدارس.")
    assert quotes[-1].speaker.name == "سامر كريم"


def test_a_word_the_mined_titles_open_with_heads_a_title_before_a_title_noun() -> None:
    """مساعد is a given name too, but before a title noun without the article (مساعد مفوض الشرطة) it
    opens the title, and the name apposed after the comma is the speaker's; لشؤون X continues a title."""
    (q,) = rules().extract("وقال مساعد مفوض الشرطة، مارك دونوفان، إن التحقيق مستمر.")
    assert (q.speaker.name, q.speaker.title) == ("مارك دونوفان", "مساعد مفوض الشرطة")
    (q,) = rules().extract("وقال مساعد وزير الخارجية لشؤون الشرق الأوسط سامر كريم إن التحقيق مستمر.")
    assert q.speaker.name == "سامر كريم"
    assert speaker("وقال مساعد الحربي إن التحقيق مستمر.")[0] == "مساعد الحربي"


def test_a_verb_with_its_clitics_opens_a_clause_not_a_subject() -> None:
    """وانتقده البعض وقالوا: the words before the plural cue are a clause of their own (its verb told by
    the corpus once و and the object pronoun are off), not the cue's subject; فيصل stays a name."""
    assert names.verb_with_clitics(DEFAULT, fold("وانتقده"))
    assert names.verb_with_clitics(DEFAULT, fold("وأطلق"))
    assert not names.verb_with_clitics(DEFAULT, fold("فيصل"))
    assert not names.verb_with_clitics(DEFAULT, fold("وليد"))
    quotes = rules().extract(
        "ويقول الخبير سامر كريم إن العملات مرتبطة بالإرهاب. وانتقده البعض وقالوا إنه غير مطلع على التقنية."
    )
    assert quotes[-1].speaker.name != "وانتقده البعض"


def test_an_age_or_a_possessed_noun_after_a_title_ends_the_speaker_phrase() -> None:
    """البالغ من العمر / البالغة 36 عاما describes the speaker (a clause about them), and a common noun
    with a possessive pronoun after a bare title is the cue's object (وأعلن المبعوث عزمه "…"), not a
    name; ديدييه, a name that ends like one, stays."""
    assert speaker('وأعلن المبعوث الخاص عزمه "دعوة الأطراف إلى اجتماع".')[0] == "المبعوث الخاص"
    assert speaker('وأضافت اللاعبة الأميركية البالغة من العمر 36 عاما "أتعامل مع الأمر بهدوء".')[0] == (
        "اللاعبة الأميركية"
    )
    assert speaker("وقال المدرب ديدييه ديشان إن الفريق جاهز.")[0] == "ديدييه ديشان"


def test_a_name_written_with_madda_is_no_function_word() -> None:
    """آنا folds like the pronoun أنا and آن like the particle أن, but neither is ever written with madda:
    آنا تيني is the speaker's name."""
    text = 'وقالت آنا تيني، وهي ممثلة عن المحافظين، لوكالة أنباء محلية إن "الدعوة مقلقة".'
    assert speaker(text)[0] == "آنا تيني"


def test_the_one_told_or_warned_after_the_speaker_is_the_object() -> None:
    """حذر / أبلغ take the one warned or told right after the speaker (addressee_verbs.txt): a place or a
    body noun after a definite speaker phrase is that object, not part of the name; السعودية, a place
    that is also an adjective, stays in وكالة الأنباء السعودية."""
    warned = speaker("وحذرت وزارة الخارجية الروسية واشنطن من أن الرد سيكون قاسيا.")[0]
    assert warned == "وزارة الخارجية الروسية"
    assert speaker("وأبلغت اللجنة الأوروبية الشركة أن التحقيق سيستمر.")[0] == "اللجنة الأوروبية"
    assert speaker("وقالت وكالة الأنباء السعودية إن الوفد وصل.")[0] == "وكالة الأنباء السعودية"
