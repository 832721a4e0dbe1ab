"""Bad input never stops the engine: it is counted or reported with file and line (FLT-08; issue 6 "Bad input")."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from harbour.monitoring.engine import (
    KeywordError,
    ListError,
    load_any,
    load_categories,
    load_e2guardian,
    load_keywords,
    scan,
    scan_reference,
)
from harbour.monitoring.engine.types import MAX_LINE_PROBLEMS

SAMPLES = Path(__file__).parent / "samples"
GOOD = "1795161720.000 5 10.0.0.9 TCP_MISS/200 10 GET http://www.example.xxx/ - DIRECT/x text/html"


@pytest.fixture(scope="module")
def db():
    return load_categories(SAMPLES / "lists")


@pytest.fixture(scope="module")
def kw():
    return load_keywords(SAMPLES / "keywords.tsv")


def run(paths, db, kw, **options):
    return scan_reference([str(p) for p in paths], categories=db, keywords=kw, year=2026, **options)


def test_garbage_and_truncated_lines_are_counted(tmp_path, db, kw):
    log = tmp_path / "mixed.log"
    log.write_text(f"{GOOD}\n%%%% garbage %%%%\n{GOOD[:40]}\n{GOOD}")  # last line has no newline
    result = run([log], db, kw)
    assert (result.lines, result.requests, result.malformed) == (4, 2, 2)
    assert result.problems == [f"{log}:2: not a Squid access.log line", f"{log}:3: not a Squid access.log line"]
    assert result.categories == {"adult": {"requests": 2, "users": 1}}


def test_binary_lines_and_invalid_utf8(tmp_path, db, kw):
    log = tmp_path / "bin.log"
    log.write_bytes(f"{GOOD}\n".encode() + b"\x00\x01\x02\xff\n" + b"\xff\xfe caf\xe9\n" + f"{GOOD}\n".encode())
    result = run([log], db, kw)
    assert (result.lines, result.requests) == (4, 2)
    assert result.problems == [f"{log}:2: binary data (NUL byte)", f"{log}:3: not valid UTF-8 text"]


def test_a_100_kb_line_is_one_malformed_line(tmp_path, db, kw):
    log = tmp_path / "long.log"
    long_line = GOOD.replace("http://www.example.xxx/", "http://www.example.xxx/" + "a" * 100_000)
    log.write_text(f"{GOOD}\n{long_line}\n{GOOD}\n{'b' * 20_000}")
    result = run([log], db, kw)
    assert (result.lines, result.requests, result.malformed) == (4, 2, 2)
    assert result.problems == [f"{log}:2: line longer than 16 KiB", f"{log}:4: line longer than 16 KiB"]


def test_file_of_random_bytes_is_an_unknown_format(tmp_path, db, kw):
    log = tmp_path / "random.bin"
    log.write_bytes(os.urandom(5000).replace(b"\n", b"\x00"))
    result = run([log], db, kw)
    assert (result.lines, result.requests) == (0, 0)
    assert result.formats == {str(log): "unknown"}
    assert result.problems == [
        f"{log}: unknown log format (none of squid, combined, e2guardian, pihole, csv); choose one with --format"
    ]


def test_forcing_a_format_counts_every_line(tmp_path, db, kw):
    log = tmp_path / "words.txt"
    log.write_text("hello\nworld\n\n")
    result = run([log], db, kw, fmt="squid")
    assert (result.lines, result.malformed) == (3, 3)
    with pytest.raises(ValueError, match="unknown log format 'syslog'"):
        run([log], db, kw, fmt="syslog")


def test_empty_and_missing_files(tmp_path, db, kw):
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.log"
    result = run([empty, missing, SAMPLES / "squid.log"], db, kw)
    assert result.lines == 30  # only the real log
    assert result.formats[str(empty)] == "empty"
    assert f"{empty}: empty file" in result.problems
    assert any(p.startswith(f"{missing}: cannot open") for p in result.problems)


def test_cut_short_gzip_keeps_what_was_read(tmp_path, db, kw):
    data = gzip.compress(((GOOD + "\n") * 5000).encode())
    log = tmp_path / "cut.log.gz"
    log.write_bytes(data[: len(data) // 2])
    result = run([log], db, kw)
    assert 0 < result.requests < 5000
    assert result.lines == result.requests
    assert any("compressed data damaged or cut short" in p for p in result.problems)


def test_problem_list_is_capped_but_counts_are_not(tmp_path, db, kw):
    log = tmp_path / "noisy.log"
    log.write_text(GOOD + "\n" + "junk\n" * 250)
    result = run([log], db, kw, fmt="squid")
    assert result.malformed == 250
    assert len(result.problems) == MAX_LINE_PROBLEMS
    assert result.problems[-1] == f"{log}:{MAX_LINE_PROBLEMS + 1}: not a Squid access.log line"


def test_missing_or_empty_list_folder(tmp_path):
    with pytest.raises(ListError, match="list folder not found"):
        load_categories(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ListError, match="no categories found"):
        load_categories(tmp_path / "empty")
    with pytest.raises(ListError, match="cannot read list file"):
        load_categories(SAMPLES / "lists", allow=tmp_path / "no-allow.txt")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("knife\t40\n", "2: expected phrase<TAB>weight<TAB>category, found 2"),
        ("knife\tforty\tweapons\n", "2: the weight 'forty' is not a whole number"),
        ("!!!\t5\tweapons\n", "2: a phrase needs at least one letter or digit"),
        ("knife\t5\t \n", "2: the category is empty"),
    ],
)
def test_invalid_keywords_line_names_file_and_line(tmp_path, text, message):
    path = tmp_path / "kw.tsv"
    path.write_text("# header comment\n" + text)
    with pytest.raises(KeywordError) as caught:
        load_keywords(path)
    assert str(caught.value).startswith(f"{path}:{message}")


def test_invalid_e2guardian_lines(tmp_path):
    path = tmp_path / "weighted"
    path.write_text('#listcategory: "x"\n<good><10>\n<no weight>\n')
    with pytest.raises(KeywordError, match=r"weighted:3: a weighted phrase needs a weight"):
        load_e2guardian(path)
    path.write_text("<phrase><ten>\n")
    with pytest.raises(KeywordError, match=r"weighted:1: the weight <ten> is not a whole number"):
        load_e2guardian(path)
    path.write_text("phrase 10\n")
    with pytest.raises(KeywordError, match=r"weighted:1: expected <phrase><weight>"):
        load_e2guardian(path)
    path.write_text(".Include</etc/e2guardian/lists/none>\n")
    with pytest.raises(KeywordError, match="included list /etc/e2guardian/lists/none not found"):
        load_any([path])


def test_binary_keywords_file(tmp_path):
    path = tmp_path / "kw.bin"
    path.write_bytes(b"\x00\x01\x02")
    with pytest.raises(KeywordError, match="not a text file"):
        load_keywords(path)
    with pytest.raises(KeywordError, match="cannot read keywords file"):
        load_keywords(tmp_path / "absent.tsv")


def test_bad_scan_options(db, kw):
    with pytest.raises(ValueError, match="workers"):
        scan([str(SAMPLES / "squid.log")], categories=db, keywords=kw, workers=-1)
    with pytest.raises(ValueError, match="unknown log format"):
        scan([str(SAMPLES / "squid.log")], categories=db, keywords=kw, fmt="xml")
