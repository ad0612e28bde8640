"""``quote-worker extract``: article messages or plain-text files in, quote records out.

Input, per FILE (``-`` or none: standard input):

- JSON lines, one article message a line (``schemas/article.schema.json``); blank lines are skipped.
- Plain text: the whole file is one article whose id is the file's name (``stdin`` for standard input).

``--input-format auto`` (the default) takes ``*.jsonl``/``*.ndjson``/``*.json`` as JSON lines, ``*.txt``
as plain text, and otherwise looks at the first non-blank line: JSON lines if it starts with ``{``.

Output (``--format``): ``jsonl``, the records as the worker publishes them; ``csv``, one row per quote
for a spreadsheet (UTF-8 with a BOM, so that Excel shows Arabic); ``table``, aligned columns for a person
at a terminal. While it runs, a progress line on standard error when that is a terminal; at the end, one
summary line there (articles, quotes, bad inputs, seconds).

A bad message (not UTF-8, not JSON, not an article, too large, empty text, or an extraction failure) is
reported on standard error as ``FILE:LINE: what is wrong [reason_code]`` and skipped; the others are still
processed. Exit status: 0 when every input was processed, 1 when any file or line was bad (with
``--strict``, at the first one, and nothing after it is read), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import BinaryIO

import orjson

from worker.commands.common import add_backend_args, make_extractor
from worker.commands.quote_output import FORMATS, RecordWriter, writer_for
from worker.extractor import Extractor
from worker.records import DEFAULT_MAX_BYTES, Outcome, process_batch

STDIN = "-"
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json"})
TEXT_SUFFIXES = frozenset({".txt", ".text"})
#: Messages handed to the extractor at once when reading a file (a batching backend gains from it);
#: standard input goes one line at a time so that a pipe sees each article's records at once.
FILE_BATCH = 64
UTF8_BOM = b"\xef\xbb\xbf"
INPUT_FORMATS = ("auto", "jsonl", "text")
#: Seconds between two redraws of the progress line.
PROGRESS_EVERY = 0.2

DESCRIPTION = "Extract quote records from article messages (JSON lines) or plain-text files."
EPILOG = """\
input: JSON lines (one article message per line, as the worker reads them) or plain text (the
whole file is one article, id = the file name). Bad lines are reported on stderr as
FILE:LINE: message [reason] and skipped.

output: jsonl (default) the records as the worker publishes them, one per line; csv one row per
quote (article_id, quote_id, type, speaker, speaker_mention, speaker_kind, cue, quote, field, start,
end, confidence), UTF-8 with a BOM so that spreadsheets show Arabic; table aligned columns for
reading at a terminal, long quotes cut with an ellipsis. A progress line goes to stderr when it is
a terminal, and a summary line (articles, quotes, bad inputs, seconds) at the end.

exit status: 0 all input processed; 1 some file or line was bad (the rest was still processed,
unless --strict stopped at the first); 2 usage error.
"""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "extract",
        help="extract quote records from article messages (JSON lines) or plain-text files",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="input files; '-' or none: standard input")
    p.add_argument("-o", "--output", metavar="FILE", help="write the records here (default: standard output)")
    p.add_argument(
        "--format",
        type=_output_format,
        default="jsonl",
        metavar="{" + ",".join(FORMATS) + "}",
        help="output format (default: %(default)s)",
    )
    p.add_argument(
        "--input-format",
        choices=INPUT_FORMATS,
        default="auto",
        help="input format (default: %(default)s, by file suffix, else by the first non-blank line)",
    )
    p.add_argument("--strict", action="store_true", help="stop at the first bad file or line (exit 1)")
    p.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help="largest accepted message in bytes (default: %(default)s)",
    )
    add_backend_args(p)
    p.set_defaults(func=run)


def _output_format(value: str) -> str:
    if value in FORMATS:
        return value
    hint = "; the input format is chosen with --input-format" if value in INPUT_FORMATS else ""
    raise argparse.ArgumentTypeError(f"{value!r} is not one of {', '.join(FORMATS)}{hint}")


class _Progress:
    """One line on standard error, redrawn in place, only when standard error is a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.shown = False

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def draw(self, line: str) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.drawn_at < PROGRESS_EVERY:
            return
        self.drawn_at = now
        sys.stderr.write(f"\r\x1b[K{line}")
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        """Before any other line goes to standard error."""
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            self.shown = False


class _Stop(Exception):
    """--strict: the first bad input ends the run."""


