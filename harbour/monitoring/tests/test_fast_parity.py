"""The fast path equals the reference path on generated and hostile Squid logs (issue #6; FLT-08, INC-FILT-06).

Pure tests: no database.  The generated data comes from the benchmark's own
generator (bench_data.py) at a small size; the hostile lines probe every rule
the compiled kernel applies before it accepts a line without the reference
parser (hosts.py, formats.py), on both sides of each rule.
"""

from __future__ import annotations

import gzip
import random
from itertools import pairwise
from pathlib import Path

import pytest

pytest.importorskip("numba", reason="the fast path needs Numba (requirements.txt)")

from harbour.monitoring import bench_data
from harbour.monitoring.engine import CategoryDB, Chunk, load_categories, load_keywords, scan_reference
from harbour.monitoring.engine import fast as fast_module
from harbour.monitoring.engine.fast import scan_fast
from harbour.monitoring.engine.reader import find_boundaries

FLAGGED = frozenset({"adult", "gambling", "warez", "school_block", "press"})


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, Path]:
    """A 4,000-line log over a 3,000-domain tree, with urls lists and keyword hits."""
    return bench_data.ensure_data(tmp_path_factory.mktemp("bench"), 4_000, 3_000)


@pytest.fixture(scope="module")
def generated_db(generated) -> CategoryDB:
    return load_categories(generated["lists"])


@pytest.fixture(scope="module")
def kw(generated):
    return load_keywords(generated["keywords"])


def both(sources, db, kw, **options):
    common = {"categories": db, "keywords": kw, "flag_categories": FLAGGED, "year": 2026}
    common.update(options)
    return scan_fast(sources, **common), scan_reference(sources, **common)


def assert_same(fast, ref):
    assert fast.to_json() == ref.to_json()
    assert fast.problems == ref.problems
    assert fast.person_day == ref.person_day
    assert fast.flags == ref.flags
    assert fast._users == ref._users
    assert fast == ref


def test_generated_log_matches_reference(generated, generated_db, kw):
    """FLT-08: categories, users, top, keyword hits, person_day, flags and problems all equal."""
    fast, ref = both([str(generated["log"])], generated_db, kw)
    assert_same(fast, ref)
    assert ref.requests > 3_900
    assert ref.categories
    assert ref.keyword_hits
    assert ref.flags
    assert ref.problems


def test_generated_log_with_allow_and_block_lists(generated, generated_db, kw, tmp_path):
    """FLT-09: allow entries (domains and URL prefixes) win; block entries add school_block."""
    lines = generated["log"].read_text(encoding="utf-8", errors="replace").splitlines()
    rng = random.Random(7)
    hosts = sorted({ln.split()[6].split("/")[2] for ln in lines if ln.count(" ") > 8 and "://" in ln.split()[6]})
    picked = rng.sample(hosts, 30)
    allow = picked[:5] + [f"{h}/{p}" for h in picked[5:10] for p in ("a", "q", "ka")] + ["www.google.com/search?q=m"]
    block = picked[10:20] + [f"{h}/" for h in picked[20:25]] + ["duckduckgo.com/?q="]
    tree = {p.name: [(p / "domains").read_text()] for p in generated["lists"].iterdir()}
    db = CategoryDB.build(
        {name: [e for text in texts for e in text.split()] for name, texts in tree.items()},
        allow=allow,
        block=block,
    )
    assert_same(*both([str(generated["log"])], db, kw))


def test_generated_log_in_chunks_and_gzip(generated, generated_db, kw, tmp_path):
    """Byte-range chunks (as scan() gives workers) and .gz files give the reference's results."""
    path = str(generated["log"])
    size = generated["log"].stat().st_size
    cuts = find_boundaries(path, 0, size, 7)
    for start, end in pairwise(cuts):
        assert_same(*both([Chunk(path, start, end, "squid")], generated_db, kw))
    packed = tmp_path / "access.log.gz"
    packed.write_bytes(gzip.compress(generated["log"].read_bytes()))
    assert_same(*both([str(packed)], generated_db, kw))


@pytest.mark.parametrize("block", [64, 997, 1 << 16])
def test_small_read_blocks(generated, generated_db, kw, monkeypatch, block):
    """Lines cut across read blocks are joined again; lines longer than a block still count once."""
    monkeypatch.setattr(fast_module, "BLOCK", block)
    assert_same(*both([str(generated["log"])], generated_db, kw))


