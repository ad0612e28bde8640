"""Unit tests of resolving implicit speakers (``worker/attribution/resolve.py``): which entity a cue
with no speaker of its own (وقال، وأضاف، مؤكدا) refers to, on sentences written for these tests."""

from __future__ import annotations

from rules_extractor import speakers


# --- a new subject introduced by a verb that is no cue (issue 16, kind 2) ---------------------------
def test_a_negated_verb_opening_the_sentence_introduces_the_next_speaker() -> None:
    # ولم + a verb: the verb after the particle opens the clause, its subject speaks next
    text = (
        "قال رئيس البلدية يوسف العلي إن الطريق سيفتح قريبا. ولم يرغب ماتياس كورنفيلد في الحديث عن "
        "التفاصيل، وقال إن العمل سيستغرق شهرا."
    )
    assert speakers(text) == ["يوسف العلي", "ماتياس كورنفيلد"]


def test_a_particle_before_a_feminine_verb_introduces_the_next_speaker() -> None:
    text = (
        "قال رئيس البلدية يوسف العلي إن الطريق سيفتح قريبا. وقد وافقت الحكومة على الخطة، وقالت إن "
        "التمويل متاح."
    )
    assert speakers(text) == ["يوسف العلي", "الحكومة"]


def test_a_foreign_name_the_lexicon_does_not_know_is_the_subject_the_tagger_finds() -> None:
    # ينفي opened no quote of its own; its subject is a name no list knows: the learned tagger's PER
    text = (
        "قالت المتحدثة باسم الحكومة ليلى منصور إن الاجتماع تأجل. وينفي بيرغمولر الذي يقيم في فيينا أي "
        "دور له في التأجيل، ويقول إن القرار اتخذ دونه."
    )
    assert speakers(text) == ["ليلى منصور", "بيرغمولر"]


def test_a_country_of_two_words_is_a_subject_that_speaks() -> None:
    text = (
        "قال رئيس البلدية يوسف العلي إن الطريق سيفتح قريبا. ورفضت الولايات المتحدة الخطة الجديدة، "
        "وقالت إنها لا تلبي الشروط."
    )
    assert speakers(text) == ["يوسف العلي", "الولايات المتحدة"]


def test_the_object_of_a_cue_verb_with_no_subject_is_not_the_speaker() -> None:
    # ونفى إصدار …: the verb's subject is left implicit (the minister), its object names no one
    text = (
        "قال وزير المالية سامي كريم إن الميزانية جاهزة. ونفى إصدار أية سندات جديدة هذا العام، وأضاف "
        "أن العجز سينخفض."
    )
    assert speakers(text) == ["سامي كريم", "سامي كريم"]


# --- the subject of a clause of the cue's own sentence ----------------------------------------------
def test_the_subject_of_the_clause_before_the_cue_after_a_connector() -> None:
    # the sentence opens with a masculine subject; ثم opens the clause whose feminine subject speaks
    text = (
        "قال رئيس البلدية يوسف العلي إن الطريق سيفتح قريبا. وأعلن الحزب الحاكم فوزه في الانتخابات، ثم "
        "نشرت الشرطة حصيلة الضحايا صباح الأحد، وذكرت أن عددهم بلغ عشرة."
    )
    assert speakers(text) == ["يوسف العلي", "الشرطة"]


def test_a_participle_after_a_clause_opened_by_a_connector_inside_its_sentence() -> None:
    text = (
        "قالت الوزيرة منى حداد إن الخطة جاهزة. وتوالت التعليقات بعدما زار كريم يوسف أسرة الفقيد "
        "في المستشفى، قائلا إن الفقيد كان صديقا."
    )
    assert speakers(text) == ["منى حداد", "كريم يوسف"]


def test_a_sentence_opened_by_kama_and_a_verb_names_the_next_speaker() -> None:
    text = (
        "قال رئيس البلدية يوسف العلي إن الطريق سيفتح قريبا. كما تحدثت الكاتبة سلمى داود عن ضيفة أخرى. "
        "وتحكي أنها زارت المدينة."
    )
    assert speakers(text) == ["يوسف العلي", "سلمى داود"]


def test_a_bare_title_after_kama_leaves_the_speaker_to_the_named_person() -> None:
    # كما أبدى اللاعب السابق …: the title stands for the player named before, not a new speaker
    text = (
        "قال اللاعب سامر الخطيب إن الفريق سيعود أقوى. كما أبدى اللاعب الدولي السابق استياءه من "
        "الانتقادات، قائلا إنه يحترم الجمهور."
    )
    assert speakers(text) == ["سامر الخطيب", "سامر الخطيب"]