class _Run:
    def __init__(self, extractor: Extractor, out: RecordWriter, max_bytes: int, strict: bool) -> None:
        self.extractor = extractor
        self.out = out
        self.max_bytes = max_bytes
        self.strict = strict
        self.bad = 0
        self.articles = 0
        self.quotes = 0
        self.progress = _Progress()
        self.reading: tuple[str, BinaryIO, int] | None = None  # name, stream, size (0: unknown)

    def counts(self) -> str:
        return f"{self.articles} article(s), {self.quotes} quote(s), {self.bad} bad input(s)"

    def show_progress(self) -> None:
        if not self.progress.enabled:
            return
        where = ""
        if self.reading is not None:
            name, stream, size = self.reading
            where = f"{name}: " + (f"{100 * stream.tell() // size}%, " if size else "")
        self.progress.draw(f"{where}{self.counts()}, {self.progress.elapsed():.0f} s")

    def fail(self, where: str, message: str) -> None:
        self.bad += 1
        self.progress.clear()
        print(f"{where}: {message}", file=sys.stderr, flush=True)
        if self.strict:
            raise _Stop

    def emit(self, where: str, outcome: Outcome) -> None:
        if outcome.error is not None:
            err = outcome.error
            self.fail(where, f"{err.message} [{err.reason}]")
            return
        self.articles += 1
        self.quotes += len(outcome.records)
        for record in outcome.records:
            self.out.write(record)
        self.show_progress()

    def messages(self, name: str, numbered: Iterator[tuple[int, bytes]], batch: int) -> None:
        """Process ``(line number, message)`` pairs, ``batch`` at a time."""
        while chunk := list(islice(numbered, batch)):
            outcomes = process_batch([raw for _, raw in chunk], self.extractor, self.max_bytes)
            for (lineno, _), outcome in zip(chunk, outcomes, strict=True):
                self.emit(f"{name}:{lineno}", outcome)
            if batch == 1:
                self.out.flush()

    def plain_text(self, name: str, article_id: str, data: bytes) -> None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.fail(name, f"not valid UTF-8 at byte {exc.start}: {exc.reason} [not_utf8]")
            return
        message = orjson.dumps({"id": article_id, "text": text.removeprefix("\ufeff")})
        outcome = process_batch([message], self.extractor, self.max_bytes)[0]
        self.emit(name, outcome)


def _numbered_lines(first_lineno: int, lines: Iterator[bytes]) -> Iterator[tuple[int, bytes]]:
    """Non-blank lines with their 1-based numbers, starting the count at ``first_lineno``."""
    for lineno, line in enumerate(lines, first_lineno):
        if line.strip():
            yield lineno, line


def _size(stream: BinaryIO) -> int:
    """The size of a regular file, else 0 (a pipe, a terminal)."""
    try:
        st = os.fstat(stream.fileno())
    except (OSError, ValueError):
        return 0
    return st.st_size if stat.S_ISREG(st.st_mode) else 0


def _read_one(run: _Run, name: str, stream: BinaryIO, fmt: str, interactive: bool) -> None:
    display = "<stdin>" if name == STDIN else name
    run.reading = (display, stream, 0 if interactive else _size(stream))
    article_id = "stdin" if name == STDIN else Path(name).name
    if fmt == "auto":
        suffix = Path(name).suffix.lower()
        fmt = "jsonl" if suffix in JSONL_SUFFIXES else "text" if suffix in TEXT_SUFFIXES else "auto"
    # Leading blank lines are kept aside so that line numbers stay right and plain text stays whole.
    head: list[bytes] = []
    for line in stream:
        head.append(line)
        if line.strip():
            break
    if head:
        head[0] = head[0].removeprefix(UTF8_BOM)
    if fmt == "auto":
        fmt = "jsonl" if head and head[-1].lstrip().startswith(b"{") else "text"
    if fmt == "text":
        data = b"".join(head) + stream.read()
        run.plain_text(display, article_id, data)
        return
    lines = _numbered_lines(1, iter(head))
    rest = _numbered_lines(len(head) + 1, iter(stream))
    run.messages(display, lines, 1)
    run.messages(display, rest, 1 if interactive else FILE_BATCH)


def run(args: argparse.Namespace) -> int:
    names: list[str] = args.files or [STDIN]
    if args.max_bytes <= 0:
        print("quote-worker extract: --max-bytes must be positive", file=sys.stderr)
        return 2
    extractor = make_extractor(args)  # once: patterns compiled and models loaded a single time
    out: BinaryIO
    if args.output:
        try:
            out = open(args.output, "wb")  # noqa: SIM115 - closed below
        except OSError as exc:
            print(f"quote-worker extract: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
            return 2
    else:
        out = sys.stdout.buffer
    writer = writer_for(args.format, out)
    run_ = _Run(extractor, writer, args.max_bytes, args.strict)
    try:
        for name in names:
            if name == STDIN:
                _read_one(run_, name, sys.stdin.buffer, args.input_format, interactive=True)
                continue
            try:
                stream = open(name, "rb")  # noqa: SIM115 - closed below
            except OSError as exc:
                run_.fail(name, f"cannot read: {exc.strerror or exc}")
                continue
            with stream:
                try:
                    _read_one(run_, name, stream, args.input_format, interactive=False)
                except OSError as exc:  # e.g. a directory, or an I/O error mid-file
                    run_.fail(name, f"cannot read: {exc.strerror or exc}")
            writer.flush()
    except _Stop:
        pass
    finally:
        writer.finish()
        if args.output:
            out.close()
    run_.progress.clear()
    print(f"quote-worker extract: {run_.counts()}, {run_.progress.elapsed():.1f} s", file=sys.stderr)
    return 1 if run_.bad else 0
