"""CSV for spreadsheets, one convention for every CSV the project writes (``extract --format csv`` and
the store's ``GET /v1/quotes?format=csv``): a UTF-8 byte-order mark first, so that Excel reads Arabic as
UTF-8; RFC 4180 line ends; one header row; an absent value as an empty cell."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from typing import Any, TextIO

BOM = "\ufeff"

#: A column: its header and how to get its value from one item.
Column = tuple[str, Callable[[dict[str, Any]], Any]]


class SheetWriter:
    """Writes the BOM and the header row of ``columns`` to ``out`` at once, then a row per item."""

    def __init__(self, out: TextIO, columns: Sequence[Column]) -> None:
        self.columns = columns
        out.write(BOM)
        self.rows = csv.writer(out, lineterminator="\r\n")
        self.rows.writerow([name for name, _ in columns])

    def write(self, item: dict[str, Any]) -> None:
        self.rows.writerow(["" if (v := get(item)) is None else v for _, get in self.columns])
