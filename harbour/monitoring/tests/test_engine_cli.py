"""``python -m harbour.monitoring scan`` as a user runs it: JSON, summary, stdin, exit codes (FLT-08; issue 6)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).parent / "samples"
ROOT = Path(__file__).resolve().parents[3]
LISTS = [
    "--lists",
    str(SAMPLES / "lists"),
    "--allow",
    str(SAMPLES / "allow.txt"),
    "--block",
    str(SAMPLES / "block.txt"),
]
KEYWORDS = ["--keywords", str(SAMPLES / "keywords.tsv")]


def cli(*args: str, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "harbour.monitoring", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def expected(name: str) -> dict:
    data = json.loads((SAMPLES / "expected" / name).read_text())
    return {k: v for k, v in data.items() if not k.startswith("_")}


def test_json_prints_exactly_the_issue_object():
    """FLT-08: --json prints one object with lines, requests, malformed, categories, keyword_hits, top."""
    done = cli("scan", *LISTS, *KEYWORDS, "--json", "--engine", "reference", str(SAMPLES / "squid.log"))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == expected("squid.json")
    assert done.stdout.count(b"\n") == 1
    assert done.stderr == b""


def test_several_files_workers_and_year():
    args = ["scan", *LISTS, *KEYWORDS, "--json", "--year", "2026", "--engine", "reference"]
    files = [str(SAMPLES / "squid.log"), str(SAMPLES / "pihole.log")]
    one = cli(*args, *files)
    two = cli(*args, "--workers", "2", *files)
    assert one.returncode == two.returncode == 0
    assert json.loads(one.stdout) == json.loads(two.stdout)
    assert json.loads(one.stdout)["lines"] == 54


def test_stdin_and_gzip():
    """A gzip-compressed log piped into "-" is recognised by its content."""
    packed = gzip.compress((SAMPLES / "e2guardian.log").read_bytes())
    done = cli("scan", *LISTS, *KEYWORDS, "--json", "--engine", "reference", "-", stdin=packed)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == expected("e2guardian.json")


def test_readable_summary_without_progress_bar_off_a_terminal():
    done = cli("scan", *LISTS, *KEYWORDS, "--flag", "adult", "--engine", "reference", str(SAMPLES / "generic.csv"))
    assert done.returncode == 0
    out = done.stdout.decode()
    assert "requests   24" in out
    assert "malformed  6" in out
    assert "social_networks" in out
    assert "weapons" in out
    assert "Flagged requests (3" in out
    assert f"{SAMPLES / 'generic.csv'}:14: blank line" in out
    assert done.stderr == b""  # no progress bar when stderr is not a terminal


def test_progress_bar_on_a_terminal():
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "harbour.monitoring",
                "scan",
                *LISTS,
                *KEYWORDS,
                "--engine",
                "reference",
                str(SAMPLES / "squid.log"),
            ],
            stdout=subprocess.PIPE,
            stderr=follower,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                data = os.read(leader, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
    finally:
        if follower >= 0:
            os.close(follower)
        os.close(leader)
    assert done.returncode == 0
    assert b"%" in b"".join(chunks)
    assert b"MB" in b"".join(chunks)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scan", "--lists", "/nonexistent/lists", *KEYWORDS, "x.log"], "/nonexistent/lists: list folder not found"),
        (["scan", *LISTS, *KEYWORDS, "/nonexistent.log"], "/nonexistent.log: no such log file"),
        (["scan", *LISTS, *KEYWORDS, str(SAMPLES)], "is a folder, not a log file"),
        (["scan", *KEYWORDS, "x.log"], "one of --lists DIR or --index FILE is required"),
        (["scan", "--index", "/nonexistent.idx", *KEYWORDS, "x.log"], "/nonexistent.idx: no such index file"),
        (["scan", *LISTS, *KEYWORDS, "--workers", "-1", "x.log"], "--workers must be 0"),
        (["scan", *LISTS, *KEYWORDS, "--format", "xml", "x.log"], "invalid choice: 'xml'"),
        (["scan", *LISTS, *KEYWORDS, "-", "-"], "can be read only once"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_usage_errors_exit_2_with_one_clear_line(args, message):
    done = cli(*args)
    assert done.returncode == 2
    err = done.stderr.decode()
    assert message in err
    assert err.startswith("harbour-monitor: error: ")
    assert "Traceback" not in err
    assert err.count("\n") == 1


def test_invalid_keywords_line_is_a_usage_error(tmp_path):
    bad = tmp_path / "kw.tsv"
    bad.write_text("knife\t40\tweapons\nsuicide\t80\n")
    done = cli("scan", *LISTS, "--keywords", str(bad), str(SAMPLES / "squid.log"))
    assert done.returncode == 2
    assert done.stderr.decode() == (
        f"harbour-monitor: error: {bad}:2: expected phrase<TAB>weight<TAB>category, found 2 tab-separated field(s)\n"
    )


def test_unknown_format_is_a_usage_error_but_forced_format_counts(tmp_path):
    junk = tmp_path / "junk.log"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary\n" * 20)
    done = cli("scan", *LISTS, *KEYWORDS, str(junk))
    assert done.returncode == 2
    assert b"unknown log format" in done.stderr
    assert b"--format" in done.stderr
    forced = cli("scan", *LISTS, *KEYWORDS, "--json", "--format", "squid", "--engine", "reference", str(junk))
    assert forced.returncode == 0
    assert json.loads(forced.stdout)["malformed"] == 60  # three lines per repeat
    piped = cli("scan", *LISTS, *KEYWORDS, "--engine", "reference", "-", stdin=junk.read_bytes())
    assert piped.returncode == 2
    assert b"standard input: unknown log format" in piped.stderr


def test_empty_file_is_zero_counts_with_a_warning(tmp_path):
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    done = cli("scan", *LISTS, *KEYWORDS, "--json", str(empty))
    assert done.returncode == 0
    assert json.loads(done.stdout) == {
        "lines": 0,
        "requests": 0,
        "malformed": 0,
        "categories": {},
        "keyword_hits": {},
        "top": [],
    }
    assert done.stderr.decode() == f"harbour-monitor: warning: {empty}: empty file\n"


def test_the_engine_package_never_imports_django():
    """Pure engine rule: importing and running the CLI loads no Django module."""
    code = (
        "import sys, harbour.monitoring.engine.cli as c, harbour.monitoring.engine.reference;"
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=60, check=False)
    assert done.stdout.strip() == b"False", done.stderr


def test_hostile_usernames_cannot_drive_the_terminal(tmp_path):
    """Log fields are untrusted: escape sequences in a username are neutralised in the summary."""
    log = tmp_path / "evil.log"
    log.write_text(
        "1795161720.000 5 10.0.0.9 TCP_MISS/200 10 GET http://www.example.xxx/ \x1b[2Jevil\x07 DIRECT/x text/html\n"
    )
    done = cli("scan", *LISTS, *KEYWORDS, "--engine", "reference", str(log))
    assert done.returncode == 0
    assert b"\x1b" not in done.stdout
    assert b"?[2Jevil?" in done.stdout


def test_non_ascii_names_with_a_c_locale():
    log_text = "1795161720.000 5 10.0.0.9 TCP_MISS/200 10 GET http://www.example.xxx/ zoë DIRECT/x text/html\n"
    done = cli(
        "scan",
        *LISTS,
        *KEYWORDS,
        "--json",
        "--engine",
        "reference",
        "-",
        stdin=log_text.encode(),
        env={"LC_ALL": "C", "PYTHONIOENCODING": "ascii"},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["top"] == [["zoë", "adult", 1]]
    summary = cli(
        "scan",
        *LISTS,
        *KEYWORDS,
        "--engine",
        "reference",
        "-",
        stdin=log_text.encode(),
        env={"LC_ALL": "C", "PYTHONIOENCODING": "ascii"},
    )
    assert summary.returncode == 0, summary.stderr
    assert b"zo\\xeb" in summary.stdout


@pytest.mark.parametrize("engine", ["fast", "reference"])
@pytest.mark.parametrize("workers", ["1", "2"])
def test_issue_13_empty_and_malformed_files_end_with_a_clear_message(tmp_path, engine, workers):
    """Issue #13: with the format forced, an empty file spun for ever on the fast path and a file of
    malformed lines died with IndexError; both now end at once, on both paths, with the same answer."""
    pytest.importorskip("numba")
    args = ["scan", *LISTS, *KEYWORDS, "--json", "--format", "squid", "--engine", engine, "--workers", workers]
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    done = cli(*args, str(empty))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["lines"] == 0
    assert done.stderr.decode() == f"harbour-monitor: warning: {empty}: empty file\n"

    bad = tmp_path / "bad.log"
    bad.write_bytes(b"garbage\nmore garbage\n\n")
    done = cli(*args, str(bad))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) | {"categories": {}} == {
        "lines": 3,
        "requests": 0,
        "malformed": 3,
        "categories": {},
        "keyword_hits": {},
        "top": [],
    }
    assert done.stderr == b""

    dot = tmp_path / "dot.log"
    dot.write_bytes(b"1795161780.003 21 10.0.0.12 TCP_TUNNEL/200 1003 CONNECT .badsite.com:443 bob HIER_DIRECT/x -\n")
    done = cli(*args, str(dot))
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert (out["requests"], out["malformed"]) == (1, 0)
    assert out["categories"]["adult"] == {"requests": 1, "users": 1}
