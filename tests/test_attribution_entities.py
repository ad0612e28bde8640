"""The entity model (``worker/attribution/entities.py``): a description the article gives a person it
names elsewhere is answered with that person's name, on sentences written for these tests."""

from __future__ import annotations

from rules_extractor import rules, speakers

from worker.attribution.article import Article
from worker.attribution.entities import gather
from worker.attribution.speakers import EntityRegistry
from worker.text import tokenize


def test_a_title_apposed_after_a_name_is_that_persons_title() -> None:
    # NAME، TITLE،: the title set off by commas after the name is gathered as the person's title
    text = 'وقال جواو فيريرا، المدير الفني لنادي فالنسيا الإسباني، إن "الفريق جاهز للمباراة".'
    a = Article(text, rules().lexicon)
    gather(a)
    (e,) = [e for e in a.registry.entities if e.name == "جواو فيريرا"]
    assert any("مدير" in t for t in e.titles)


def test_a_verb_before_the_apposed_name_is_not_part_of_it() -> None:
    text = "وانتقد فيريرا، مدرب الفريق، الحكم بشدة. وقال المدرب إن الحكم أخطأ."
    a = Article(text, rules().lexicon)
    gather(a)
    assert not any((e.name or "").startswith("وانتقد") for e in a.registry.entities)


def test_a_role_with_the_lead_speakers_nationality_is_that_person() -> None:
    # the press varies the office of the person the story is about: قائد … → اللاعب البرتغالي
    text = (
        'أكد قائد المنتخب البرتغالي جواو فيريرا أن "الفريق قادر على الفوز".\n'
        'وقال اللاعب البرتغالي في مؤتمر صحفي إن "المباراة المقبلة صعبة".'
    )
    assert speakers(text) == ["جواو فيريرا", "جواو فيريرا"]


def test_a_role_after_an_apposed_title_takes_the_persons_name() -> None:
    text = (
        'قال جواو فيريرا، المدير الفني لنادي فالنسيا الإسباني، إن "الفريق جاهز".\n'
        'وأضاف المدرب الإسباني أن "اللاعبين في حالة جيدة".'
    )
    assert speakers(text) == ["جواو فيريرا", "جواو فيريرا"]


def test_a_role_stays_a_description_when_two_persons_share_its_nationality() -> None:
    text = (
        'أكد قائد المنتخب البرتغالي جواو فيريرا أن "الفريق قادر على الفوز".\n'
        "وكان المدافع البرتغالي بيدرو سيلفا قد غاب عن التدريب.\n"
        'وقال اللاعب البرتغالي إن "المباراة المقبلة صعبة".'
    )
    assert speakers(text)[-1] == "اللاعب البرتغالي"


def test_an_indefinite_role_introduces_someone_new() -> None:
    text = (
        'أكد قائد المنتخب البرتغالي جواو فيريرا أن "الفريق قادر على الفوز".\n'
        'وقال لاعب في المنتخب البرتغالي إن "المباراة المقبلة صعبة".'
    )
    assert speakers(text)[-1] != "جواو فيريرا"


def test_a_role_of_another_nationality_is_not_the_lead_speaker() -> None:
    text = (
        'أكد قائد المنتخب البرتغالي جواو فيريرا أن "الفريق قادر على الفوز".\n'
        'وقال اللاعب الإيطالي إن "المباراة المقبلة صعبة".'
    )
    assert speakers(text)[-1] == "اللاعب الإيطالي"


def test_a_headlines_label_is_the_person_the_lead_names() -> None:
    # مدرب إيطاليا: … then the lead names him with the nationality of that country
    text = (
        "مدرب إيطاليا: لن نلعب بطريقة دفاعية أمام المنتخب الإسباني\n"
        'قال جواو فيريرا المدير الفني للمنتخب الإيطالي إن "الفريق جاهز للمباراة".'
    )
    assert speakers(text) == ["جواو فيريرا", "جواو فيريرا"]


def test_a_headlines_label_of_another_country_stays() -> None:
    text = (
        "مدرب روسيا: لن نلعب بطريقة دفاعية أمام المنتخب الإسباني\n"
        'قال جواو فيريرا المدير الفني للمنتخب الإيطالي إن "الفريق جاهز للمباراة".'
    )
    assert speakers(text)[0] == "مدرب روسيا"


def test_a_generic_noun_takes_the_body_named_in_full_before_it() -> None:
    # the registry could not take الهيئة up when it spoke (no body of its head had spoken or been
    # registered); the body named before it in full is its referent
    text = (
        "أعلنت الهيئة الوطنية للطاقة المتجددة عن خطة جديدة للعام المقبل.\n"
        'وقالت الهيئة في بيان إن "الخطة تشمل عشرة مشاريع".'
    )
    assert speakers(text)[-1] == "الهيئة الوطنية للطاقة المتجددة"


