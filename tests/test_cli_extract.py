"""``quote-worker extract``: JSON lines and plain text in, quote records out; bad input reported with
file and line, the rest still processed, exit status 1 at the end (or at once with --strict)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from worker.records import validate

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "articles.jsonl"
PLAIN = ROOT / "samples" / "plain-article.txt"

GOOD_1 = {"id": "a1", "text": 'قال الوزير سامر الحلبي: "الخطة جاهزة للتنفيذ".'}
GOOD_2 = {"id": "a2", "text": 'وقال المتحدث باسم الحكومة: "الاجتماع سيعقد غدا".'}


def quote_worker(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "worker.cli", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        check=False,
        env={**os.environ, **(env or {})},
    )


def records(stdout: bytes) -> list[dict[str, Any]]:
    out = [json.loads(line) for line in stdout.decode("utf-8").splitlines()]
    for record in out:
        assert validate("quote", record) == [], record
    return out


def line(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False)


def test_samples_jsonl(tmp_path: Path) -> None:
    run = quote_worker("extract", str(SAMPLES))
    assert run.returncode == 0, run.stderr.decode()
    got = records(run.stdout)
    ids = {json.loads(x)["id"] for x in SAMPLES.read_text(encoding="utf-8").splitlines() if x.strip()}
    assert got and {r["article_id"] for r in got} <= ids
    out = tmp_path / "quotes.jsonl"
    again = quote_worker("extract", str(SAMPLES), "--output", str(out))
    assert again.returncode == 0 and again.stdout == b""
    assert out.read_bytes() == run.stdout  # deterministic, same records to a file


def test_bad_lines_are_reported_with_file_and_line_and_skipped(tmp_path: Path) -> None:
    src = tmp_path / "articles.jsonl"
    src.write_bytes(
        "\n".join(
            [
                line(GOOD_1),
                "{not json",
                "",
                line({"id": "no-text"}),
                line({"id": "blank", "text": "  "}),
                line(GOOD_2),
            ]
        ).encode()
        + b"\n\xff\xfe\n"
    )
    run = quote_worker("extract", str(src))
    err = run.stderr.decode()
    assert run.returncode == 1, err
    assert f"{src}:2: not JSON" in err and "[not_json]" in err
    assert f"{src}:4: " in err and "[schema_violation]" in err
    assert f"{src}:5: " in err and "[empty_text]" in err
    assert f"{src}:7: " in err and "[not_utf8]" in err
    assert f"{src}:1:" not in err and f"{src}:6:" not in err
    assert {r["article_id"] for r in records(run.stdout)} == {"a1", "a2"}


def test_strict_stops_at_the_first_bad_line(tmp_path: Path) -> None:
    src = tmp_path / "articles.jsonl"
    src.write_text("\n".join([line(GOOD_1), "[]", line(GOOD_2)]) + "\n", encoding="utf-8")
    run = quote_worker("extract", "--strict", str(src))
    assert run.returncode == 1
    err = run.stderr.decode()
    assert f"{src}:2:" in err and "[schema_violation]" in err
    assert {r["article_id"] for r in records(run.stdout)} <= {"a1"}
    assert "a2" not in {r["article_id"] for r in records(run.stdout)}


def test_plain_text_file_is_one_article_named_after_the_file() -> None:
    run = quote_worker("extract", str(PLAIN))
    assert run.returncode == 0, run.stderr.decode()
    got = records(run.stdout)
    assert got and {r["article_id"] for r in got} == {PLAIN.name}
    text = PLAIN.read_text(encoding="utf-8")
    for r in got:
        assert text[r["span"][0] : r["span"][1]] == r["text"]


def test_stdin_jsonl_and_plain_text() -> None:
    data = (line(GOOD_1) + "\n" + line(GOOD_2) + "\n").encode()
    run = quote_worker("extract", stdin=data)
    assert run.returncode == 0, run.stderr.decode()
    dash = quote_worker("extract", "-", stdin=data)
    assert dash.stdout == run.stdout
    plain = quote_worker("extract", "-", stdin=GOOD_1["text"].encode())
    assert plain.returncode == 0
    assert {r["article_id"] for r in records(plain.stdout)} <= {"stdin"}


def test_format_option_and_blank_leading_lines(tmp_path: Path) -> None:
    src = tmp_path / "messages.data"
    src.write_text("\n\n" + line(GOOD_1) + "\n{oops\n", encoding="utf-8")
    run = quote_worker("extract", str(src))  # sniffed as JSON lines: the first non-blank line is '{'
    assert run.returncode == 1 and f"{src}:4: not JSON" in run.stderr.decode()
    as_text = quote_worker("extract", "--input-format", "text", str(src))
    assert as_text.returncode == 0  # the whole file as one article


def test_unreadable_files_are_reported_and_the_rest_processed(tmp_path: Path) -> None:
    bad_text = tmp_path / "latin1.txt"
    bad_text.write_bytes("قال".encode() + b"\xe9t\xe9")
    missing = tmp_path / "missing.jsonl"
    run = quote_worker("extract", str(missing), str(tmp_path), str(bad_text), str(SAMPLES))
    err = run.stderr.decode()
    assert run.returncode == 1
    assert f"{missing}: cannot read" in err
    assert f"{tmp_path}: cannot read" in err
    assert f"{bad_text}: not valid UTF-8" in err and "[not_utf8]" in err
    assert records(run.stdout)  # the samples were still processed


def test_too_large(tmp_path: Path) -> None:
    src = tmp_path / "big.jsonl"
    src.write_text(line({"id": "big", "text": "قال " * 100}) + "\n", encoding="utf-8")
    run = quote_worker("extract", "--max-bytes", "50", str(src))
    assert run.returncode == 1 and f"{src}:1:" in run.stderr.decode() and "[too_large]" in run.stderr.decode()


@pytest.mark.parametrize(
    "argv",
    [
        ["extract", "--backend", "nope"],
        ["extract", "--max-bytes", "0"],
        ["extract", "--format", "xml"],
        ["extract", "--input-format", "csv"],
    ],
)
def test_usage_errors_exit_2(argv: list[str]) -> None:
    assert quote_worker(*argv, stdin=b"").returncode == 2


def test_an_input_format_given_to_format_says_where_it_goes() -> None:
    run = quote_worker("extract", "--format", "text", stdin=b"")
    assert run.returncode == 2 and b"--input-format" in run.stderr


def test_csv_reads_back_with_the_csv_module(tmp_path: Path) -> None:
    expected = records(quote_worker("extract", str(SAMPLES)).stdout)
    out = tmp_path / "quotes.csv"
    run = quote_worker("extract", str(SAMPLES), "--format", "csv", "-o", str(out))
    assert run.returncode == 0, run.stderr.decode()
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == len(expected) > 0
    for row, record in zip(rows, expected, strict=True):
        assert row["article_id"] == record["article_id"] and row["quote_id"] == record["quote_id"]
        assert row["type"] == record["type"] and row["cue"] == record["cue"]["text"]
        assert row["speaker"] == (record["speaker"]["name"] or "")
        assert row["quote"] == record["text"]  # Arabic intact, commas and quotes inside escaped
        assert (int(row["start"]), int(row["end"])) == tuple(record["span"])
        assert float(row["confidence"]) == record["confidence"]
    assert any(re.search("[\u0600-\u06ff]", row["quote"]) for row in rows)
    to_stdout = quote_worker("extract", str(SAMPLES), "--format", "csv")
    assert to_stdout.stdout == data


def test_csv_of_no_quotes_is_a_header_row() -> None:
    run = quote_worker("extract", "--format", "csv", "-", stdin=b"no quote here\n")
    assert run.returncode == 0
    rows = list(csv.reader(io.StringIO(run.stdout.decode("utf-8-sig"), newline="")))
    assert rows[0][:3] == ["article_id", "quote_id", "type"] and len(rows) == 1


def test_table_is_aligned_to_the_terminal_width_and_cuts_long_quotes() -> None:
    expected = records(quote_worker("extract", str(SAMPLES)).stdout)
    run = quote_worker("extract", str(SAMPLES), "--format", "table", env={"COLUMNS": "100"})
    assert run.returncode == 0, run.stderr.decode()
    lines = run.stdout.decode("utf-8").splitlines()
    assert lines[0].split() == ["ARTICLE", "TYPE", "SPEAKER", "CUE", "CONF", "QUOTE"]
    assert set(lines[1]) == {"-", " "}
    body = lines[2:]
    assert len(body) == len(expected)
    quote_at = lines[0].index("QUOTE")
    for text, record in zip(body, expected, strict=True):
        assert len(text) <= 100 and text.startswith(record["article_id"][:21])
        assert f"{record['confidence']:.2f}" in text
        shown = text[quote_at:]
        if len(record["text"]) > 100 - quote_at:
            assert shown.endswith("…") and record["text"].startswith(shown[:-1])
        else:
            assert shown == " ".join(record["text"].split())
    assert any(t.endswith("…") for t in body)


def test_summary_line_on_stderr() -> None:
    expected = records(quote_worker("extract", str(SAMPLES)).stdout)
    run = quote_worker("extract", str(SAMPLES))
    articles = sum(1 for x in SAMPLES.read_text(encoding="utf-8").splitlines() if x.strip())
    summary = run.stderr.decode().strip().splitlines()[-1]
    assert re.fullmatch(
        rf"quote-worker extract: {articles} article\(s\), {len(expected)} quote\(s\), 0 bad input\(s\), "
        r"\d+\.\d s",
        summary,
    ), summary
    assert "\r" not in run.stderr.decode()  # no progress line: stderr is not a terminal here
    bad = quote_worker("extract", "-", stdin=(line(GOOD_1) + "\n{oops\n").encode())
    assert bad.returncode == 1
    assert re.search(r"1 article\(s\), \d+ quote\(s\), 1 bad input\(s\)", bad.stderr.decode())


def test_progress_line_when_stderr_is_a_terminal() -> None:
    primary, secondary = os.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "worker.cli", "extract", str(SAMPLES)],
        stdout=subprocess.DEVNULL,
        stderr=secondary,
        cwd=ROOT,
    ) as proc:
        os.close(secondary)
        seen = b""
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:  # EIO: the process closed its end
                break
            if not chunk:
                break
            seen += chunk
        assert proc.wait() == 0
    os.close(primary)
    text = seen.decode("utf-8")
    assert "\r\x1b[K" in text and "samples/articles.jsonl: " in text and "article(s)" in text
    assert text.rstrip().splitlines()[-1].split("\x1b[K")[-1].startswith("quote-worker extract: ")


def test_help_documents_exit_status() -> None:
    run = quote_worker("extract", "--help")
    assert run.returncode == 0 and b"exit status" in run.stdout
    text = run.stdout.decode()
    assert "``" not in text and str(ROOT) not in text and "schemas/" not in text
    assert "--format {jsonl,csv,table}" in text
