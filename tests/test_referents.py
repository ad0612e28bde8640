"""Which entity an implicit cue, a document or a title refers to (``attribution/resolve.py``,
``attribution/documents.py``, ``attribution/speakers.py``), on sentences written for these tests."""

from __future__ import annotations

import pytest
from rules_extractor import rules

from worker.attribution.speakers import analyse
from worker.lexicon import DEFAULT
from worker.quotes import Quote
from worker.text import tokenize


def speaker_of(text: str, content_start: str) -> str | None:
    """The speaker name of the quote whose content starts with ``content_start``."""
    quotes: list[Quote] = [q for q in rules().extract(text) if q.text.startswith(content_start)]
    assert len(quotes) == 1, [q.text for q in rules().extract(text)]
    return quotes[0].speaker.name


def test_implicit_cue_continues_the_subject_of_a_sentence_written_since_the_latest_quote() -> None:
    text = (
        "وقال وزير المالية سامي الكردي إن الميزانية متوازنة. "
        "وقدم الخبير الاقتصادي نبيل فهمي دراسة عن الأسواق الناشئة. "
        "وأشار إلى أن النمو سيتباطأ هذا العام."
    )
    assert speaker_of(text, "النمو") == "نبيل فهمي"


def test_implicit_cue_after_kana_takes_its_subject_not_the_object_after_a_preposition() -> None:
    text = (
        "وقال الرئيس الفرنسي إيمانويل ماكرون إن الحوار ضروري. "
        "وكان أولاف شولتس رد على ماكرون في مؤتمر صحفي، وقال إن الوقت لم يحن بعد."
    )
    assert speaker_of(text, "الوقت") == "أولاف شولتس"


def test_a_name_inside_a_quote_is_not_the_subject_of_a_later_participle() -> None:
    text = (
        "وقال الجيش الوطني إن الحدود هادئة. وقال قائد الشرطة خالد يوسف إن الوضع مستقر. "
        'وقال "لن نسمح للجيش الوطني بالتدخل"، مضيفا أن التحقيق مستمر.'
    )
    assert speaker_of(text, "التحقيق") == "خالد يوسف"


def test_the_topic_of_amma_speaks_after_its_fa() -> None:
    text = (
        "وقال النائب فريد سالم إن القانون جائر. "
        'أما النائبة منى عادل، وهي عضو في لجنة الدستور، فقالت لـ"الصحيفة" إن القانون ضروري.'
    )
    assert speaker_of(text, "القانون ضروري") == "منى عادل"


def test_a_participle_in_a_relative_clause_describes_its_antecedent() -> None:
    text = (
        "وقال رئيس الوزراء عادل حمدي إن الحكومة مستمرة. "
        "والتقت الصحيفة رئيس لجنة الزراعة في البرلمان كمال منصور، الذي دافع عن الخطة قائلا إن المحاصيل"
        " ستتحسن."
    )
    assert speaker_of(text, "المحاصيل") == "كمال منصور"


def test_a_definite_document_stands_for_the_issuer_named_where_it_was_first_mentioned() -> None:
    text = (
        "وأعلن المرشح سعيد ناصر في بيان له انسحابه من السباق الانتخابي. "
        "وأوضح البيان الصادر أن القرار نهائي ولا رجعة فيه."
    )
    assert speaker_of(text, "القرار") == "سعيد ناصر"


@pytest.mark.parametrize(
    ("mention", "title", "name"),
    [
        ("رئيسة بلدية باريس", "رئيسة بلدية باريس", ""),  # a place completes the office
        ("رئيس الاتحاد الوطني للزراعة والصيد البحري", "رئيس الاتحاد الوطني للزراعة والصيد البحري", ""),
        ("وزير الخارجية الروسي سيرجي لافروف", "وزير الخارجية الروسي", "سيرجي لافروف"),
        # a noun in construct continues the office, up to the name a few words on
        ("مديرة قسم المتابعة في الهيئة ليلى حداد", "مديرة قسم المتابعة في الهيئة", "ليلى حداد"),
        ("الرئيس نور الدين", "الرئيس", "نور الدين"),  # a given name in construct is a name
    ],
)
def test_titles_keep_their_places_and_coordinated_complements(mention: str, title: str, name: str) -> None:
    info = analyse(DEFAULT, tokenize(mention))
    assert (" ".join(t.fold for t in info.title), " ".join(t.fold for t in info.name)) == (
        " ".join(t.fold for t in tokenize(title)),
        " ".join(t.fold for t in tokenize(name)),
    )


def test_a_title_links_to_the_person_beside_it_not_the_one_named_after_basm() -> None:
    text = (
        "وقال الرئيس أحمد سعيد إن الانتخابات ستجري في موعدها. "
        "وقال هشام كمال المتحدث باسم سعيد إن الحملة بدأت. "
        "وقال المتحدث إن المرشحين سيلتقون الأسبوع المقبل."
    )
    assert speaker_of(text, "المرشحين") == "هشام كمال"


