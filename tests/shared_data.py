"""Where the shared, read-only data lives (the dev set, the corpus, the small stanza model).

By default it is the ``shared`` folder beside the repository (``../shared``). ``QUOTE_WORKER_SHARED``
points it elsewhere; CI sets it to an empty folder to run the suite as a user's clone would, where
every test that needs the shared data skips with its reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("QUOTE_WORKER_SHARED") or REPO.parent / "shared").resolve()
DEV = SHARED / "eval" / "dev.jsonl"
SCORE_PY = SHARED / "eval" / "score.py"
CORPUS = SHARED / "corpus" / "ant2-unlabeled.jsonl.gz"
SMALL_MODEL = SHARED / "models" / "stanza-ar-small"


def needs(path: Path) -> pytest.MarkDecorator:
    """Skip unless ``path`` (a file or folder under the shared data) exists."""
    return pytest.mark.skipif(
        not path.exists(),
        reason=f"{path} is absent: the shared data lives beside the repository (../shared) "
        "or where QUOTE_WORKER_SHARED points",
    )