def test_a_possessed_noun_after_the_subject_is_the_verbs_object() -> None:
    # وأبدت الهيئة أسفها …: the body speaks, أسفها is what it expressed
    text = (
        "قال رئيس البلدية يوسف العلي إن الطريق سيفتح قريبا. وأبدت هيئة الطرق أسفها للتأخير، وقالت إن "
        "العمل سيستأنف غدا."
    )
    assert speakers(text)[1] == "هيئة الطرق"


def test_a_negated_verb_inside_the_sentence_names_the_subject_of_the_next_cue() -> None:
    # ولم + a verb: its subject (a place the lists may lack) speaks after لكنها
    text = (
        "قال رئيس البلدية يوسف العلي إن الطريق سيفتح قريبا. ولم تعلق كوستاريكا على تلك التقارير، "
        "لكنها قالت إن الحدود مفتوحة."
    )
    assert speakers(text) == ["يوسف العلي", "كوستاريكا"]


def test_a_clause_with_no_verb_is_passed_over_to_the_clause_with_the_subject() -> None:
    text = (
        "قالت الوزيرة منى حداد إن الخطة جاهزة. وإلى جانب ذلك فقد أعلن رئيس البلدية يوسف العلي عزمه "
        "على فرض رسوم جديدة، وذلك بهدف وضع حد لما يقول إنها فوضى في الأسواق."
    )
    assert speakers(text) == ["منى حداد", "يوسف العلي"]


def test_a_quantity_of_things_is_no_speaker() -> None:
    # فيما بلغ عدد التصاريح …: the clause's subject is a number of permits, not who speaks
    text = (
        "وقال المتحدث العسكري سامر الخطيب إن الموانئ تعمل. وأوضح أن الطائرات وصلت، فيما بلغ عدد "
        "التصاريح الجديدة عشرين تصريحا، مشيرا إلى أن الرحلات مستمرة."
    )
    assert speakers(text) == ["سامر الخطيب", "سامر الخطيب", "سامر الخطيب"]


def test_a_short_feminine_verb_opening_a_lede_agrees_with_a_feminine_cue_only() -> None:
    # دعت (three letters and ت) is feminine: its subject, not the minister named before, speaks
    text = (
        "وقال وزير الخارجية سامي كريم إن الحوار ممكن.\n\nدعت كوستاريكا الثلاثاء دول الجوار إلى الحوار "
        "معلنة أن الوقت قد حان للتعاون."
    )
    assert speakers(text) == ["سامي كريم", "كوستاريكا"]


def test_a_coordinated_cue_verb_goes_on_with_the_subject_of_the_nearest_clause() -> None:
    # فيما ترفض كوستاريكا …، وتؤكد: the verb continues the clause after فيما, not the sentence's subject
    text = (
        "وتقول الحكومة الجديدة إن الحدود آمنة، فيما ترفض كوستاريكا هذه الرواية وتؤكد أن المهربين "
        "يعبرون كل يوم."
    )
    assert speakers(text) == ["الحكومة الجديدة", "كوستاريكا"]


def test_a_verb_whose_root_ends_like_a_pronoun_opens_the_sentence() -> None:
    # واتهم ends like هم, yet the corpus knows اتهم as a verb: its apposed subject speaks next
    text = (
        "قال وزير النقل سامي كريم إن الخطة جاهزة. واتهم ماتياس كورنفيلد، مدير تحرير موقع السيارات، "
        "الحكومة بالتقصير. وأضاف أن الحظر بلا تفاصيل."
    )
    assert speakers(text) == ["سامي كريم", "ماتياس كورنفيلد"]


def test_a_bare_verb_after_a_fronted_phrase_and_a_comma_names_the_clause_subject() -> None:
    text = (
        "قال وزير الخارجية سامي كريم إن الحدود آمنة. وبالتزامن مع زيارة الوزير للعاصمة، شنت مديرة "
        "منظمة الحقوق ليلى منصور هجوما على الحكومة، وقالت إن السجون مكتظة."
    )
    assert speakers(text) == ["سامي كريم", "ليلى منصور"]


def test_a_bare_verb_after_a_fronted_subject_keeps_that_subject() -> None:
    # فالرئيس … X، يضع أوروبا …: the subject came before the comma; أوروبا is the verb's object
    text = (
        "قالت الوزيرة منى حداد إن الخطة جاهزة. فالرئيس الفرنسي جان لوران، يضع أوروبا ندا للقوى "
        "الكبرى، ويقول إن القارة مسؤولة عن أمنها."
    )
    assert "أوروبا" not in (speakers(text)[1] or "")