def test_a_definite_description_is_the_same_entity_as_the_source_it_takes_up() -> None:
    text = "وقال مصدر عسكري إن القوات تقدمت نحو المدينة. وأضاف المصدر أن المعارك مستمرة منذ الفجر."
    first, second = rules().extract(text)
    assert first.speaker.entity_id == second.speaker.entity_id
    assert second.speaker.name == "مصدر عسكري"


def test_an_implicit_cue_reports_the_document_its_sentence_says_who_issued() -> None:
    text = (
        "وقال المتحدث باسم الحكومة نادر سليم إن الوضع مستقر. "
        "أصدرت وزارة الصحة بيانا، الإثنين، أعلنت فيه أن الإصابات تراجعت."
    )
    assert speaker_of(text, "الإصابات") == "وزارة الصحة"


def test_the_noun_phrase_after_anna_is_the_subject_of_the_cue_verb_after_it() -> None:
    text = (
        "وقال الناقد سمير فؤاد إن الرواية طويلة. "
        "ورغم أن الكاتب لم يذكر المدينة باسمها إلا أن الرواية تقول إن الحرب غيرت كل شيء."
    )
    assert speaker_of(text, "الحرب") == "الرواية"


def test_a_document_stands_for_the_issuer_its_relative_clause_names() -> None:
    text = "وانخفضت درجات الحرارة إلى ما دون الصفر، وفقا للبيانات التي يوفرها مركز الأرصاد الجوية."
    assert speaker_of(text, "وانخفضت") == "مركز الأرصاد الجوية"


def test_a_title_known_only_from_a_document_takes_the_name_it_stands_beside() -> None:
    text = (
        "أعلنت سلمى رستم، المتحدثة باسم وزارة النقل، عن خطة جديدة للطرق. "
        'وجاء ذلك في بيان للمتحدثة، حيث قالت: "سنبدأ العمل الشهر المقبل".'
    )
    assert speaker_of(text, "سنبدأ") == "سلمى رستم"


def test_a_description_followed_by_a_naming_verb_is_the_person_named() -> None:
    q = rules().extract("وكتبت امرأة تدعى سعاد الهاشمي على صفحتها «المدينة تستحق الأفضل».")
    assert [x.speaker.name for x in q] == ["سعاد الهاشمي"]


@pytest.mark.parametrize(
    "second",
    [
        "ونقلت الإذاعة المحلية على لسانه أن الطريق ستفتح غدا.",
        "ونقلت الإذاعة المحلية عنه قوله إن الطريق ستفتح غدا.",
        "وأكد معاليه أن الطريق ستفتح غدا.",
    ],
)
def test_a_pronoun_source_is_the_latest_speaker_agreeing_with_it_not_the_relay(second: str) -> None:
    text = "وقالت الكاتبة منى رشيد إن الموسم ناجح. وقال المهندس حسان داود إن العمل مستمر. " + second
    assert speaker_of(text, "الطريق") == "حسان داود"
    feminine = second.replace("لسانه", "لسانها").replace("عنه", "عنها").replace("معاليه", "معاليها")
    assert speaker_of(text.replace(second, feminine), "الطريق") == "منى رشيد"


def test_a_source_named_after_an_is_kept_over_a_later_pronoun() -> None:
    text = "وقال المهندس حسان داود إن العمل مستمر. ونقلت الإذاعة عن مصادر لم تكشف عنها القول إن الطريق ستفتح."
    assert speaker_of(text, "الطريق") == "مصادر"


def test_implicit_cue_takes_the_subject_of_the_verb_after_a_fronted_adverbial() -> None:
    text = (
        "وقال وزير الخارجية سامي الكردي إن المفاوضات مستمرة. "
        "وفي كلمة له أشاد رئيس الوزراء نبيل فهمي أمس بجهود الوسطاء. "
        "وقال إن الاتفاق قريب."
    )
    assert speaker_of(text, "الاتفاق") == "نبيل فهمي"


def test_a_participle_takes_the_subject_of_the_verb_after_a_comma_set_adverbial() -> None:
    text = (
        "وقالت المتحدثة باسم الوزارة هالة منصور إن الرحلات عادت. "
        "وصباح الخميس، التقى وزير النقل كريم عادل بممثلي الشركات، مؤكدا أن الأسعار لن ترتفع."
    )
    (quote,) = [q for q in rules().extract(text) if q.text.startswith("الأسعار")]
    assert quote.speaker.name == "كريم عادل"
    assert quote.speaker.mention == "وزير النقل كريم عادل"