def test_a_body_named_in_a_hashtag_is_read_word_by_word() -> None:
    text = (
        "أعلنت #الهيئة_الوطنية_للطاقة_المتجددة عن خطة جديدة للعام المقبل.\n"
        'وقالت الهيئة في بيان إن "الخطة تشمل عشرة مشاريع".'
    )
    assert speakers(text)[-1] == "الهيئة الوطنية للطاقة المتجددة"


def test_a_bodys_name_ends_before_the_words_that_follow_it() -> None:
    # وزارة الدفاع الكندية [مقاضاة …]: the verbal noun after the name is not part of it
    text = 'قررت وزارة الدفاع الكندية مقاضاة الشركة بسبب الصور.\nوقالت الوزارة إن "الصور تكشف مواقع حساسة".'
    assert speakers(text)[-1] == "وزارة الدفاع الكندية"


def test_a_generic_noun_with_two_bodies_of_its_head_stays() -> None:
    text = (
        "التقى وفد من وزارة الدفاع الكندية بممثلين عن وزارة الخارجية الفرنسية.\n"
        'وقالت الوزارة إن "اللقاء كان مثمرا".'
    )
    assert speakers(text)[-1] == "الوزارة"


def test_a_role_is_the_lead_speaker_when_no_one_else_is_named_before_it() -> None:
    text = (
        'قال المدير الرياضي جواو فيريرا إن "الفريق جاهز للبطولة".\n'
        'وأشار المهاجم الدولي السابق إلى أن "اللاعبين في حالة جيدة".'
    )
    assert speakers(text) == ["جواو فيريرا", "جواو فيريرا"]


def test_a_role_stays_when_another_person_is_named_before_it() -> None:
    text = (
        'قال المدير الرياضي جواو فيريرا إن "الفريق جاهز للبطولة".\n'
        "وكان المدرب بيدرو سيلفا قد اختار القائمة.\n"
        'وأشار المهاجم الدولي السابق إلى أن "اللاعبين في حالة جيدة".'
    )
    assert speakers(text)[-1] == "المهاجم الدولي السابق"


def test_a_title_of_another_nationality_is_another_person() -> None:
    # once an apposed title is gathered, وزير الخارجية الأمريكي must not match the Saudi minister
    reg = EntityRegistry(rules().lexicon)
    saudi = "وزير الخارجية السعودي عادل الحربي"
    minister, _ = reg.resolve(saudi, tokenize(saudi), 0)
    american = "وزير الخارجية الأمريكي"
    other, _ = reg.resolve(american, tokenize(american), 50)
    assert other is not minister
    again = "وزير الخارجية السعودي"
    same, _ = reg.resolve(again, tokenize(again), 90)
    assert same is minister


def test_a_name_written_as_a_hashtag_is_answered_as_words() -> None:
    text = 'قال رئيس الوزراء #سامي_الخطيب إن "الحكومة ستعلن خطتها قريبا".'
    assert speakers(text) == ["سامي الخطيب"]


def test_a_name_apposed_as_a_hashtag_is_the_titles_holder() -> None:
    text = (
        'قال رئيس الوزراء الكندي، #سامي_الخطيب، إن "الحكومة ستعلن خطتها قريبا".\n'
        'وأضاف رئيس الوزراء الكندي أن "الخطة جاهزة".'
    )
    assert speakers(text) == ["سامي الخطيب", "سامي الخطيب"]


def test_a_generic_noun_is_the_body_of_its_head_not_the_latest_body_that_spoke() -> None:
    text = (
        "أعلنت وزارة الخارجية الكندية استدعاء السفير.\n"
        'وذكرت صحيفة "التايمز" أن "السفير غادر البلاد".\n'
        'وقالت الوزارة إن "القرار نهائي".'
    )
    assert speakers(text)[-1] == "وزارة الخارجية الكندية"


def test_a_document_noun_keeps_its_issuer() -> None:
    text = 'قالت وزارة الخارجية الكندية في بيان إن "القرار نهائي".\nوأضاف البيان أن "السفير سيغادر".'
    assert speakers(text)[-1] == "وزارة الخارجية الكندية"


def test_a_definite_head_and_the_noun_after_it_are_no_bodys_name() -> None:
    # وتدعو الهيئة المحاكم: المحاكم is the verb's object, not the rest of the body's name
    text = 'وتدعو الهيئة المحاكم للطعن في القانون.\nوقالت الهيئة إن "القانون غير دستوري".'
    assert all(not (s or "").startswith("الهيئة المحاكم") for s in speakers(text))


def test_a_title_whose_complement_comes_before_the_comma_keeps_its_apposed_name() -> None:
    # TITLE [لدى …]، X Y،: the title's complement stands between the title and the apposed name
    text = (
        "أعرب السفير الروسي لدى الولايات المتحدة، أناتولي أنتونوف، عن قلق بلاده من التصعيد.\n"
        "وأضاف السفير أن بلاده لن تقبل بذلك."
    )
    assert speakers(text) == ["أناتولي أنتونوف"]


