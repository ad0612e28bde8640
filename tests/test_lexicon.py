"""The lexicon as data: the shipped folder loads into the names the rules use, a user's folder loads
in its place, and a broken folder is a clear error naming what is wrong."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from worker import lexicon as lx
from worker.commands.common import lexicon_folder
from worker.extractor import Extractor
from worker.lexicon import DEFAULT_DIR, Lexicon, LexiconError
from worker.text import fold


def test_module_names_are_the_shipped_lexicon() -> None:
    default = Lexicon.load()
    assert Lexicon.load(DEFAULT_DIR) is default  # read once per process
    assert lx.TITLE_HEADS is default.TITLE_HEADS and lx.CUE_FORMS is default.CUE_FORMS
    assert lx.is_title(fold("مدربه")) and lx.title_stem(fold("مدربه")) == fold("مدرب")


def test_derived_forms_are_computed_at_load() -> None:
    # inflections of a (past, present) pair, participles in every gender and number, both article forms
    assert lx.CUE_FORMS[fold("وقالت")].feminine is True
    assert lx.CUE_FORMS[fold("سيقولون")].plural is True
    assert lx.CUE_FORMS[fold("مشيرين")].kind == "participle"
    assert fold("وزير") in lx.TITLE_HEADS and fold("الوزير") in lx.TITLE_HEADS
    assert fold("الروسية") in lx.TITLE_COMPLEMENTS
    assert fold("أنهم") in lx.COMPLEMENTIZERS


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "lexicon"
    shutil.copytree(DEFAULT_DIR, folder)
    return folder


def test_a_users_folder_is_loaded_in_place_of_the_shipped_one(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    with (folder / "title_heads.txt").open("a", encoding="utf-8") as fh:
        fh.write("المايسترو\n")
    lexicon = Extractor("rules", lexicon=folder).lexicon
    assert lexicon.path == folder.resolve()
    assert lexicon.is_title(fold("المايسترو")) and not lx.is_title(fold("المايسترو"))


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "org_heads.txt").unlink()
    with pytest.raises(LexiconError, match=r"org_heads\.txt"):
        Lexicon.load(folder)
    with pytest.raises(LexiconError, match="does not exist"):
        Lexicon.load(tmp_path / "nowhere")


def test_a_malformed_line_is_named(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    with (folder / "speech_verbs.tsv").open("a", encoding="utf-8") as fh:
        fh.write("قال يقول\n")  # a space, not a tab
    with pytest.raises(LexiconError, match=r"speech_verbs\.tsv:\d+: expected 2"):
        Lexicon.load(folder)


def test_the_cli_option_rejects_a_bad_folder_as_a_usage_error(tmp_path: Path) -> None:
    import argparse

    with pytest.raises(argparse.ArgumentTypeError, match=r"lacks speech_verbs\.tsv"):
        lexicon_folder(str(tmp_path))
    assert lexicon_folder(str(DEFAULT_DIR)) == str(DEFAULT_DIR)