def test_a_name_inside_a_fronted_adverbial_is_no_subject() -> None:
    text = 'وقال المدرب فريد سالم: "الفريق جاهز". وبشأن المهاجم رامي نصار تابع: إن اللاعب سيعود قريبا.'
    assert speaker_of(text, "اللاعب") == "فريد سالم"


def test_a_verb_after_an_adverbial_with_an_unnamed_subject_names_no_speaker() -> None:
    text = (
        "وقال الباحث سامر خليل إن العادة قديمة. "
        "وفي بعض المدن يعرف باسم يوم الصيد لأن الناس اعتقدوا أن الأسماك كثيرة."
    )
    assert speaker_of(text, "الأسماك") != "باسم"


def test_a_verb_after_a_subordinator_is_no_subject_of_a_later_cue() -> None:
    text = "وقال المدرب فريد سالم إن الفريق جاهز. وعندما سئل سالم عن المباراة المقبلة، أجاب إن المنافس قوي."
    assert speaker_of(text, "المنافس") == "فريد سالم"


def test_a_participle_names_the_subject_after_a_fronted_adverbial_up_to_a_coordinated_verb() -> None:
    text = (
        "وقال المدير سامي فهد إن الوضع هادئ. "
        "وفي هذه الأثناء، وصل النقيب كريم نصار وقام بتفتيش المكان قائلا إن المنطقة آمنة."
    )
    (quote,) = [q for q in rules().extract(text) if q.text.startswith("المنطقة")]
    assert quote.speaker.mention == "النقيب كريم نصار"


def test_a_long_title_between_cue_and_opener_is_taken_with_the_name_it_ends_in() -> None:
    text = (
        "وفي مقابلة مع الإذاعة، قال مدير إدارة العمليات البحرية في هيئة الموانئ الوطنية العقيد الركن "
        "سامي فهد إن الموانئ تعمل."
    )
    assert speaker_of(text, "الموانئ") == "سامي فهد"


def test_a_long_phrase_that_ends_in_no_person_name_names_no_speaker() -> None:
    text = "وقال المنسق الجهوي في ولاية تكساس للمنطقة الدولية لعمليات الإنقاذ تحت الماء إن الخيار خطير."
    (quote,) = [q for q in rules().extract(text) if q.text.startswith("الخيار")]
    assert quote.speaker.mention is None


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ('لكن هالة منصور، مؤسسة جمعية "النور"، تقول إن التمويل ناقص.', "هالة منصور"),
        ("ونقلت وكالات أنباء إن وزير الدفاع، كريم عادل، قال إن التمويل ناقص.", "كريم عادل"),
        ("وإسرائيل، من جانبها، قالت إن التمويل ناقص.", "إسرائيل"),
        ("لكن الدراسة، التي نشرت في دورية علمية، أفادت بأن التمويل ناقص.", "الدراسة"),
    ],
)
def test_the_subject_before_a_phrase_set_off_by_commas_speaks(sentence: str, speaker: str) -> None:
    text = "وقال المدير سامي فهد إن الخطة جاهزة. " + sentence
    assert speaker_of(text, "التمويل") == speaker


def test_a_participle_takes_the_subject_of_a_bare_verb_opening_its_sentence() -> None:
    text = (
        "وقال المدير سامي فهد إن الخطة جاهزة. "
        "أعرب الاتحاد الإقليمي اليوم عن أسفه للقرار، معلنا أنه سيطبق قانونا جديدا."
    )
    assert speaker_of(text, "سيطبق") == "الاتحاد الإقليمي"


def test_a_cue_right_after_a_document_reports_its_issuer() -> None:
    text = (
        "وأعلن الاتحاد الإقليمي أن القانون جاهز. "
        "بينما أصدر صندوق التنمية الوطني بيانا اعتبر فيه أن الإجراءات ستضر بالاقتصاد."
    )
    assert speaker_of(text, "الإجراءات") == "صندوق التنمية الوطني"


def test_a_name_after_an_attached_preposition_is_an_object_not_the_subject_of_an_implicit_cue() -> None:
    text = (
        "وقال رئيس الوزراء سامر نبيل إن الاقتصاد ينمو. وقالت منظمة الصحة العالمية إن الوباء انحسر. "
        "وقال نبيل إن الاستثمار مهم. كما أثنى على الدعم المقدم لمنظمة الصحة العالمية، مشيرا إلى أن "
        "المستشفيات جاهزة."
    )
    assert speaker_of(text, "المستشفيات") == "سامر نبيل"


def test_an_implicit_cue_skips_a_subject_in_its_sentence_whose_gender_a_mention_showed_otherwise() -> None:
    text = (
        "وقالت الوزيرة ليلى حداد إن المفاوضات مستمرة. وسبق أن قال الوزير سامي فؤاد إنه اتفق مع الجانب"
        " الآخر على موعد للقاء، غير أن الحكومة الأخرى تغيبت عن الاجتماع وأجرت اتصالا هاتفيا مع اللجنة"
        " قائلة إنها تحتاج إلى وقت."
    )
    assert speaker_of(text, "تحتاج") != "سامي فؤاد"


