"""Where the shared, read-only data lives (the dev set, the corpus, the small stanza model).

By default it is the ``shared`` folder beside the repository (``../shared``). ``QUOTE_WORKER_SHARED``
points it elsewhere; CI sets it to an empty folder to run the suite as a user's clone would, where
every test that needs the shared data skips with its reason. The benches (``bench/*.py``) take their
default paths from here too, so this file is the one place that knows where the data is; it imports
pytest only for ``needs``, so the benches run without it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("QUOTE_WORKER_SHARED") or REPO.parent / "shared").resolve()
DEV = SHARED / "eval" / "dev.jsonl"
# the ids of the 48 articles added to dev in December 2026, one per line (read unseen, then added)
DEV_ADDED = SHARED / "eval" / "dev-added-2026-12.txt"
SCORE_PY = SHARED / "eval" / "score.py"
CORPUS = SHARED / "corpus" / "ant2-unlabeled.jsonl.gz"
SMALL_MODEL = SHARED / "models" / "stanza-ar-small"


def absent(path: Path) -> str:
    """The reason to give when ``path`` is missing (a skip, a bench's note)."""
    return (
        f"{path} is absent: the shared data lives beside the repository (../shared) "
        "or where QUOTE_WORKER_SHARED points"
    )


def needs(path: Path) -> pytest.MarkDecorator:
    """Skip unless ``path`` (a file or folder under the shared data) exists."""
    import pytest

    return pytest.mark.skipif(not path.exists(), reason=absent(path))