GOOD = "1795161720.123     5 10.0.0.9 TCP_MISS/200 10 GET http://www.example.xxx/a?q=x alice DIRECT/x text/html"
HOSTILE = [
    GOOD,
    GOOD.replace("alice", "-"),
    GOOD.replace("http://www.example.xxx/a?q=x", "www.example.xxx:443").replace("GET", "CONNECT"),
    GOOD.replace("http://www.example.xxx/a?q=x", "example:443"),  # no dot but a port: a host
    GOOD.replace("http://www.example.xxx/a?q=x", "localhost"),  # no scheme, no dot, no port: not a request
    GOOD.replace("http://www.example.xxx/a?q=x", "error:invalid-request"),
    GOOD.replace("www.example.xxx", "WWW.Example.XXX"),
    GOOD.replace("www.example.xxx", "www.example.xxx."),
    GOOD.replace("www.example.xxx", "www.example.xxx..:8080"),
    GOOD.replace("www.example.xxx", "www.example.xxx:"),
    GOOD.replace("www.example.xxx", "www.example.xxx:80a"),
    GOOD.replace("www.example.xxx", "user:pw@www.example.xxx"),
    GOOD.replace("www.example.xxx", "[2001:db8::1]:443"),
    GOOD.replace("www.example.xxx", "-bad.example"),
    GOOD.replace("www.example.xxx", "_dmarc.example.xxx"),
    GOOD.replace("www.example.xxx", "ex%41mple.xxx"),
    GOOD.replace("www.example.xxx/a", "www.example.xxx"),
    GOOD.replace("www.example.xxx/a?q=x", "www.example.xxx?q=x"),
    GOOD.replace("www.example.xxx/a?q=x", "www.example.xxx#frag"),
    GOOD.replace("http://", "HTTPS://"),
    GOOD.replace("http://", "git+ssh://"),
    GOOD.replace("http://", "1http://"),
    GOOD.replace("http://", "http:/"),
    GOOD.replace("http://www.example.xxx/a?q=x", "http://"),
    GOOD.replace("1795161720.123", "1795161720"),
    GOOD.replace("1795161720.123", "1795161720.1234567"),
    GOOD.replace("1795161720.123", "1795161720.12345678901"),
    GOOD.replace("1795161720.123", "1795161720."),
    GOOD.replace("1795161720.123", ".5"),
    GOOD.replace("1795161720.123", "4102444800.000"),
    GOOD.replace("1795161720.123", "4102444799.999"),
    GOOD.replace("1795161720.123", "12345678901.0"),
    GOOD.replace("1795161720.123", "0.000"),
    GOOD.replace("1795161720.123", "-5.000"),
    GOOD.replace("1795161720.123", "1795161720.1e3"),
    GOOD.replace("TCP_MISS/200", "TCP_MISS"),
    GOOD.replace(" text/html", ""),
    GOOD.replace(" DIRECT/x text/html", ""),
    GOOD.replace(" ", "\t"),
    GOOD.replace(" alice", " \u00e9l\u00e8ve"),
    "  " + GOOD + "   ",
    GOOD + " extra fields here",
    GOOD + "\r",
    GOOD.replace("alice", "al\rice"),
    GOOD.replace("alice", "al\x0bice"),
    "",
    "     ",
    "garbage",
    GOOD[:40],
    GOOD.replace("x text/html", "x " + "y" * 17_000),
    GOOD.replace("x text/html", "x " + "y" * (16 * 1024 - len(GOOD) + 10)),  # exactly at the limit
    "1795248000.000 1 10.0.0.8 TCP_MISS/200 1 GET https://www.google.com/search?q=porn%2520videos bob D/x -",
    "1795248000.000 1 10.0.0.8 TCP_MISS/200 1 GET https://m.youtube.com/results?search_query=how+to+self+harm - D/x -",
    "1795334399.999 1 10.0.0.8 TCP_MISS/200 1 GET https://duckduckgo.com/?q=SUICIDE&ia=web 10.0.0.8 D/x -",
]


@pytest.fixture(scope="module")
def small_db() -> CategoryDB:
    return CategoryDB.build(
        {
            "adult": ["example.xxx", "example", "tube.example/adult", "www.example.xxx/a?q"],
            "press": ["www.example.xxx", "xxx", "2001:db8::1"],
            "gambling": ["_dmarc.example.xxx", "www.example.xxx/"],
        },
        allow=["www.example.xxx/a?q=y"],
        block=["localhost", "www.google.com/search?q=porn"],
    )


@pytest.fixture(scope="module")
def small_kw(tmp_path_factory):
    path = tmp_path_factory.mktemp("kw") / "keywords.tsv"
    path.write_text(
        "porn\t10\tadult\nporn videos\t5\tadult\nself harm\t20\tself-harm\nsuicide\t30\tself-harm\nx\t1\tletters\n"
    )
    return load_keywords(path)


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_hostile_lines(small_db, small_kw, tmp_path, ending):
    """Every accepted/declined boundary of the kernel gives the reference's request or problem."""
    log = tmp_path / "hostile.log"
    raw = ending.join(HOSTILE).encode("utf-8") + b"\n\x00\x01\x02\n\xff\xfe bad utf-8\n" + b"z" * 100_000 + b"\n"
    log.write_bytes(raw + GOOD.encode())  # the last line has no newline
    fast, ref = both([str(log)], small_db, small_kw, fmt="squid")
    assert_same(fast, ref)
    assert ref.requests > 20
    assert ref.malformed > 20
    assert ref.flags
    fast, ref = both([str(log)], small_db, small_kw)
    assert_same(fast, ref)


def test_each_hostile_line_alone(small_db, small_kw, tmp_path):
    """One line per file, so a mismatch names the line that causes it."""
    for n, line in enumerate(HOSTILE):
        log = tmp_path / f"line{n}.log"
        log.write_bytes(line.encode("utf-8") + b"\n")
        fast, ref = both([str(log)], small_db, small_kw, fmt="squid")
        assert fast == ref, line


def test_other_formats_and_stdin_go_through_the_reference(small_db, small_kw, tmp_path, monkeypatch):
    """Formats other than Squid native, unknown and empty files, missing files: the reference's results."""
    combined = tmp_path / "combined.log"
    combined.write_text('10.0.0.5 - bob [26/Nov/2026:09:00:00 +0000] "GET http://example.xxx/ HTTP/1.1" 200 5\n')
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    unknown = tmp_path / "unknown.log"
    unknown.write_text("hello\nworld\n")
    sources = [str(combined), str(empty), str(unknown), str(tmp_path / "missing.log")]
    assert_same(*both(sources, small_db, small_kw))