def test_a_relaying_verb_agrees_with_the_relay_not_with_the_source_it_names() -> None:
    text = (
        "وقال الرئيس كمال منصور إن الانتخابات ستجري في موعدها. ونقلت الصحيفة عن الوزير سامي فؤاد قوله"
        " إن الميزانية جاهزة. وأضاف أن الضرائب لن ترتفع."
    )
    assert speaker_of(text, "الضرائب") == "سامي فؤاد"


def test_a_singular_verb_before_its_subject_says_nothing_of_the_subjects_number() -> None:
    text = (
        "ويقول مسؤولون في الميناء إن الشحنات تأخرت. وقالت الوزيرة ليلى حداد إن الحكومة تتابع الأمر."
        " وأضافوا أن السفن ما زالت تنتظر."
    )
    assert speaker_of(text, "السفن") == "مسؤولون في الميناء"


def test_a_subject_after_the_verb_that_starts_with_a_place_ends_before_the_indefinite_object() -> None:
    text = (
        "وقال رئيس الوزراء الياباني إن المحادثات مفيدة. سجلت اليابان إنتاجا يوميا قياسيا من الصلب للشهر"
        " الثالث، وأشارت إلى أن المصانع تعمل بكامل طاقتها."
    )
    assert speaker_of(text, "المصانع") == "اليابان"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "وقال النائب كمال منصور إن الخطة ممتازة. وأضاف منصور أن التمويل متوفر، لكن المتحدث باسم"
            " الوزارة نفى ذلك وقال إن الخطة لم تكتمل.",
            "المتحدث باسم الوزارة",
        ),
        (
            "وقال النائب كمال منصور إن الخطة ممتازة، لكن المتحدثة باسم الوزارة ليلى حداد نفت ذلك وقالت إن"
            " الخطة لم تكتمل.",
            "ليلى حداد",
        ),
    ],
)
def test_the_subject_a_connector_of_contrast_puts_before_the_cue_is_the_nearer_referent(
    text: str, speaker: str
) -> None:
    assert speaker_of(text, "الخطة لم") == speaker


def test_a_mined_given_name_after_a_bare_opening_verb_is_its_subject() -> None:
    text = "طالب محمد سعيد الخبير الاقتصادي الحكومة بخفض الضرائب، لكنه أكد أن الاقتصاد يتعافى."
    assert speaker_of(text, "الاقتصاد") == "محمد سعيد"


def test_a_short_feminine_verb_opening_the_sentence_gives_an_implicit_cue_its_subject() -> None:
    text = (
        "وقال الوزير سامي فؤاد إن الأسعار مستقرة. ودعت جمعية حماية المستهلك إلى مقاطعة السلع المستوردة،"
        " وأكدت أن الأسعار ارتفعت."
    )
    assert speaker_of(text, "الأسعار ارتفعت") == "جمعية حماية المستهلك"


def test_the_subject_of_a_cue_verb_that_opened_no_quote_is_the_referent_of_a_later_cue() -> None:
    text = (
        "وقال الوزير سامي فؤاد إن الأسعار مستقرة. ونفت جمعية حماية المستهلك وجود أي نقص في السلع، وأكدت"
        " أن السوق يحتاج إلى رقابة."
    )
    assert speaker_of(text, "السوق") != "سامي فؤاد"  # the association (its name runs into the object)


def test_a_cue_right_after_a_relative_pronoun_refers_to_its_antecedent() -> None:
    text = (
        "وقال الوزير سامي فؤاد إن الحدود آمنة. ونفى رئيس الوزراء عادل حمدي وجود أزمة، مستشهدا بتصريح"
        " أدلى به الرئيس السابق كمال منصور، الذي أكد أن الحوار ضروري."
    )
    assert speaker_of(text, "الحوار") == "كمال منصور"


def test_a_document_in_construct_with_a_body_stands_for_that_body() -> None:
    assert speaker_of("وقال بيان وزارة الزراعة إن المحصول وفير هذا الموسم.", "المحصول") == "وزارة الزراعة"
    text = "وقالت هيئة الطرق الوطنية إن الجسر مغلق. وأضاف بيان الهيئة أن الأشغال ستستمر شهرا."
    assert speaker_of(text, "الأشغال") == "هيئة الطرق الوطنية"


def test_a_document_in_construct_with_a_topic_or_an_unnamed_generic_stays_the_document() -> None:
    assert speaker_of("وأشار تقرير التنمية البشرية إلى أن الفقر تراجع.", "الفقر") == "تقرير التنمية البشرية"
    assert speaker_of("وذكر تقرير المنظمة أن السجون مكتظة.", "السجون") == "تقرير المنظمة"


