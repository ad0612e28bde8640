"""How ``quote-worker extract`` writes quote records: JSON lines, CSV for a spreadsheet, or a table for
a person at a terminal. Each writer takes records one at a time, so that output streams."""

from __future__ import annotations

import io
import shutil
import unicodedata
from collections.abc import Callable
from typing import Any, BinaryIO, Protocol

import orjson

from worker.spreadsheet import Column, SheetWriter

FORMATS = ("jsonl", "csv", "table")
ELLIPSIS = "…"

#: The CSV's columns: (header, how to get it from a record). Names shared with the store's CSV
#: (``GET /v1/quotes?format=csv``) mean the same thing there.
CSV_COLUMNS: tuple[Column, ...] = (
    ("article_id", lambda r: r["article_id"]),
    ("quote_id", lambda r: r["quote_id"]),
    ("type", lambda r: r["type"]),
    ("speaker", lambda r: r["speaker"]["name"]),
    ("speaker_mention", lambda r: r["speaker"]["mention"]),
    ("speaker_kind", lambda r: r["speaker"]["kind"]),
    ("cue", lambda r: r["cue"]["text"]),
    ("quote", lambda r: r["text"]),
    ("field", lambda r: r["field"]),
    ("start", lambda r: r["span"][0]),
    ("end", lambda r: r["span"][1]),
    ("confidence", lambda r: r["confidence"]),
)


class RecordWriter(Protocol):
    def write(self, record: dict[str, Any]) -> None: ...

    def flush(self) -> None: ...

    def finish(self) -> None: ...


class JsonLinesWriter:
    """One record per line, exactly as the worker publishes it."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out

    def write(self, record: dict[str, Any]) -> None:
        self.out.write(orjson.dumps(record) + b"\n")

    def flush(self) -> None:
        self.out.flush()

    def finish(self) -> None:
        self.out.flush()


class _TextWriter:
    """Text on top of the binary output; never closes it (standard output stays usable)."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)

    def flush(self) -> None:
        self.text.flush()
        self.out.flush()

    def finish(self) -> None:
        self.flush()
        self.text.detach()  # a wrapper collected later would close the output under it


class CsvWriter(_TextWriter):
    """A BOM, a header row, then one row per quote (RFC 4180 line ends)."""

    def __init__(self, out: BinaryIO) -> None:
        super().__init__(out)
        self.sheet = SheetWriter(self.text, CSV_COLUMNS)

    def write(self, record: dict[str, Any]) -> None:
        self.sheet.write(record)


def display_width(text: str) -> int:
    """Columns the text takes on a terminal: combining marks (Arabic diacritics) take none."""
    return sum(1 for ch in text if not unicodedata.combining(ch))


def fit(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` columns with … where it was longer, padded to ``width``."""
    text = " ".join(text.split())
    if display_width(text) > width:
        kept: list[str] = []
        used = 0
        for ch in text:
            step = 0 if unicodedata.combining(ch) else 1
            if used + step > width - 1:
                break
            kept.append(ch)
            used += step
        text = "".join(kept) + ELLIPSIS
    return text + " " * (width - display_width(text))


class TableWriter(_TextWriter):
    """Aligned columns as wide as the terminal (``COLUMNS``, else 120); the quote takes what is left."""

    #: (header, width, how to get it from a record); the quote column comes last and takes the rest.
    COLUMNS: tuple[tuple[str, int, Callable[[dict[str, Any]], Any]], ...] = (
        ("ARTICLE", 22, lambda r: r["article_id"]),
        ("TYPE", 8, lambda r: r["type"]),
        ("SPEAKER", 18, lambda r: r["speaker"]["name"] or r["speaker"]["mention"] or "?"),
        ("CUE", 8, lambda r: r["cue"]["text"]),
        ("CONF", 4, lambda r: f"{r['confidence']:.2f}"),
    )
    SEPARATOR = "  "
    MIN_QUOTE = 20

    def __init__(self, out: BinaryIO) -> None:
        super().__init__(out)
        total = shutil.get_terminal_size((120, 24)).columns
        fixed = sum(width for _, width, _ in self.COLUMNS) + len(self.SEPARATOR) * len(self.COLUMNS)
        self.quote_width = max(self.MIN_QUOTE, total - fixed)
        header = [fit(name, width) for name, width, _ in self.COLUMNS] + ["QUOTE"]
        self._line(header)
        self._line(["-" * width for _, width, _ in self.COLUMNS] + ["-" * self.quote_width])

    def _line(self, cells: list[str]) -> None:
        self.text.write(self.SEPARATOR.join(cells).rstrip() + "\n")

    def write(self, record: dict[str, Any]) -> None:
        cells = [fit(str(get(record)), width) for _, width, get in self.COLUMNS]
        self._line([*cells, fit(record["text"], self.quote_width)])


def writer_for(fmt: str, out: BinaryIO) -> RecordWriter:
    if fmt == "csv":
        return CsvWriter(out)
    if fmt == "table":
        return TableWriter(out)
    return JsonLinesWriter(out)