def test_an_apposed_name_with_a_family_link_is_a_name() -> None:
    # X آل Y: the word a link joins is a name part, whatever the lexicon says of it alone
    text = (
        "التقى رئيس الهيئة العامة للرياضة، تركي آل الشيخ، بالوفد الزائر.\n"
        "وقال رئيس الهيئة إن الاجتماع كان مثمرا."
    )
    assert speakers(text) == ["تركي آل الشيخ"]


def test_an_apposition_with_its_own_rank_names_the_person() -> None:
    # TITLE، RANK X Y،: the apposition opens with the person's rank (العقيد الركن), the name after it
    text = (
        "أعلن المتحدث باسم قوات الأمن، العقيد الركن سامي المالكي، أن الهجوم فشل.\n"
        "وأضاف المتحدث أن القوات تتقدم نحو المدينة."
    )
    assert speakers(text) == ["سامي المالكي", "سامي المالكي"]


def test_a_long_title_read_as_a_body_keeps_the_apposed_persons_name() -> None:
    # a long title the analysis reads as a body's name (المفوض …) is given to the apposed person
    text = (
        "وقال المفوض السامي للأمم المتحدة لشؤون اللاجئين، فيليبو غراندي، إن الدعم الدولي ضروري.\n"
        "وأضاف غراندي أن الدول المضيفة تحتاج إلى المساعدة."
    )
    assert speakers(text) == ["فيليبو غراندي", "فيليبو غراندي"]


def test_a_clause_after_a_title_is_no_apposed_name() -> None:
    # TITLE في …، مخاطبا عمال …: a participle's clause after the comma, no person's name
    text = 'ألقى الملك في معبد المدينة كلمة، مخاطبا عمال المحاجر: "لكم مني كل الدعم".'
    a = Article(text, rules().lexicon)
    gather(a)
    assert not any((e.name or "").startswith("مخاطبا") for e in a.registry.entities)


def test_a_given_name_the_article_gave_another_person_does_not_cut_a_new_name() -> None:
    # the registry knows فلاديمير بوتين; فلاديمير سوروكين is someone else, not بوتين cut to فلاديمير
    text = (
        "وجه سكريبال رسالة إلى الرئيس الروسي، فلاديمير بوتين، قبل سنوات.\n"
        "وقال فلاديمير سوروكين إن صديقه كان يريد زيارة روسيا."
    )
    assert speakers(text) == ["فلاديمير سوروكين"]


def test_a_rank_before_a_name_with_a_definite_family_name() -> None:
    # TITLE، الدكتور X Y،: the rank read off, the family name a definite word (العلمي) the lexicon doubts
    text = (
        "توقع الخبير الكويتي في الأسواق المالية، الدكتور فواز العلمي، أن ترتفع الأسعار.\n"
        "وقال الخبير الكويتي إن السوق ستتعافى قريبا."
    )
    assert speakers(text) == ["فواز العلمي", "فواز العلمي"]


def test_a_name_right_after_a_quoted_body_with_no_comma() -> None:
    # TITLE لدى شركة "…" X Y إن: the name follows the body's quoted name without a comma
    text = (
        'وقال المحلل لدى مجموعة "النخيل للاستثمار" جاسبر لولر إن الأسواق قلقة.\n'
        "وأضاف المحلل أن المستثمرين ينتظرون."
    )
    assert speakers(text) == ["جاسبر لولر", "جاسبر لولر"]


def test_a_company_name_before_the_apposed_name_is_not_the_persons() -> None:
    # TITLE لشركة X، Y Z،: the mention's reading ran over the comma; the person is Y Z, not "X، Y Z"
    text = "قال المدير التنفيذي لشركة أوراكل، مارك هيرد، إن المبيعات ارتفعت."
    assert speakers(text) == ["مارك هيرد"]


def test_a_role_apposed_after_a_named_person_does_not_replace_him() -> None:
    # الدكتور X Y، أخصائي …،: the apposition after a person's own name describes him, no other person
    text = "يقول الدكتور سامي حداد، أخصائي القلب، إن المرضى بحاجة إلى رعاية."
    assert speakers(text) == ["سامي حداد"]


def test_a_family_is_not_the_person_apposed_to_its_relative() -> None:
    # عائلة TITLE "…"، X Y،: the name is the relative's; the family (a group the corpus sets before
    # plural verbs) stays the speaker
    text = 'نفت عائلة رئيس حزب "الأمل"، سامي حداد، أن يكون قد غادر البلاد.'
    assert speakers(text) == ["عائلة"]


def test_a_patronymic_link_alone_does_not_name_a_known_person() -> None:
    # بن جاسم after خالد بن أحمد: the link بن is in both names, the person is the one with جاسم
    text = (
        "وقال حمد بن جاسم إن الوضع صعب. وقال خالد بن أحمد إن الأمر محسوم. "
        "وقال بن جاسم في تغريدة إن الخلاف سينتهي."
    )
    assert speakers(text) == ["حمد بن جاسم", "خالد بن أحمد", "حمد بن جاسم"]