def test_a_bare_title_with_a_nationality_is_not_linked_to_the_same_office_of_another_country() -> None:
    text = (
        "وقال الرئيس الأمريكي جو هاريس إن التجارة مهمة. "
        "وأعلن رئيس الوزراء الإيطالي ماركو فيلي والرئيس الفرنسي جان لوران أنهما سيلتقيان قريبا. "
        "وقال الرئيس هاريس إن الرسوم باقية. "
        "وقال لوران إن الحوار ضروري. وأضاف الرئيس الفرنسي إن الاتفاق ممكن."
    )
    assert speaker_of(text, "الاتفاق") == "لوران"


def test_a_relayed_source_is_read_as_a_speaker_phrase_apposition_and_speech_noun_included() -> None:
    apposed = "ونقلت الوكالة عن مندوب البلاد لدى المنظمة الدولية، سامي وليد، قوله إن الحوار مستمر."
    assert speaker_of(apposed, "الحوار") == "سامي وليد"
    ended = "ونقلت صحف محلية عن النادي الأهلي تأكيده أن الصفقة انتهت."
    assert speaker_of(ended, "الصفقة") == "النادي الأهلي"


def test_a_plural_cue_refers_to_a_group_of_people_not_to_one_person_named_before() -> None:
    text = (
        "وقال الوزير سامي كريم إن الطريق مغلق. "
        "وقد شهدت المدينة نزاعا بين الجيش والمتمردين من أقليات عرقية يؤكدون أنهم يتعرضون للتهميش."
    )
    assert speaker_of(text, "يتعرضون") == "المتمردين"


def test_a_generic_noun_stands_for_the_body_the_text_named_before_with_that_noun() -> None:
    report = 'وأظهر تقرير حديث لشركة "نجمة للأبحاث" أن النمو سيتباطأ. وأشارت الشركة إلى أن الأسعار سترتفع.'
    assert speaker_of(report, "الأسعار") == "نجمة للأبحاث"  # the quoted proper name (GUIDELINES: فوربس، سيفو)
    front = "ونشرت صحيفة الفجر الجديد على صفحتها الأولى صورة للفائز. الصحيفة قالت إن الحزب فاز بأغلبية كبيرة."
    assert speaker_of(front, "الحزب") == "صحيفة الفجر الجديد"


def test_the_antecedent_of_a_subject_relative_pronoun_speaks_not_the_object_after_the_verb() -> None:
    described = (
        "وقال العلماء إن الموقع قديم. "
        'وتحدث الباحثون الذين وصفوا النقوش الجديدة بأنها "أقدم رسم معروف" في المنطقة.'
    )
    assert speaker_of(described, "أقدم") == "الباحثون"
    advised = "وجاء القرار بناء على توصيات اللجنة العلمية التي رأت أن المشروع مفيد للمدينة."
    assert speaker_of(advised, "المشروع") == "اللجنة العلمية"


def test_a_connector_or_preposition_with_a_pronoun_names_no_speaker() -> None:
    contrast = (
        "وقال الوزير سامي كريم إن الطريق مغلق. وزارت الوزيرة هدى سالم المدينة أمس. "
        "لكنها قالت إنها تشعر بالقلق."
    )
    assert speaker_of(contrast, "تشعر") == "هدى سالم"
    during = "وألقى الوزير سامي كريم كلمة أمام البرلمان، وقال خلالها إن الميزانية متوازنة."
    assert speaker_of(during, "الميزانية") == "سامي كريم"


def test_the_words_after_a_plural_cue_verb_are_its_object_not_its_subject() -> None:
    text = (
        "وقال الوزير سامي كريم إن الطريق مغلق. "
        "وتظاهر المزارعون أمام البرلمان، ووصفوا القرار الجديد بأنه ظالم للقرى."
    )
    assert speaker_of(text, "ظالم") == "المزارعون"
    adverb = "وتجمع المحتجون في الساحة، وقالوا حينها إن المطالب لم تتحقق."
    assert speaker_of(adverb, "المطالب") == "المحتجون"


def test_a_plural_cue_finds_a_broken_plural_of_people_the_corpus_shows_before_plural_verbs() -> None:
    text = (
        "وقال الوزير سامي كريم إن الطريق مغلق. "
        "وذكرت الإذاعة المحلية أن زعماء القبائل رفضوا الخطة مؤكدين أن المطالب لم تتحقق."
    )
    assert speaker_of(text, "المطالب") == "زعماء"


