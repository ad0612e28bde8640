"""What words a speaker mention takes (issue 16's kind 3, third round): a word with ل or ب attached after
a title is the body, place or field of the office, not the name's first word; a source phrase's ل or ب
is no part of the source's name. Sentences written for these tests, read with the shipped lexicon."""

from __future__ import annotations

import pytest
from rules_extractor import rules

from worker.attribution import names
from worker.lexicon import DEFAULT
from worker.text import fold


def speaker(text: str) -> str | None:
    (q,) = rules().extract(text)
    return q.speaker.name or q.speaker.mention


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # ل + a body, then the person: the name starts after the complement
        ("وقال المدير الفني لبرشلونة ماركوس فيلاندر إن الفريق جاهز للمباراة.", "ماركوس فيلاندر"),
        # بال + a field and its adjective, then the apposed name
        ("وقال الأستاذ المصري بالطب الشرعي، حازم الشريف، إن التقرير ناقص.", "حازم الشريف"),
        # no name after the complement: the office is the speaker, not بواشنطن or بالجيش
        ("وقال السفير الياباني بواشنطن إن المحادثات ستستأنف الشهر المقبل.", "السفير الياباني بواشنطن"),
        ("وقال قائد الكتيبة بالجيش الكيني إن الهدوء عاد إلى المنطقة.", "قائد الكتيبة بالجيش الكيني"),
        # ل + a construct noun takes its complement with it: شمال الأطلسي is the alliance, no one's name
        ("وقال الأمين العام لحلف شمال الأطلسي إن الحلف لا يريد التصعيد.", "الأمين العام لحلف شمال الأطلسي"),
    ],
)
def test_a_prepositional_complement_after_a_title_is_no_part_of_the_name(text: str, name: str) -> None:
    assert speaker(text) == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # given names that look like ب / ل + a word, right before a family name, stay names
        ("وقال المتحدث باسم البلدية بسام الخطيب إن الطريق سيفتح غدا.", "بسام الخطيب"),
        ("وقالت المتحدثة باسم المجلس لبنى حداد إن الجلسة أجلت.", "لبنى حداد"),
    ],
)
def test_a_given_name_that_looks_like_a_preposition_and_a_word_stays_the_name(text: str, name: str) -> None:
    assert speaker(text) == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("ووفقا للمصادر، فإن الاجتماع سيعقد غدا في العاصمة.", "المصادر"),
        ("ووفقا لمصادر عسكرية، فإن القوات انسحبت من المدينة.", "مصادر عسكرية"),
        ("ووفقا لمراسل القناة، فإن الاشتباكات توقفت مساء الأحد.", "مراسل القناة"),
        # ل + لجنة is written للجنة too; before a nisba adjective the noun is definite
        ("ووفقا للجنة حماية الصحفيين، فإن عدد المعتقلين ارتفع.", "لجنة حماية الصحفيين"),
        ("ووفقا للجنة الدولية للصليب الأحمر، فإن عدد المعتقلين ارتفع.", "اللجنة الدولية للصليب الأحمر"),
    ],
)
def test_a_source_phrase_names_its_source_without_the_preposition(text: str, name: str) -> None:
    assert speaker(text) == name


@pytest.mark.parametrize(
    ("word", "after", "source"),
    [
        ("للمصادر", "", "المصادر"),
        ("لرويترز", "", "رويترز"),  # a body the corpus names often
        ("لولا", "", None),  # ل + a function word: a name (or the particle)
        ("بيان", "", None),  # a word of its own
        ("بايدن", "", None),  # ب + a bare word: a name
        ("باسم", "", None),  # a given name
    ],
)
def test_the_word_a_source_preposition_governs(word: str, after: str, source: str | None) -> None:
    found = names.source_after_preposition(DEFAULT, fold(word), fold(after))
    assert found == (fold(source) if source else None)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # the verb's object pronoun (عنه، عليه، به …) comes before its subject: the subject speaks
        ("ووفقا لما أعلنت عنه وزارة الصحة، فإن عدد الإصابات ارتفع.", "وزارة الصحة"),
        ("وهو ما رد عليه المحافظ جمال الراشد بأن الطريق سيفتح قريبا.", "جمال الراشد"),
        # no subject after it (an adverbial): the speaker is the one the text spoke of
        ("وانتقد الوزير سامي العطار القرار. ورد عليها سريعا بأن الطريق سيفتح قريبا.", "سامي العطار"),
    ],
)
def test_an_object_pronoun_before_the_subject_is_no_part_of_the_speaker(text: str, name: str) -> None:
    quotes = rules().extract(text)
    assert [q.speaker.name for q in quotes][-1:] == [name]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a speech noun the verb governs with ب stands where a subject would: the speaker is implicit
        ('وقال الوزير سامي العطار إن الخطة جاهزة. وواصل بقوله: "سنبدأ التنفيذ الشهر المقبل".', "سامي العطار"),
        # an adverbial pronoun phrase (خلالها) before the subject
        (
            "وعقد الوزير سامي العطار مؤتمرا صحفيا، قال خلالها المتحدث باسمه رامي النجار إن الخطة جاهزة.",
            "رامي النجار",
        ),
    ],
)
def test_a_governed_noun_or_adverbial_pronoun_is_no_speaker(text: str, name: str) -> None:
    assert [q.speaker.name for q in rules().extract(text)][-1] == name
