"""The fast path gives exactly the reference path's ScanResult (issue 6 "Done when"; FLT-08).

Skipped when harbour/monitoring/engine/fast.py does not exist; if it exists
but cannot be imported, the tests fail rather than skip.
"""

from __future__ import annotations

import gzip
import importlib
import importlib.util
from pathlib import Path

import pytest

from harbour.monitoring import engine
from harbour.monitoring.engine import Chunk, load_categories, load_e2guardian, load_keywords, scan_reference

SAMPLES = Path(__file__).parent / "samples"
LOGS = ["squid.log", "combined.log", "e2guardian.log", "pihole.log", "generic.csv"]
FLAGGED = frozenset({"adult", "school_block"})

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("harbour.monitoring.engine.fast") is None, reason="engine/fast.py not written"
)


@pytest.fixture(scope="module")
def scan_fast():
    return importlib.import_module("harbour.monitoring.engine.fast").scan_fast


@pytest.fixture(scope="module")
def db():
    return load_categories(SAMPLES / "lists", allow=SAMPLES / "allow.txt", block=SAMPLES / "block.txt")


@pytest.fixture(scope="module")
def kw():
    return load_keywords(SAMPLES / "keywords.tsv")


def both(scan_fast, sources, db, kw, **options):
    common = {"categories": db, "keywords": kw, "flag_categories": FLAGGED, "year": 2026}
    common.update(options)
    fmt = common.pop("fmt", "auto")
    return scan_fast(sources, fmt=fmt, **common), scan_reference(sources, fmt=fmt, **common)


def assert_same(fast, ref):
    assert fast.to_json() == ref.to_json()
    assert fast.problems == ref.problems
    assert fast.formats == ref.formats
    assert fast.person_day == ref.person_day
    assert fast.flags == ref.flags
    assert fast == ref


@pytest.mark.parametrize("log", LOGS)
def test_every_sample(scan_fast, db, kw, log):
    assert_same(*both(scan_fast, [str(SAMPLES / log)], db, kw))


@pytest.mark.parametrize("log", LOGS)
def test_every_sample_with_forced_format_and_gzip(scan_fast, db, kw, tmp_path, log):
    fmt = {"generic.csv": "csv"}.get(log, log.split(".")[0])
    assert_same(*both(scan_fast, [str(SAMPLES / log)], db, kw, fmt=fmt))
    packed = tmp_path / (log + ".gz")
    packed.write_bytes(gzip.compress((SAMPLES / log).read_bytes()))
    assert_same(*both(scan_fast, [str(packed)], db, kw))


@pytest.mark.parametrize("log", LOGS)
def test_every_sample_in_chunks(scan_fast, db, kw, monkeypatch, log):
    monkeypatch.setattr(engine, "CHUNK_MIN", 300)
    units = engine.plan([SAMPLES / log], fmt="auto", year=2026, pieces_per_file=5)
    assert all(isinstance(u, Chunk) for u in units)
    assert len(units) > 2
    for unit in units:
        assert_same(*both(scan_fast, [unit], db, kw))


def test_all_samples_together_and_e2guardian_keywords(scan_fast, db):
    keywords = load_e2guardian(SAMPLES / "e2guardian_weighted.txt")
    assert_same(*both(scan_fast, [str(SAMPLES / log) for log in LOGS], db, keywords))


def test_bad_input(scan_fast, db, kw, tmp_path):
    good = "1795161720.000 5 10.0.0.9 TCP_MISS/200 10 GET http://www.example.xxx/?q=knife - DIRECT/x text/html"
    log = tmp_path / "bad.log"
    log.write_bytes(
        (good + "\n").encode()
        + b"garbage\n\x00\x01binary\n\xff\xfe\n\n"
        + ("x" * 100_000 + "\n").encode()
        + good[:30].encode()
        + b"\n"
        + good.encode()  # no final newline
    )
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00" * 300)
    assert_same(*both(scan_fast, [str(log), str(empty), str(junk), str(tmp_path / "missing.log")], db, kw))
    assert_same(*both(scan_fast, [str(junk)], db, kw, fmt="squid"))