def test_a_plural_cue_finds_the_group_of_a_sentence_before_its_own() -> None:
    text = (
        "وقال الوزير سامي كريم إن الطريق مغلق. وردد المحتجون هتافات غاضبة أمام المبنى. "
        "كما طالبوا في هتافاتهم الحكومة بالرحيل، مؤكدين أنهم لن يتراجعوا."
    )
    assert speaker_of(text, "لن") == "المحتجون"


def test_a_plural_cue_finds_a_group_after_a_quantity_noun_or_a_plural_in_construct() -> None:
    quantity = (
        "وقال الوزير سامي كريم إن الطريق مغلق. ويعتقد كثير من الناس بوجود الأشباح فيقولون إن البيت مسكون."
    )
    assert speaker_of(quantity, "البيت") == "كثير من الناس"  # the share of the group that spoke first
    construct = (
        "وقال الوزير سامي كريم إن الطريق مغلق. "
        "وعندما رأى لاعبو الفريق الجمهور خارج الملعب، ظنوا أن المباراة انتهت."
    )
    assert speaker_of(construct, "المباراة") == "لاعبو الفريق"


def test_a_generic_noun_in_a_press_review_is_the_body_its_own_paragraph_names() -> None:
    text = (
        "وقالت صحيفة الفجر الجديد إن الحكومة ستسقط قريبا.\n"
        "وفي موضوع آخر، نشرت صحيفة تاغبلوند مقالا طويلا عن الانتخابات. الصحيفة تقول إن المعارضة ستفوز."
    )
    assert speaker_of(text, "المعارضة") == "صحيفة تاغبلوند"


def test_a_dual_cue_is_plural_and_the_words_after_it_are_not_its_speaker() -> None:
    assert DEFAULT.CUE_FORMS["وقالتا"].plural and DEFAULT.CUE_FORMS["يؤكدان"].plural
    text = (
        'وقال الوزير سامي كريم إن الطريق مغلق. وقال الثنائي للصحفيين: "نحن جاهزون". '
        'وواصلا بقولهما: "الفوز ممكن".'
    )
    assert speaker_of(text, "الفوز") == "الثنائي"


def test_a_dual_cue_after_a_coordinated_subject_takes_both_speakers_as_one() -> None:
    text = (
        "وقال الوزير سامي كريم إن الطريق مغلق. "
        "وأعلنت السعودية والإمارات استئناف الرحلات الجوية، وقالتا إن الخلاف انتهى."
    )
    assert speaker_of(text, "الخلاف") == "السعودية والإمارات"
    # the pair's entity keeps out of its member's: a later quote of one member names that member alone
    text += " وقالت الإمارات في بيان إن السفارة ستفتح قريبا."
    assert speaker_of(text, "السفارة") == "الإمارات"


def test_the_speakers_listed_after_kull_min_speak_together() -> None:
    text = (
        "وقال الوزير سامي كريم إن الطريق مغلق. "
        "وأعلنت كل من شركة النور المصرية وشركة الأمل الأردنية أنهما ستندمجان العام المقبل."
    )
    assert speaker_of(text, "ستندمجان") == "شركة النور المصرية وشركة الأمل الأردنية"
    listed = (
        "وقال الوزير سامي كريم إن الطريق مغلق. وأكدت كل من السعودية والإمارات والكويت أن العقوبات ستستمر."
    )
    assert speaker_of(listed, "العقوبات") == "السعودية والإمارات والكويت"


def test_a_dual_cue_after_kana_with_a_coordinated_subject_speaks_for_both() -> None:
    text = "وكانت مصر والأردن قد أيدتا الاتفاق، واعتبرتا أنه يخدم السلام."
    assert speaker_of(text, "يخدم") == "مصر والأردن"


# The entity model (``attribution/entities.py``, issue 16): a description links to the one named entity
# whose attributes fit it, and stays a description where none or several fit.


def test_an_office_with_a_nationality_is_the_person_the_text_gave_that_nationality() -> None:
    text = (
        "وبرر الممثل الأمريكي للتجارة جون ستيلمان الرسوم الجديدة أمام الصحفيين. "
        "وقال المسؤول الأمريكي إن الشركاء التجاريين لم يحترموا التزاماتهم."
    )
    assert speaker_of(text, "الشركاء") == "جون ستيلمان"


def test_two_people_who_fit_a_description_equally_leave_the_description() -> None:
    text = (
        "ووصل الممثل الأمريكي للتجارة جون ستيلمان إلى العاصمة الصينية. "
        "ورافقه وزير الخزانة الأمريكي مارك برايتون في الزيارة. "
        "وقال المسؤول الأمريكي إن الشركاء التجاريين لم يحترموا التزاماتهم."
    )
    assert speaker_of(text, "الشركاء") == "المسؤول الأمريكي"


