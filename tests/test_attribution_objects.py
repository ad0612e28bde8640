"""The object of a cue verb taken for its speaker (issue 16, kind 2, the wrong entity): a verb that
never leaves its object out (وصف، اتهم) with only that object after it, and the audience told after a
verb of telling (أبلغ الصحفيين). Sentences written for these tests."""

from __future__ import annotations

from rules_extractor import speakers_and_texts


# --- a describing or accusing verb with only its object after it --------------------------------
def test_the_one_described_is_no_speaker_the_implicit_subject_is() -> None:
    text = 'قالت الوزيرة سارة منصور إن الحكومة ستدرس الملف. كما وصفت القرار بأنه "خطوة متسرعة".'
    assert ("سارة منصور", "خطوة متسرعة") in speakers_and_texts(text)


def test_the_one_accused_is_no_speaker() -> None:
    text = 'قال الرئيس سامر خليل إن بلاده لن تتراجع. وكان قد اتهم الحكومة "بالتقصير الفادح".'
    assert ("سامر خليل", "بالتقصير الفادح") in speakers_and_texts(text)


def test_a_subject_before_the_verb_speaks_for_its_object() -> None:
    text = 'وأشاد النائب كريم داود بالخطة، وكان داود الذي وصف الاتفاق الجديد "بالمجحف" قد صوت ضده.'
    assert ("كريم داود", "بالمجحف") in speakers_and_texts(text)


def test_a_subject_and_object_after_the_verb_keep_the_subject() -> None:
    text = 'ووصفت المتحدثة باسم الوزارة ريم حداد القرار بأنه "متسرع".'
    assert [s for s, _ in speakers_and_texts(text)] == ["ريم حداد"]
    text = 'ووصف زياد بيرقدار، رئيس لجنة المتابعة، ما جرى بأنه "تجاوز خطير".'
    assert [s for s, _ in speakers_and_texts(text)] == ["زياد بيرقدار"]


def test_two_places_after_an_accusing_verb_are_subject_and_object() -> None:
    text = 'اتهمت روسيا بريطانيا بـ"اختلاق قصة" حول القضية، وحذرتها من "اللعب بالنار".'
    assert [s for s, _ in speakers_and_texts(text)] == ["روسيا", "روسيا"]
    text = "وأبلغت موسكو بريطانيا أنها ستطرد عشرة دبلوماسيين."
    assert [s for s, _ in speakers_and_texts(text)] == ["روسيا"]


def test_two_family_names_after_a_describing_verb_are_subject_and_object() -> None:
    text = 'ووصف أردوغان نتنياهو "بالإرهابي". ووصف نتنياهو أردوغان سابقا "بالرجل الذي يقصف القرى".'
    assert [s for s, _ in speakers_and_texts(text)] == ["أردوغان", "نتنياهو"]


def test_a_full_name_after_a_describing_verb_stays_whole() -> None:
    text = 'ووصف حسن نصر الله الخطوة بأنها "خطيرة".'
    assert [s for s, _ in speakers_and_texts(text)] == ["حسن نصر الله"]


def test_an_object_pronoun_on_the_verb_leaves_the_words_after_it_the_subject() -> None:
    text = 'ووصفه وزير الخارجية سامر خليل بأنه "شريك موثوق".'
    assert [s for s, _ in speakers_and_texts(text)] == ["سامر خليل"]


# --- the audience told after a verb of telling ----------------------------------------------------
def test_the_press_told_is_no_speaker() -> None:
    text = 'وقال المدرب سامر خليل إن الفريق جاهز. وأبلغ الصحفيين بعد التدريب أن "المباراة صعبة".'
    assert ("سامر خليل", "المباراة صعبة") in speakers_and_texts(text)
    text = "وكان المدير الرياضي سامر خليل أبلغ موقع النادي بأن اللاعب وقع عقدا جديدا."
    assert [s for s, _ in speakers_and_texts(text)] == ["سامر خليل"]


def test_the_press_told_after_the_speaker_is_cut_off() -> None:
    text = 'وأبلغ اللاعب البرازيلي الصحفيين "الموسم كان صعبا علينا".'
    assert [s for s, _ in speakers_and_texts(text)] == ["اللاعب البرازيلي"]


def test_a_body_told_after_a_body_is_left_to_the_phrase_reader() -> None:
    text = "وأبلغت الشركة الوزارة أنها ستغلق المصنع."
    assert [s for s, _ in speakers_and_texts(text)] == ["الشركة"]


def test_a_media_word_completing_a_construct_is_no_audience() -> None:
    text = 'وأبلغت إدارة الموقع المراسلين "قمنا بحذف المواد المخالفة".'
    assert [s for s, _ in speakers_and_texts(text)] == ["إدارة الموقع"]