def test_a_title_with_a_nationality_is_the_counterpart_of_that_nationality_not_another_president() -> None:
    text = (
        "وقال الرئيس ترامب إن بلاده ستتخذ قرارها قريبا. "
        "وتباحث ترامب مع نظيره الفرنسي إيمانويل ماكرون بشأن الرد. "
        "كما أكد الرئيس الفرنسي أن لديه الدليل على الهجوم."
    )
    assert speaker_of(text, "لديه") == "إيمانويل ماكرون"


def test_a_title_apposed_to_a_name_between_commas_names_the_later_bare_title() -> None:
    text = (
        "واستقبل عميد كلية الآداب، كمال الهادي، وفدا من الطلبة المحتجين. "
        "وأوضح العميد أن الامتحانات ستجرى في موعدها."
    )
    assert speaker_of(text, "الامتحانات") == "كمال الهادي"


def test_a_body_noun_alone_is_the_one_body_the_text_named_in_full_with_that_noun() -> None:
    text = (
        "ووزع برنامج الإغاثة الإقليمي مساعدات غذائية على آلاف الأسر في المدينة. "
        "وأعلن البرنامج أنه سيواصل التوزيع حتى نهاية الشهر."
    )
    assert speaker_of(text, "سيواصل") == "برنامج الإغاثة الإقليمي"


def test_an_indefinite_description_introduces_someone_new() -> None:
    text = "وقال الصحفي مارتن كولار إن الوضع هادئ. ونقلت الصحيفة عن صحفي آخر قوله إن الشرطة أطلقت النار."
    assert speaker_of(text, "الشرطة") != "مارتن كولار"


@pytest.mark.parametrize(
    ("word", "kin"),
    [
        ("نجله", True),
        ("ابنته", True),
        ("والدتها", True),
        ("أخوه", True),
        ("زوجته", True),
        ("عميد", False),
        ("أمين", False),
        ("خالد", False),
        ("جديد", False),
        ("أبو", False),
        ("أما", False),
    ],
)
def test_a_kinship_noun_is_the_noun_or_it_with_a_pronoun_not_any_word_that_begins_like_one(
    word: str, kin: bool
) -> None:
    from worker.attribution.speakers import is_kinship
    from worker.text import fold

    assert is_kinship(DEFAULT, fold(word)) is kin


def test_a_title_noun_without_the_article_governs_the_common_noun_after_it() -> None:
    text = "عميد كلية الحقوق سمير البكوش"
    info = analyse(DEFAULT, tokenize(text), text)
    assert [t.fold for t in info.name] == ["سمير", "البكوش"]


def test_a_numbered_report_speaks_for_the_body_a_relative_clause_says_issued_it() -> None:
    text = (
        "وأوضح التقرير الـ 12 الذي صدر عن هيئة الرقابة المالية أن الديون ارتفعت. "
        "وكشف التقرير أن الودائع تراجعت خلال العام."
    )
    assert speaker_of(text, "الديون") == "هيئة الرقابة المالية"
    assert speaker_of(text, "الودائع") == "هيئة الرقابة المالية"


def test_a_titled_name_cut_in_running_text_keeps_its_two_parts_past_a_name_link() -> None:
    text = "واستقبل المبعوث الخاص يوهان دي فريس رئيس البلدية في مكتبه. وقال دي فريس إن اللقاء كان مثمرا."
    assert speaker_of(text, "اللقاء") == "يوهان دي فريس"


def test_a_generic_noun_is_the_body_a_description_and_a_quoted_name_introduced() -> None:
    text = (
        'وتلقى عشرات الركاب في رحلة لشركة الطيران الاقتصادي "سكاي لاين" العلاج بعد هبوط اضطراري، '
        "وفقا للشرطة المحلية. وقالت الشركة إن الطائرة هبطت بسلام."
    )
    assert speaker_of(text, "الطائرة") == "سكاي لاين"


def test_a_name_in_construct_after_a_preposition_is_no_subject_of_a_later_implicit_cue() -> None:
    text = (
        "وقال الرئيس الأمريكي دونالد ترامب إن العلاقات جيدة، بعد لقائه وزير الخارجية مايك بومبيو. "
        "أما عن ذهاب بومبيو إلى الرياض، فكشف الرئيس الأمريكي أن لدى وزيره تعليمات واضحة، "
        "وأضاف قائلا إن الوضع مقلق."
    )
    assert speaker_of(text, "الوضع") == "دونالد ترامب"


def test_the_topic_of_amma_is_the_name_apposed_to_its_description() -> None:
    text = (
        "وقال رئيس الحزب كمال العربي إن المؤتمر ناجح. "
        "أما القيادي بالحزب، سالم الجبالي، فقال إن الانتخابات ستجرى في موعدها."
    )
    assert speaker_of(text, "الانتخابات") == "سالم الجبالي"


def test_a_spokesman_of_a_quoted_body_is_the_spokesman_the_text_named() -> None:
    text = (
        "وقال المتحدث باسمها العقيد خالد المحجوب إن القوات تقدمت. "
        'وصرح المتحدث باسم "القوات الوطنية" بأن المعارك توقفت.'
    )
    assert speaker_of(text, "المعارك") == "خالد المحجوب"


def test_a_name_apposed_to_a_title_that_ends_in_a_quoted_body_names_its_holder() -> None:
    text = 'وقال الرئيس التنفيذي لشركة "نوفا تك"، جيمس هارلو، إن المبيعات ارتفعت.'
    assert speaker_of(text, "المبيعات") == "جيمس هارلو"


def test_a_titled_name_chain_is_registered_though_its_first_word_is_a_common_word() -> None:
    from worker.attribution.article import Article
    from worker.attribution.entities import gather

    text = "علق رئيس الهيئة العامة للرياضة تركي آل الشيخ، الإثنين، على أزمة الفريق."
    a = Article(text, DEFAULT, [])
    gather(a)
    assert [e.name for e in a.registry.entities] == ["تركي آل الشيخ"]


@pytest.mark.parametrize(
    "mention",
    ["أمير منطقة الجوف", "أمير تبوك", "مدرب أرسنال", "مستشار ماكرون"],
)
def test_a_lone_word_after_a_title_without_the_article_completes_the_office(mention: str) -> None:
    info = analyse(DEFAULT, tokenize(mention), mention)
    assert info.name == [] and info.kind == "person"


def test_the_holder_of_an_office_completed_by_a_lone_word_is_the_name_the_text_gave() -> None:
    text = (
        "وقال مدرب الاتحاد، البرتغالي نونو ألميدا، إن الفريق جاهز. "
        "وأكد مدرب الاتحاد أن الإصابات لن تؤثر على المباراة."
    )
    assert speaker_of(text, "الإصابات") == "نونو ألميدا"


@pytest.mark.parametrize(
    ("mention", "name"),
    [
        ("المذيع أحمد موسى", "أحمد موسى"),
        ("البروفسور جون ماثيوز", "جون ماثيوز"),
        ("القيادي محمد عبو", "محمد عبو"),
    ],
)
def test_a_word_with_the_article_before_a_name_is_its_role_not_its_first_word(
    mention: str, name: str
) -> None:
    info = analyse(DEFAULT, tokenize(mention), mention)
    assert " ".join(mention[t.start : t.end] for t in info.name) == name and len(info.title) == 1


def test_a_family_name_with_the_article_still_opens_no_role() -> None:
    mention = "الخطيب محمد علي"
    assert analyse(DEFAULT, tokenize(mention), mention).title == []


def test_a_generic_noun_takes_the_body_named_with_a_mined_place_nearest_before_it() -> None:
    text = (
        "صحيفة لوسوار البلجيكية كتبت أن الحكومة تواجه أزمة.. "
        "صحيفة فنلندا تايمز عادت على زيارة الوفد الأخيرة.. "
        "وقالت الصحيفة إن الزيارة كانت ناجحة."
    )
    assert speaker_of(text, "الزيارة") == "صحيفة فنلندا تايمز"


def test_a_report_in_a_named_medium_stands_for_that_medium() -> None:
    text = "ووفقا لتقرير في صحيفة لوموند الفرنسية، فإن الحكومة تستعد لإعلان خطة جديدة."
    assert speaker_of(text, "الحكومة") == "صحيفة لوموند الفرنسية"


def test_a_titled_person_after_an_attached_preposition_is_gathered() -> None:
    """للرئيس الأميركي دونالد ترامب (ل + the title) names a titled person like الرئيس الأميركي X does: a
    later bare office (الرئيس الأمريكي، another spelling of the nationality) links to him."""
    text = (
        "وقال القائد سامر كريم موجها خطابه للرئيس الأميركي دونالد ترامب إن الحرب قريبة. "
        "وكان الرئيس الأمريكي رد على التهديد، وقال في تغريدة إن إيران ستواجه تبعات."
    )
    assert speaker_of(text, "إيران ستواجه") == "دونالد ترامب"


def test_a_title_beside_another_persons_name_is_not_linked_by_a_shared_given_name() -> None:
    # the title stands beside حسن روحاني, whom the text never registers; the حسن the article names
    # later is someone else, so the description stays as written rather than a guessed name
    text = (
        "وحضر الرئيس الروسي، فلاديمير بوتين والرئيس الإيراني، حسن روحاني، القمة في طهران. "
        'وقال الرئيس الإيراني في كلمته: "إيران تؤكد الحوار". '
        "وروى حسن نصرالله، الأمين العام لحزب الله، تفاصيل الحادث."
    )
    assert speaker_of(text, "إيران تؤكد") == "الرئيس الإيراني"
